#include "enrich/enrich_config.hpp"

#include <simdjson.h>

#include <algorithm>

#include "run/config_section.hpp"

namespace haul::enrich {
namespace {

using run::ConfigSection;
using simdjson::dom::element;
using simdjson::dom::object;

Status read_http_geocoder(const ConfigSection& where, object section, HttpGeocoderConfig& out) {
  if (Status s =
          where.unknown_keys(section, {"url", "requests_per_second", "max_requests", "timeout_s",
                                       "user_agent", "negative_ttl_days", "ca_bundle"});
      !s.is_ok()) {
    return s;
  }
  element value;
  if (section["url"].get(value)) return where.error("url", "is required");
  if (Status s = where.text(value, "url", out.url); !s.is_ok()) return s;
  if (!section["requests_per_second"].get(value)) {
    if (Status s =
            where.number_in(value, "requests_per_second", 0.001, 100, out.requests_per_second);
        !s.is_ok()) {
      return s;
    }
  }
  if (!section["max_requests"].get(value)) {
    if (Status s = where.count(value, "max_requests", out.max_requests); !s.is_ok()) return s;
  }
  if (!section["timeout_s"].get(value)) {
    if (Status s = where.number_in(value, "timeout_s", 0.1, 300, out.timeout_s); !s.is_ok())
      return s;
  }
  if (!section["user_agent"].get(value)) {
    if (Status s = where.text(value, "user_agent", out.user_agent); !s.is_ok()) return s;
  }
  if (!section["negative_ttl_days"].get(value)) {
    std::size_t days;
    if (Status s = where.count(value, "negative_ttl_days", days); !s.is_ok()) return s;
    out.negative_ttl_days = static_cast<int>(std::min<std::size_t>(days, 36500));
  }
  if (!section["ca_bundle"].get(value)) {
    if (Status s = where.text(value, "ca_bundle", out.ca_bundle); !s.is_ok()) return s;
  }
  if (Status s = check_http_geocoder_config(out); !s.is_ok()) {
    return where.error("url", "(or a setting next to it) is not usable: " + s.message());
  }
  return Status::ok();
}

Status read_location(const ConfigSection& where, object section, LocationConfig& out) {
  if (Status s = where.unknown_keys(section, {"enabled", "fill_fields", "http_geocoder"});
      !s.is_ok()) {
    return s;
  }
  element value;
  if (!section["enabled"].get(value)) {
    if (Status s = where.flag(value, "enabled", out.enabled); !s.is_ok()) return s;
  }
  if (!section["fill_fields"].get(value)) {
    if (Status s = where.flag(value, "fill_fields", out.fill_fields); !s.is_ok()) return s;
  }
  if (!section["http_geocoder"].get(value) && !value.is_null()) {
    object geocoder;
    if (Status s = where.object(value, "http_geocoder", geocoder); !s.is_ok()) return s;
    HttpGeocoderConfig config;
    if (Status s = read_http_geocoder(where.nested("http_geocoder"), geocoder, config); !s.is_ok())
      return s;
    out.http_geocoder = std::move(config);
  }
  return Status::ok();
}

Status read_market(const ConfigSection& where, object section, MarketConfig& out) {
  if (Status s =
          where.unknown_keys(section, {"enabled", "year_window", "min_comparables", "top_deals",
                                       "max_discount_percent", "score_per_percent"});
      !s.is_ok()) {
    return s;
  }
  element value;
  if (!section["enabled"].get(value)) {
    if (Status s = where.flag(value, "enabled", out.enabled); !s.is_ok()) return s;
  }
  if (!section["year_window"].get(value)) {
    std::size_t window;
    if (Status s = where.count(value, "year_window", window); !s.is_ok()) return s;
    if (window > 50) return where.error("year_window", "must be at most 50");
    out.year_window = static_cast<int>(window);
  }
  if (!section["min_comparables"].get(value)) {
    if (Status s = where.count(value, "min_comparables", out.min_comparables); !s.is_ok()) return s;
    if (out.min_comparables == 0) return where.error("min_comparables", "must be at least 1");
  }
  if (!section["top_deals"].get(value)) {
    if (Status s = where.count(value, "top_deals", out.top_deals); !s.is_ok()) return s;
    if (out.top_deals > 10000) return where.error("top_deals", "must be at most 10000");
  }
  if (!section["max_discount_percent"].get(value)) {
    if (Status s = where.number_in(value, "max_discount_percent", 0, 100, out.max_discount_percent);
        !s.is_ok()) {
      return s;
    }
  }
  if (!section["score_per_percent"].get(value)) {
    if (Status s = where.number_in(value, "score_per_percent", 0.01, 100, out.score_per_percent);
        !s.is_ok()) {
      return s;
    }
  }
  return Status::ok();
}

Status read_images(const ConfigSection& where, object section, ImageConfig& out) {
  if (Status s = where.unknown_keys(section, {"fields"}); !s.is_ok()) return s;
  element value;
  if (!section["fields"].get(value)) {
    simdjson::dom::array fields;
    if (value.get(fields)) return where.error("fields", "must be an array of strings");
    if (fields.size() == 0) {
      out.fields.clear();
      return Status::ok();
    }
    if (Status s = where.strings(value, "fields", out.fields); !s.is_ok()) return s;
  }
  return Status::ok();
}

Status read_section(const ConfigSection& where, object section, TypeConfig& out) {
  if (Status s = where.unknown_keys(section, {"grade", "location", "market", "images"});
      !s.is_ok()) {
    return s;
  }
  element value;
  object nested;
  if (!section["grade"].get(value)) {
    if (Status s = where.object(value, "grade", nested); !s.is_ok()) return s;
    if (Status s = GradeRules::read(where.nested("grade"), nested, out.grade); !s.is_ok()) return s;
  }
  if (!section["location"].get(value)) {
    if (Status s = where.object(value, "location", nested); !s.is_ok()) return s;
    if (Status s = read_location(where.nested("location"), nested, out.location); !s.is_ok())
      return s;
  }
  if (!section["market"].get(value)) {
    if (out.type != "vehicles") return where.error("market", "is only for vehicles");
    if (Status s = where.object(value, "market", nested); !s.is_ok()) return s;
    if (Status s = read_market(where.nested("market"), nested, out.market); !s.is_ok()) return s;
  }
  if (!section["images"].get(value)) {
    if (Status s = where.object(value, "images", nested); !s.is_ok()) return s;
    if (Status s = read_images(where.nested("images"), nested, out.images); !s.is_ok()) return s;
  }
  return Status::ok();
}

}  // namespace

TypeConfig default_config(const std::string& type) {
  TypeConfig config;
  config.type = type;
  config.images.fields = {"imageUrl"};
  if (type == "vehicles") {
    config.grade = GradeRules::original_pipeline();
    config.location.enabled = true;
    config.market.enabled = true;
  } else if (type == "events") {
    config.location.enabled = true;
  }
  return config;
}

Status load_config(const std::filesystem::path& config_dir, const std::string& type,
                   TypeConfig& out) {
  out = default_config(type);
  const auto path = config_dir / "enrich.json";
  simdjson::dom::parser parser;
  object section;
  bool found = false;
  if (Status s = run::find_type_section(path, type, parser, section, found); !s.is_ok() || !found) {
    return s;
  }
  return read_section(ConfigSection(path, type), section, out);
}

}  // namespace haul::enrich
