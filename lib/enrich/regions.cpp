#include "enrich/regions.hpp"

#include <array>
#include <cctype>
#include <string>
#include <unordered_map>

#include "enrich/place.hpp"

namespace haul::enrich {
namespace {

struct Region {
  std::string_view code;
  std::string_view name;
  std::string_view census;  // "" for Canada
};

constexpr std::array<Region, 51> kUsStates = {{
    {"AL", "Alabama", "South"},
    {"AK", "Alaska", "West"},
    {"AZ", "Arizona", "West"},
    {"AR", "Arkansas", "South"},
    {"CA", "California", "West"},
    {"CO", "Colorado", "West"},
    {"CT", "Connecticut", "Northeast"},
    {"DE", "Delaware", "South"},
    {"DC", "District of Columbia", "South"},
    {"FL", "Florida", "South"},
    {"GA", "Georgia", "South"},
    {"HI", "Hawaii", "West"},
    {"ID", "Idaho", "West"},
    {"IL", "Illinois", "Midwest"},
    {"IN", "Indiana", "Midwest"},
    {"IA", "Iowa", "Midwest"},
    {"KS", "Kansas", "Midwest"},
    {"KY", "Kentucky", "South"},
    {"LA", "Louisiana", "South"},
    {"ME", "Maine", "Northeast"},
    {"MD", "Maryland", "South"},
    {"MA", "Massachusetts", "Northeast"},
    {"MI", "Michigan", "Midwest"},
    {"MN", "Minnesota", "Midwest"},
    {"MS", "Mississippi", "South"},
    {"MO", "Missouri", "Midwest"},
    {"MT", "Montana", "West"},
    {"NE", "Nebraska", "Midwest"},
    {"NV", "Nevada", "West"},
    {"NH", "New Hampshire", "Northeast"},
    {"NJ", "New Jersey", "Northeast"},
    {"NM", "New Mexico", "West"},
    {"NY", "New York", "Northeast"},
    {"NC", "North Carolina", "South"},
    {"ND", "North Dakota", "Midwest"},
    {"OH", "Ohio", "Midwest"},
    {"OK", "Oklahoma", "South"},
    {"OR", "Oregon", "West"},
    {"PA", "Pennsylvania", "Northeast"},
    {"RI", "Rhode Island", "Northeast"},
    {"SC", "South Carolina", "South"},
    {"SD", "South Dakota", "Midwest"},
    {"TN", "Tennessee", "South"},
    {"TX", "Texas", "South"},
    {"UT", "Utah", "West"},
    {"VT", "Vermont", "Northeast"},
    {"VA", "Virginia", "South"},
    {"WA", "Washington", "West"},
    {"WV", "West Virginia", "South"},
    {"WI", "Wisconsin", "Midwest"},
    {"WY", "Wyoming", "West"},
}};

constexpr std::array<Region, 13> kCanadianProvinces = {{
    {"AB", "Alberta", ""},
    {"BC", "British Columbia", ""},
    {"MB", "Manitoba", ""},
    {"NB", "New Brunswick", ""},
    {"NL", "Newfoundland and Labrador", ""},
    {"NS", "Nova Scotia", ""},
    {"NT", "Northwest Territories", ""},
    {"NU", "Nunavut", ""},
    {"ON", "Ontario", ""},
    {"PE", "Prince Edward Island", ""},
    {"QC", "Quebec", ""},
    {"SK", "Saskatchewan", ""},
    {"YT", "Yukon", ""},
}};

template <std::size_t N>
const Region* find_code(const std::array<Region, N>& table, std::string_view code) {
  if (code.size() != 2) return nullptr;
  const char a = static_cast<char>(std::toupper(static_cast<unsigned char>(code[0])));
  const char b = static_cast<char>(std::toupper(static_cast<unsigned char>(code[1])));
  for (const Region& region : table) {
    if (region.code[0] == a && region.code[1] == b) return &region;
  }
  return nullptr;
}

// The comparable form of a region name: case, accents, spacing and
// punctuation folded (place_key), and the decorations gazetteers add ("State of Maine",
// "Yukon Territory", "Province of Ontario") removed.
std::string name_key(std::string_view name) {
  std::string spaced = place_key(name);
  for (std::string_view prefix : {"state of ", "province of ", "commonwealth of "}) {
    if (spaced.starts_with(prefix)) spaced.erase(0, prefix.size());
  }
  if (spaced.ends_with(" territory")) {
    spaced.erase(spaced.size() - std::string_view(" territory").size());
  }
  if (spaced == "washington d c" || spaced == "washington dc" || spaced == "dc")
    spaced = "district of columbia";
  return spaced;
}

// name_key -> code, per country; built once (parsing calls this per record).
struct NameIndex {
  std::unordered_map<std::string, std::string_view> us, ca;
  NameIndex() {
    for (const Region& region : kUsStates) us.emplace(name_key(region.name), region.code);
    for (const Region& region : kCanadianProvinces) ca.emplace(name_key(region.name), region.code);
    ca.emplace("newfoundland", "NL");
    ca.emplace("labrador", "NL");
    ca.emplace("pei", "PE");
  }
};

const NameIndex& name_index() {
  static const NameIndex index;
  return index;
}

}  // namespace

std::string_view us_census_region(std::string_view state_code) {
  const Region* region = find_code(kUsStates, state_code);
  return region ? region->census : std::string_view();
}

std::string_view us_state_name(std::string_view state_code) {
  const Region* region = find_code(kUsStates, state_code);
  return region ? region->name : std::string_view();
}

std::string_view canadian_province_name(std::string_view code) {
  const Region* region = find_code(kCanadianProvinces, code);
  return region ? region->name : std::string_view();
}

std::string_view region_code_country(std::string_view code) {
  if (find_code(kCanadianProvinces, code)) return "CA";
  if (find_code(kUsStates, code)) return "US";
  return {};
}

std::string_view region_code_for_name(std::string_view name, std::string_view country) {
  if (name.size() > 64) return {};
  const std::string key = name_key(name);
  if (key.empty()) return {};
  const NameIndex& index = name_index();
  if (country.empty() || country == "US") {
    if (auto it = index.us.find(key); it != index.us.end()) return it->second;
  }
  if (country.empty() || country == "CA") {
    if (auto it = index.ca.find(key); it != index.ca.end()) return it->second;
  }
  return {};
}

}  // namespace haul::enrich
