#include "enrich/http_geocoder.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>

#include "support/http_server.hpp"
#include "support/temp_dir.hpp"

namespace haul::enrich {
namespace {

using Kind = GeocodeCache::Answer::Kind;
using Queries = std::vector<std::pair<std::string, std::string>>;

// The q parameter of a request, percent-decoded.
std::string query_of(const testing::ReceivedRequest& request) {
  const std::string& raw = request.query;
  const auto at = raw.find("q=");
  if (at == std::string::npos) return {};
  std::string out;
  for (std::size_t i = at + 2; i < raw.size() && raw[i] != '&'; ++i) {
    if (raw[i] == '%' && i + 2 < raw.size()) {
      out += static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += raw[i] == '+' ? ' ' : raw[i];
    }
  }
  return out;
}

// A Nominatim stand-in: known places answer jsonv2 arrays, others an empty array.
class Nominatim {
 public:
  Nominatim() {
    server.route("/search", [this](const testing::ReceivedRequest& request) {
      const std::string q = query_of(request);
      std::lock_guard lock(mutex);
      const int seen = ++asked[q];
      if (q == "Woodbridge, Ontario, Canada") {
        return testing::HttpReply::json(
            R"([{"place_id":1,"lat":"43.7834","lon":"-79.5996","display_name":"Woodbridge, Vaughan, Ontario, Canada"}])");
      }
      if (q == "5298 Highway 7, Woodbridge, Ontario, L4L 1T3, Canada") {  // numbers, not strings
        return testing::HttpReply::json(
            R"([{"lat":43.7801,"lon":-79.6012,"display_name":"5298, Highway 7, Vaughan"},{"lat":0,"lon":0}])");
      }
      if (q == "flaky") {
        return seen == 1 ? testing::HttpReply::json("{}", 500)
                         : testing::HttpReply::json(
                               R"([{"lat":"1.5","lon":"2.5","display_name":"Flaky"}])");
      }
      if (q == "garbage") return testing::HttpReply::json("<html>busy</html>");
      if (q == "object") return testing::HttpReply::json(R"({"lat":"1","lon":"2"})");
      if (q == "no coordinates") return testing::HttpReply::json(R"([{"display_name":"x"}])");
      if (q == "down") return testing::HttpReply::json("oops", 503);
      if (q == "slow") {
        testing::HttpReply reply = testing::HttpReply::json("[]");
        reply.delay = std::chrono::milliseconds(1500);
        return reply;
      }
      return testing::HttpReply::json("[]");
    });
  }
  int times_asked(const std::string& q) {
    std::lock_guard lock(mutex);
    return asked[q];
  }

  testing::HttpServer server;
  std::mutex mutex;
  std::map<std::string, int> asked;
};

class HttpGeocoderTest : public ::testing::Test {
 protected:
  HttpGeocoderTest() {
    config.url = nominatim.server.url("/search?format=jsonv2&limit=1&q={query}");
    config.requests_per_second = 200;  // the rate test sets its own
    config.cache_file = (dir / "geocode_cache.jsonl").string();
    config.retry.base_delay_s = 0.01;
    config.retry.max_delay_s = 0.02;
    config.user_agent = "haul-enrich-test";
    EXPECT_TRUE(cache.load(config.cache_file, 30, std::chrono::system_clock::now()).is_ok());
  }

