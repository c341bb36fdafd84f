// build_report() on the standard fixture ledger and stage files: the
// selection, the details from the files, the notes, the trends and the
// alerts, with the exact figures the fixtures hold.

#include "report/pipeline_report.hpp"

#include <gtest/gtest.h>

#include "support/report_ledger.hpp"
#include "support/temp_dir.hpp"
#include "util/clock.hpp"

namespace haul::report {
namespace {

using haul::testing::TempDir;

class PipelineReportTest : public ::testing::Test {
 protected:
  TempDir dir;
  io::DataLayout layout{dir / "data"};
  ReportRequest request;

  void SetUp() override {
    haul::testing::standard_report_ledger().write(layout.ledger_path());
    haul::testing::write_standard_stage_files(layout.root());
    request.dates = {*Date::parse("2026-11-23")};
    request.now = *parse_utc("2026-11-23T08:00:00Z");
    request.config = default_report_config();
  }

  PipelineReport build() {
    PipelineReport report;
    Status s = build_report(layout, request, report);
    EXPECT_TRUE(s.is_ok()) << s.message();
    return report;
  }
};

std::uint64_t fact(const PipelineReport& r, const std::string& stage, const std::string& type,
                   const std::string& kind, const std::string& key) {
  for (const Fact& f : r.files.facts) {
    if (f.stage == stage && f.type == type && f.kind == kind && f.key == key) return f.count;
  }
  return ~0ull;
}

TEST_F(PipelineReportTest, SelectsThePartitionsOfTheDates) {
  PipelineReport r = build();
  EXPECT_EQ(r.partitions.size(), 7u);
  for (const auto& p : r.partitions) EXPECT_EQ(p.date, "2026-11-23");
  EXPECT_EQ(r.ledger_runs, 14u);
  EXPECT_EQ(r.ledger_malformed_lines, 0u);
  request.dates = date_range(*Date::parse("2026-11-22"), *Date::parse("2026-11-23"));
  EXPECT_EQ(build().partitions.size(), 9u);
  request.types = {"events"};
  EXPECT_EQ(build().partitions.size(), 2u);
}

TEST_F(PipelineReportTest, DetailsAreTheReportFilesFigures) {
  PipelineReport r = build();
  EXPECT_EQ(fact(r, "scrape", "vehicles", "source", "demo-dealer"), 60u);
  EXPECT_EQ(fact(r, "scrape", "vehicles", "source", "kijiji-gta"), 40u);
  EXPECT_EQ(fact(r, "scrape", "vehicles", "failed_page", "kijiji-gta"), 1u);
  EXPECT_EQ(fact(r, "scrape", "vehicles", "failed_page", "demo-dealer"), ~0ull);
  EXPECT_EQ(fact(r, "scrape", "vehicles", "http_status", "200"), 6u);
  EXPECT_EQ(fact(r, "scrape", "vehicles", "http_status", "503"), 2u);
  EXPECT_EQ(fact(r, "validate", "vehicles", "error", "price_out_of_range"), 7u);
  EXPECT_EQ(fact(r, "validate", "vehicles", "error", "required"), 4u);
  EXPECT_EQ(fact(r, "validate", "events", "error", "format"), 6u);
  EXPECT_EQ(fact(r, "import", "vehicles", "row", "queued_for_retry"), 90u);
  EXPECT_EQ(fact(r, "import", "vehicles", "row", "inserted"), 0u);
}

TEST_F(PipelineReportTest, UnusableFilesAndOddSourcesBecomeNotes) {
  PipelineReport r = build();
  std::string notes;
  for (const auto& n : r.notes) notes += n + "\n";
  EXPECT_NE(notes.find("processed/2026-11-23/vehicles/dedup_report.json: cannot be read"),
            std::string::npos)
      << notes;
  EXPECT_NE(notes.find("scrape 2026-11-23/vehicles: source kijiji-gta is partial"),
            std::string::npos)
      << notes;
  // scrape/events completed (skipped) yet wrote no meta.json here.
  EXPECT_NE(notes.find("raw/2026-11-23/events/meta.json: is missing, yet the ledger has a "
                       "completed run"),
            std::string::npos)
      << notes;
  // enrich never completed: its missing report is not news.
  EXPECT_EQ(notes.find("enrich_report.json"), std::string::npos) << notes;
}

TEST_F(PipelineReportTest, ATornLedgerLineIsNotedAndSkipped) {
  {
    std::FILE* f = std::fopen(layout.ledger_path().c_str(), "a");
    std::fputs("{\"run_id\":\"x\",\"stage\":\"scr", f);
    std::fclose(f);
  }
  PipelineReport r = build();
  EXPECT_EQ(r.ledger_malformed_lines, 1u);
  EXPECT_EQ(r.partitions.size(), 7u);
  ASSERT_FALSE(r.notes.empty());
  EXPECT_NE(r.notes[0].find("1 line(s) are not ledger entries"), std::string::npos) << r.notes[0];
}

TEST_F(PipelineReportTest, TrendsCoverTheWindowEndingAtTheLastDate) {
  request.config.trend_days = 5;
  PipelineReport r = build();
  EXPECT_EQ(r.trends.days, (std::vector<std::string>{"2026-11-19", "2026-11-20", "2026-11-21",
                                                     "2026-11-22", "2026-11-23"}));
  std::vector<std::string> stages;
  for (const auto& s : r.trends.stages) stages.push_back(s.stage);
  EXPECT_EQ(stages, (std::vector<std::string>{"scrape", "validate", "dedup", "enrich", "import"}));
  const auto& scrape = r.trends.stages[0].days;
  EXPECT_EQ(scrape[0].counts.out, 210u);
  EXPECT_EQ(scrape[3].counts.out, 200u);
  EXPECT_EQ(scrape[4].counts.out, 110u);  // 100 vehicles + 10 events
  const auto& validate = r.trends.stages[1].days;
  EXPECT_FALSE(validate[0].has_counts);
  EXPECT_EQ(validate[0].partitions, 0u);
  EXPECT_EQ(validate[4].counts.rejected, 16u);
  EXPECT_DOUBLE_EQ(validate[4].rejection_rate(), 16.0 / 110.0);
  const auto& import = r.trends.stages[4].days[4];
  EXPECT_FALSE(import.has_counts);
  EXPECT_EQ(import.failed_partitions, 1u);
}

TEST_F(PipelineReportTest, AlertsAndLastSuccess) {
  PipelineReport r = build();
  // Built-in rules: volume ok (110 >= 102.5); pass rate 94/110 >= 0.5 ok;
  // dedup, enrich, import, cleanup never succeeded; 2 failed partitions.
  std::vector<std::string> firing;
  for (const auto& a : r.alerts) {
    if (a.firing) firing.push_back(a.name + "/" + a.stage);
  }
  EXPECT_EQ(firing, (std::vector<std::string>{"no_recent_success/dedup", "no_recent_success/enrich",
                                              "no_recent_success/import", "no_recent_success/cleanup",
                                              "failed_runs/"}));
  EXPECT_EQ(r.firing(), 5u);
  ASSERT_EQ(r.last_success.size(), 5u);
  EXPECT_EQ(r.last_success[0].first, "scrape");
  EXPECT_EQ(format_utc(*r.last_success[0].second), "2026-11-23T02:05:00.000Z");
  EXPECT_FALSE(r.last_success[4].second);  // import
}

TEST_F(PipelineReportTest, AnUnreadableLedgerIsNoInput) {
  std::filesystem::remove(layout.ledger_path());
  std::filesystem::create_directory(layout.ledger_path());
  PipelineReport r;
  EXPECT_EQ(build_report(layout, request, r).code(), ExitCode::kNoInput);
}

}  // namespace
}  // namespace haul::report
