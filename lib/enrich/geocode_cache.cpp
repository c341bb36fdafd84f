#include "enrich/geocode_cache.hpp"

#include <simdjson.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "io/atomic_file.hpp"
#include "io/json_writer.hpp"
#include "util/clock.hpp"
#include "util/utf8.hpp"

namespace haul::enrich {
namespace {

bool is_precision(std::string_view text) {
  return text == "city" || text == "postcode" || text == "address";
}

}  // namespace

Status GeocodeCache::load(const std::filesystem::path& path, int negative_ttl_days, TimePoint now) {
  path_ = path;
  entries_.clear();
  corrupt_lines_ = expired_lines_ = 0;
  changed_ = false;
  std::error_code error;
  const auto type = std::filesystem::status(path, error).type();
  if (type == std::filesystem::file_type::not_found) return Status::ok();
  if (type != std::filesystem::file_type::regular) {
    return Status::error(ExitCode::kIoError,
                         "geocode cache " + path.string() + " is not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::error(ExitCode::kIoError, "cannot read geocode cache " + path.string() + ": " +
                                                 std::strerror(errno));
  }
  const auto ttl = std::chrono::hours(24) * negative_ttl_days;
  simdjson::dom::parser parser;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    simdjson::dom::object object;
    Entry entry;
    std::string_view query, at;
    if (parser.parse(line).get_object().get(object) != simdjson::SUCCESS ||
        object["query"].get_string().get(query) != simdjson::SUCCESS || query.empty() ||
        object["found"].get_bool().get(entry.found) != simdjson::SUCCESS ||
        object["at"].get_string().get(at) != simdjson::SUCCESS) {
      ++corrupt_lines_;
      continue;
    }
    const auto when = parse_utc(at);
    if (!when) {
      ++corrupt_lines_;
      continue;
    }
    if (entry.found) {
      std::string_view precision, matched;
      if (object["lat"].get_double().get(entry.point.lat) != simdjson::SUCCESS ||
          object["lng"].get_double().get(entry.point.lng) != simdjson::SUCCESS ||
          !(std::abs(entry.point.lat) <= 90) || !(std::abs(entry.point.lng) <= 180) ||
          object["precision"].get_string().get(precision) != simdjson::SUCCESS ||
          !is_precision(precision) ||
          object["matched"].get_string().get(matched) != simdjson::SUCCESS) {
        ++corrupt_lines_;
        continue;
      }
      entry.point.precision = precision;
      entry.point.matched = matched;
      entry.point.source = "http";
    } else if (now - *when > ttl) {
      ++expired_lines_;
      changed_ = true;  // the rewrite drops it
      continue;
    }
    entry.query = query;
    entry.at = at;
    entries_[utf8::normalize_for_matching(query)] = std::move(entry);
  }
  if (in.bad()) {
    return Status::error(ExitCode::kIoError, "cannot read geocode cache " + path.string());
  }
  return Status::ok();
}

GeocodeCache::Answer GeocodeCache::lookup(std::string_view query) const {
  Answer answer;
  const auto it = entries_.find(utf8::normalize_for_matching(query));
  if (it == entries_.end()) return answer;
  answer.kind = it->second.found ? Answer::Kind::kHit : Answer::Kind::kMiss;
  if (it->second.found) answer.point = it->second.point;
  return answer;
}

void GeocodeCache::put(std::string_view query, const std::optional<GeoPoint>& point,
                       TimePoint now) {
  Entry entry;
  entry.query = query;
  entry.found = point.has_value();
  if (point) {
    entry.point = *point;
    entry.point.source = "http";
  }
  entry.at = format_utc(now);
  Entry& slot = entries_[utf8::normalize_for_matching(query)];
  const bool same =
      !slot.query.empty() && slot.found == entry.found &&
      (!entry.found || (slot.point.lat == entry.point.lat && slot.point.lng == entry.point.lng &&
                        slot.point.precision == entry.point.precision &&
                        slot.point.matched == entry.point.matched));
  if (same) return;
  slot = std::move(entry);
  changed_ = true;
}

Status GeocodeCache::save() {
  if (!changed_) return Status::ok();
  if (path_.empty()) {
    return Status::error(ExitCode::kSoftware, "geocode cache saved before it was loaded");
  }
  std::string text;
  for (const auto& [key, entry] : entries_) {
    io::JsonWriter json(text);
    json.begin_object();
    json.field("query", entry.query);
    json.field("found", entry.found);
    if (entry.found) {
      json.field("lat", entry.point.lat);
      json.field("lng", entry.point.lng);
      json.field("precision", entry.point.precision);
      json.field("matched", entry.point.matched);
    }
    json.field("at", entry.at);
    json.end_object();
    text += '\n';
  }
  Status status = io::write_file_atomically(path_, text);
  if (status.is_ok()) changed_ = false;
  return status;
}

}  // namespace haul::enrich
