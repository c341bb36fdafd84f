#include "report/prometheus_textfile.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <map>
#include <utility>

namespace haul::report {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

std::string metric_part(const std::string& name) {
  std::string out;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    out += ok ? c : (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : '_';
  }
  return out.empty() ? "unknown" : out;
}

std::string label_value(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

// Families in the order first declared, each with its samples.
class Exposition {
 public:
  void family(const std::string& name, const std::string& help) {
    if (families_.count(name)) return;
    order_.push_back(name);
    families_[name] = fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name, help, name);
  }
  void sample(const std::string& name, const Labels& labels, const std::string& value) {
    std::string& text = families_.at(name);
    text += name;
    if (!labels.empty()) {
      text += '{';
      for (std::size_t i = 0; i < labels.size(); ++i) {
        text += fmt::format("{}{}=\"{}\"", i ? "," : "", labels[i].first,
                            label_value(labels[i].second));
      }
      text += '}';
    }
    text += ' ';
    text += value;
    text += '\n';
  }
  std::string text() const {
    std::string out;
    for (const std::string& name : order_) out += families_.at(name);
    return out;
  }

 private:
  std::vector<std::string> order_;
  std::map<std::string, std::string> families_;
};

double unix_seconds(std::chrono::system_clock::time_point when) {
  return std::chrono::duration<double>(when.time_since_epoch()).count();
}

}  // namespace

std::string render_prometheus(const PipelineReport& r) {
  Exposition e;
  e.family("haul_report_generated_timestamp_seconds",
           "When haul-report wrote this file (Unix time).");
  e.sample("haul_report_generated_timestamp_seconds", {}, number(unix_seconds(r.now)));

  for (const auto& [stage, when] : r.last_success) {
    if (!when) continue;
    const std::string name = "haul_" + metric_part(stage) + "_last_success_timestamp_seconds";
    e.family(name, "End of the last completed haul-" + stage + " run, any date (Unix time).");
    e.sample(name, {}, number(unix_seconds(*when)));
  }

  const std::string& last_date = r.dates.back();
  for (const PartitionSummary& p : r.partitions) {
    if (p.date != last_date) continue;
    const std::string stage = "haul_" + metric_part(p.stage);
    if (p.has_counts) {
      e.family(stage + "_duration_seconds",
               "Duration of the haul-" + p.stage + " run whose figures count, on " + last_date + ".");
      e.sample(stage + "_duration_seconds", {{"type", p.type}}, number(p.duration_s));
      e.family(stage + "_records", "Records of haul-" + p.stage + " on " + last_date +
                                       " by kind (in = out + rejected).");
      e.sample(stage + "_records", {{"kind", "in"}, {"type", p.type}}, std::to_string(p.counts.in));
      e.sample(stage + "_records", {{"kind", "out"}, {"type", p.type}},
               std::to_string(p.counts.out));
      e.sample(stage + "_records", {{"kind", "rejected"}, {"type", p.type}},
               std::to_string(p.counts.rejected));
    }
    e.family(stage + "_last_run_failed",
             "1 when the last haul-" + p.stage + " run on " + last_date + " failed or was abandoned.");
    e.sample(stage + "_last_run_failed", {{"type", p.type}}, p.last_run_failed() ? "1" : "0");
  }

  for (const Fact& f : r.files.facts) {
    if (f.date != last_date) continue;
    e.family("haul_report_detail",
             "Figures of the stages' report files on " + last_date +
                 " (errors and warnings by code, duplicates by rule, rows, records by source).");
    e.sample("haul_report_detail",
             {{"stage", f.stage}, {"type", f.type}, {"kind", f.kind}, {"key", f.key}},
             std::to_string(f.count));
  }

  e.family("haul_alert_firing", "1 when the alert rule fires (for the last date), else 0.");
  std::size_t firing = 0;
  for (const Alert& a : r.alerts) {
    if (!a.date.empty() && a.date != last_date) continue;
    firing += a.firing;
    e.sample("haul_alert_firing", {{"alert", a.name}, {"stage", a.stage}}, a.firing ? "1" : "0");
  }
  e.family("haul_alerts_firing", "How many alert rules fire (for the last date).");
  e.sample("haul_alerts_firing", {}, std::to_string(firing));
  return e.text();
}

}  // namespace haul::report
