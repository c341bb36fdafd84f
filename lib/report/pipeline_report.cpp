#include "report/pipeline_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>


namespace haul::report {

std::size_t PipelineReport::firing() const {
  return static_cast<std::size_t>(
      std::count_if(alerts.begin(), alerts.end(), [](const Alert& a) { return a.firing; }));
}

Status build_report(const io::DataLayout& layout, const ReportRequest& request,
                    PipelineReport& out) {
  out = {};
  run::LedgerContents ledger;
  if (Status s = run::read_ledger(layout.ledger_path(), ledger); !s.is_ok()) return s;
  const std::vector<run::RunEntry> runs = run::latest_by_run(ledger.entries);
  const std::vector<PartitionSummary> all = summarize_partitions(runs, request.exclude_stage);

  for (const Date& d : request.dates) out.dates.push_back(d.to_string());
  out.types = request.types;
  out.now = request.now;
  out.ledger_path = layout.relative(layout.ledger_path());
  out.ledger_runs = runs.size();
  out.ledger_malformed_lines = ledger.malformed_lines;
  if (ledger.malformed_lines > 0) {
    out.notes.push_back(fmt::format("{}: {} line(s) are not ledger entries and were skipped (first: "
                                    "line {})",
                                    out.ledger_path, ledger.malformed_lines,
                                    ledger.first_malformed_line));
  }

  const std::set<std::string> dates(out.dates.begin(), out.dates.end());
  auto selected_type = [&](const std::string& type) {
    return request.types.empty() || request.types.count(type) > 0;
  };
  std::set<std::string> stages;
  for (const PartitionSummary& p : all) {
    stages.insert(p.stage);
    if (dates.count(p.date) && selected_type(p.type)) out.partitions.push_back(p);
  }
  std::vector<std::string> ordered(stages.begin(), stages.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return stage_rank(a) < stage_rank(b); });
  for (const std::string& stage : ordered) {
    out.last_success.emplace_back(stage, last_success(runs, stage));
  }

  for (const Date& date : request.dates) {
    for (std::string_view type_view : io::kRecordTypes) {
      const std::string type(type_view);
      if (!selected_type(type)) continue;
      std::set<std::string> completed;
      for (const PartitionSummary& p : out.partitions) {
        if (p.date == date.to_string() && p.type == type && p.has_counts) completed.insert(p.stage);
      }
      read_stage_files(layout, date, type, completed, out.files);
    }
  }
  out.notes.insert(out.notes.end(), out.files.notes.begin(), out.files.notes.end());

  out.trends = build_trends(all, request.dates.back(), request.config.trend_days, request.types);
  out.alerts = evaluate_alerts(request.config.rules,
                               {all, runs, request.dates, request.types, request.now});
  return Status::ok();
}

}  // namespace haul::report
