#pragma once
// Evaluating the alert rules (alert_config.hpp) against the ledger's
// partitions: each evaluation names its rule, the stage and date it looked
// at, the value it measured and the threshold it compared with, so a mail
// saying "scrape_volume_drop" also says by how much.

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "report/alert_config.hpp"
#include "report/partition_summary.hpp"
#include "util/date.hpp"

namespace haul::report {

struct Alert {
  std::string name;  // the rule's
  std::string kind;
  std::string stage;  // "" for failed_runs
  std::string type;   // the rule's type filter, "" for all
  std::string date;   // "" for no_success_for (judged against now)
  bool evaluated = true;  // false: not enough data to judge (message says why)
  bool firing = false;
  std::optional<double> value;  // none: nothing to measure (e.g. never succeeded)
  std::optional<double> threshold;  // none: not judged, so nothing to compare with
  std::string message;
};

struct AlertInput {
  const std::vector<PartitionSummary>& partitions;
  const std::vector<run::RunEntry>& runs;  // latest_by_run
  const std::vector<Date>& dates;          // the report's dates
  const std::set<std::string>& types;      // the report's types (empty: all)
  std::chrono::system_clock::time_point now;
};

// Every rule on every date of the report (no_success_for once), in rule order.
std::vector<Alert> evaluate_alerts(const std::vector<AlertRule>& rules, const AlertInput& input);

}  // namespace haul::report
