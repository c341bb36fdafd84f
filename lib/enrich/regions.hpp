#pragma once
// Names and regions of US states and Canadian provinces, from their postal
// codes. The census regions reproduce the original pipeline's locationRegion
// for US listings (US Census Bureau regions; DC counts as South). Code lookups
// are case-insensitive; anything unknown answers "".

#include <string_view>

namespace haul::enrich {

// "West", "South", "Midwest" or "Northeast" for the 50 states and DC.
std::string_view us_census_region(std::string_view state_code);
// "TX" -> "Texas" (50 states and "DC" -> "District of Columbia").
std::string_view us_state_name(std::string_view state_code);
// "ON" -> "Ontario": the 10 provinces and 3 territories.
std::string_view canadian_province_name(std::string_view code);
// "ON" -> "CA", "TX" -> "US", else "".
std::string_view region_code_country(std::string_view code);

// The reverse lookup: the code of a state or province named in full, as
// records and gazetteers spell them ("texas", "Québec", "State of Maine",
// "Yukon Territory"), within `country` ("US", "CA", or "" for either). "" when
// the name is not one of them.
std::string_view region_code_for_name(std::string_view name, std::string_view country = {});

}  // namespace haul::enrich
