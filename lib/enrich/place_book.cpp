#include "enrich/place_book.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace haul::enrich {

void PlaceBook::add(std::uint64_t position, std::string query, Place place) {
  if (place.empty()) return;
  place_at(position, add_place(std::move(query), std::move(place)));
}

std::uint32_t PlaceBook::add_place(std::string query, Place place) {
  auto [it, added] = ids_.try_emplace(std::move(query), static_cast<std::uint32_t>(places_.size()));
  if (added) {
    queries_.push_back(it->first);
    places_.push_back(std::move(place));
  }
  return it->second;
}

void PlaceBook::place_at(std::uint64_t position, std::uint32_t id) {
  id_at_.grow_to(position + 1);
  id_at_[position] = id;
}

std::optional<PlaceBook::Entry> PlaceBook::at(std::uint64_t position) const {
  if (position >= id_at_.size() || id_at_[position] == kNone) return std::nullopt;
  const std::uint32_t id = id_at_[position];
  return Entry{id, queries_[id], places_[id], answers_[id]};
}

void PlaceBook::resolve(const Gazetteer& gazetteer, HttpGeocoder* http, const GeocodeCache* cache) {
  stats_.places = places_.size();
  stats_.http_configured = http != nullptr || cache != nullptr;
  // Sorted, so the HTTP geocoder asks in the same order on every run and a
  // budget cut falls on the same places.
  answers_.assign(places_.size(), Answer{});
  std::vector<std::uint32_t> order(places_.size());
  for (std::uint32_t id = 0; id < order.size(); ++id) order[id] = id;
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return queries_[a] < queries_[b]; });
  std::vector<std::pair<std::string, std::string>> remote;
  std::vector<std::uint32_t> remote_ids;
  for (std::uint32_t id : order) {
    const std::string* query = &queries_[id];
    const Place& place = places_[id];
    Answer& answer = answers_[id];
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
      remote_ids.push_back(id);
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
      Answer& answer = answers_[remote_ids[i]];
      if (found[i]) {
        answer.point = found[i];
      } else {
        answer.miss +=
            "; the HTTP geocoder had no answer (not found, failed or over its "
            "per-run budget: see the report)";
      }
    }
  }
  for (const Answer& answer : answers_) {
    if (!answer.point) {
      ++stats_.misses;
    } else if (answer.point->source == "geonames") {
      continue;
    } else {
      ++stats_.http_hits;
    }
  }
}

}  // namespace haul::enrich
