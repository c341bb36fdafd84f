#include "report/json_report.hpp"

#include "io/json_writer.hpp"
#include "report/figures.hpp"
#include "util/clock.hpp"

namespace haul::report {
namespace {

void optional_number(io::JsonWriter& json, std::string_view key, std::optional<double> value) {
  json.key(key);
  if (value) {
    json.value(*value);
  } else {
    json.null();
  }
}

void optional_text(io::JsonWriter& json, std::string_view key, const std::string& value) {
  json.key(key);
  if (value.empty()) {
    json.null();
  } else {
    json.value(value);
  }
}

void partition(io::JsonWriter& json, const PartitionSummary& p) {
  json.begin_object();
  json.field("date", p.date);
  json.field("stage", p.stage);
  json.field("type", p.type);
  json.field("status", p.status);
  json.field("has_counts", p.has_counts);
  json.field("records_in", p.counts.in);
  json.field("records_out", p.counts.out);
  json.field("rejected", p.counts.rejected);
  optional_number(json, "pass_rate", p.pass_rate());
  json.field("duration_s", p.duration_s);
  json.field("runs", p.runs);
  json.field("failed_runs", p.failed_runs);
  json.field("exit_code", p.exit_code);
  if (!p.error.empty()) json.field("error", p.error);
  optional_text(json, "last_success_at", p.last_success_at);
  json.end_object();
}

void trends(io::JsonWriter& json, const Trends& t) {
  json.begin_object();
  json.key("days");
  json.begin_array();
  for (const std::string& day : t.days) json.value(day);
  json.end_array();
  json.key("stages");
  json.begin_object();
  for (const StageTrend& stage : t.stages) {
    json.key(stage.stage);
    json.begin_array();
    for (const DayTotals& day : stage.days) {
      if (day.partitions == 0) {
        json.null();
        continue;
      }
      json.begin_object();
      json.field("has_counts", day.has_counts);
      json.field("in", day.counts.in);
      json.field("out", day.counts.out);
      json.field("rejected", day.counts.rejected);
      json.field("rejection_rate", day.rejection_rate());
      json.field("duration_s", day.duration_s);
      json.field("failed", day.failed_partitions);
      json.end_object();
    }
    json.end_array();
  }
  json.end_object();
  json.end_object();
}

void alert(io::JsonWriter& json, const Alert& a) {
  json.begin_object();
  json.field("name", a.name);
  json.field("rule", a.kind);
  optional_text(json, "stage", a.stage);
  optional_text(json, "type", a.type);
  optional_text(json, "date", a.date);
  json.field("state", alert_state(a));
  json.field("firing", a.firing);
  optional_number(json, "value", a.value);
  optional_number(json, "threshold", a.threshold);
  json.field("message", a.message);
  json.end_object();
}

}  // namespace

std::string render_json(const PipelineReport& r) {
  std::string out;
  io::JsonWriter json(out);
  json.begin_object();
  json.key("dates");
  json.begin_array();
  for (const std::string& d : r.dates) json.value(d);
  json.end_array();
  json.key("types");
  json.begin_array();
  for (const std::string& t : r.types) json.value(t);
  json.end_array();
  json.field("generated_at", format_utc(r.now));
  json.key("ledger");
  json.begin_object();
  json.field("path", r.ledger_path);
  json.field("runs", r.ledger_runs);
  json.field("malformed_lines", r.ledger_malformed_lines);
  json.end_object();
  json.key("partitions");
  json.begin_array();
  for (const PartitionSummary& p : r.partitions) partition(json, p);
  json.end_array();
  json.key("last_success");
  json.begin_object();
  for (const auto& [stage, when] : r.last_success) {
    optional_text(json, stage, when ? format_utc(*when) : std::string());
  }
  json.end_object();
  json.key("details");
  json.begin_array();
  for (const Fact& f : r.files.facts) {
    json.begin_object();
    json.field("date", f.date);
    json.field("type", f.type);
    json.field("stage", f.stage);
    json.field("kind", f.kind);
    json.field("key", f.key);
    json.field("count", f.count);
    json.end_object();
  }
  json.end_array();
  json.key("trends");
  trends(json, r.trends);
  json.key("alerts");
  json.begin_array();
  for (const Alert& a : r.alerts) alert(json, a);
  json.end_array();
  json.field("firing", static_cast<std::uint64_t>(r.firing()));
  json.key("notes");
  json.begin_array();
  for (const std::string& n : r.notes) json.value(n);
  json.end_array();
  json.end_object();
  out.push_back('\n');
  return out;
}

}  // namespace haul::report
