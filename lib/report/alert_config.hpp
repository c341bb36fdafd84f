#pragma once
// The alert rules of config/report.json (see config/README.md). Each rule has
// a name the operator chooses (it appears in the report, the exit message and
// the Prometheus label) and one of four kinds:
//   below_median     a stage's records (in, out or rejected) on the date fell
//                    below `fraction` of the median of the `days` dates before
//                    it that have figures (judged once `min_history` have)
//   pass_rate_below  a stage's out / in on the date is below `min`
//   no_success_for   a stage has no completed run for more than `hours` (one
//                    limit per stage) before now
//   failed_runs      more than `max` partitions whose last run on the date
//                    failed or was abandoned
// `type` (optional) restricts a rule to one record type. A missing file gives
// the built-in rules below; every mistake is a config error (exit 78) naming
// the setting.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "util/status.hpp"

namespace haul::report {

struct AlertRule {
  std::string name;
  std::string kind;  // below_median, pass_rate_below, no_success_for, failed_runs
  std::string stage;
  std::string type;           // "" for every type
  std::string count = "out";  // below_median: in, out or rejected
  double fraction = 0.5;
  std::size_t days = 7;
  std::size_t min_history = 3;
  double min = 0.5;                     // pass_rate_below
  std::map<std::string, double> hours;  // no_success_for: stage -> hours
  std::uint64_t max = 0;                // failed_runs
};

struct ReportConfig {
  std::size_t trend_days = 30;
  std::vector<AlertRule> rules;
};

ReportConfig default_report_config();

// Reads `path`; absent: the defaults.
Status load_report_config(const std::filesystem::path& path, ReportConfig& out);

}  // namespace haul::report
