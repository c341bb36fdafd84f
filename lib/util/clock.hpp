#pragma once
// Wall-clock timestamps for ledgers and logs (never for record content: that
// would break byte-identical reruns).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace haul {

// RFC 3339 UTC with milliseconds, e.g. "2026-11-23T04:22:01.123Z".
std::string format_utc(std::chrono::system_clock::time_point when);
inline std::string utc_now() { return format_utc(std::chrono::system_clock::now()); }


// The inverse of format_utc(): "YYYY-MM-DDTHH:MM:SS[.fff]Z" (fraction of any
// length). nullopt for anything else, including offsets other than Z, so a
// hand-edited ledger time is refused rather than read in the wrong zone.
std::optional<std::chrono::system_clock::time_point> parse_utc(std::string_view text);

}  // namespace haul
