#pragma once
// The offline gazetteer: the ~24,000 GeoNames cities (population > 15,000)
// that Debian's libgeonames embeds, indexed once by place_key(name). Only the
// names are read up front: libgeonames decodes each attribute of each city
// anew (~30,000 instructions a city for state, country, position and
// population), so the rest of a city is read when a lookup first meets it —
// a batch names a few thousand of the 24,000 — once, whichever thread asks.
// Lookups are const and thread-safe, so any number of threads may call
// find() at once.
//
// A place matches a city of the same name in its country and, when the place
// has a region, in that state or province; of several such cities the most
// populous wins. Without a region a name matches only when all its cities
// (in the place's country, or worldwide when that is unknown) lie in one
// region; otherwise the answer is a miss (ambiguous), never a guess. Woodbridge,
// Ontario is a miss: the only Woodbridge in the data is in New Jersey.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "enrich/place.hpp"

namespace haul::enrich {

// Where a coordinate came from, and how precise it is.
struct GeoPoint {
  double lat = 0, lng = 0;
  std::string precision;  // "city", "postcode" or "address"
  std::string source;     // "geonames" (offline gazetteer) or "http" (the configured geocoder)
  std::string matched;    // what was matched, e.g. "Toronto, Ontario, CA"
};

class Gazetteer {
 public:
  // Built on first use (~30 ms), then shared; thread-safe.
  static const Gazetteer& instance();

  // Precision "city", source "geonames"; nullopt for a miss (no city, unknown
  // name, not in the place's region or country, or ambiguous).
  std::optional<GeoPoint> find(const Place& place) const;
  std::size_t size() const { return cities_.size(); }

  struct City {
    std::string name, state, country_code;
    std::string region;  // "ON", "TX" for Canada and the US; else place_key(state)
    double lat = 0, lng = 0;
    std::uint32_t population = 0;
  };
  // For tests and benchmarks: an index over given cities instead of libgeonames'.
  explicit Gazetteer(std::vector<City> cities);

 private:
  struct FromGeonames {};
  explicit Gazetteer(FromGeonames);
  void index_names();
  // The city at `index`, its attributes read from libgeonames if not yet.
  const City& city(std::uint32_t index) const;

  // Each city's attributes are written once, under its once_flag, and read
  // after it; names never change after construction.
  mutable std::vector<City> cities_;
  std::unique_ptr<std::once_flag[]> read_once_;  // null: complete from the start
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_name_;  // place_key -> cities
};

}  // namespace haul::enrich
