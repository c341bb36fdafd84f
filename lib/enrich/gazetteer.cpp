#include "enrich/gazetteer.hpp"

#include <geonames.h>

#include <algorithm>
#include <unordered_map>

#include "enrich/regions.hpp"

namespace haul::enrich {
namespace {

// The region a city's state maps to: the postal code for US states and
// Canadian provinces ("State of Maine" -> "ME"), else the state's key.
std::string region_of(const Gazetteer::City& city) {
  if (city.country_code == "US" || city.country_code == "CA") {
    std::string_view code = region_code_for_name(city.state, city.country_code);
    if (!code.empty()) return std::string(code);
  }
  return place_key(city.state);
}

}  // namespace

Gazetteer::Gazetteer(std::vector<City> cities) : cities_(std::move(cities)) {
  for (City& city : cities_) {
    if (city.region.empty()) city.region = region_of(city);
  }
  index_names();
}

Gazetteer::Gazetteer(FromGeonames) {
  const int count = geonames_get_n_cities();
  cities_.resize(static_cast<std::size_t>(std::max(count, 0)));
  read_once_ = std::make_unique<std::once_flag[]>(cities_.size());
  for (int i = 0; i < count; ++i) {
    GeonamesCity* city = geonames_get_city(i);
    if (city == nullptr) continue;  // a nameless entry matches nothing
    const gchar* name = geonames_city_get_name(city);
    cities_[static_cast<std::size_t>(i)].name = name ? name : "";
    geonames_city_free(city);
  }
  index_names();
}

void Gazetteer::index_names() {
  by_name_.reserve(cities_.size());
  for (std::size_t i = 0; i < cities_.size(); ++i) {
    if (cities_[i].name.empty()) continue;
    by_name_[place_key(cities_[i].name)].push_back(static_cast<std::uint32_t>(i));
  }
}

const Gazetteer::City& Gazetteer::city(std::uint32_t index) const {
  City& entry = cities_[index];
  if (!read_once_) return entry;
  std::call_once(read_once_[index], [&] {
    GeonamesCity* city = geonames_get_city(static_cast<gint>(index));
    if (city == nullptr) return;
    auto text = [](const gchar* value) { return std::string(value ? value : ""); };
    entry.state = text(geonames_city_get_state(city));
    entry.country_code = text(geonames_city_get_country_code(city));
    entry.lat = geonames_city_get_latitude(city);
    entry.lng = geonames_city_get_longitude(city);
    entry.population = geonames_city_get_population(city);
    geonames_city_free(city);
    entry.region = region_of(entry);
  });
  return entry;
}

const Gazetteer& Gazetteer::instance() {
  // A function-local static: built once, thread-safely, on first use.
  static const Gazetteer gazetteer{FromGeonames{}};
  return gazetteer;
}

std::optional<GeoPoint> Gazetteer::find(const Place& place) const {
  if (place.city.empty()) return std::nullopt;
  const auto it = by_name_.find(place_key(place.city));
  if (it == by_name_.end()) return std::nullopt;

  std::string_view country = place.country;
  if (country.empty()) country = region_code_country(place.region);
  const std::string region_key =
      region_code_country(place.region).empty() ? place_key(place.region) : place.region;

  const City* best = nullptr;
  bool ambiguous = false;
  for (std::uint32_t index : it->second) {
    const City& city = this->city(index);
    if (!country.empty() && city.country_code != country) continue;
    if (!region_key.empty() && city.region != region_key) continue;
    if (best != nullptr && region_key.empty() &&
        (best->region != city.region || best->country_code != city.country_code)) {
      ambiguous = true;
    }
    if (best == nullptr || city.population > best->population) best = &city;
  }
  if (best == nullptr || ambiguous) return std::nullopt;

  GeoPoint point;
  point.lat = best->lat;
  point.lng = best->lng;
  point.precision = "city";
  point.source = "geonames";
  point.matched = best->name;
  if (!best->state.empty()) point.matched += ", " + best->state;
  point.matched += ", " + best->country_code;
  return point;
}

}  // namespace haul::enrich
