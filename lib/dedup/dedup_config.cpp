#include "dedup/dedup_config.hpp"

#include <fmt/format.h>
#include <re2/re2.h>
#include <simdjson.h>

#include <initializer_list>
#include <string_view>

#include "run/config_section.hpp"

namespace haul::dedup {
namespace {

using run::ConfigSection;
using simdjson::dom::element;
using simdjson::dom::object;

BlockingRule block(std::string name, std::vector<std::string> keys, std::size_t max_block,
                   std::string sort_field, std::size_t window) {
  return BlockingRule{std::move(name), std::move(keys), max_block, std::move(sort_field), window};
}

Comparison text(std::string field, double weight, std::size_t max_code_points = 0) {
  Comparison c;
  c.field = std::move(field);
  c.method = CompareMethod::kLevenshtein;
  c.weight = weight;
  c.max_code_points = max_code_points;
  return c;
}

Comparison equal(std::string field, double weight, bool equal_only = false) {
  Comparison c;
  c.field = std::move(field);
  c.method = CompareMethod::kEqual;
  c.weight = weight;
  c.equal_only = equal_only;
  return c;
}

Comparison number(std::string field, double weight, double close, double far,
                  double absolute_close) {
  Comparison c;
  c.field = std::move(field);
  c.method = CompareMethod::kNumber;
  c.weight = weight;
  c.close = close;
  c.far = far;
  c.absolute_close = absolute_close;
  return c;
}

Status read_comparison(const ConfigSection& reader, element value, Comparison& out) {
  object section;
  if (value.get(section)) return reader.error("", "must be an object");
  if (auto s = reader.unknown_keys(section, {"field", "method", "weight", "close", "far",
                                             "absolute_close", "max_code_points", "equal_only"});
      !s.is_ok()) {
    return s;
  }
  element member;
  if (section["field"].get(member)) return reader.error("field", "is required");
  if (auto s = reader.text(member, "field", out.field); !s.is_ok()) return s;
  std::string method = "equal";
  if (!section["method"].get(member)) {
    if (auto s = reader.text(member, "method", method); !s.is_ok()) return s;
  }
  if (method == "levenshtein") {
    out.method = CompareMethod::kLevenshtein;
  } else if (method == "number") {
    out.method = CompareMethod::kNumber;
  } else if (method == "equal") {
    out.method = CompareMethod::kEqual;
  } else {
    return reader.error("method", "must be levenshtein, number or equal");
  }
  if (!section["weight"].get(member)) {
    if (auto s = reader.number_in(member, "weight", 0.0, 1000.0, out.weight); !s.is_ok()) return s;
  }
  if (!section["close"].get(member)) {
    if (auto s = reader.number_in(member, "close", 0.0, 10.0, out.close); !s.is_ok()) return s;
  }
  if (!section["far"].get(member)) {
    if (auto s = reader.number_in(member, "far", 0.0, 10.0, out.far); !s.is_ok()) return s;
  }
  if (!section["absolute_close"].get(member)) {
    if (auto s = reader.number_in(member, "absolute_close", 0.0, 1e12, out.absolute_close);
        !s.is_ok()) {
      return s;
    }
  }
  if (!section["max_code_points"].get(member)) {
    if (auto s = reader.count(member, "max_code_points", out.max_code_points); !s.is_ok()) return s;
  }
  if (!section["equal_only"].get(member) && member.get(out.equal_only)) {
    return reader.error("equal_only", "must be true or false");
  }
  if (out.method == CompareMethod::kNumber && out.far <= out.close) {
    return reader.error("far", "must be greater than close");
  }
  return Status::ok();
}

Status read_blocking_rule(const ConfigSection& reader, element value, BlockingRule& out) {
  object section;
  if (value.get(section)) return reader.error("", "must be an object");
  if (auto s = reader.unknown_keys(section, {"name", "keys", "max_block", "sort", "window"});
      !s.is_ok()) {
    return s;
  }
  element member;
  if (section["keys"].get(member)) return reader.error("keys", "is required");
  if (auto s = reader.strings(member, "keys", out.keys); !s.is_ok()) return s;
  if (out.keys.empty()) return reader.error("keys", "must name at least one field");
  out.name.clear();
  for (const auto& key : out.keys) out.name += (out.name.empty() ? "" : "+") + key;
  if (!section["name"].get(member)) {
    if (auto s = reader.text(member, "name", out.name); !s.is_ok()) return s;
  }
  if (!section["max_block"].get(member)) {
    if (auto s = reader.count(member, "max_block", out.max_block); !s.is_ok()) return s;
  }
  if (!section["sort"].get(member)) {
    if (auto s = reader.text(member, "sort", out.sort_field); !s.is_ok()) return s;
  }
  if (!section["window"].get(member)) {
    if (auto s = reader.count(member, "window", out.window); !s.is_ok()) return s;
    if (out.window == 0) return reader.error("window", "must be at least 1");
  }
  return Status::ok();
}

Status read_near(const ConfigSection& reader, object section, NearDuplicateConfig& near) {
  if (auto s = reader.unknown_keys(
          section, {"enabled", "threshold", "min_evidence", "max_cluster_size", "decisive_field",
                    "url_field", "url_id_patterns", "blocking", "compare"});
      !s.is_ok()) {
    return s;
  }
  element member;
  if (!section["enabled"].get(member) && member.get(near.enabled)) {
    return reader.error("enabled", "must be true or false");
  }
  if (!section["threshold"].get(member)) {
    if (auto s = reader.number_in(member, "threshold", 0.01, 1.0, near.threshold); !s.is_ok())
      return s;
  }
  if (!section["min_evidence"].get(member)) {
    if (auto s = reader.number_in(member, "min_evidence", 0.0, 1e6, near.min_evidence); !s.is_ok())
      return s;
  }
  if (!section["max_cluster_size"].get(member)) {
    if (auto s = reader.count(member, "max_cluster_size", near.max_cluster_size); !s.is_ok())
      return s;
    if (near.max_cluster_size < 2) return reader.error("max_cluster_size", "must be at least 2");
  }
  if (!section["decisive_field"].get(member)) {
    if (auto s = reader.text(member, "decisive_field", near.decisive_field); !s.is_ok()) return s;
  }
  if (!section["url_field"].get(member)) {
    if (auto s = reader.text(member, "url_field", near.url_field); !s.is_ok()) return s;
  }
  if (!section["url_id_patterns"].get(member)) {
    if (auto s = reader.strings(member, "url_id_patterns", near.url_id_patterns); !s.is_ok())
      return s;
    for (const auto& pattern : near.url_id_patterns) {
      RE2 re(pattern, RE2::Quiet);
      if (!re.ok()) return reader.error("url_id_patterns", "has an invalid pattern: " + re.error());
      if (re.NumberOfCapturingGroups() < 1) {
        return reader.error("url_id_patterns", "needs a capture group in " + pattern);
      }
    }
  }
  if (!section["blocking"].get(member)) {
    simdjson::dom::array rules;
    if (member.get(rules)) return reader.error("blocking", "must be an array");
    near.blocking.clear();
    std::size_t i = 0;
    for (element rule : rules) {
      near.blocking.emplace_back();
      auto s = read_blocking_rule(reader.nested(fmt::format("blocking[{}]", i++)), rule,
                                  near.blocking.back());
      if (!s.is_ok()) return s;
    }
  }
  if (!section["compare"].get(member)) {
    simdjson::dom::array comparisons;
    if (member.get(comparisons)) return reader.error("compare", "must be an array");
    near.compare.clear();
    std::size_t i = 0;
    for (element comparison : comparisons) {
      near.compare.emplace_back();
      auto s = read_comparison(reader.nested(fmt::format("compare[{}]", i++)), comparison,
                               near.compare.back());
      if (!s.is_ok()) return s;
    }
  }
  if (near.compare.size() > 32) return reader.error("compare", "allows at most 32 comparisons");
  if (near.enabled && (near.compare.empty() || near.blocking.empty())) {
    return reader.error("compare", "and blocking must not be empty while near is enabled");
  }
  return Status::ok();
}

Status read_section(const ConfigSection& reader, object section, TypeConfig& config) {
  if (auto s = reader.unknown_keys(
          section, {"data_hash", "listing_key", "exact_key", "source_priority", "recency", "near"});
      !s.is_ok()) {
    return s;
  }
  element member;
  if (!section["data_hash"].get(member)) {
    if (auto s = reader.strings(member, "data_hash", config.identity.data_hash_fields); !s.is_ok())
      return s;
  }
  if (!section["exact_key"].get(member)) {
    if (auto s = reader.strings(member, "exact_key", config.identity.exact_key_fields); !s.is_ok())
      return s;
  }
  if (!section["listing_key"].get(member)) {
    simdjson::dom::array alternatives;
    if (member.get(alternatives)) return reader.error("listing_key", "must be an array of arrays");
    config.identity.listing_key_alternatives.clear();
    for (element alternative : alternatives) {
      config.identity.listing_key_alternatives.emplace_back();
      if (auto s = reader.strings(alternative, "listing_key",
                                  config.identity.listing_key_alternatives.back());
          !s.is_ok()) {
        return s;
      }
    }
  }
  if (!section["source_priority"].get(member)) {
    object priorities;
    if (member.get(priorities)) return reader.error("source_priority", "must be an object");
    config.source_priority.clear();
    for (auto [name, value] : priorities) {
      std::int64_t priority;
      if (value.get(priority)) return reader.error("source_priority", "values must be integers");
      config.source_priority.emplace(std::string(name), static_cast<int>(priority));
    }
  }
  if (!section["recency"].get(member)) {
    if (auto s = reader.text(member, "recency", config.recency_pointer); !s.is_ok()) return s;
    if (!config.recency_pointer.empty() && config.recency_pointer[0] != '/') {
      return reader.error("recency", "must be a JSON pointer such as /_meta/scraped_at");
    }
  }
  if (!section["near"].get(member)) {
    object near;
    if (member.get(near)) return reader.error("near", "must be an object");
    if (auto s = read_near(reader.nested("near"), near, config.near); !s.is_ok()) return s;
  }
  return Status::ok();
}

// Car ids in listing URLs: a 17-character VIN in the query or fragment, a
// numeric id after a listing-ish path segment, or an id query parameter.
const std::vector<std::string> kVehicleUrlIdPatterns = {
    R"((?i)[?&#]vin=([A-HJ-NPR-Z0-9]{17})(?:[&#]|$))",
    R"((?i)/(?:inventory|listings?|vehicles?|cars?|ads?|auto|detail)/(?:[^/?#]*[-/])?(\d{4,})(?:[/?#.-]|$))",
    R"((?i)[?&](?:id|listing_?id|ad_?id|vehicle_?id|stock)=([A-Za-z0-9-]{4,})(?:&|#|$))",
};

}  // namespace

TypeConfig default_config(const std::string& type) {
  TypeConfig config;
  config.type = type;
  auto& id = config.identity;
  auto& near = config.near;
  if (type == "vehicles") {
    id.data_hash_fields = {"make", "model", "year", "stockNumber", "sourceName"};
    id.listing_key_alternatives = {
        {"sourceName", "stockNumber"}, {"sourceName", "vin"}, {"sourceName", "url_id"}};
    near.threshold = 0.9;
    near.min_evidence = 4.0;
    near.decisive_field = "vin";
    near.url_field = "sourceUrl";
    near.url_id_patterns = kVehicleUrlIdPatterns;
    near.blocking = {block("vin", {"vin"}, 50, "", 10), block("url_id", {"url_id"}, 50, "", 10),
                     block("make+model+year", {"make", "model", "year"}, 200, "price", 20),
                     block("make+year~mileage", {"make", "year"}, 40, "mileage", 8),
                     block("make+year~price", {"make", "year"}, 40, "price", 8)};
    near.compare = {text("model", 2.0),
                    number("price", 2.0, 0.03, 0.10, 0),
                    number("mileage", 2.0, 0.01, 0.10, 500),
                    equal("locationCity", 1.0),
                    text("description", 1.0, 200),
                    equal("url_id", 3.0, true)};
    config.source_priority = {{"demo-dealer", 100}, {"kijiji-gta", 50}, {"autolist-us", 10}};
  } else if (type == "events") {
    id.data_hash_fields = {"title", "startDate", "venue", "sourceName"};
    id.listing_key_alternatives = {{"sourceName", "sourceUrl"}};
    near.threshold = 0.88;
    near.min_evidence = 3.0;
    near.blocking = {block("startDate", {"startDate"}, 200, "title", 20)};
    near.compare = {text("title", 3.0), text("venue", 2.0), equal("locationCity", 1.0),
                    number("price", 1.0, 0.05, 0.25, 1)};
  } else {
    id.data_hash_fields = {"title", "url", "sourceName"};
    id.listing_key_alternatives = {{"url"}};
    near.threshold = 0.9;
    near.min_evidence = 3.0;
    near.blocking = {block("url", {"url"}, 50, "", 10), block("title", {"title"}, 50, "", 10)};
    near.compare = {text("title", 3.0), text("summary", 1.0, 300), equal("author", 1.0),
                    equal("url", 3.0, true)};
    config.recency_pointer = "/publishedAt";
  }
  return config;
}

Status load_config(const std::filesystem::path& config_dir, const std::string& type,
                   TypeConfig& out) {
  out = default_config(type);
  const auto path = config_dir / "dedup.json";
  simdjson::dom::parser parser;
  object section;
  bool found = false;
  if (Status s = run::find_type_section(path, type, parser, section, found); !s.is_ok() || !found) {
    return s;
  }
  return read_section(ConfigSection(path, type), section, out);
}

}  // namespace haul::dedup
