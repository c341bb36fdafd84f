#include "enrich/place_book.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace haul::enrich {

void PlaceBook::add(const Place& place) {
  if (place.empty()) return;
  std::string query = geocode_query(place);
  if (places_.find(query) == places_.end()) places_.emplace(std::move(query), place);
}

void PlaceBook::resolve(const Gazetteer& gazetteer, HttpGeocoder* http, const GeocodeCache* cache) {
  stats_.places = places_.size();
  stats_.http_configured = http != nullptr || cache != nullptr;
  // Sorted, so the HTTP geocoder asks in the same order on every run and a
  // budget cut falls on the same places.
  std::vector<const std::string*> queries;
  for (const auto& [query, place] : places_) queries.push_back(&query);
  std::sort(queries.begin(), queries.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  std::vector<std::pair<std::string, std::string>> remote;
  for (const std::string* query : queries) {
    const Place& place = places_.at(*query);
    Answer& answer = answers_[*query];
    answer.point = gazetteer.find(place);
    if (answer.point) {
      ++stats_.gazetteer_hits;
      continue;
    }
    answer.miss = place.city.empty()
                      ? "no city to look up in the offline gazetteer"
                      : "not in the offline gazetteer (GeoNames cities over 15,000 people), or "
                        "ambiguous there";
    if (http) {
      remote.emplace_back(*query, std::string(geocode_precision(place)));
    } else if (cache) {
      const GeocodeCache::Answer cached = cache->lookup(*query);
      if (cached.kind == GeocodeCache::Answer::Kind::kHit) {
        answer.point = cached.point;
        ++stats_.http.cache_hits;
      }
    }
  }
  if (http && !remote.empty()) {
    const std::vector<std::optional<GeoPoint>> found = http->resolve(remote, stats_.http);
    for (std::size_t i = 0; i < remote.size(); ++i) {
      Answer& answer = answers_[remote[i].first];
      if (found[i]) {
        answer.point = found[i];
      } else {
        answer.miss += "; the HTTP geocoder had no answer (not found, failed or over its "
                       "per-run budget: see the report)";
      }
    }
  }
  for (const auto& [query, answer] : answers_) {
    if (!answer.point) {
      ++stats_.misses;
    } else if (answer.point->source == "geonames") {
      continue;
    } else {
      ++stats_.http_hits;
    }
  }
}

const PlaceBook::Answer* PlaceBook::find(const std::string& query) const {
  auto it = answers_.find(query);
  return it == answers_.end() ? nullptr : &it->second;
}

}  // namespace haul::enrich
