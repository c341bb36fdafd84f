#pragma once
// Figures about the running process, for summaries and the run ledger.

#include <optional>

namespace haul {

// Peak resident set size of this process image in KiB (VmHWM). Unlike
// getrusage()'s ru_maxrss, it does not include what the parent had mapped
// before exec, so it measures haul itself.
std::optional<long> peak_rss_kib();

}  // namespace haul
