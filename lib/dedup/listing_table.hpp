#pragma once
// The part of each record that near-duplicate matching needs, extracted once
// and held compactly (one text arena, fixed-size columns), so a million
// listings fit in a few hundred megabytes and pairs are scored without
// touching JSON again. Texts are in matching form (NFKC, case-folded, spacing
// collapsed); a field that is absent, null or blank is empty / NaN.

#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dedup/dedup_config.hpp"
#include "dedup/url_id.hpp"

namespace haul::dedup {

// Where a record came from, kept to name the survivor of each cluster.
struct MetaRef {
  std::uint32_t source = 0;    // index into ListingTable::names()
  std::uint32_t raw_file = 0;  // index into ListingTable::names()
  std::int64_t raw_index = -1;
};

class ListingTable {
 public:
  ListingTable(const TypeConfig& config, const UrlIdExtractor& url_ids);

  // Adds a record; its row number is the previous size().
  void add(simdjson::dom::object record, std::uint64_t position);
  std::uint32_t size() const { return static_cast<std::uint32_t>(positions_.size()); }

  std::string_view text(std::uint32_t row, std::size_t comparison) const {
    return slice(texts_[row * compare_count_ + comparison]);
  }
  double number(std::uint32_t row, std::size_t comparison) const {
    return numbers_[row * compare_count_ + comparison];
  }
  // 0 when the record lacks one of the rule's key fields.
  std::uint64_t block_key(std::uint32_t row, std::size_t rule) const {
    return block_keys_[row * rule_count_ + rule];
  }
  double sort_number(std::uint32_t row, std::size_t rule) const {
    return sort_numbers_[row * rule_count_ + rule];
  }
  std::string_view sort_text(std::uint32_t row, std::size_t rule) const {
    return slice(sort_texts_[row * rule_count_ + rule]);
  }
  std::string_view decisive(std::uint32_t row) const { return slice(decisive_[row]); }
  int priority(std::uint32_t row) const { return priorities_[row]; }
  std::uint32_t completeness(std::uint32_t row) const { return completeness_[row]; }
  std::string_view recency(std::uint32_t row) const { return slice(recency_[row]); }
  std::uint64_t position(std::uint32_t row) const { return positions_[row]; }
  const MetaRef& meta(std::uint32_t row) const { return metas_[row]; }
  const std::vector<std::string>& names() const { return names_; }

  // An exact duplicate of `row` turned up: it becomes the row's
  // representative if it would be preferred as survivor (more recent; same
  // content, so priority and completeness tie). True when it did.
  bool offer_exact_duplicate(std::uint32_t row, simdjson::dom::object record,
                             std::uint64_t position);

 private:
  struct Slice {
    std::uint64_t offset = 0;
    std::uint32_t length = 0;
  };
  std::string_view slice(Slice s) const { return std::string_view(arena_).substr(s.offset, s.length); }
  Slice store(std::string_view text);
  std::uint32_t intern(std::string_view name);
  MetaRef meta_of(simdjson::dom::object record);
  int priority_of(const MetaRef& meta) const;
  std::string recency_of(simdjson::dom::object record) const;
  std::string field_text(simdjson::dom::object record, const std::string& field,
                         const std::string& url_id) const;

  const TypeConfig& config_;
  const UrlIdExtractor& url_ids_;
  std::size_t compare_count_;
  std::size_t rule_count_;
  std::string arena_;
  std::vector<Slice> texts_;
  std::vector<double> numbers_;
  std::vector<std::uint64_t> block_keys_;
  std::vector<double> sort_numbers_;
  std::vector<Slice> sort_texts_;
  std::vector<Slice> decisive_;
  std::vector<int> priorities_;
  std::vector<std::uint32_t> completeness_;
  std::vector<Slice> recency_;
  std::vector<std::uint64_t> positions_;
  std::vector<MetaRef> metas_;
  std::vector<std::string> names_;
  // Looked up by string_view: interning a record's source and raw file
  // allocates only for a name not seen before.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const {
      return std::hash<std::string_view>{}(name);
    }
  };
  std::unordered_map<std::string, std::uint32_t, NameHash, std::equal_to<>> name_ids_;
};

}  // namespace haul::dedup
