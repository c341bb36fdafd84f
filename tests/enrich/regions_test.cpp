#include "enrich/regions.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace haul::enrich {
namespace {

TEST(Regions, AllFiftyStatesAndDcMapToTheirCensusRegion) {
  const std::map<std::string, std::set<std::string>> census = {
      {"Northeast", {"CT", "ME", "MA", "NH", "RI", "VT", "NJ", "NY", "PA"}},
      {"Midwest", {"IL", "IN", "MI", "OH", "WI", "IA", "KS", "MN", "MO", "NE", "ND", "SD"}},
      {"South",
       {"DE", "DC", "FL", "GA", "MD", "NC", "SC", "VA", "WV", "AL", "KY", "MS", "TN", "AR", "LA",
        "OK", "TX"}},
      {"West", {"AZ", "CO", "ID", "MT", "NV", "NM", "UT", "WY", "AK", "CA", "HI", "OR", "WA"}},
  };
  std::size_t total = 0;
  for (const auto& [region, states] : census) {
    for (const std::string& state : states) {
      EXPECT_EQ(us_census_region(state), region) << state;
      EXPECT_FALSE(us_state_name(state).empty()) << state;
      EXPECT_EQ(region_code_country(state), "US") << state;
      ++total;
    }
  }
  EXPECT_EQ(total, 51u);
}

TEST(Regions, NamesAndCaseInsensitiveCodes) {
  EXPECT_EQ(us_state_name("TX"), "Texas");
  EXPECT_EQ(us_state_name("tx"), "Texas");
  EXPECT_EQ(us_state_name("dc"), "District of Columbia");
  EXPECT_EQ(us_census_region("ny"), "Northeast");
  EXPECT_EQ(us_census_region("ON"), "");
  EXPECT_EQ(us_census_region("T"), "");
  EXPECT_EQ(us_census_region("TXX"), "");
  EXPECT_EQ(us_census_region(""), "");
  EXPECT_EQ(us_state_name("ZZ"), "");
  EXPECT_EQ(region_code_country("zz"), "");
  EXPECT_EQ(region_code_country("Texas"), "");
}

TEST(Regions, ThirteenProvincesAndTerritories) {
  const std::map<std::string, std::string> provinces = {
      {"AB", "Alberta"},
      {"BC", "British Columbia"},
      {"MB", "Manitoba"},
      {"NB", "New Brunswick"},
      {"NL", "Newfoundland and Labrador"},
      {"NS", "Nova Scotia"},
      {"NT", "Northwest Territories"},
      {"NU", "Nunavut"},
      {"ON", "Ontario"},
      {"PE", "Prince Edward Island"},
      {"QC", "Quebec"},
      {"SK", "Saskatchewan"},
      {"YT", "Yukon"},
  };
  ASSERT_EQ(provinces.size(), 13u);
  for (const auto& [code, name] : provinces) {
    EXPECT_EQ(canadian_province_name(code), name);
    EXPECT_EQ(region_code_country(code), "CA") << code;
    EXPECT_EQ(us_census_region(code), "") << code;
    EXPECT_EQ(region_code_for_name(name), code);
  }
  EXPECT_EQ(canadian_province_name("on"), "Ontario");
  EXPECT_EQ(canadian_province_name("TX"), "");
}

TEST(Regions, FullNamesAsRecordsAndGazetteersSpellThem) {
  EXPECT_EQ(region_code_for_name("texas"), "TX");
  EXPECT_EQ(region_code_for_name("  NEW   york "), "NY");
  EXPECT_EQ(region_code_for_name("Québec"), "QC");
  EXPECT_EQ(region_code_for_name("State of Maine", "US"), "ME");
  EXPECT_EQ(region_code_for_name("Yukon Territory", "CA"), "YT");
  EXPECT_EQ(region_code_for_name("Washington, D.C."), "DC");
  EXPECT_EQ(region_code_for_name("Ontario", "US"), "");
  EXPECT_EQ(region_code_for_name("Texas", "CA"), "");
  EXPECT_EQ(region_code_for_name("Bavaria"), "");
  EXPECT_EQ(region_code_for_name(""), "");
}

}  // namespace
}  // namespace haul::enrich
