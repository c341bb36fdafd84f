#include "report/trends.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

namespace haul::report {

double DayTotals::rejection_rate() const {
  return counts.in == 0 ? 0.0
                        : static_cast<double>(counts.rejected) / static_cast<double>(counts.in);
}

DayTotals day_totals(const std::vector<PartitionSummary>& partitions, const std::string& stage,
                     const std::string& date, const std::set<std::string>& types) {
  DayTotals totals;
  for (const PartitionSummary& p : partitions) {
    if (p.stage != stage || p.date != date || (!types.empty() && !types.count(p.type))) continue;
    ++totals.partitions;
    if (p.last_run_failed()) ++totals.failed_partitions;
    if (!p.has_counts) continue;
    totals.has_counts = true;
    totals.counts.in += p.counts.in;
    totals.counts.out += p.counts.out;
    totals.counts.rejected += p.counts.rejected;
    totals.duration_s += p.duration_s;
  }
  return totals;
}

std::vector<Date> dates_before(const Date& date, std::size_t count) {
  using namespace std::chrono;
  const sys_days day{year_month_day{year(date.year), month(static_cast<unsigned>(date.month)),
                                    std::chrono::day(static_cast<unsigned>(date.day))}};
  std::vector<Date> out;
  for (std::size_t back = count; back > 0; --back) {
    year_month_day ymd{day - days(static_cast<int>(back))};
    out.push_back({static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                   static_cast<int>(static_cast<unsigned>(ymd.day()))});
  }
  return out;
}

Trends build_trends(const std::vector<PartitionSummary>& partitions, const Date& last,
                    std::size_t count, const std::set<std::string>& types) {
  Trends trends;
  std::vector<Date> window = dates_before(last, count - 1);
  window.push_back(last);
  for (const Date& d : window) trends.days.push_back(d.to_string());
  std::set<std::pair<int, std::string>> stages;  // in stage order
  for (const PartitionSummary& p : partitions) {
    if (p.date >= trends.days.front() && p.date <= trends.days.back() &&
        (types.empty() || types.count(p.type))) {
      stages.insert({stage_rank(p.stage), p.stage});
    }
  }
  for (const auto& key : stages) {
    StageTrend trend{key.second, {}};
    for (const std::string& day : trends.days) {
      trend.days.push_back(day_totals(partitions, key.second, day, types));
    }
    trends.stages.push_back(std::move(trend));
  }
  return trends;
}

}  // namespace haul::report
