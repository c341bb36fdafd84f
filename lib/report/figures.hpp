#pragma once
// How the human formats (text and HTML) spell a figure, so both read alike.

#include <optional>
#include <string>

#include "report/alerts.hpp"
#include "report/partition_summary.hpp"

namespace haul::report {

// "97.5%", or "-" when nothing came in.
std::string pass_rate_text(const PartitionSummary& p);
// "12.3s"; "-" without a completed run.
std::string duration_text(const PartitionSummary& p);
// A count, or "-" without a completed run.
std::string count_text(const PartitionSummary& p, std::uint64_t n);
// "firing", "ok" or "not evaluated".
std::string alert_state(const Alert& alert);
// The shortest text that reads back as `value` ("60", "0.25"); "-" for none.
std::string number_text(std::optional<double> value);

}  // namespace haul::report
