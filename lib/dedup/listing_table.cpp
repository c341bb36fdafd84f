#include "dedup/listing_table.hpp"

#include <charconv>
#include <functional>
#include <limits>

#include "dedup/record_identity.hpp"
#include "util/utf8.hpp"

namespace haul::dedup {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

constexpr double kAbsent = std::numeric_limits<double>::quiet_NaN();

double number_of(element value) {
  double number;
  if (!value.get(number)) return number;
  std::string_view text;
  if (!value.get(text)) {
    double parsed;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (error == std::errc() && end == text.data() + text.size()) return parsed;
  }
  return kAbsent;
}

// The first `max_code_points` code points of UTF-8 `text` (all when 0).
std::string_view prefix(std::string_view text, std::size_t max_code_points) {
  if (max_code_points == 0) return text;
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && seen++ == max_code_points) {
      return text.substr(0, i);
    }
  }
  return text;
}

}  // namespace

ListingTable::ListingTable(const TypeConfig& config, const UrlIdExtractor& url_ids)
    : config_(config),
      url_ids_(url_ids),
      compare_count_(config.near.compare.size()),
      rule_count_(config.near.blocking.size()) {}

ListingTable::Slice ListingTable::store(std::string_view text) {
  Slice s{arena_.size(), static_cast<std::uint32_t>(text.size())};
  arena_.append(text);
  return s;
}

std::uint32_t ListingTable::intern(std::string_view name) {
  if (auto found = name_ids_.find(name); found != name_ids_.end()) return found->second;
  const auto id = static_cast<std::uint32_t>(names_.size());
  names_.emplace_back(name);
  name_ids_.emplace(std::string(name), id);
  return id;
}

MetaRef ListingTable::meta_of(object record) {
  MetaRef ref;
  std::string_view source, raw_file;
  std::int64_t raw_index;
  object meta;
  if (!record["_meta"].get(meta)) {
    ref.source = intern(meta["source"].get(source) ? std::string_view() : source);
    ref.raw_file = intern(meta["raw_file"].get(raw_file) ? std::string_view() : raw_file);
    if (!meta["raw_index"].get(raw_index)) ref.raw_index = raw_index;
  } else {
    ref.source = ref.raw_file = intern("");
  }
  return ref;
}

int ListingTable::priority_of(const MetaRef& meta) const {
  auto found = config_.source_priority.find(names_[meta.source]);
  return found == config_.source_priority.end() ? 0 : found->second;
}

std::string ListingTable::recency_of(object record) const {
  if (config_.recency_pointer.empty()) return {};
  element value;
  if (record.at_pointer(config_.recency_pointer).get(value)) return {};
  std::string_view text;
  if (!value.get(text)) return std::string(text);
  std::string out;
  append_js_join_value(out, value);
  return out;
}

std::string ListingTable::field_text(object record, const std::string& field,
                                     const std::string& url_id) const {
  if (field == "url_id") return url_id;
  element value;
  return record[field].get(value) ? std::string() : matching_text(value);
}

void ListingTable::add(object record, std::uint64_t position) {
  std::string url_id;
  std::string_view url;
  if (!config_.near.url_field.empty() && !record[config_.near.url_field].get(url)) {
    url_id = url_ids_.extract(url);
  }
  // A field often serves several comparisons and blocking keys: normalise once.
  std::vector<std::pair<std::string_view, std::string>> texts;
  auto text_of = [&](const std::string& field) -> const std::string& {
    for (const auto& [name, text] : texts) {
      if (name == field) return text;
    }
    texts.emplace_back(field, field_text(record, field, url_id));
    return texts.back().second;
  };

  for (const Comparison& comparison : config_.near.compare) {
    double number = kAbsent;
    std::string_view text;
    std::string prefix_text;
    if (comparison.method == CompareMethod::kNumber) {
      element value;
      if (!record[comparison.field].get(value)) number = number_of(value);
    } else if (comparison.max_code_points > 0) {
      // Normalise only the start of a long text (twice the prefix, as
      // NFKC may fold two code points into one), not all of it.
      std::string_view raw;
      if (!record[comparison.field].get(raw)) {
        prefix_text = utf8::normalize_for_matching(prefix(raw, 2 * comparison.max_code_points));
        text = prefix(prefix_text, comparison.max_code_points);
      }
    } else {
      text = text_of(comparison.field);
    }
    numbers_.push_back(number);
    texts_.push_back(store(text));
  }

  for (const BlockingRule& rule : config_.near.blocking) {
    std::string key;
    bool complete = true;
    for (const auto& field : rule.keys) {
      const std::string& text = text_of(field);
      if (text.empty()) {
        complete = false;
        break;
      }
      key += text;
      key += '\x1f';
    }
    std::uint64_t hash = complete ? std::hash<std::string>{}(key) : 0;
    block_keys_.push_back(complete && hash == 0 ? 1 : hash);

    const std::string& sort_field =
        rule.sort_field.empty() && !config_.near.compare.empty() ? config_.near.compare[0].field
                                                                 : rule.sort_field;
    element value;
    double number = kAbsent;
    std::string text;
    if (!sort_field.empty() && !record[sort_field].get(value)) {
      number = number_of(value);
      if (std::isnan(number)) text = text_of(sort_field);
    }
    sort_numbers_.push_back(number);
    sort_texts_.push_back(store(text));
  }

  decisive_.push_back(store(config_.near.decisive_field.empty()
                                ? std::string_view()
                                : std::string_view(text_of(config_.near.decisive_field))));

  std::uint32_t present = 0;
  for (auto [key, value] : record) {
    if (key == "_meta" || is_hash_field(key) || value.is_null()) continue;
    std::string_view text;
    if (!value.get(text) && text.find_first_not_of(" \t\r\n") == std::string_view::npos) continue;
    ++present;
  }
  completeness_.push_back(present);

  MetaRef meta = meta_of(record);
  priorities_.push_back(priority_of(meta));
  recency_.push_back(store(recency_of(record)));
  positions_.push_back(position);
  metas_.push_back(meta);
}

bool ListingTable::offer_exact_duplicate(std::uint32_t row, object record, std::uint64_t position) {
  MetaRef meta = meta_of(record);
  const int priority = priority_of(meta);
  std::string recency = recency_of(record);
  // Same content, so completeness ties; the earlier record wins full ties.
  if (priority < priorities_[row] ||
      (priority == priorities_[row] && recency <= slice(recency_[row]))) {
    return false;
  }
  priorities_[row] = priority;
  recency_[row] = store(recency);
  positions_[row] = position;
  metas_[row] = meta;
  return true;
}

}  // namespace haul::dedup
