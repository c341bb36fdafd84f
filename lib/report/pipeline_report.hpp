#pragma once
// Everything a report shows, gathered once and rendered by each format
// (text_table, json_report, prometheus_textfile, html_page): the partitions
// of the selected dates from the run ledger, the stage report files' details,
// the trends of the window ending at the last date, and the alerts. Every
// figure is copied from the ledger or a report file, never recomputed from
// records, so the report says exactly what the stages said.

#include <chrono>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "io/data_layout.hpp"
#include "report/alert_config.hpp"
#include "report/alerts.hpp"
#include "report/partition_summary.hpp"
#include "report/stage_files.hpp"
#include "report/trends.hpp"
#include "util/date.hpp"
#include "util/status.hpp"

namespace haul::report {

struct PipelineReport {
  std::vector<std::string> dates;  // the selection, oldest first
  std::set<std::string> types;     // the --type filter; empty: every type
  std::chrono::system_clock::time_point now;
  std::string ledger_path;
  std::uint64_t ledger_runs = 0;  // runs in the whole ledger
  std::uint64_t ledger_malformed_lines = 0;

  std::vector<PartitionSummary> partitions;  // of the selected dates and types
  // Per stage, in stage order: the end of its last completed run in the
  // whole ledger (any date), none when it never succeeded.
  std::vector<std::pair<std::string, std::optional<std::chrono::system_clock::time_point>>>
      last_success;
  StageFiles files;  // of the selected dates and types
  Trends trends;
  std::vector<Alert> alerts;
  std::vector<std::string> notes;  // the files' notes and the ledger's

  std::size_t firing() const;
};

struct ReportRequest {
  std::vector<Date> dates;
  std::set<std::string> types;
  std::chrono::system_clock::time_point now;
  ReportConfig config;
  std::string exclude_stage = "report";  // the report's own runs are not pipeline stages
};

// Reads the ledger and the report files under `layout` and evaluates the
// alerts. Fails only when the ledger exists and cannot be read (66).
Status build_report(const io::DataLayout& layout, const ReportRequest& request,
                    PipelineReport& out);

}  // namespace haul::report
