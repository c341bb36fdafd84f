#pragma once
// The run ledger, data/state/runs.jsonl: one JSON line per state change of a
// stage run (running, then completed or failed), so a run killed mid-way is
// visible as a "running" entry with no end. haul-report and haul-cleanup read
// it (read_ledger); haul-cleanup closes a run whose process is gone with an
// "abandoned" entry. Lines are appended with O_APPEND in a single write(2), so
// concurrent stages never interleave within a line.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "util/status.hpp"

namespace haul::run {

struct RecordCounts {
  std::uint64_t in = 0;
  std::uint64_t out = 0;
  std::uint64_t rejected = 0;
};

struct RunEntry {
  std::string run_id;  // the same on a run's running and final entries
  std::string stage;
  std::string date;
  std::string type;
  std::string status;  // "running", then "completed", "failed" or "abandoned"
  long pid = 0;
  std::string host;
  std::string started_at;
  std::string ended_at;  // empty while running
  double duration_s = 0;
  RecordCounts counts;
  bool skipped = false;  // completed without work: outputs were up to date
  int exit_code = 0;
  std::string error;
};

class RunLedger {
 public:
  explicit RunLedger(std::filesystem::path path) : path_(std::move(path)) {}
  Status append(const RunEntry& entry) const;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string to_json(const RunEntry& entry);

// What a ledger file holds. A line that is not a ledger entry (a torn last
// line after a crash, a hand edit) is counted and skipped, never fatal: the
// ledger is a log, and one bad line must not hide a month of runs.
struct LedgerContents {
  std::vector<RunEntry> entries;  // in file order
  std::uint64_t malformed_lines = 0;
  std::uint64_t first_malformed_line = 0;  // from 1; 0 when none
};

// Reads every entry of `path`; a missing file is an empty ledger. Fails (66)
// only when the file exists and cannot be read.
Status read_ledger(const std::filesystem::path& path, LedgerContents& contents);

// Each run's latest state: the last entry of every run_id, in the order the
// runs started.
std::vector<RunEntry> latest_by_run(const std::vector<RunEntry>& entries);

}  // namespace haul::run
