#pragma once
// The optional HTTP geocoder (a Nominatim-compatible search endpoint) for the
// places the offline gazetteer missed. It asks one query at a time, no faster
// than the configured rate (Nominatim's policy: at most 1 request/s) and at
// most `max_requests` times per run; every answer, a miss included, goes into
// the GeocodeCache so a place is asked once, ever. A request that still fails
// after its retries is not cached (it is asked again next run) and is counted.
//
// Never throws and never fails the run: the caller turns the counts and
// failures() into warnings. URLs and messages are shown redacted: a key in the
// URL ("${GEOCODER_KEY}") appears in no log, cache line or message.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "enrich/geocode_cache.hpp"
#include "enrich/place.hpp"
#include "http/rate_limiter.hpp"
#include "http/retry_policy.hpp"
#include "util/status.hpp"

namespace haul::enrich {

struct HttpGeocoderConfig {
  // Nominatim-compatible search URL template, e.g.
  // "https://nominatim.example/search?format=jsonv2&limit=1&q={query}"; {query}
  // is URL-encoded; ${VARS} come from the environment (secrets), as in sources.json.
  std::string url;
  double requests_per_second = 1.0;  // Nominatim's usage policy: at most 1 request/s
  std::size_t max_requests = 500;    // per run; misses beyond it stay misses (counted)
  double timeout_s = 10;
  std::string user_agent = "haul-enrich (+https://haul.invalid)";
  std::string cache_file;  // path of the GeocodeCache; the stage puts it under data/state/
  // Added: how failed requests are retried (429/5xx/network), the CA bundle
  // (empty: the system's store; TLS is always verified) and how long a miss
  // stays cached.
  http::RetryPolicy retry;
  std::string ca_bundle;
  int negative_ttl_days = 30;
};

// A config error (kConfig) naming what is wrong: the URL is not http(s), has
// no {query} or another placeholder, names an unset environment variable; the
// rate, budget or timeout is out of range. The stage calls it at start.
Status check_http_geocoder_config(const HttpGeocoderConfig& config);

// The query text for a place: "street, city, region, postcode, country"
// without empty parts; a US or Canadian region and country are written in full
// ("Woodbridge, Ontario, L4L 1T3, Canada"), which free-text geocoders read
// unambiguously ("CA" could be California).
std::string geocode_query(const Place& place);
// "address" with a street, "postcode" with a postcode and no street, else "city".
std::string_view geocode_precision(const Place& place);

struct HttpGeocodeStats {
  std::uint64_t cache_hits = 0;   // answered by the cache (hits and known misses)
  std::uint64_t requests = 0;     // queries sent (retries not counted)
  std::uint64_t found = 0;        // answered with a coordinate by the server
  std::uint64_t not_found = 0;    // answered with an empty array
  std::uint64_t failed = 0;       // no usable answer after retries (not cached)
  std::uint64_t over_budget = 0;  // not asked: max_requests reached
};

class HttpGeocoder {
 public:
  // `cache` must be loaded and outlive the geocoder; the caller saves it.
  HttpGeocoder(HttpGeocoderConfig config, GeocodeCache& cache);

  // For each query in `queries` (distinct; the precision is what a hit
  // means, from geocode_precision()): the answer (source "http"), or nullopt
  // when missed, failed or over budget. The budget and the rate hold across
  // calls on one geocoder.
  std::vector<std::optional<GeoPoint>> resolve(
      const std::vector<std::pair<std::string /*query*/, std::string /*precision*/>>& queries,
      HttpGeocodeStats& stats);

  // One message per failed query so far: the redacted URL and why.
  const std::vector<std::string>& failures() const { return failures_; }

 private:
  HttpGeocoderConfig config_;
  GeocodeCache& cache_;
  http::RateLimiter rate_;
  std::size_t requests_made_ = 0;
  std::vector<std::string> failures_;
};

}  // namespace haul::enrich
