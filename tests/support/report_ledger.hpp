#pragma once
// Ledger fixtures for the report tests: runs written the way run_stage
// writes them (a "running" entry, then the final one), with the figures,
// times and outcomes a test chooses, so every number the report shows can
// be asserted exactly.

#include <filesystem>
#include <string>
#include <vector>

#include "run/run_ledger.hpp"

namespace haul::testing {

struct FixtureRun {
  std::string stage, date, type;
  std::string outcome;  // completed, skipped, failed, abandoned, running
  std::uint64_t in = 0, out = 0, rejected = 0;
  double duration_s = 0;
  std::string ended_at;  // RFC 3339 UTC; started_at is the same (times only order runs)
  int exit_code = 0;
  std::string error = {};
};

class ReportLedger {
 public:
  // Adds both entries of a run; run ids are unique per fixture.
  ReportLedger& add(const FixtureRun& run);
  const std::vector<run::RunEntry>& entries() const { return entries_; }
  // Appends every entry to `path` with run::RunLedger.
  void write(const std::filesystem::path& path) const;

 private:
  std::vector<run::RunEntry> entries_;
  int next_id_ = 0;
};

// The fixture the report tests share (dates 2026-11-19..23, see the .cpp).
ReportLedger standard_report_ledger();

}  // namespace haul::testing

namespace haul::testing {

// Stage report files for 2026-11-23 under the data root `root`, with the
// fields the stages write: scrape meta.json (two vehicle sources, one
// partial), validate_report.json (vehicles and events), import_report.json;
// dedup_report.json of vehicles is torn (not JSON).
void write_standard_stage_files(const std::filesystem::path& root);

}  // namespace haul::testing

#include "report/pipeline_report.hpp"

namespace haul::testing {

// The report on 2026-11-23 (now 08:00Z, built-in rules) over the standard
// ledger and stage files written under `root`.
report::PipelineReport standard_report(const std::filesystem::path& root);

}  // namespace haul::testing
