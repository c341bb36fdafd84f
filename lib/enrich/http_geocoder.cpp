#include "enrich/http_geocoder.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include "enrich/regions.hpp"
#include "http/client.hpp"
#include "http/redact.hpp"
#include "http/request.hpp"
#include "source/request_template.hpp"

namespace haul::enrich {
namespace {

Status expand_url(const std::string& pattern, std::string_view query, source::ExpandedText& out) {
  source::TemplateValues values;
  values.set("query", std::string(query));
  return source::expand_template_text(pattern, values, source::Escaping::kUrlComponent, out);
}

// A coordinate from a string ("43.7") or a number; nullopt if neither or out of range.
std::optional<double> coordinate(simdjson::dom::element element, double limit) {
  double value = 0;
  std::string_view text;
  if (element.get_double().get(value) == simdjson::SUCCESS) {
  } else if (element.get_string().get(text) == simdjson::SUCCESS && !text.empty() &&
             text.size() < 64) {
    const std::string copy(text);
    char* end = nullptr;
    value = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size()) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(value) || std::abs(value) > limit) return std::nullopt;
  return value;
}

enum class Outcome { kFound, kNotFound, kFailed };

// A Nominatim jsonv2/json answer: an array whose first element has lat, lon
// and display_name; empty when nothing was found.
Outcome read_answer(const std::string& body, GeoPoint& point, std::string& why) {
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  if (parser.parse(body).get_array().get(array) != simdjson::SUCCESS) {
    why = "the answer is not a JSON array";
    return Outcome::kFailed;
  }
  if (array.size() == 0) return Outcome::kNotFound;
  simdjson::dom::object first;
  simdjson::dom::element lat, lon;
  if (array.at(0).get_object().get(first) != simdjson::SUCCESS ||
      first["lat"].get(lat) != simdjson::SUCCESS || first["lon"].get(lon) != simdjson::SUCCESS) {
    why = "the first result has no lat/lon";
    return Outcome::kFailed;
  }
  const auto latitude = coordinate(lat, 90);
  const auto longitude = coordinate(lon, 180);
  if (!latitude || !longitude) {
    why = "the first result's lat/lon are not coordinates";
    return Outcome::kFailed;
  }
  point.lat = *latitude;
  point.lng = *longitude;
  std::string_view name;
  if (first["display_name"].get_string().get(name) == simdjson::SUCCESS) point.matched = name;
  point.source = "http";
  return Outcome::kFound;
}

std::string_view region_name(std::string_view code) {
  std::string_view name = us_state_name(code);
  return name.empty() ? canadian_province_name(code) : name;
}

std::string_view country_name(std::string_view code) {
  if (code == "US") return "United States";
  if (code == "CA") return "Canada";
  return code;
}

}  // namespace

Status check_http_geocoder_config(const HttpGeocoderConfig& config) {
  const std::string_view url = config.url;
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    return Status::error(ExitCode::kConfig, "geocoder url must start with http:// or https://");
  }
  const auto names = source::placeholder_names(url);
  if (std::find(names.begin(), names.end(), "query") == names.end()) {
    return Status::error(ExitCode::kConfig, "geocoder url has no {query} placeholder");
  }
  source::ExpandedText expanded;
  if (Status status = expand_url(config.url, "probe", expanded); !status.is_ok()) {
    return Status::error(ExitCode::kConfig, "geocoder url: " + status.message());
  }
  if (!(config.requests_per_second > 0) || config.requests_per_second > 1000) {
    return Status::error(ExitCode::kConfig, "geocoder requests_per_second must be in (0, 1000]");
  }
  if (!(config.timeout_s > 0) || config.timeout_s > 600) {
    return Status::error(ExitCode::kConfig, "geocoder timeout_s must be in (0, 600]");
  }
  if (config.negative_ttl_days < 0) {
    return Status::error(ExitCode::kConfig, "geocoder negative_ttl_days must not be negative");
  }
  return Status::ok();
}

std::string geocode_query(const Place& place) {
  std::string query;
  auto add = [&](std::string_view part) {
    if (part.empty()) return;
    if (!query.empty()) query += ", ";
    query += part;
  };
  add(place.street);
  add(place.city);
  std::string_view region = region_name(place.region);
  add(region.empty() ? std::string_view(place.region) : region);
  add(place.postcode);
  add(country_name(place.country));
  return query;
}

