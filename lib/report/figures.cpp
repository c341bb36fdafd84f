#include "report/figures.hpp"

#include <fmt/format.h>

#include <cmath>

#include "run/partition_stamp.hpp"

namespace haul::report {

std::string pass_rate_text(const PartitionSummary& p) {
  return p.pass_rate() ? run::percent(p.counts.out, p.counts.in) : "-";
}

std::string duration_text(const PartitionSummary& p) {
  return p.has_counts ? fmt::format("{:.1f}s", p.duration_s) : "-";
}

std::string count_text(const PartitionSummary& p, std::uint64_t n) {
  return p.has_counts ? std::to_string(n) : "-";
}

std::string alert_state(const Alert& alert) {
  return alert.firing ? "firing" : alert.evaluated ? "ok" : "not evaluated";
}

std::string number_text(std::optional<double> value) {
  if (!value) return "-";
  // Rates and hours are shown to 4 decimals at most; counts stay whole.
  return fmt::format("{}", std::round(*value * 10000) / 10000);
}

}  // namespace haul::report
