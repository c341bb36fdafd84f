#pragma once
// haul-report: reads the run ledger (data/state/runs.jsonl) and the stages'
// report files for --date D or --from A --to B, evaluates the alert rules of
// config/report.json, and prints the report (a text table, or one JSON object
// with --json); --prometheus FILE and --html FILE also write it as a
// node_exporter textfile and a self-contained HTML page, atomically.
//
// It is a stage like the others (lock, ledger entry, logging), over one
// pseudo-partition "all" for the whole selection. A firing alert is exit 65
// (the data failed a gate: the run itself is "completed" in the ledger), so
// cron mails someone; -q prints nothing unless an alert fires. --now fixes
// the clock the "no success for N hours" rules measure against.

#include <chrono>
#include <string>

#include "report/alert_config.hpp"
#include "run/stage.hpp"

namespace haul::report {

class ReportStage : public run::Stage {
 public:
  std::string name() const override { return "report"; }
  std::string description() const override;
  void add_options(CLI::App& app) override;
  Status prepare(const run::StageContext& context) override;
  std::vector<std::string> types_with_input(const run::StageContext& context,
                                            const Date& date) const override;
  std::string input_location(const run::StageContext& context, const Date& date) const override;
  run::PartitionResult run(const run::StageContext& context, const Date& date,
                           const std::string& type) override;
  std::string whole_selection_type() const override { return "all"; }
  bool prints_own_json() const override { return true; }

 private:
  std::string now_option_;
  std::string prometheus_path_;
  std::string html_path_;
  std::chrono::system_clock::time_point now_;
  ReportConfig config_;
};

}  // namespace haul::report
