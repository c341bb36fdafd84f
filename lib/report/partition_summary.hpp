#pragma once
// What the run ledger says about each partition (stage, date, type): the
// figures of the run that counts and the state of the last one.
//
// A partition may have been run many times (a rerun, a --force, a run that
// failed and was retried). Its figures are those of the latest completed run
// that did work; a run skipped because its outputs were up to date carries
// the same figures and still counts as a success, so it is used only when no
// completed run with work is in the ledger. Its status is the last run's:
// completed, skipped, failed, running (or killed and not yet noticed) or
// abandoned (closed by haul-cleanup).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "run/run_ledger.hpp"

namespace haul::report {

struct PartitionSummary {
  std::string stage, date, type;
  std::string status;  // the last run's; "skipped" for a completed run without work
  bool has_counts = false;  // a completed (or skipped) run exists: counts hold its figures
  run::RecordCounts counts;
  double duration_s = 0;  // of the run whose figures are shown
  std::uint64_t runs = 0;
  std::uint64_t failed_runs = 0;  // failed or abandoned, whatever came after
  int exit_code = 0;              // the last run's
  std::string error;              // the last run's, when it failed
  std::string last_success_at;    // ended_at of the latest completed run, "" when none

  // out / in; nullopt when nothing came in.
  std::optional<double> pass_rate() const;
  bool last_run_failed() const { return status == "failed" || status == "abandoned"; }
};

// The order stages run in cron; stages the report does not know come after
// them in name order.
int stage_rank(const std::string& stage);

// One summary per partition in `runs` (run::latest_by_run's output), sorted
// by date, stage rank and type. Runs of `exclude_stage` (the report's own)
// are left out.
std::vector<PartitionSummary> summarize_partitions(const std::vector<run::RunEntry>& runs,
                                                   const std::string& exclude_stage);

// The latest ended_at of a completed run of `stage` (any date, any type),
// nullopt when it never succeeded.
std::optional<std::chrono::system_clock::time_point> last_success(
    const std::vector<run::RunEntry>& runs, const std::string& stage);

}  // namespace haul::report
