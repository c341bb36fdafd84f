#include "enrich/gazetteer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace haul::enrich {
namespace {

Place city(std::string name, std::string region = "", std::string country = "") {
  Place place;
  place.city = std::move(name);
  place.region = std::move(region);
  place.country = std::move(country);
  return place;
}

TEST(Gazetteer, LoadsTheGeoNamesCities) {
  EXPECT_GT(Gazetteer::instance().size(), 20000u);
  EXPECT_EQ(&Gazetteer::instance(), &Gazetteer::instance());  // built once
}

TEST(Gazetteer, TorontoOntario) {
  const auto point = Gazetteer::instance().find(city("Toronto", "ON", "CA"));
  ASSERT_TRUE(point);
  EXPECT_NEAR(point->lat, 43.70, 0.05);
  EXPECT_NEAR(point->lng, -79.42, 0.05);
  EXPECT_EQ(point->precision, "city");
  EXPECT_EQ(point->source, "geonames");
  EXPECT_EQ(point->matched, "Toronto, Ontario, CA");
}

TEST(Gazetteer, AustinTexasIsNotAustinMinnesota) {
  const auto texas = Gazetteer::instance().find(city("Austin", "TX", "US"));
  ASSERT_TRUE(texas);
  EXPECT_NEAR(texas->lat, 30.27, 0.05);
  EXPECT_NEAR(texas->lng, -97.74, 0.05);
  EXPECT_EQ(texas->matched, "Austin, Texas, US");
  const auto minnesota = Gazetteer::instance().find(city("Austin", "MN"));
  ASSERT_TRUE(minnesota);
  EXPECT_NEAR(minnesota->lat, 43.67, 0.05);
  // Two Austins in the US and no state: ambiguous, so a miss rather than a guess.
  EXPECT_FALSE(Gazetteer::instance().find(city("Austin", "", "US")));
}

TEST(Gazetteer, WoodbridgeOntarioIsAMissNeverTheNewJerseyOne) {
  EXPECT_FALSE(Gazetteer::instance().find(city("Woodbridge", "ON", "CA")));
  EXPECT_FALSE(Gazetteer::instance().find(city("Woodbridge", "ON")));
  EXPECT_FALSE(Gazetteer::instance().find(city("Woodbridge", "", "CA")));
  // The New Jersey one exists and is found when asked for.
  const auto nj = Gazetteer::instance().find(city("Woodbridge", "NJ"));
  ASSERT_TRUE(nj);
  EXPECT_NEAR(nj->lat, 40.56, 0.05);
}

TEST(Gazetteer, AccentAndCaseVariants) {
  for (const char* name : {"MONTRÉAL", "montreal", "Montréal", "  montreal  ", "MONTREAL"}) {
    const auto point = Gazetteer::instance().find(city(name, "QC", "CA"));
    ASSERT_TRUE(point) << name;
    EXPECT_NEAR(point->lat, 45.51, 0.05) << name;
    EXPECT_NEAR(point->lng, -73.59, 0.05) << name;
  }
}

TEST(Gazetteer, AmbiguousNamesWithoutARegionAreMisses) {
  // London: Ontario and England.
  EXPECT_FALSE(Gazetteer::instance().find(city("London")));
  const auto ontario = Gazetteer::instance().find(city("London", "", "CA"));
  ASSERT_TRUE(ontario);
  EXPECT_NEAR(ontario->lat, 42.98, 0.05);
  const auto england = Gazetteer::instance().find(city("London", "", "GB"));
  ASSERT_TRUE(england);
  EXPECT_NEAR(england->lat, 51.51, 0.05);
  // Springfield: many US states.
  EXPECT_FALSE(Gazetteer::instance().find(city("Springfield", "", "US")));
  EXPECT_TRUE(Gazetteer::instance().find(city("Springfield", "IL", "US")));
  // A name unique worldwide needs neither region nor country.
  const auto toronto = Gazetteer::instance().find(city("Toronto"));
  ASSERT_TRUE(toronto);
  EXPECT_EQ(toronto->matched, "Toronto, Ontario, CA");
}

TEST(Gazetteer, MissesForUnknownOrMissingNames) {
  EXPECT_FALSE(Gazetteer::instance().find(city("Nowhereville Junction", "TX")));
  EXPECT_FALSE(Gazetteer::instance().find(city("")));
  Place postcode_only;
  postcode_only.postcode = "78701";
  postcode_only.country = "US";
  EXPECT_FALSE(Gazetteer::instance().find(postcode_only));
  // A state of the wrong country finds nothing.
  EXPECT_FALSE(Gazetteer::instance().find(city("Toronto", "TX", "US")));
}

TEST(Gazetteer, TheMostPopulousWinsWithinARegion) {
  std::vector<Gazetteer::City> cities = {
      {"Springfield", "Illinois", "US", "", 39.8, -89.6, 116000},
      {"Springfield", "Illinois", "US", "", 40.0, -88.0, 20000},
      {"Springfield", "Missouri", "US", "", 37.2, -93.3, 166000},
      {"Saint-Jérôme", "Quebec", "CA", "", 45.78, -74.0, 70000},
      {"Portland", "State of Maine", "US", "", 43.66, -70.26, 66000},
  };
  const Gazetteer gazetteer(std::move(cities));
  EXPECT_EQ(gazetteer.size(), 5u);
  const auto illinois = gazetteer.find(city("springfield", "IL"));
  ASSERT_TRUE(illinois);
  EXPECT_DOUBLE_EQ(illinois->lat, 39.8);
  // Illinois and Missouri: ambiguous without a state.
  EXPECT_FALSE(gazetteer.find(city("Springfield")));
  EXPECT_FALSE(gazetteer.find(city("Springfield", "", "US")));
  // Two in one region are no ambiguity: the bigger one wins.
  const Gazetteer illinois_only({{"Springfield", "Illinois", "US", "", 40.0, -88.0, 20000},
                                 {"Springfield", "Illinois", "US", "", 39.8, -89.6, 116000}});
  const auto bigger = illinois_only.find(city("Springfield"));
  ASSERT_TRUE(bigger);
  EXPECT_DOUBLE_EQ(bigger->lat, 39.8);
  const auto jerome = gazetteer.find(city("St Jerome", "QC"));
  ASSERT_TRUE(jerome);
  EXPECT_EQ(jerome->matched, "Saint-Jérôme, Quebec, CA");
  // GeoNames says "State of Maine"; the record says ME.
  EXPECT_TRUE(gazetteer.find(city("Portland", "ME")));
}

TEST(Gazetteer, LookupsFromFourThreadsAgree) {
  const Gazetteer& gazetteer = Gazetteer::instance();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        const auto toronto = gazetteer.find(city("Toronto", "ON", "CA"));
        const auto austin = gazetteer.find(city("AUSTIN", "TX"));
        const auto woodbridge = gazetteer.find(city("Woodbridge", "ON"));
        if (!toronto || toronto->matched != "Toronto, Ontario, CA" || !austin ||
            austin->matched != "Austin, Texas, US" || woodbridge) {
          ++wrong;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

// A city's attributes are read from libgeonames when a lookup first meets
// it: four threads meeting the same cities for the first time, all at once,
// get one answer each (the sanitizer build checks the memory too).
TEST(Gazetteer, FirstLookupsOfACityFromFourThreadsAgree) {
  const Gazetteer& gazetteer = Gazetteer::instance();
  const std::vector<Place> places = {city("Springfield", "MO"), city("Portland", "OR"),
                                     city("Richmond", "VA"),    city("Columbus", "OH"),
                                     city("London", "ON"),      city("Hamilton", "ON", "CA"),
                                     city("Kingston", "ON"),    city("Paris"),
                                     city("Birmingham", "AL"),  city("Victoria", "BC"),
                                     city("Springfield", "IL"), city("Aurora")};
  constexpr int kThreads = 4;
  std::vector<std::vector<std::string>> answers(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      for (std::size_t i = 0; i < places.size(); ++i) {
        // Each thread in its own order, so first meetings happen on all of them.
        const Place& place = places[(i + static_cast<std::size_t>(t) * 3) % places.size()];
        const auto point = gazetteer.find(place);
        answers[t].push_back(place.city + "/" + place.region + " -> " +
                             (point ? point->matched + " " + std::to_string(point->lat) + "," +
                                          std::to_string(point->lng)
                                    : "miss"));
      }
      std::sort(answers[t].begin(), answers[t].end());
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 1; t < kThreads; ++t) EXPECT_EQ(answers[t], answers[0]);
  // And they are the answers: a known hit and a known ambiguity.
  EXPECT_NE(std::find(answers[0].begin(), answers[0].end(), "Paris/ -> miss"), answers[0].end());
  const auto portland = gazetteer.find(city("Portland", "OR"));
  ASSERT_TRUE(portland);
  EXPECT_EQ(portland->matched, "Portland, Oregon, US");
}

}  // namespace
}  // namespace haul::enrich
