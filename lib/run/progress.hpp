#pragma once
// A one-line progress bar on stderr for long work, shown only when stderr is
// a terminal (never in cron mail or logs) and not with --quiet. Redraws at
// most every 200 ms, so calling advance() per batch costs nothing.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace haul::run {

class Progress {
 public:
  // `enabled` is normally progress_wanted(); tests pass a FILE to look at.
  Progress(std::string label, std::uint64_t total_bytes, bool enabled, std::FILE* out = stderr);
  ~Progress();  // clears the line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(std::uint64_t bytes, std::uint64_t records);

  // "validate 2026-01-15/vehicles [#####.....]  52%  1.2M records  380 MB/s"
  static std::string render(const std::string& label, std::uint64_t done_bytes,
                            std::uint64_t total_bytes, std::uint64_t records, double seconds);

 private:
  void draw();
  std::string label_;
  std::uint64_t total_bytes_;
  std::uint64_t done_bytes_ = 0;
  std::uint64_t records_ = 0;
  bool enabled_;
  std::FILE* out_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_;
  bool drawn_ = false;
};

// True when stderr is a terminal and the run is not quiet.
bool progress_wanted(bool quiet);

}  // namespace haul::run
