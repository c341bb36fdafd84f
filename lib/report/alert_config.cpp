#include "report/alert_config.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <set>
#include <system_error>

#include "run/config_section.hpp"

namespace haul::report {
namespace {

using run::ConfigSection;
using simdjson::dom::element;
using simdjson::dom::object;

Status read_rule(const ConfigSection& reader, const std::string& where, element value,
                 AlertRule& rule) {
  object section;
  if (value.get(section)) {
    return Status::error(ExitCode::kConfig,
                         fmt::format("{}: {} must be an object", reader.path().string(), where));
  }
  if (Status s = reader.unknown_keys(section, {"name", "rule", "stage", "type", "count", "fraction",
                                               "days", "min_history", "min", "hours", "max"});
      !s.is_ok()) {
    return s;
  }
  element v;
  if (section["name"].get(v) || v.get_string().error() || std::string_view(v).empty()) {
    return reader.error("name", "is required (a non-empty string)");
  }
  rule.name = std::string_view(v);
  if (section["rule"].get(v)) return reader.error("rule", "is required");
  if (Status s = reader.text(v, "rule", rule.kind); !s.is_ok()) return s;
  const bool per_stage = rule.kind == "below_median" || rule.kind == "pass_rate_below";
  if (!per_stage && rule.kind != "no_success_for" && rule.kind != "failed_runs") {
    return reader.error("rule",
                        "must be below_median, pass_rate_below, no_success_for or failed_runs");
  }
  // Which keys each kind takes, so a setting that would be ignored is refused.
  std::set<std::string_view> allowed = {"name", "rule", "type"};
  if (per_stage) allowed.insert("stage");
  if (rule.kind == "below_median") allowed.insert({"count", "fraction", "days", "min_history"});
  if (rule.kind == "pass_rate_below") allowed.insert("min");
  if (rule.kind == "no_success_for") allowed = {"name", "rule", "hours"};
  if (rule.kind == "failed_runs") allowed.insert("max");
  for (auto [key, ignored] : section) {
    if (key != "$comment" && !allowed.count(key)) {
      return reader.error(key, fmt::format("is not a setting of rule {}", rule.kind));
    }
  }
  if (per_stage) {
    if (section["stage"].get(v)) return reader.error("stage", "is required");
    if (Status s = reader.text(v, "stage", rule.stage); !s.is_ok()) return s;
  }
  if (!section["type"].get(v)) {
    if (Status s = reader.text(v, "type", rule.type); !s.is_ok()) return s;
    if (!io::is_record_type(rule.type)) {
      return reader.error("type", "must be vehicles, events or articles");
    }
  }
  if (!section["count"].get(v)) {
    if (Status s = reader.text(v, "count", rule.count); !s.is_ok()) return s;
    if (rule.count != "in" && rule.count != "out" && rule.count != "rejected") {
      return reader.error("count", "must be in, out or rejected");
    }
  }
  if (!section["fraction"].get(v)) {
    if (Status s = reader.number_in(v, "fraction", 0, 1, rule.fraction); !s.is_ok()) return s;
  }
  if (!section["days"].get(v)) {
    if (Status s = reader.count(v, "days", rule.days); !s.is_ok()) return s;
    if (rule.days == 0 || rule.days > 366) return reader.error("days", "must be from 1 to 366");
  }
  if (!section["min_history"].get(v)) {
    if (Status s = reader.count(v, "min_history", rule.min_history); !s.is_ok()) return s;
    if (rule.min_history == 0 || rule.min_history > rule.days) {
      return reader.error("min_history", "must be from 1 to days");
    }
  }
  if (!section["min"].get(v)) {
    if (Status s = reader.number_in(v, "min", 0, 1, rule.min); !s.is_ok()) return s;
  }
  if (!section["max"].get(v)) {
    std::size_t max = 0;
    if (Status s = reader.count(v, "max", max); !s.is_ok()) return s;
    rule.max = max;
  }
  if (rule.kind == "no_success_for") {
    object hours;
    if (section["hours"].get(v)) return reader.error("hours", "is required");
    if (Status s = reader.object(v, "hours", hours); !s.is_ok()) return s;
    ConfigSection nested = reader.nested("hours");
    for (auto [stage, limit] : hours) {
      if (stage == "$comment") continue;
      double h = 0;
      if (Status s = nested.number_in(limit, stage, 1, 24 * 366, h); !s.is_ok()) return s;
      rule.hours[std::string(stage)] = h;
    }
    if (rule.hours.empty()) return reader.error("hours", "must name at least one stage");
  }
  return Status::ok();
}

}  // namespace

ReportConfig default_report_config() {
  ReportConfig config;
  AlertRule volume;
  volume.name = "scrape_volume_drop";
  volume.kind = "below_median";
  volume.stage = "scrape";
  AlertRule pass_rate;
  pass_rate.name = "validation_pass_rate";
  pass_rate.kind = "pass_rate_below";
  pass_rate.stage = "validate";
  pass_rate.min = 0.5;
  AlertRule stale;
  stale.name = "no_recent_success";
  stale.kind = "no_success_for";
  stale.hours = {{"scrape", 26}, {"validate", 26}, {"dedup", 26},
                 {"enrich", 26}, {"import", 26},   {"cleanup", 8 * 24 + 2}};
  AlertRule failed;
  failed.name = "failed_runs";
  failed.kind = "failed_runs";
  config.rules = {volume, pass_rate, stale, failed};
  return config;
}

Status load_report_config(const std::filesystem::path& path, ReportConfig& out) {
  out = default_report_config();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::ok();
  simdjson::dom::parser parser;
  element root;
  if (auto error = parser.load(path.string()).get(root)) {
    return Status::error(ExitCode::kConfig, fmt::format("{}: not readable JSON: {}", path.string(),
                                                        simdjson::error_message(error)));
  }
  auto error = [&](std::string_view what) {
    return Status::error(ExitCode::kConfig, fmt::format("{}: {}", path.string(), what));
  };
  object section;
  if (root.get(section)) return error("must be a JSON object");
  for (auto [key, ignored] : section) {
    if (key != "$comment" && key != "trend_days" && key != "alerts") {
      return error(fmt::format("{} is not a known setting", std::string_view(key)));
    }
  }
  element v;
  if (!section["trend_days"].get(v)) {
    std::uint64_t days = 0;
    if (v.get(days) || days < 2 || days > 366) {
      return error("trend_days must be an integer from 2 to 366");
    }
    out.trend_days = days;
  }
  if (!section["alerts"].get(v)) {
    simdjson::dom::array alerts;
    if (v.get(alerts)) return error("alerts must be an array of rules");
    out.rules.clear();
    std::set<std::string> names;
    std::size_t i = 0;
    for (element item : alerts) {
      AlertRule rule;
      std::string where = fmt::format("alerts[{}]", i++);
      ConfigSection reader(path, where);
      if (Status s = read_rule(reader, where, item, rule); !s.is_ok()) return s;
      if (!names.insert(rule.name).second) return reader.error("name", "is used twice");
      out.rules.push_back(std::move(rule));
    }
  }
  return Status::ok();
}

}  // namespace haul::report
