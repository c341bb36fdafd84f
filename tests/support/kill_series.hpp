#pragma once
// SIGKILL at seeded random moments of real runs: the harness behind the
// kill-and-rerun tests of each stage. Kill k lands in slice k of
// [0, 1.3 × duration) (stratified, so the whole run is covered, including the
// final commits; the last slices may find the run finished).

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "support/process.hpp"

// Sanitizer builds run several times slower: kill tests scale their sizes down.
#ifdef HAUL_SANITIZED
#define HAUL_TEST_SANITIZED 1
#endif

namespace haul::testing {

// The HAUL_KILL_TEST_* knobs: an environment number, or `fallback`.
std::uint64_t env_number(const char* name, std::uint64_t fallback);

struct KillSeries {
  int killed = 0;    // runs that died of the SIGKILL
  int finished = 0;  // runs that finished before it
};

// Before each run calls `reset()`; starts `command`, kills it, and hands the
// result to `check(k, result, where)` (where: "kill k after N ms (seed S)").
// Stops early when `check` returns false.
KillSeries run_kill_series(const Command& command, std::chrono::duration<double> duration,
                           int kills, std::uint32_t seed, const std::function<void()>& reset,
                           const std::function<bool(int, const ProcessResult&, const std::string&)>& check);

}  // namespace haul::testing
