#pragma once
// Runs of the ledger (data/state/runs.jsonl) that will never end: their
// latest entry is "running" but the process is gone. A run is abandoned when
// it ran on this host and its pid is no longer alive (or now belongs to a
// process that started after the run did: the pid was reused), or when it has
// been running longer than max_running_hours (a run on another host, or one
// hung for a day). Each gets an "abandoned" entry with the same run_id, and
// its partition's lock file is removed if nobody holds it.
//
// Lock files nobody holds are harmless but pile up (one per stage, date and
// type); those unchanged for max_lock_age_hours are removed as well.
// Removal takes the lock first (run::InstanceLock::remove_if_free), so a lock
// in use is never touched.

#include <chrono>
#include <optional>
#include <string>

#include "cleanup/action_log.hpp"
#include "io/data_layout.hpp"
#include "util/status.hpp"

namespace haul::cleanup {

struct RunSweepSettings {
  double max_running_hours = 24;
  double max_lock_age_hours = 24;
  std::string host;  // this machine's name, as the ledger records it
  std::chrono::system_clock::time_point now;
};

Status close_abandoned_runs(const io::DataLayout& layout, const RunSweepSettings& settings,
                            ActionLog& log);

}  // namespace haul::cleanup
