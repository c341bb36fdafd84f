#include "report/text_report.hpp"

#include <fmt/format.h>

#include "report/figures.hpp"
#include "report/text_table.hpp"
#include "util/clock.hpp"

namespace haul::report {
namespace {

std::string title(const PipelineReport& r) {
  const std::string dates =
      r.dates.size() == 1 ? r.dates.front() : fmt::format("{} to {}", r.dates.front(), r.dates.back());
  std::string types;
  for (const std::string& t : r.types) types += (types.empty() ? " (" : ", ") + t;
  if (!types.empty()) types += ")";
  return fmt::format("haul report {}{}, generated {}\n", dates, types, format_utc(r.now));
}

std::string alerts_table(const PipelineReport& r, bool firing_only) {
  TextTable table({"alert", "state", "stage", "date", ">value", ">threshold", "detail"});
  for (const Alert& a : r.alerts) {
    if (firing_only && !a.firing) continue;
    table.add({a.name, alert_state(a), a.stage.empty() ? "-" : a.stage,
               a.date.empty() ? "-" : a.date, number_text(a.value), number_text(a.threshold),
               a.message});
  }
  return table.empty() ? std::string() : table.render();
}

std::string trend_cell(const DayTotals& t) {
  if (!t.has_counts) return t.failed_partitions ? "failed" : "-";
  std::string cell = std::to_string(t.counts.out);
  if (t.counts.rejected) cell += fmt::format(" ({})", t.counts.rejected);
  return cell;
}

}  // namespace

std::string render_text(const PipelineReport& r, bool alerts_only) {
  if (alerts_only) {
    if (r.firing() == 0) return {};
    return title(r) + fmt::format("\n{} alert(s) firing\n", r.firing()) + alerts_table(r, true);
  }
  std::string out = title(r);

  out += "\nStages (from the run ledger " + r.ledger_path + ")\n";
  TextTable stages({"date", "stage", "type", "status", ">in", ">out", ">rejected", ">pass",
                    ">duration", ">runs", ">failed"});
  for (const PartitionSummary& p : r.partitions) {
    stages.add({p.date, p.stage, p.type, p.status, count_text(p, p.counts.in),
                count_text(p, p.counts.out), count_text(p, p.counts.rejected), pass_rate_text(p),
                duration_text(p), std::to_string(p.runs), std::to_string(p.failed_runs)});
  }
  out += stages.empty() ? "no runs in the ledger for these dates\n" : stages.render();

  if (!r.files.facts.empty()) {
    out += "\nDetails (from the stages' report files)\n";
    TextTable details({"date", "type", "stage", "kind", "key", ">count"});
    for (const Fact& f : r.files.facts) {
      details.add({f.date, f.type, f.stage, f.kind, f.key, std::to_string(f.count)});
    }
    out += details.render();
  }

  if (!r.trends.stages.empty()) {
    out += fmt::format("\nTrend: records out per stage per day, (rejected), last {} days\n",
                       r.trends.days.size());
    std::vector<std::string> header = {"day"};
    for (const StageTrend& s : r.trends.stages) header.push_back(">" + s.stage);
    TextTable trend(header);
    for (std::size_t d = 0; d < r.trends.days.size(); ++d) {
      std::vector<std::string> row = {r.trends.days[d]};
      bool any = false;
      for (const StageTrend& s : r.trends.stages) {
        row.push_back(trend_cell(s.days[d]));
        any = any || s.days[d].partitions > 0;
      }
      if (any) trend.add(row);  // days without any run would only pad the table
    }
    out += trend.render();
  }

  out += fmt::format("\nAlerts: {} firing of {}\n", r.firing(), r.alerts.size());
  out += alerts_table(r, false);

  if (!r.notes.empty()) {
    out += "\nNotes\n";
    for (const std::string& note : r.notes) out += "- " + note + "\n";
  }
  return out;
}

}  // namespace haul::report
