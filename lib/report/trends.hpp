#pragma once
// Per-stage figures per day, summed over record types: what the trend charts
// and the history-based alert rules read. A day on which a stage has no
// completed run has no figures (has_counts false), which is not the same as
// a run that passed on nothing.

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "report/partition_summary.hpp"
#include "util/date.hpp"

namespace haul::report {

struct DayTotals {
  bool has_counts = false;
  run::RecordCounts counts;
  double duration_s = 0;
  std::uint64_t partitions = 0;
  std::uint64_t failed_partitions = 0;  // whose last run failed or was abandoned

  // rejected / in; 0 when nothing came in.
  double rejection_rate() const;
};

// `stage`'s totals on `date` over the partitions of `types` (every type when
// empty).
DayTotals day_totals(const std::vector<PartitionSummary>& partitions, const std::string& stage,
                     const std::string& date, const std::set<std::string>& types);

struct StageTrend {
  std::string stage;
  std::vector<DayTotals> days;  // parallel to Trends::days
};

struct Trends {
  std::vector<std::string> days;   // `count` dates ending with the last one, oldest first
  std::vector<StageTrend> stages;  // stages with a partition in the window, in stage order
};

Trends build_trends(const std::vector<PartitionSummary>& partitions, const Date& last,
                    std::size_t count, const std::set<std::string>& types);

// The `count` dates before `date`, oldest first.
std::vector<Date> dates_before(const Date& date, std::size_t count);

}  // namespace haul::report
