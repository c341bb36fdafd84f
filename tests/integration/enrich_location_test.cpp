// haul-enrich's location step through the real executable: addresses and
// location fields become city/state/postcode/country, a US census region or a
// Canadian province, and coordinates from the offline gazetteer; the places
// it misses go to the HTTP geocoder (a real server on 127.0.0.1) once, ever,
// and are remembered in data/state/geocode_cache.jsonl.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/enrich_workspace.hpp"
#include "support/http_server.hpp"
#include "support/json_doc.hpp"
#include "support/temp_dir.hpp"

namespace haul::testing {
namespace {

class EnrichLocation : public ::testing::Test {
 protected:
  EnrichWorkspace ws;

  JsonDoc enriched(std::size_t i) const { return JsonDoc(read_lines(ws.enriched()).at(i)); }
  JsonDoc report() const { return JsonDoc(read_file(ws.report())); }
};

const std::vector<std::string> kPlaces = {
    // 0: a Kijiji-style dealer address in Toronto.
    car("Honda", "Civic", 2015, 12000, R"("address":"100 Queen St W, Toronto, ON, M5H 2N2")"),
    // 1: Woodbridge, Ontario: not in the gazetteer (only Woodbridge, New Jersey is).
    car("GMC", "Savana", 2015, 18990, R"("address":"5298 Highway 7, Woodbridge, ON, L4L 1T3")"),
    // 2: explicit US fields: Austin, Texas (not Austin, Minnesota).
    car("Ford", "F-150", 2018, 25000, R"("locationCity":"Austin","locationState":"TX")"),
    // 3: no location at all.
    car("Toyota", "Camry", 2016, 14000),
};

TEST_F(EnrichLocation, OfflineGazetteerHitsMissesRegionsAndFilledFields) {
  ws.write_input(kPlaces);
  ASSERT_TRUE(ExitedWith(ws.run(), 0));

  const JsonDoc toronto = enriched(0);
  EXPECT_EQ(toronto.str("/locationCity"), "Toronto");
  EXPECT_EQ(toronto.str("/locationState"), "ON");
  EXPECT_EQ(toronto.str("/locationPostcode"), "M5H 2N2");
  EXPECT_EQ(toronto.str("/locationCountry"), "CA");
  EXPECT_EQ(toronto.str("/locationProvince"), "Ontario");
  EXPECT_FALSE(toronto.at("/locationRegion"));  // US census regions only
  EXPECT_NEAR(toronto.number("/geo/lat").value_or(0), 43.70, 0.05);
  EXPECT_NEAR(toronto.number("/geo/lng").value_or(0), -79.42, 0.05);
  EXPECT_EQ(toronto.str("/geo/precision"), "city");
  EXPECT_EQ(toronto.str("/geo/source"), "geonames");
  EXPECT_FALSE(toronto.at("/enrichWarnings"));

  const JsonDoc woodbridge = enriched(1);
  EXPECT_EQ(woodbridge.str("/locationCity"), "Woodbridge");
  EXPECT_EQ(woodbridge.str("/locationProvince"), "Ontario");
  EXPECT_FALSE(woodbridge.at("/geo")) << "must not be Woodbridge, New Jersey";
  EXPECT_EQ(woodbridge.str("/enrichWarnings/0/code"), "geocode_miss");

  const JsonDoc austin = enriched(2);
  EXPECT_EQ(austin.str("/locationRegion"), "South");
  EXPECT_EQ(austin.str("/locationCountry"), "US");
  EXPECT_NEAR(austin.number("/geo/lat").value_or(0), 30.27, 0.05);
  EXPECT_NEAR(austin.number("/geo/lng").value_or(0), -97.74, 0.05);

  const JsonDoc nowhere = enriched(3);
  EXPECT_FALSE(nowhere.at("/geo"));
  EXPECT_FALSE(nowhere.at("/enrichWarnings"));

  const JsonDoc r = report();
  EXPECT_EQ(r.uint64("/location/records_without_place"), 1u);
  EXPECT_EQ(r.uint64("/location/records_not_geocoded"), 1u);
  EXPECT_EQ(r.uint64("/location/geocoded_by_source_and_precision/geonames~1city"), 2u);
  EXPECT_EQ(r.uint64("/location/distinct_places"), 3u);
  EXPECT_EQ(r.uint64("/location/regions/South"), 1u);
  EXPECT_EQ(r.uint64("/location/regions/Ontario"), 2u);
  EXPECT_EQ(r.uint64("/warnings_by_code/geocode_miss"), 1u);
  EXPECT_EQ(r.boolean("/location/http_geocoder/configured"), false);
}

TEST_F(EnrichLocation, HttpGeocoderAnswersMissesOnceAndTheCacheRemembers) {
  HttpServer server;
  server.route("/search", [](const ReceivedRequest& request) {
    if (request.query.find("Woodbridge") != std::string::npos) {
      return HttpReply::json(
          R"([{"lat":"43.7925","lon":"-79.5964","display_name":"5298 Highway 7, Woodbridge, Vaughan, Ontario, Canada"}])");
    }
    return HttpReply::json("[]");
  });
  ws.use_config(R"({"vehicles":{"location":{"http_geocoder":{"url":")" +
                server.url("/search?format=jsonv2&limit=1&q={query}") +
                R"(","requests_per_second":20}}}})");
  ws.write_input(kPlaces);
  ASSERT_TRUE(ExitedWith(ws.run(), 0));

  // Only the gazetteer's miss was asked for, once.
  EXPECT_EQ(server.count("/search"), 1u);
  const JsonDoc woodbridge = enriched(1);
  EXPECT_NEAR(woodbridge.number("/geo/lat").value_or(0), 43.7925, 1e-4);
  EXPECT_EQ(woodbridge.str("/geo/source"), "http");
  EXPECT_EQ(woodbridge.str("/geo/precision"), "address");
  EXPECT_FALSE(woodbridge.at("/enrichWarnings"));
  EXPECT_EQ(enriched(0).str("/geo/source"), "geonames");  // hits never leave the machine
  EXPECT_TRUE(std::filesystem::exists(ws.root() / "state" / "geocode_cache.jsonl"));
  EXPECT_EQ(report().uint64("/location/http_geocoder/requests"), 1u);

  // The next run is answered by the cache: no request, the same output.
  const std::string first = read_file(ws.enriched());
  ASSERT_TRUE(ExitedWith(ws.run({"--force"}), 0));
  EXPECT_EQ(server.count("/search"), 1u);
  EXPECT_EQ(read_file(ws.enriched()), first);
  EXPECT_EQ(report().uint64("/location/http_geocoder/cache_hits"), 1u);
}

TEST_F(EnrichLocation, AnUnreachableGeocoderLeavesAWarningNotAFailure) {
  // Port 9 (discard) on loopback: nothing listens, the connection is refused.
  const std::string dead = "http://127.0.0.1:9/search?q={query}";
  ws.use_config(R"({"vehicles":{"location":{"http_geocoder":{"url":")" + dead +
                R"(","timeout_s":2,"requests_per_second":50}}}})");
  ws.write_input(kPlaces);
  ASSERT_TRUE(ExitedWith(ws.run(), 0));
  EXPECT_EQ(read_lines(ws.enriched()).size(), kPlaces.size());
  EXPECT_EQ(enriched(1).str("/enrichWarnings/0/code"), "geocode_miss");
  EXPECT_EQ(report().uint64("/location/http_geocoder/failed"), 1u);
}

}  // namespace
}  // namespace haul::testing
