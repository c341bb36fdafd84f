#pragma once
// Whether the process that left something behind (a temporary file, a
// "running" ledger entry) still runs. A pid alone can be reused after its
// process died, so callers that know when the process started ask
// process_started_before() as well.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>

namespace haul {

// This machine's name, as the run ledger records it ("unknown" if it has none).
std::string host_name();

// True when `pid` names a live process on this host (also when it belongs to
// another user: EPERM means it exists).
bool process_alive(pid_t pid);

// When `pid` started, from /proc/<pid>/stat and the boot time; nullopt when
// it cannot be told (no such process, no /proc).
std::optional<std::chrono::system_clock::time_point> process_start_time(pid_t pid);

}  // namespace haul
