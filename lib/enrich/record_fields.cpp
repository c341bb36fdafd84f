#include "enrich/record_fields.hpp"

namespace haul::enrich {

void FieldNames::add(std::string_view name) {
  // Past the slots' range a name stays unlisted: its lookups scan the record.
  if (find(name) != kNone || names_.size() >= kNone) return;
  by_length_[bucket(name.size())].push_back(static_cast<std::uint16_t>(names_.size()));
  names_.emplace_back(name);
}

void RecordFields::read(const FieldNames& names, simdjson::dom::object record) {
  record_ = record;
  if (names_ != &names || values_.size() != names.size()) {
    names_ = &names;
    values_.assign(names.size(), {});
    seen_.assign(names.size(), 0);
    generation_ = 0;
  }
  if (++generation_ == 0) {  // wrapped: no slot may look seen
    std::fill(seen_.begin(), seen_.end(), 0);
    generation_ = 1;
  }
  for (auto [key, value] : record) {
    const std::uint16_t slot = names.find(key);
    if (slot == FieldNames::kNone || seen_[slot] == generation_) continue;  // the first counts
    seen_[slot] = generation_;
    values_[slot] = value;
  }
}

}  // namespace haul::enrich
