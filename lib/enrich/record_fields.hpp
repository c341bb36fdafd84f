#pragma once
// The members of a record that enrich reads, found in one walk over it.
// Looked up by name in the parsed record, the first pass scanned a
// vehicle's ~17 members some twenty times a record (the grade's fields, the
// place's, the market's, the location fields it may fill, the image URLs);
// read() walks the members once and keeps those whose names were listed, and
// a lookup is then a comparison with the few listed names of its length.
// As simdjson's object[] does, the first of duplicate names counts. A name
// that was not listed is looked up in the record, so nothing reads
// differently whether it was listed or not: listing only makes it cheaper.

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace haul::enrich {

// The names a pass reads. Built once, then shared read-only by the workers.
class FieldNames {
 public:
  static constexpr std::uint16_t kNone = 0xFFFF;
  // Lists `name` (once however often it is added).
  void add(std::string_view name);
  // Its place in the list, kNone if not listed.
  std::uint16_t find(std::string_view name) const {
    for (std::uint16_t slot : by_length_[bucket(name.size())]) {
      // Names of one length mostly differ in their first byte: checked
      // before a memcmp call.
      const std::string& listed = names_[slot];
      if (!name.empty() && listed[0] != name[0]) continue;
      if (listed == name) return slot;
    }
    return kNone;
  }
  std::size_t size() const { return names_.size(); }

 private:
  static constexpr std::size_t kBuckets = 64;  // by length; the last holds all longer names
  static std::size_t bucket(std::size_t length) {
    return length < kBuckets ? length : kBuckets - 1;
  }
  std::vector<std::string> names_;
  std::array<std::vector<std::uint16_t>, kBuckets> by_length_;
};

// One record's listed members. One per worker, reused record after record.
class RecordFields {
 public:
  RecordFields() = default;
  // Without a walk: every lookup a scan of `record`, as object[] (tests,
  // the odd record parsed again).
  explicit RecordFields(simdjson::dom::object record) : record_(record) {}

  // Walks `record` once and keeps the members `names` lists. `names` must
  // outlive the lookups.
  void read(const FieldNames& names, simdjson::dom::object record);

  // The member called `name`: NO_SUCH_FIELD when the record has none.
  simdjson::simdjson_result<simdjson::dom::element> operator[](std::string_view name) const {
    const std::uint16_t slot = names_ ? names_->find(name) : FieldNames::kNone;
    if (slot == FieldNames::kNone) return record_[name];
    if (seen_[slot] != generation_) return simdjson::NO_SUCH_FIELD;
    return simdjson::dom::element(values_[slot]);
  }
  simdjson::dom::object object() const { return record_; }

 private:
  const FieldNames* names_ = nullptr;
  simdjson::dom::object record_;
  std::vector<simdjson::dom::element> values_;  // by slot; valid where seen_ == generation_
  std::vector<std::uint32_t> seen_;             // the read() that found the slot's member
  std::uint32_t generation_ = 0;
};

}  // namespace haul::enrich
