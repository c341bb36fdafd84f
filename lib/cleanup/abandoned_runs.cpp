#include "cleanup/abandoned_runs.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <set>

#include "run/instance_lock.hpp"
#include "run/run_ledger.hpp"
#include "util/clock.hpp"
#include "util/process_liveness.hpp"

namespace haul::cleanup {
namespace fs = std::filesystem;
using Clock = std::chrono::system_clock;

namespace {

Clock::duration hours(double h) {
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double, std::ratio<3600>>(h));
}

// Why the run's process is gone, or "" when it may still be running.
std::string why_gone(const run::RunEntry& entry, const RunSweepSettings& settings) {
  auto started = parse_utc(entry.started_at);
  if (entry.host == settings.host && entry.pid > 0) {
    const auto pid = static_cast<pid_t>(entry.pid);
    if (!process_alive(pid)) return fmt::format("process {} on {} is gone", entry.pid, entry.host);
    // A process that started after the run did is another one with its pid.
    auto pid_started = process_start_time(pid);
    if (started && pid_started && *pid_started > *started + std::chrono::seconds(2)) {
      return fmt::format("process {} on {} is gone (the pid now belongs to a newer process)",
                         entry.pid, entry.host);
    }
  }
  if (started && settings.now - *started > hours(settings.max_running_hours)) {
    return fmt::format("running for more than {} h (pid {} on {})", settings.max_running_hours,
                       entry.pid, entry.host);
  }
  return "";
}

Status release_lock(const fs::path& path, const io::DataLayout& layout, std::string_view why,
                    ActionLog& log) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::ok();
  if (log.dry_run()) {
    if (run::InstanceLock::held(path)) {
      log.kept("release_lock", layout.relative(path), "held by a live process");
    } else {
      log.add("release_lock", layout.relative(path), why);
    }
    return Status::ok();
  }
  bool removed = false;
  Status s = run::InstanceLock::remove_if_free(path, removed);
  if (!s.is_ok()) {
    log.failed("release_lock", layout.relative(path), s.message());
  } else if (removed) {
    log.add("release_lock", layout.relative(path), why);
  } else {
    log.kept("release_lock", layout.relative(path), "held by a live process");
  }
  return s;
}

}  // namespace

Status close_abandoned_runs(const io::DataLayout& layout, const RunSweepSettings& settings,
                            ActionLog& log) {
  run::LedgerContents ledger;
  if (Status s = run::read_ledger(layout.ledger_path(), ledger); !s.is_ok()) return s;
  const run::RunLedger appender(layout.ledger_path());
  Status first;
  auto note = [&first](Status s) {
    if (!s.is_ok() && first.is_ok()) first = std::move(s);
  };
  std::set<fs::path> released;
  for (const run::RunEntry& latest : run::latest_by_run(ledger.entries)) {
    if (latest.status != "running") continue;
    const std::string why = why_gone(latest, settings);
    if (why.empty()) continue;
    if (!log.dry_run()) {
      run::RunEntry closed = latest;
      closed.status = "abandoned";
      closed.ended_at = format_utc(settings.now);
      if (auto started = parse_utc(latest.started_at)) {
        closed.duration_s = std::chrono::duration<double>(settings.now - *started).count();
      }
      closed.exit_code = static_cast<int>(ExitCode::kSoftware);
      closed.error = "abandoned: " + why + " (closed by haul-cleanup)";
      if (Status s = appender.append(closed); !s.is_ok()) {
        log.failed("abandon_run", latest.run_id, s.message());
        note(s);
        continue;
      }
    }
    log.add("abandon_run", latest.run_id, "(" + why + ")");
    fs::path lock = run::InstanceLock::path_for(layout.locks_dir(), latest.stage, latest.date,
                                                latest.type);
    if (released.insert(lock).second) {
      note(release_lock(lock, layout, "(its run was abandoned)", log));
    }
  }
  // Old lock files nobody holds.
  const std::time_t cutoff = Clock::to_time_t(settings.now - hours(settings.max_lock_age_hours));
  std::vector<fs::path> old_locks;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(layout.locks_dir(), ec)) {
    struct stat st {};
    if (entry.path().extension() != ".lock" || released.count(entry.path()) ||
        ::lstat(entry.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_mtime >= cutoff) {
      continue;
    }
    old_locks.push_back(entry.path());
  }
  std::sort(old_locks.begin(), old_locks.end());
  for (const fs::path& lock : old_locks) {
    if (!run::InstanceLock::held(lock)) {
      note(release_lock(lock, layout,
                          fmt::format("(unused for more than {} h)", settings.max_lock_age_hours),
                          log));
    }
  }
  return first;
}

}  // namespace haul::cleanup
