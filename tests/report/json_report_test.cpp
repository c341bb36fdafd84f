#include "report/json_report.hpp"

#include <gtest/gtest.h>

#include "support/json_doc.hpp"
#include "support/report_ledger.hpp"
#include "support/temp_dir.hpp"

namespace haul::report {
namespace {

using haul::testing::JsonDoc;

class JsonReport : public ::testing::Test {
 protected:
  haul::testing::TempDir dir;
  PipelineReport report = haul::testing::standard_report(dir / "data");
  JsonDoc doc{render_json(report)};
};

TEST_F(JsonReport, OneObjectWithTheSelectionAndTheLedger) {
  EXPECT_EQ(doc.str("/dates/0"), "2026-11-23");
  EXPECT_EQ(doc.size("/types"), 0u);
  EXPECT_EQ(doc.str("/generated_at"), "2026-11-23T08:00:00.000Z");
  EXPECT_EQ(doc.str("/ledger/path"), "state/runs.jsonl");
  EXPECT_EQ(doc.uint64("/ledger/runs"), 14u);
  EXPECT_EQ(doc.uint64("/ledger/malformed_lines"), 0u);
}

TEST_F(JsonReport, PartitionsCarryTheLedgerFigures) {
  ASSERT_EQ(doc.size("/partitions"), 7u);
  // Order: scrape events, scrape vehicles, validate events, validate vehicles, ...
  EXPECT_EQ(doc.str("/partitions/3/stage"), "validate");
  EXPECT_EQ(doc.str("/partitions/3/type"), "vehicles");
  EXPECT_EQ(doc.str("/partitions/3/status"), "skipped");
  EXPECT_EQ(doc.uint64("/partitions/3/records_in"), 100u);
  EXPECT_EQ(doc.uint64("/partitions/3/records_out"), 90u);
  EXPECT_EQ(doc.uint64("/partitions/3/rejected"), 10u);
  EXPECT_EQ(doc.number("/partitions/3/pass_rate"), 0.9);
  EXPECT_EQ(doc.number("/partitions/3/duration_s"), 1.5);
  EXPECT_EQ(doc.uint64("/partitions/3/runs"), 3u);
  EXPECT_EQ(doc.uint64("/partitions/3/failed_runs"), 1u);
  EXPECT_EQ(doc.str("/partitions/3/last_success_at"), "2026-11-23T05:00:00.000Z");
  EXPECT_EQ(doc.str("/partitions/6/stage"), "import");
  EXPECT_EQ(doc.boolean("/partitions/6/has_counts"), false);
  EXPECT_EQ(doc.int64("/partitions/6/exit_code"), 69);
  EXPECT_EQ(doc.str("/partitions/6/error"), "database unavailable");
  EXPECT_TRUE(doc.at("/partitions/6/pass_rate")->is_null());
  EXPECT_TRUE(doc.at("/partitions/6/last_success_at")->is_null());
}

TEST_F(JsonReport, LastSuccessDetailsTrendsAlertsNotes) {
  EXPECT_EQ(doc.str("/last_success/scrape"), "2026-11-23T02:05:00.000Z");
  EXPECT_TRUE(doc.at("/last_success/import")->is_null());
  ASSERT_EQ(doc.size("/details"), report.files.facts.size());
  EXPECT_EQ(doc.str("/details/0/stage"), "scrape");
  EXPECT_EQ(doc.str("/details/0/key"), "demo-dealer");
  EXPECT_EQ(doc.uint64("/details/0/count"), 60u);
  EXPECT_EQ(doc.size("/trends/days"), 30u);
  EXPECT_EQ(doc.str("/trends/days/29"), "2026-11-23");
  EXPECT_EQ(doc.str("/trends/days/0"), "2026-10-25");
  EXPECT_TRUE(doc.at("/trends/stages/scrape/0")->is_null());
  EXPECT_EQ(doc.uint64("/trends/stages/scrape/29/out"), 110u);
  EXPECT_EQ(doc.uint64("/trends/stages/validate/29/rejected"), 16u);
  EXPECT_EQ(doc.number("/trends/stages/validate/28/rejection_rate"), 0.1);
  EXPECT_EQ(doc.uint64("/trends/stages/import/29/failed"), 1u);
  EXPECT_EQ(doc.size("/alerts"), 9u);
  EXPECT_EQ(doc.str("/alerts/0/name"), "scrape_volume_drop");
  EXPECT_EQ(doc.str("/alerts/0/rule"), "below_median");
  EXPECT_EQ(doc.str("/alerts/0/state"), "ok");
  EXPECT_EQ(doc.number("/alerts/0/value"), 110.0);
  EXPECT_EQ(doc.number("/alerts/0/threshold"), 102.5);
  EXPECT_EQ(doc.str("/alerts/8/name"), "failed_runs");
  EXPECT_EQ(doc.boolean("/alerts/8/firing"), true);
  EXPECT_TRUE(doc.at("/alerts/8/stage")->is_null());
  EXPECT_EQ(doc.uint64("/firing"), 5u);
  EXPECT_EQ(doc.size("/notes"), report.notes.size());
}

}  // namespace
}  // namespace haul::report
