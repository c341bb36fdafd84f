#pragma once
// Where each distinct place of a batch is. The first pass adds every
// record's place; between the passes resolve() looks each distinct place up
// once: in the offline gazetteer, and only for its misses in the HTTP
// geocoder (when configured), so a batch of a million listings in a thousand
// towns costs a thousand lookups, and the network is never touched from the
// worker threads. The second pass then only reads it: find() is thread-safe
// once resolve() has returned.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "enrich/gazetteer.hpp"
#include "enrich/http_geocoder.hpp"
#include "enrich/place.hpp"

namespace haul::enrich {

class PlaceBook {
 public:
  struct Answer {
    std::optional<GeoPoint> point;
    std::string miss;  // why there is no point, for the record's warning
  };
  struct Stats {
    std::uint64_t places = 0;  // distinct
    std::uint64_t gazetteer_hits = 0, http_hits = 0, misses = 0;
    HttpGeocodeStats http;
    bool http_configured = false;
  };

  // First pass (one thread): a record's place; empty places are ignored.
  void add(const Place& place);
  std::size_t size() const { return places_.size(); }

  // Between the passes. `http` may be null (none configured, or a dry run:
  // then the cache alone answers misses, read-only, via `cache`).
  void resolve(const Gazetteer& gazetteer, HttpGeocoder* http, const GeocodeCache* cache);

  // Second pass: the answer for a place added in the first; null otherwise.
  const Answer* find(const std::string& query) const;
  const Stats& stats() const { return stats_; }

 private:
  std::unordered_map<std::string, Place> places_;  // by geocode_query()
  std::unordered_map<std::string, Answer> answers_;
  Stats stats_;
};

}  // namespace haul::enrich