  testing::TempDir dir;
  Nominatim nominatim;
  HttpGeocoderConfig config;
  GeocodeCache cache;
};

TEST_F(HttpGeocoderTest, HitsAndAnEmptyArrayMissGoIntoTheCache) {
  HttpGeocoder geocoder(config, cache);
  HttpGeocodeStats stats;
  const Queries queries = {{"Woodbridge, Ontario, Canada", "city"},
                           {"5298 Highway 7, Woodbridge, Ontario, L4L 1T3, Canada", "address"},
                           {"Nowhere, Texas, United States", "city"}};
  const auto results = geocoder.resolve(queries, stats);
  ASSERT_EQ(results.size(), 3u);
  ASSERT_TRUE(results[0]);
  EXPECT_DOUBLE_EQ(results[0]->lat, 43.7834);
  EXPECT_DOUBLE_EQ(results[0]->lng, -79.5996);
  EXPECT_EQ(results[0]->precision, "city");
  EXPECT_EQ(results[0]->source, "http");
  EXPECT_EQ(results[0]->matched, "Woodbridge, Vaughan, Ontario, Canada");
  ASSERT_TRUE(results[1]);
  EXPECT_DOUBLE_EQ(results[1]->lat, 43.7801);
  EXPECT_EQ(results[1]->precision, "address");
  EXPECT_FALSE(results[2]);
  EXPECT_EQ(stats.requests, 3u);
  EXPECT_EQ(stats.found, 2u);
  EXPECT_EQ(stats.not_found, 1u);
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_EQ(stats.cache_hits, 0u);
  EXPECT_TRUE(geocoder.failures().empty());

  EXPECT_EQ(cache.lookup("Woodbridge, Ontario, Canada").kind, Kind::kHit);
  EXPECT_EQ(cache.lookup("Nowhere, Texas, United States").kind, Kind::kMiss);
  for (const auto& request : nominatim.server.requests("/search")) {
    EXPECT_EQ(request.header("user-agent"), "haul-enrich-test");
  }
}

TEST_F(HttpGeocoderTest, TheSecondResolveIsAnsweredByTheCacheWithoutARequest) {
  const Queries queries = {{"Woodbridge, Ontario, Canada", "city"},
                           {"Nowhere, Texas, United States", "city"}};
  {
    HttpGeocoder geocoder(config, cache);
    HttpGeocodeStats stats;
    geocoder.resolve(queries, stats);
    EXPECT_EQ(stats.requests, 2u);
    ASSERT_TRUE(cache.save().is_ok());
  }
  ASSERT_EQ(nominatim.server.count("/search"), 2u);

  // The next run: a fresh cache object read back from the file.
  GeocodeCache next_run;
  ASSERT_TRUE(next_run.load(config.cache_file, 30, std::chrono::system_clock::now()).is_ok());
  HttpGeocoder geocoder(config, next_run);
  HttpGeocodeStats stats;
  const auto results = geocoder.resolve(queries, stats);
  EXPECT_EQ(nominatim.server.count("/search"), 2u);  // no new request
  EXPECT_EQ(stats.cache_hits, 2u);
  EXPECT_EQ(stats.requests, 0u);
  ASSERT_TRUE(results[0]);
  EXPECT_DOUBLE_EQ(results[0]->lat, 43.7834);
  EXPECT_EQ(results[0]->source, "http");
  EXPECT_FALSE(results[1]);
}

TEST_F(HttpGeocoderTest, A500ThenA200IsRetried) {
  HttpGeocoder geocoder(config, cache);
  HttpGeocodeStats stats;
  const auto results = geocoder.resolve({{"flaky", "city"}}, stats);
  ASSERT_TRUE(results[0]);
  EXPECT_DOUBLE_EQ(results[0]->lat, 1.5);
  EXPECT_EQ(nominatim.times_asked("flaky"), 2);
  EXPECT_EQ(stats.requests, 1u);  // one query, two attempts
  EXPECT_EQ(stats.found, 1u);
  EXPECT_EQ(stats.failed, 0u);
}

TEST_F(HttpGeocoderTest, UnusableAnswersFailAndAreNotCached) {
  config.retry.max_retries = 1;
  HttpGeocoder geocoder(config, cache);
  HttpGeocodeStats stats;
  const Queries queries = {
      {"garbage", "city"}, {"object", "city"}, {"no coordinates", "city"}, {"down", "city"}};
  const auto results = geocoder.resolve(queries, stats);
  for (const auto& result : results) EXPECT_FALSE(result);
  EXPECT_EQ(stats.failed, 4u);
  EXPECT_EQ(stats.found + stats.not_found, 0u);
  EXPECT_EQ(nominatim.times_asked("down"), 2);  // retried once, then given up
  ASSERT_EQ(geocoder.failures().size(), 4u);
  for (const auto& [query, precision] : queries) {
    EXPECT_EQ(cache.lookup(query).kind, Kind::kUnknown) << query;
  }
  EXPECT_FALSE(cache.changed());

  // Asked again by the next resolve (the next run).
  HttpGeocodeStats again;
  geocoder.resolve({{"garbage", "city"}}, again);
  EXPECT_EQ(again.requests, 1u);
  EXPECT_EQ(nominatim.times_asked("garbage"), 2);
}

TEST_F(HttpGeocoderTest, ATimeoutIsAFailureNotAMiss) {
  config.timeout_s = 0.2;
  config.retry.max_retries = 0;
  HttpGeocoder geocoder(config, cache);
  HttpGeocodeStats stats;
  const auto results = geocoder.resolve({{"slow", "city"}}, stats);
  EXPECT_FALSE(results[0]);
  EXPECT_EQ(stats.failed, 1u);
  EXPECT_EQ(stats.not_found, 0u);
  EXPECT_EQ(cache.lookup("slow").kind, Kind::kUnknown);
}

TEST_F(HttpGeocoderTest, TheBudgetCapsRequestsPerRun) {
  config.max_requests = 2;
  HttpGeocoder geocoder(config, cache);
  HttpGeocodeStats stats;
  const auto results = geocoder.resolve(
      {{"a", "city"}, {"b", "city"}, {"c", "city"}, {"d", "city"}, {"e", "city"}}, stats);
  EXPECT_EQ(results.size(), 5u);
  EXPECT_EQ(stats.requests, 2u);
  EXPECT_EQ(stats.over_budget, 3u);
  EXPECT_EQ(nominatim.server.count("/search"), 2u);
  EXPECT_EQ(cache.lookup("c").kind, Kind::kUnknown);  // never asked, so not a known miss
  // The budget holds across calls on one geocoder.
  HttpGeocodeStats later;
  geocoder.resolve({{"f", "city"}}, later);
  EXPECT_EQ(later.over_budget, 1u);
  EXPECT_EQ(nominatim.server.count("/search"), 2u);
}

TEST_F(HttpGeocoderTest, TheRateLimitSpacesRequests) {
  config.requests_per_second = 10;
  HttpGeocoder geocoder(config, cache);
  HttpGeocodeStats stats;
  const Queries queries = {{"r1", "city"}, {"r2", "city"}, {"r3", "city"}, {"r4", "city"}};
  const auto start = std::chrono::steady_clock::now();
  geocoder.resolve(queries, stats);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(stats.requests, 4u);
  // N requests at R/s take at least (N-1)/R seconds. A lower bound only.
  EXPECT_GE(elapsed, 3 / 10.0);
  const auto received = nominatim.server.requests("/search");
  ASSERT_EQ(received.size(), 4u);
  EXPECT_GE(received.back().at_s - received.front().at_s, 0.3 - 0.01);
}

TEST_F(HttpGeocoderTest, TheKeyInTheUrlNeverShows) {
  ::setenv("HAUL_TEST_GEOCODER_KEY", "s3cr3t-k3y", 1);
  config.url = nominatim.server.url("/search?key=${HAUL_TEST_GEOCODER_KEY}&q={query}");
  config.retry.max_retries = 0;
  ASSERT_TRUE(check_http_geocoder_config(config).is_ok());
  HttpGeocoder geocoder(config, cache);
  HttpGeocodeStats stats;
  geocoder.resolve({{"down", "city"}, {"Woodbridge, Ontario, Canada", "city"}}, stats);
  ASSERT_EQ(nominatim.server.count("/search"), 2u);
  EXPECT_NE(nominatim.server.requests("/search")[0].query.find("key=s3cr3t-k3y"),
            std::string::npos);  // the server gets it
  ASSERT_EQ(geocoder.failures().size(), 1u);
  EXPECT_EQ(geocoder.failures()[0].find("s3cr3t"), std::string::npos) << geocoder.failures()[0];
  EXPECT_NE(geocoder.failures()[0].find("${HAUL_TEST_GEOCODER_KEY}"), std::string::npos);
  ASSERT_TRUE(cache.save().is_ok());
  EXPECT_EQ(testing::read_file(config.cache_file).find("s3cr3t"), std::string::npos);
  ::unsetenv("HAUL_TEST_GEOCODER_KEY");
}

TEST(HttpGeocoderConfigCheck, RejectsWhatCannotWork) {
  HttpGeocoderConfig config;
  config.url = "https://nominatim.example/search?format=jsonv2&q={query}";
  EXPECT_TRUE(check_http_geocoder_config(config).is_ok());

  HttpGeocoderConfig ftp = config;
  ftp.url = "ftp://nominatim.example/search?q={query}";
  EXPECT_EQ(check_http_geocoder_config(ftp).code(), ExitCode::kConfig);
  HttpGeocoderConfig file = config;
  file.url = "file:///etc/passwd?{query}";
  EXPECT_EQ(check_http_geocoder_config(file).code(), ExitCode::kConfig);
  HttpGeocoderConfig no_query = config;
  no_query.url = "https://nominatim.example/search";
  EXPECT_EQ(check_http_geocoder_config(no_query).code(), ExitCode::kConfig);
  HttpGeocoderConfig other = config;
  other.url = "https://nominatim.example/search?q={query}&d={date}";
  EXPECT_EQ(check_http_geocoder_config(other).code(), ExitCode::kConfig);
  HttpGeocoderConfig unset = config;
  ::unsetenv("HAUL_TEST_UNSET_GEOCODER_KEY");
  unset.url = "https://nominatim.example/search?key=${HAUL_TEST_UNSET_GEOCODER_KEY}&q={query}";
  const Status status = check_http_geocoder_config(unset);
  EXPECT_EQ(status.code(), ExitCode::kConfig);
  EXPECT_NE(status.message().find("HAUL_TEST_UNSET_GEOCODER_KEY"), std::string::npos);
  HttpGeocoderConfig rate = config;
  rate.requests_per_second = 0;
  EXPECT_EQ(check_http_geocoder_config(rate).code(), ExitCode::kConfig);
}

TEST(HttpGeocoderConfigCheck, AnInvalidConfigFailsEveryUncachedQueryWithoutARequest) {
  testing::HttpServer server;
  server.route("/search", testing::HttpReply::json("[]"));
  HttpGeocoderConfig config;
  config.url = "ftp://127.0.0.1:" + std::to_string(server.port()) + "/search?q={query}";
  GeocodeCache cache;
  HttpGeocoder geocoder(config, cache);
  HttpGeocodeStats stats;
  const auto results = geocoder.resolve({{"a", "city"}, {"b", "city"}}, stats);
  EXPECT_FALSE(results[0]);
  EXPECT_FALSE(results[1]);
  EXPECT_EQ(stats.failed, 2u);
  ASSERT_EQ(geocoder.failures().size(), 1u);  // one cause, one message
  EXPECT_NE(geocoder.failures()[0].find("http://"), std::string::npos);
  EXPECT_EQ(stats.requests, 0u);
  EXPECT_EQ(server.count("/search"), 0u);
}

TEST(GeocodeQuery, JoinsTheNonEmptyPartsWithRegionAndCountryInFull) {
  Place full;
  full.street = "5298 Highway 7";
  full.city = "Woodbridge";
  full.region = "ON";
  full.postcode = "L4L 1T3";
  full.country = "CA";
  EXPECT_EQ(geocode_query(full), "5298 Highway 7, Woodbridge, Ontario, L4L 1T3, Canada");
  EXPECT_EQ(geocode_precision(full), "address");

  Place postcode;
  postcode.city = "Austin";
  postcode.region = "TX";
  postcode.postcode = "78701";
  postcode.country = "US";
  EXPECT_EQ(geocode_query(postcode), "Austin, Texas, 78701, United States");
  EXPECT_EQ(geocode_precision(postcode), "postcode");

  Place city;
  city.city = "Lyon";
  city.country = "FR";
  EXPECT_EQ(geocode_query(city), "Lyon, FR");
  EXPECT_EQ(geocode_precision(city), "city");
  EXPECT_EQ(geocode_query(Place{}), "");
}

}  // namespace
}  // namespace haul::enrich
