#pragma once
// A listing's location as its record states it, parsed and normalised, so
// the gazetteer and the HTTP geocoder can look it up. Parsing never fails:
// what cannot be read is left empty.

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "enrich/record_fields.hpp"

namespace haul::enrich {

struct Place {
  std::string street;    // "5298 Highway 7" (address line), may be empty
  std::string city;      // "Woodbridge"
  std::string region;    // state/province code, upper case: "ON", "TX"; empty if unknown
  std::string postcode;  // "L4L 1T3", "78701", "78701-1234"; upper case, one space for CA
  std::string country;   // "US", "CA" (another ISO code only when the record says so), or empty
  bool empty() const { return city.empty() && postcode.empty() && street.empty(); }
};

// From the record's top-level fields: locationCity, locationState (a code or
// a full name), locationPostcode (also "postcode", "postalCode", "zip"),
// locationCountry (a code or "Canada", "USA", "United States", ...), and a
// free-text "address". Explicit fields win over what the address says. The
// country is inferred when not given: a Canadian province code or postal code
// (A1A 1A1) -> "CA"; a US state code or ZIP (12345 / 12345-6789) -> "US". A
// region that contradicts the country is dropped. Only US and Canadian region
// codes are kept. Non-string values are ignored; never an error.
Place parse_place(const RecordFields& record);
Place parse_place(simdjson::dom::object record);

// The record fields parse_place() reads.
inline constexpr std::string_view kPlaceFields[] = {
    "address",          "locationCountry", "locationCity", "locationState",
    "locationPostcode", "postcode",        "postalCode",   "zip"};

// parse_place() with a memo: listings repeat a few thousand places a
// million times, so each distinct combination of the place fields is parsed
// once. One per thread; memory is bounded (the memo is cleared when full).
class MemoPlaceParser {
 public:
  struct Parsed {
    const Place& place;  // the same as parse_place(record); valid until the next call
    // The same for records with the same place fields, never given to other
    // fields by this parser (even after the memo is cleared): callers can
    // group records by place without comparing strings.
    std::uint64_t id;
  };
  Parsed parse(const RecordFields& record);

 private:
  struct Entry {
    Place place;
    std::uint64_t id;
  };
  static constexpr std::size_t kMaxEntries = 200000;
  std::string key_;
  std::unordered_map<std::string, Entry> memo_;
  std::uint64_t next_id_ = 0;
};

// The free-text address alone: "5298 Highway 7, Woodbridge, ON, L4L 1T3",
// "123 Main St, Austin, TX 78701-1234, USA", "Toronto, Ontario", "Austin TX".
// Comma-separated parts are read from the end: country, then postcode and
// region (together or apart), then the city; what precedes is the street.
Place parse_address(std::string_view address);

// The form two place names are compared in: NFKC, case-folded, accents
// removed ("MONTRÉAL" -> "montreal"), '.', '-', '\'' and ',' as spaces,
// spacing collapsed, and "saint"/"sainte"/"mount"/"fort" as the abbreviations
// "st"/"ste"/"mt"/"ft", so "Saint-Jérôme" and "St Jerome" agree.
std::string place_key(std::string_view name);

}  // namespace haul::enrich
