#pragma once
// The run ledger, data/state/runs.jsonl: one JSON line per state change of a
// stage run (running, then completed or failed), so a run killed mid-way is
// visible as a "running" entry with no end. haul-report and haul-cleanup read
// it. Lines are appended with O_APPEND in a single write(2), so concurrent
// stages never interleave within a line.

#include <cstdint>
#include <filesystem>
#include <string>

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
  std::string status;  // "running", "completed", "failed"
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

}  // namespace haul::run