std::string_view geocode_precision(const Place& place) {
  if (!place.street.empty()) return "address";
  if (!place.postcode.empty()) return "postcode";
  return "city";
}

HttpGeocoder::HttpGeocoder(HttpGeocoderConfig config, GeocodeCache& cache)
    : config_(std::move(config)),
      cache_(cache),
      rate_(config_.requests_per_second > 0 ? config_.requests_per_second : 1.0) {}

std::vector<std::optional<GeoPoint>> HttpGeocoder::resolve(
    const std::vector<std::pair<std::string, std::string>>& queries, HttpGeocodeStats& stats) {
  std::vector<std::optional<GeoPoint>> results(queries.size());
  const Status config_status = check_http_geocoder_config(config_);
  bool config_reported = false;

  http::RequestPolicy policy;
  policy.retry = config_.retry;
  policy.timeout_s = config_.timeout_s;
  policy.connect_timeout_s = std::min(config_.timeout_s, 10.0);
  policy.max_response_bytes = 4u << 20;
  policy.ca_bundle = config_.ca_bundle;
  policy.rate = &rate_;

  http::Client::Options options;
  options.max_in_flight = 1;  // one request at a time
  options.user_agent = config_.user_agent;
  http::Client client(options);
  bool host_limited = false;

  for (std::size_t i = 0; i < queries.size(); ++i) {
    const auto& [query, precision] = queries[i];
    const GeocodeCache::Answer cached = cache_.lookup(query);
    if (cached.kind != GeocodeCache::Answer::Kind::kUnknown) {
      ++stats.cache_hits;
      if (cached.kind == GeocodeCache::Answer::Kind::kHit) results[i] = cached.point;
      continue;
    }
    if (!config_status.is_ok()) {
      ++stats.failed;
      // One message for all: the cause is the same for every query.
      if (!config_reported) failures_.push_back(config_status.message());
      config_reported = true;
      continue;
    }
    if (requests_made_ >= config_.max_requests) {
      ++stats.over_budget;
      continue;
    }
    source::ExpandedText url;
    if (Status status = expand_url(config_.url, query, url); !status.is_ok()) {
      ++stats.failed;
      failures_.push_back(fmt::format("\"{}\": {}", query, status.message()));
      continue;
    }
    if (!host_limited) {  // the template's host and secrets are the same for every query
      http::HostPolicy host;
      host.concurrency = 1;
      client.limit_host(url.text, host);
      policy.secrets = url.secrets;
      host_limited = true;
    }
    ++requests_made_;
    ++stats.requests;

    http::Request request;
    request.url = std::move(url.text);
    request.redacted_url = std::move(url.redacted);
    request.headers.emplace_back("Accept", "application/json");
    request.policy = &policy;
    const std::string shown_url = request.redacted_url;
    client.submit(std::move(request), [&, i, shown_url](http::Response&& response) {
      const auto& [asked, asked_precision] = queries[i];
      if (!response.ok()) {
        ++stats.failed;
        failures_.push_back(http::scrub_secrets(
            fmt::format(
                "{}: {} after {} attempt(s)", shown_url,
                response.error.empty() ? fmt::format("HTTP {}", response.status) : response.error,
                response.attempts.size()),
            policy.secrets));
        return;
      }
      GeoPoint point;
      std::string why;
      // A server that echoes the request (its display_name, an error text)
      // would otherwise put the URL's key into records and the cache.
      switch (read_answer(http::scrub_secrets(std::move(response.body), policy.secrets), point, why)) {
        case Outcome::kFound:
          point.precision = asked_precision;
          ++stats.found;
          cache_.put(asked, point, std::chrono::system_clock::now());
          results[i] = std::move(point);
          break;
        case Outcome::kNotFound:
          ++stats.not_found;
          cache_.put(asked, std::nullopt, std::chrono::system_clock::now());
          break;
        case Outcome::kFailed:
          ++stats.failed;
          failures_.push_back(fmt::format("{}: {}", shown_url, why));
          break;
      }
    });
  }
  client.run();
  return results;
}

}  // namespace haul::enrich
