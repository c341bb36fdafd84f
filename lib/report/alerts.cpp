#include "report/alerts.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "report/trends.hpp"

namespace haul::report {
namespace {

std::set<std::string> rule_types(const AlertRule& rule, const std::set<std::string>& types) {
  if (rule.type.empty()) return types;
  return {rule.type};
}

std::uint64_t pick(const run::RecordCounts& counts, const std::string& which) {
  return which == "in" ? counts.in : which == "rejected" ? counts.rejected : counts.out;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

Alert start(const AlertRule& rule, std::string stage, std::string date) {
  Alert alert;
  alert.name = rule.name;
  alert.kind = rule.kind;
  alert.stage = std::move(stage);
  alert.type = rule.type;
  alert.date = std::move(date);
  return alert;
}

std::string scope(const Alert& alert) {
  return alert.type.empty() ? alert.stage : fmt::format("{} ({})", alert.stage, alert.type);
}

Alert below_median(const AlertRule& rule, const AlertInput& input, const Date& date) {
  Alert alert = start(rule, rule.stage, date.to_string());
  const auto types = rule_types(rule, input.types);
  std::vector<double> history;
  for (const Date& before : dates_before(date, rule.days)) {
    DayTotals t = day_totals(input.partitions, rule.stage, before.to_string(), types);
    if (t.has_counts) history.push_back(static_cast<double>(pick(t.counts, rule.count)));
  }
  DayTotals today = day_totals(input.partitions, rule.stage, alert.date, types);
  const double value = today.has_counts ? static_cast<double>(pick(today.counts, rule.count)) : 0;
  alert.value = value;
  if (history.size() < rule.min_history) {
    alert.evaluated = false;
    alert.message = fmt::format("{} records {}: {} of the {} days before {} have figures, {} needed",
                                scope(alert), rule.count, history.size(), rule.days, alert.date,
                                rule.min_history);
    return alert;
  }
  const double med = median(history);
  alert.threshold = rule.fraction * med;
  alert.firing = value < *alert.threshold;
  alert.message = fmt::format(
      "{} records {} on {}: {}{} {} {} ({} x the median {} of {} days before)", scope(alert),
      rule.count, alert.date, value, today.has_counts ? "" : " (no completed run)",
      alert.firing ? "<" : ">=", *alert.threshold, rule.fraction, med, history.size());
  return alert;
}

Alert pass_rate_below(const AlertRule& rule, const AlertInput& input, const Date& date) {
  Alert alert = start(rule, rule.stage, date.to_string());
  alert.threshold = rule.min;
  DayTotals t = day_totals(input.partitions, rule.stage, alert.date, rule_types(rule, input.types));
  if (!t.has_counts || t.counts.in == 0) {
    alert.evaluated = false;
    alert.message = fmt::format("{} pass rate on {}: no records in", scope(alert), alert.date);
    return alert;
  }
  const double rate = static_cast<double>(t.counts.out) / static_cast<double>(t.counts.in);
  alert.value = rate;
  alert.firing = rate < rule.min;
  alert.message = fmt::format("{} pass rate on {}: {:.4f} ({} of {}) {} {}", scope(alert),
                              alert.date, rate, t.counts.out, t.counts.in,
                              alert.firing ? "<" : ">=", rule.min);
  return alert;
}

Alert no_success_for(const AlertRule& rule, const AlertInput& input, const std::string& stage,
                     double hours) {
  Alert alert = start(rule, stage, "");
  alert.threshold = hours;
  auto last = last_success(input.runs, stage);
  if (!last) {
    alert.firing = true;
    alert.message = fmt::format("{}: no completed run in the ledger (limit {} h)", stage, hours);
    return alert;
  }
  const double since = std::chrono::duration<double>(input.now - *last).count() / 3600;
  alert.value = since;
  alert.firing = since > hours;
  alert.message = fmt::format("{}: last success {:.1f} h ago {} {} h", stage, since,
                              alert.firing ? ">" : "<=", hours);
  return alert;
}

Alert failed_runs(const AlertRule& rule, const AlertInput& input, const Date& date) {
  Alert alert = start(rule, "", date.to_string());
  alert.threshold = static_cast<double>(rule.max);
  const auto types = rule_types(rule, input.types);
  std::uint64_t failed = 0;
  std::string which;
  for (const PartitionSummary& p : input.partitions) {
    if (p.date != alert.date || !p.last_run_failed() || (!types.empty() && !types.count(p.type))) {
      continue;
    }
    ++failed;
    which += fmt::format("{}{}/{} {} (exit {}{}{})", which.empty() ? "" : "; ", p.stage, p.type,
                         p.status, p.exit_code, p.error.empty() ? "" : ": ", p.error);
  }
  alert.value = static_cast<double>(failed);
  alert.firing = failed > rule.max;
  alert.message = fmt::format("{} partition(s) whose last run on {} failed (max {}){}{}", failed,
                              alert.date, rule.max, which.empty() ? "" : ": ", which);
  return alert;
}

}  // namespace

std::vector<Alert> evaluate_alerts(const std::vector<AlertRule>& rules, const AlertInput& input) {
  std::vector<Alert> alerts;
  for (const AlertRule& rule : rules) {
    if (rule.kind == "no_success_for") {
      std::vector<std::pair<std::string, double>> limits(rule.hours.begin(), rule.hours.end());
      std::stable_sort(limits.begin(), limits.end(), [](const auto& a, const auto& b) {
        return stage_rank(a.first) < stage_rank(b.first);
      });
      for (const auto& [stage, hours] : limits) {
        alerts.push_back(no_success_for(rule, input, stage, hours));
      }
      continue;
    }
    for (const Date& date : input.dates) {
      if (rule.kind == "below_median") alerts.push_back(below_median(rule, input, date));
      if (rule.kind == "pass_rate_below") alerts.push_back(pass_rate_below(rule, input, date));
      if (rule.kind == "failed_runs") alerts.push_back(failed_runs(rule, input, date));
    }
  }
  return alerts;
}

}  // namespace haul::report
