#pragma once
// What config/enrich.json says about one record type: its grade rules, how
// its location is filled in and geocoded, its market data, and which fields
// hold image URLs. Every setting has a built-in default (the original
// pipeline's behaviour for vehicles), so the file is optional; a section
// replaces only the keys it names. See config/README.md for the format.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "enrich/grade_rules.hpp"
#include "enrich/http_geocoder.hpp"
#include "util/status.hpp"

namespace haul::enrich {

struct LocationConfig {
  bool enabled = false;
  // Copy what the address told (city, state, postcode, country) into the
  // record's empty location fields.
  bool fill_fields = true;
  // Asked only for the places the offline gazetteer misses; none by default.
  std::optional<HttpGeocoderConfig> http_geocoder;
};

struct MarketConfig {
  bool enabled = false;
  int year_window = 1;              // comparables: year within ±this
  std::size_t min_comparables = 3;  // fewer: no median, no deal score
  std::size_t top_deals = 10;       // listings in daily_deals.json
  // A price further below the market than this is more likely a typo or a
  // parts car than a deal: warned about and never a top deal.
  double max_discount_percent = 60;
  // dealScore = clamp(50 - score_per_percent * priceVsMarket, 0, 100).
  double score_per_percent = 2.5;
};

struct ImageConfig {
  std::vector<std::string> fields;  // each a URL string or an array of them
};

struct TypeConfig {
  std::string type;
  GradeRules grade = GradeRules::none();
  LocationConfig location;
  MarketConfig market;
  ImageConfig images;
};

// The record fields haul-enrich writes and owns: present in its input, they
// are replaced, never duplicated.
inline constexpr std::string_view kGeoField = "geo";
inline constexpr std::string_view kMarketField = "market";
inline constexpr std::string_view kWarningsField = "enrichWarnings";

TypeConfig default_config(const std::string& type);

// The config for `type` from <config_dir>/enrich.json over the defaults.
// Errors exit 78 and name the setting.
Status load_config(const std::filesystem::path& config_dir, const std::string& type,
                   TypeConfig& out);

}  // namespace haul::enrich
