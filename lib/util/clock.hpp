#pragma once
// Wall-clock timestamps for ledgers and logs (never for record content: that
// would break byte-identical reruns).

#include <chrono>
#include <string>

namespace haul {

// RFC 3339 UTC with milliseconds, e.g. "2026-11-23T04:22:01.123Z".
std::string format_utc(std::chrono::system_clock::time_point when);
inline std::string utc_now() { return format_utc(std::chrono::system_clock::now()); }

}  // namespace haul
