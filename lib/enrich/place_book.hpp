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
#include "util/position_table.hpp"

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

  // First pass (one thread): the place of the record at `position` (its
  // index in the input), with its geocode_query() computed by the caller on
  // a worker; empty places are not added.
  void add(std::uint64_t position, std::string query, Place place);
  // The same in two steps, for a caller that groups its records by place:
  // the distinct place's id (an existing one for a known query), then the
  // records that have it.
  std::uint32_t add_place(std::string query, Place place);
  void place_at(std::uint64_t position, std::uint32_t id);
  std::size_t size() const { return places_.size(); }

  // Between the passes. `http` may be null (none configured, or a dry run:
  // then the cache alone answers misses, read-only, via `cache`).
  void resolve(const Gazetteer& gazetteer, HttpGeocoder* http, const GeocodeCache* cache);

  // Second pass: the place of the record at `position` and its answer; null
  // for a record that had none (nothing parsed twice).
  struct Entry {
    std::uint32_t id;  // the distinct place's, from 0
    const std::string& query;
    const Place& place;
    const Answer& answer;
  };
  std::optional<Entry> at(std::uint64_t position) const;
  const Stats& stats() const { return stats_; }

 private:
  static constexpr std::uint32_t kNone = 0xffffffff;
  std::unordered_map<std::string, std::uint32_t> ids_;  // by geocode_query()
  std::vector<std::string> queries_;
  std::vector<Place> places_;
  std::vector<Answer> answers_;
  PositionTable<std::uint32_t> id_at_{kNone};  // by record position
  Stats stats_;
};

}  // namespace haul::enrich
