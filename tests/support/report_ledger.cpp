#include "support/report_ledger.hpp"

#include <stdexcept>

#include "support/temp_dir.hpp"
#include "util/clock.hpp"

namespace haul::testing {

ReportLedger& ReportLedger::add(const FixtureRun& fixture) {
  run::RunEntry entry;
  entry.run_id = fixture.stage + "-" + fixture.date + "-" + fixture.type + "-" +
                 std::to_string(++next_id_);
  entry.stage = fixture.stage;
  entry.date = fixture.date;
  entry.type = fixture.type;
  entry.status = "running";
  entry.pid = 1000 + next_id_;
  entry.host = "test";
  entry.started_at = fixture.ended_at;
  entries_.push_back(entry);
  if (fixture.outcome == "running") return *this;
  entry.status = fixture.outcome == "skipped" ? "completed" : fixture.outcome;
  entry.skipped = fixture.outcome == "skipped";
  entry.ended_at = fixture.ended_at;
  entry.duration_s = fixture.duration_s;
  entry.counts = {fixture.in, fixture.out, fixture.rejected};
  entry.exit_code = fixture.exit_code;
  entry.error = fixture.error;
  entries_.push_back(entry);
  return *this;
}

void ReportLedger::write(const std::filesystem::path& path) const {
  run::RunLedger ledger(path);
  for (const auto& entry : entries_) {
    if (!ledger.append(entry).is_ok()) throw std::runtime_error("cannot write " + path.string());
  }
}

ReportLedger standard_report_ledger() {
  ReportLedger ledger;
  // History: scrape vehicles 210, 180, 220, 200 records on the four days
  // before 2026-11-23 (median 205); validate vehicles on 2026-11-22.
  ledger.add({"scrape", "2026-11-19", "vehicles", "completed", 210, 210, 0, 10, "2026-11-19T02:00:00.000Z"})
      .add({"scrape", "2026-11-20", "vehicles", "completed", 180, 180, 0, 11, "2026-11-20T02:00:00.000Z"})
      .add({"scrape", "2026-11-21", "vehicles", "completed", 220, 220, 0, 12, "2026-11-21T02:00:00.000Z"})
      .add({"scrape", "2026-11-22", "vehicles", "completed", 200, 200, 0, 13, "2026-11-22T02:00:00.000Z"})
      .add({"validate", "2026-11-22", "vehicles", "completed", 200, 180, 20, 2, "2026-11-22T03:00:00.000Z"});
  // 2026-11-23.
  ledger.add({"scrape", "2026-11-23", "vehicles", "completed", 100, 100, 0, 12.5, "2026-11-23T02:00:10.000Z"})
      .add({"scrape", "2026-11-23", "events", "skipped", 10, 10, 0, 0.02, "2026-11-23T02:05:00.000Z"})
      // A failure, a rerun that worked, then a skipped rerun: the figures
      // are the working run's, the status the last run's.
      .add({"validate", "2026-11-23", "vehicles", "failed", 0, 0, 0, 0.3, "2026-11-23T02:30:00.000Z", 74,
            "read error"})
      .add({"validate", "2026-11-23", "vehicles", "completed", 100, 90, 10, 1.5, "2026-11-23T03:00:00.000Z"})
      .add({"validate", "2026-11-23", "vehicles", "skipped", 100, 90, 10, 0.01, "2026-11-23T05:00:00.000Z"})
      .add({"validate", "2026-11-23", "events", "completed", 10, 4, 6, 0.5, "2026-11-23T03:10:00.000Z"})
      .add({"dedup", "2026-11-23", "vehicles", "running", 0, 0, 0, 0, "2026-11-23T03:20:00.000Z"})
      .add({"enrich", "2026-11-23", "vehicles", "abandoned", 0, 0, 0, 0, "2026-11-23T03:30:00.000Z", 0,
            "process gone"})
      .add({"import", "2026-11-23", "vehicles", "failed", 90, 0, 90, 30, "2026-11-23T04:00:00.000Z", 69,
            "database unavailable"});
  return ledger;
}

}  // namespace haul::testing

namespace haul::testing {

void write_standard_stage_files(const std::filesystem::path& root) {
  const auto day = [&](const char* area, const char* type) {
    return root / area / "2026-11-23" / type;
  };
  write_file(day("raw", "vehicles") / "meta.json", R"({"stage":"scrape","date":"2026-11-23","type":"vehicles","sources":{
"demo-dealer":{"status":"ok","requests":3,"bytes":100,"status_codes":{"200":3},"retries":0,"records":60,"pages":3,"not_modified":0,"robots_blocked":0,"errors":[]},
"kijiji-gta":{"status":"partial","requests":5,"bytes":90,"status_codes":{"200":3,"503":2},"retries":1,"records":40,"pages":2,"not_modified":0,"robots_blocked":0,"errors":[{"page":3,"url":"u","reason":"HTTP 503"}]}}}
)");
  write_file(day("processed", "vehicles") / "validate_report.json",
             R"({"stage":"validate","date":"2026-11-23","type":"vehicles","fingerprint":"f","records_in":100,"valid":90,"rejected":10,"files":2,"files_rejected":0,"errors_by_code":{"price_out_of_range":7,"required":4}}
)");
  write_file(day("processed", "events") / "validate_report.json",
             R"({"stage":"validate","date":"2026-11-23","type":"events","records_in":10,"valid":4,"rejected":6,"errors_by_code":{"format":6}}
)");
  write_file(day("processed", "vehicles") / "dedup_report.json", R"({"stage":"dedup","records_in":9)");
  write_file(day("processed", "vehicles") / "import_report.json",
             R"({"stage":"import","date":"2026-11-23","type":"vehicles","input":"x","table":"vehicles","records_read":90,"inserted":0,"updated":0,"unchanged":0,"superseded":0,"rejected":0,"queued_for_retry":90,"chunks":1,"retries":3,"exit_code":69}
)");
}

}  // namespace haul::testing

namespace haul::testing {

report::PipelineReport standard_report(const std::filesystem::path& root) {
  io::DataLayout layout(root);
  standard_report_ledger().write(layout.ledger_path());
  write_standard_stage_files(root);
  report::ReportRequest request;
  request.dates = {*Date::parse("2026-11-23")};
  request.now = *parse_utc("2026-11-23T08:00:00Z");
  request.config = report::default_report_config();
  report::PipelineReport out;
  Status s = report::build_report(layout, request, out);
  if (!s.is_ok()) throw std::runtime_error(s.message());
  return out;
}

}  // namespace haul::testing
