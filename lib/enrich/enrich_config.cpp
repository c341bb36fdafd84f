#include "enrich/enrich_config.hpp"

#include <simdjson.h>

#include "run/config_section.hpp"

namespace haul::enrich {
namespace {

using run::ConfigSection;
using simdjson::dom::element;
using simdjson::dom::object;

Status read_location(const ConfigSection& where, object section, LocationConfig& out) {
  if (Status s = where.unknown_keys(section, {"enabled", "fill_fields"}); !s.is_ok()) return s;
  element value;
  if (!section["enabled"].get(value)) {
    if (Status s = where.flag(value, "enabled", out.enabled); !s.is_ok()) return s;
  }
  if (!section["fill_fields"].get(value)) {
    if (Status s = where.flag(value, "fill_fields", out.fill_fields); !s.is_ok()) return s;
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
