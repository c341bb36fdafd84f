#pragma once
// What the first pass learns about a record so that the second pass can
// write it without parsing it again: its grade, which location fields it
// lacks, and whether its text can be kept as it is with the new fields
// spliced in before the closing brace (no image URL to rewrite or refuse, no
// field of enrich's own to replace). A million listings are then parsed
// once, not twice; a record that cannot be spliced is parsed again and
// rebuilt, with its warnings.

#include <simdjson.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "enrich/enrich_config.hpp"
#include "enrich/record_fields.hpp"

namespace haul::enrich {

// The location fields enrich may fill, in RecordPlan::absent's bit order.
enum LocationField : std::uint8_t {
  kLocationCity,
  kLocationState,
  kLocationPostcode,
  kLocationCountry,
  kLocationRegion,
  kLocationProvince,
};
inline constexpr std::string_view kLocationFieldNames[] = {"locationCity",     "locationState",
                                                           "locationPostcode", "locationCountry",
                                                           "locationRegion",   "locationProvince"};

struct RecordPlan {
  std::string_view grade;            // into the config's rules; empty: no grade
  std::uint8_t absent = 0;           // bit (1 << LocationField): the field is missing or null
  bool splice = false;               // false also for a record that is not a JSON object
  bool has_members = false;          // the object is not {}
  bool has_owned_field = false;      // see RecordPlanner::is_owned_field
  std::uint16_t images_checked = 0;  // image URLs, all unchanged when `splice`
  bool lacks(LocationField field) const { return absent & (1u << field); }
};

// Immutable once made: one per type, shared by every worker.
class RecordPlanner {
 public:
  explicit RecordPlanner(const TypeConfig& config);
  RecordPlan plan(const RecordFields& record) const;
  // Fields enrich writes itself: a record that already has one is rebuilt.
  bool is_owned_field(std::string_view key) const;
  // What the first pass reads of a record: the plan's fields, the place's
  // (kPlaceFields), the market's (make, model, year, price) and listing_key.
  const FieldNames& first_pass_fields() const { return first_pass_fields_; }

 private:
  // True when no image URL changes; counts the URLs checked.
  bool images_unchanged(const RecordFields& record, std::uint16_t& checked) const;
  const TypeConfig& config_;
  std::vector<std::string_view> owned_fields_;
  FieldNames first_pass_fields_;
};

}  // namespace haul::enrich
