#include "report/partition_summary.hpp"

#include <gtest/gtest.h>

#include "support/report_ledger.hpp"
#include "util/clock.hpp"

namespace haul::report {
namespace {

using haul::testing::ReportLedger;
using haul::testing::standard_report_ledger;

const PartitionSummary* find(const std::vector<PartitionSummary>& all, const std::string& stage,
                             const std::string& date, const std::string& type) {
  for (const auto& p : all) {
    if (p.stage == stage && p.date == date && p.type == type) return &p;
  }
  return nullptr;
}

TEST(PartitionSummary, OneSummaryPerPartitionInDateStageAndTypeOrder) {
  auto all = summarize_partitions(run::latest_by_run(standard_report_ledger().entries()), "report");
  std::vector<std::string> order;
  for (const auto& p : all) order.push_back(p.date + " " + p.stage + " " + p.type);
  EXPECT_EQ(order, (std::vector<std::string>{
                       "2026-11-19 scrape vehicles", "2026-11-20 scrape vehicles",
                       "2026-11-21 scrape vehicles", "2026-11-22 scrape vehicles",
                       "2026-11-22 validate vehicles", "2026-11-23 scrape events",
                       "2026-11-23 scrape vehicles", "2026-11-23 validate events",
                       "2026-11-23 validate vehicles", "2026-11-23 dedup vehicles",
                       "2026-11-23 enrich vehicles", "2026-11-23 import vehicles"}));
}

TEST(PartitionSummary, FiguresOfTheLatestRunWithWorkStatusOfTheLastRun) {
  auto all = summarize_partitions(run::latest_by_run(standard_report_ledger().entries()), "report");
  const auto* v = find(all, "validate", "2026-11-23", "vehicles");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->status, "skipped");
  EXPECT_TRUE(v->has_counts);
  EXPECT_EQ(v->counts.in, 100u);
  EXPECT_EQ(v->counts.out, 90u);
  EXPECT_EQ(v->counts.rejected, 10u);
  EXPECT_DOUBLE_EQ(v->duration_s, 1.5);  // the working run's, not the skip's 0.01
  EXPECT_EQ(v->runs, 3u);
  EXPECT_EQ(v->failed_runs, 1u);
  EXPECT_EQ(v->last_success_at, "2026-11-23T05:00:00.000Z");
  EXPECT_FALSE(v->last_run_failed());
  EXPECT_DOUBLE_EQ(*v->pass_rate(), 0.9);
}

TEST(PartitionSummary, ASkippedRunAloneStillGivesFiguresAndCountsAsSuccess) {
  auto all = summarize_partitions(run::latest_by_run(standard_report_ledger().entries()), "report");
  const auto* s = find(all, "scrape", "2026-11-23", "events");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->status, "skipped");
  EXPECT_TRUE(s->has_counts);
  EXPECT_EQ(s->counts.out, 10u);
  EXPECT_DOUBLE_EQ(s->duration_s, 0.02);
}

TEST(PartitionSummary, RunningAbandonedAndFailedRunsHaveNoFigures) {
  auto all = summarize_partitions(run::latest_by_run(standard_report_ledger().entries()), "report");
  const auto* dedup = find(all, "dedup", "2026-11-23", "vehicles");
  ASSERT_NE(dedup, nullptr);
  EXPECT_EQ(dedup->status, "running");
  EXPECT_FALSE(dedup->has_counts);
  EXPECT_FALSE(dedup->last_run_failed());
  EXPECT_EQ(dedup->failed_runs, 0u);
  const auto* enrich = find(all, "enrich", "2026-11-23", "vehicles");
  EXPECT_EQ(enrich->status, "abandoned");
  EXPECT_TRUE(enrich->last_run_failed());
  EXPECT_EQ(enrich->error, "process gone");
  const auto* import = find(all, "import", "2026-11-23", "vehicles");
  EXPECT_EQ(import->status, "failed");
  EXPECT_FALSE(import->has_counts);
  EXPECT_FALSE(import->pass_rate());
  EXPECT_EQ(import->exit_code, 69);
  EXPECT_EQ(import->error, "database unavailable");
  EXPECT_EQ(import->last_success_at, "");
}

TEST(PartitionSummary, AFailureAfterASuccessKeepsTheFiguresButShowsFailed) {
  ReportLedger ledger;
  ledger.add({"dedup", "2026-01-02", "vehicles", "completed", 50, 40, 10, 3, "2026-01-02T01:00:00Z"})
      .add({"dedup", "2026-01-02", "vehicles", "failed", 0, 0, 0, 1, "2026-01-02T02:00:00Z", 73, "disk full"});
  auto all = summarize_partitions(run::latest_by_run(ledger.entries()), "report");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].status, "failed");
  EXPECT_TRUE(all[0].has_counts);
  EXPECT_EQ(all[0].counts.out, 40u);
  EXPECT_EQ(all[0].error, "disk full");
  EXPECT_TRUE(all[0].last_run_failed());
}

TEST(PartitionSummary, TheReportsOwnRunsAreLeftOut) {
  ReportLedger ledger;
  ledger.add({"report", "2026-01-02", "all", "completed", 4, 4, 0, 0.1, "2026-01-02T01:00:00Z"});
  EXPECT_TRUE(summarize_partitions(run::latest_by_run(ledger.entries()), "report").empty());
}

TEST(PartitionSummary, LastSuccessIsTheLatestCompletedRunOfAnyDate) {
  auto runs = run::latest_by_run(standard_report_ledger().entries());
  EXPECT_EQ(format_utc(*last_success(runs, "scrape")), "2026-11-23T02:05:00.000Z");
  EXPECT_EQ(format_utc(*last_success(runs, "validate")), "2026-11-23T05:00:00.000Z");
  EXPECT_FALSE(last_success(runs, "import"));
  EXPECT_FALSE(last_success(runs, "enrich"));
  EXPECT_FALSE(last_success(runs, "cleanup"));
}

TEST(ParseUtc, ReadsWhatFormatUtcWritesAndRefusesOtherZones) {
  auto t = parse_utc("2026-11-23T04:22:01.123Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_utc(*t), "2026-11-23T04:22:01.123Z");
  EXPECT_EQ(format_utc(*parse_utc("2026-02-28T23:59:59Z")), "2026-02-28T23:59:59.000Z");
  EXPECT_FALSE(parse_utc("2026-11-23T04:22:01+01:00"));
  EXPECT_FALSE(parse_utc("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_utc("2026-11-23 04:22:01Z"));
  EXPECT_FALSE(parse_utc("2026-11-23T04:22:01.Z"));
}

}  // namespace
}  // namespace haul::report
