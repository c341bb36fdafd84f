#include "dedup/record_identity.hpp"

#include <fmt/format.h>

#include <cmath>

#include "io/json_writer.hpp"
#include "util/utf8.hpp"

namespace haul::dedup {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// JavaScript's Number.prototype.toString for finite doubles: integers below
// 1e21 without a fraction, otherwise the shortest round-trip digits with an
// exponent written "e-7" / "e+21".
void append_js_number(std::string& out, double number) {
  if (std::isnan(number)) {
    out += "NaN";
  } else if (std::isinf(number)) {
    out += number > 0 ? "Infinity" : "-Infinity";
  } else if (number == std::floor(number) && std::fabs(number) < 1e21) {
    out += fmt::format("{:.0f}", number == 0 ? 0.0 : number);
  } else {
    std::string text = fmt::format("{}", number);
    const auto e = text.find('e');
    if (e != std::string::npos) {
      std::string exponent = text.substr(e + 2);
      exponent.erase(0, std::min(exponent.find_first_not_of('0'), exponent.size() - 1));
      text = text.substr(0, e + 2) + exponent;
    }
    out += text;
  }
}

bool is_blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == text.npos; }

}  // namespace

bool is_hash_field(std::string_view key) {
  for (auto field : kHashFields) {
    if (field == key) return true;
  }
  return false;
}

void append_js_join_value(std::string& out, element value) {
  switch (value.type()) {
    case element_type::STRING:
      out += std::string_view(value);
      break;
    case element_type::INT64:
      out += std::to_string(int64_t(value));
      break;
    case element_type::UINT64:
      out += std::to_string(uint64_t(value));
      break;
    case element_type::DOUBLE:
      append_js_number(out, double(value));
      break;
    case element_type::BOOL:
      out += bool(value) ? "true" : "false";
      break;
    case element_type::NULL_VALUE:
      break;
    case element_type::ARRAY: {
      bool first = true;
      for (element item : simdjson::dom::array(value)) {
        if (!first) out += ',';
        first = false;
        append_js_join_value(out, item);
      }
      break;
    }
    case element_type::OBJECT:
      out += "[object Object]";
      break;
  }
}

std::string matching_text(element value) {
  switch (value.type()) {
    case element_type::STRING: {
      std::string_view text(value);
      return is_blank(text) ? std::string() : utf8::normalize_for_matching(text);
    }
    case element_type::NULL_VALUE:
      return {};
    case element_type::ARRAY:
    case element_type::OBJECT:
      return simdjson::minify(value);
    default: {
      std::string out;
      append_js_join_value(out, value);
      return out;
    }
  }
}

Status RecordIdentity::load(const std::filesystem::path& config_dir, const std::string& type,
                            RecordIdentity* out) {
  TypeConfig config;
  if (auto status = load_config(config_dir, type, config); !status.is_ok()) return status;
  *out = RecordIdentity(config);
  return Status::ok();
}

RecordIdentity::RecordIdentity(const TypeConfig& config)
    : config_(config.identity),
      type_(config.type),
      url_field_(config.near.url_field),
      url_ids_(std::make_shared<UrlIdExtractor>(config.near.url_id_patterns)) {}

std::string RecordIdentity::url_id(object record) const {
  std::string_view url;
  if (url_field_.empty() || record[url_field_].get(url)) return {};
  return url_ids_->extract(url);
}

std::string RecordIdentity::content_text(object record) {
  scratch_.clear();
  io::JsonWriter writer(scratch_);
  writer.begin_object();
  for (auto [key, value] : record) {
    if (key == "_meta" || is_hash_field(key)) continue;
    writer.key(key);
    writer.value(value);
  }
  writer.end_object();
  return scratch_;
}

RecordHashes RecordIdentity::hashes(object record) {
  RecordHashes out;
  std::string joined;
  bool first = true;
  for (const auto& field : config_.data_hash_fields) {
    if (!first) joined += '|';
    first = false;
    element value;
    if (!record[field].get(value)) append_js_join_value(joined, value);
  }
  out.data_hash = sha_->hex(utf8::to_lower_js(joined));
  out.content_hash = sha_->hex(content_text(record));

  std::size_t index = 0;
  for (const auto& alternative : config_.listing_key_alternatives) {
    std::string key = fmt::format("{}\x1f{}", type_, index++);
    bool complete = true;
    for (const auto& field : alternative) {
      std::string text;
      element value;
      if (field == "url_id") {
        text = url_id(record);
      } else if (!record[field].get(value)) {
        text = matching_text(value);
      }
      if (text.empty()) {
        complete = false;
        break;
      }
      key += fmt::format("\x1f{}\x1e{}", field, text);
    }
    if (complete) {
      out.listing_key = sha_->hex(key);
      return out;
    }
  }
  out.listing_key = sha_->hex(fmt::format("{}\x1f" "content\x1f{}", type_, out.content_hash));
  return out;
}

Sha256::Digest RecordIdentity::exact_key(object record) {
  std::string key;
  auto append = [&key](std::string_view name, element value) {
    key += name;
    key += '\x1f';
    key += matching_text(value);
    key += '\x1e';
  };
  if (config_.exact_key_fields.empty()) {
    for (auto [name, value] : record) {
      if (name != "_meta" && !is_hash_field(name)) append(name, value);
    }
  } else {
    for (const auto& name : config_.exact_key_fields) {
      element value;
      if (!record[name].get(value)) append(name, value);
    }
  }
  return sha_->digest(key);
}

}  // namespace haul::dedup
