#pragma once
// The HTTP geocoder's answers on disk, so a place is asked once, ever. One
// JSON object per line:
//   {"query":"Austin, Texas, United States","found":true,"lat":30.26,"lng":-97.74,
//    "precision":"city","matched":"Austin, Travis County, Texas, United States",
//    "at":"2026-11-23T09:10:00.000Z"}
// or "found":false (no lat/lng/precision/matched) for a miss. Positive answers
// never expire; a miss older than the negative TTL is forgotten on load, so
// the place is asked again (the data behind the geocoder grows).
//
// Queries are compared in utf8::normalize_for_matching form (case and
// spacing). load() tolerates a missing file and skips (and counts) corrupt
// lines; save() rewrites the whole file atomically, sorted by query, and only
// when something changed (a new answer, or expired lines dropped). Not
// thread-safe: one stage thread owns it.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "enrich/gazetteer.hpp"
#include "util/status.hpp"

namespace haul::enrich {

class GeocodeCache {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  // What the cache knows about a query.
  struct Answer {
    enum class Kind { kUnknown, kMiss, kHit };
    Kind kind = Kind::kUnknown;
    GeoPoint point;  // for kHit: source "http"
  };

  // Replaces the contents with the file's (none when it does not exist).
  // An unreadable file is an error (kIoError); corrupt lines are not.
  Status load(const std::filesystem::path& path, int negative_ttl_days, TimePoint now);
  Answer lookup(std::string_view query) const;
  // Records an answer (nullopt: a miss) at `now`; the point's source is
  // stored as "http" whatever it says.
  void put(std::string_view query, const std::optional<GeoPoint>& point, TimePoint now);
  // Writes the file if anything changed since load() or the last save().
  Status save();

  std::size_t size() const { return entries_.size(); }
  std::size_t corrupt_lines() const { return corrupt_lines_; }
  std::size_t expired_lines() const { return expired_lines_; }
  bool changed() const { return changed_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  struct Entry {
    std::string query;  // as first asked
    bool found = false;
    GeoPoint point;
    std::string at;  // RFC 3339 UTC
  };
  std::filesystem::path path_;
  std::map<std::string, Entry> entries_;  // by normalised query
  std::size_t corrupt_lines_ = 0;
  std::size_t expired_lines_ = 0;
  bool changed_ = false;
};

}  // namespace haul::enrich
