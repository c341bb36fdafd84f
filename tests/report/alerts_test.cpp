#include "report/alerts.hpp"

#include <gtest/gtest.h>

#include "support/report_ledger.hpp"
#include "util/clock.hpp"

namespace haul::report {
namespace {

using haul::testing::ReportLedger;
using haul::testing::standard_report_ledger;

struct Fixture {
  std::vector<run::RunEntry> runs;
  std::vector<PartitionSummary> partitions;
  std::vector<Date> dates{*Date::parse("2026-11-23")};
  std::set<std::string> types;
  std::chrono::system_clock::time_point now = *parse_utc("2026-11-23T08:00:00Z");

  explicit Fixture(const ReportLedger& ledger)
      : runs(run::latest_by_run(ledger.entries())),
        partitions(summarize_partitions(runs, "report")) {}

  std::vector<Alert> evaluate(const AlertRule& rule) const {
    return evaluate_alerts({rule}, {partitions, runs, dates, types, now});
  }
};

AlertRule volume_rule() {
  AlertRule rule;
  rule.name = "scrape_volume_drop";
  rule.kind = "below_median";
  rule.stage = "scrape";
  return rule;
}

TEST(BelowMedian, QuietWhenAllTypesTogetherStayAboveHalfTheMedian) {
  Fixture f(standard_report_ledger());
  auto alerts = f.evaluate(volume_rule());
  ASSERT_EQ(alerts.size(), 1u);
  // Median of 210, 180, 220, 200 is 205; 100 vehicles + 10 events = 110.
  EXPECT_TRUE(alerts[0].evaluated);
  EXPECT_FALSE(alerts[0].firing);
  EXPECT_DOUBLE_EQ(*alerts[0].value, 110);
  EXPECT_DOUBLE_EQ(*alerts[0].threshold, 102.5);
  EXPECT_EQ(alerts[0].date, "2026-11-23");
}

TEST(BelowMedian, FiresForOneTypeBelowHalfTheMedian) {
  Fixture f(standard_report_ledger());
  AlertRule rule = volume_rule();
  rule.type = "vehicles";
  auto alerts = f.evaluate(rule);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_TRUE(alerts[0].firing);
  EXPECT_DOUBLE_EQ(*alerts[0].value, 100);
  EXPECT_DOUBLE_EQ(*alerts[0].threshold, 102.5);
  EXPECT_NE(alerts[0].message.find("100 < 102.5"), std::string::npos) << alerts[0].message;
}

TEST(BelowMedian, NotJudgedWithoutEnoughHistoryAndFiresWhenNothingRan) {
  Fixture f(standard_report_ledger());
  AlertRule rule = volume_rule();
  rule.min_history = 5;
  auto alerts = f.evaluate(rule);
  EXPECT_FALSE(alerts[0].evaluated);
  EXPECT_FALSE(alerts[0].firing);
  EXPECT_FALSE(alerts[0].threshold);
  EXPECT_NE(alerts[0].message.find("4 of the 7 days"), std::string::npos) << alerts[0].message;

  f.dates = {*Date::parse("2026-11-24")};  // no scrape run at all that day
  auto missing = f.evaluate(volume_rule());
  EXPECT_TRUE(missing[0].firing);
  EXPECT_DOUBLE_EQ(*missing[0].value, 0);
  // History is 19..23: 210, 180, 220, 200, 110: median 200.
  EXPECT_DOUBLE_EQ(*missing[0].threshold, 100);
}

TEST(BelowMedian, CountsInOrRejectedWhenAsked) {
  Fixture f(standard_report_ledger());
  AlertRule rule;
  rule.name = "validate_rejections";
  rule.kind = "below_median";
  rule.stage = "validate";
  rule.count = "rejected";
  rule.min_history = 1;
  rule.fraction = 1;
  auto alerts = f.evaluate(rule);
  // 10 + 6 rejected on the 23rd, 20 on the 22nd.
  EXPECT_DOUBLE_EQ(*alerts[0].value, 16);
  EXPECT_DOUBLE_EQ(*alerts[0].threshold, 20);
  EXPECT_TRUE(alerts[0].firing);
}

TEST(PassRateBelow, FiresBelowTheMinimumAndNotAtIt) {
  Fixture f(standard_report_ledger());
  AlertRule rule;
  rule.name = "validation_pass_rate";
  rule.kind = "pass_rate_below";
  rule.stage = "validate";
  rule.min = 0.9;
  // (90 + 4) / (100 + 10) = 0.8545...
  auto all_types = f.evaluate(rule);
  EXPECT_TRUE(all_types[0].firing);
  EXPECT_DOUBLE_EQ(*all_types[0].value, 94.0 / 110.0);
  EXPECT_DOUBLE_EQ(*all_types[0].threshold, 0.9);
  rule.type = "vehicles";  // exactly 0.9: not below
  auto vehicles = f.evaluate(rule);
  EXPECT_FALSE(vehicles[0].firing);
  EXPECT_DOUBLE_EQ(*vehicles[0].value, 0.9);
  rule.stage = "import";  // failed, no figures: not judged
  auto import = f.evaluate(rule);
  EXPECT_FALSE(import[0].evaluated);
  EXPECT_FALSE(import[0].firing);
}

TEST(NoSuccessFor, MeasuresHoursSinceTheLastSuccessAgainstNow) {
  Fixture f(standard_report_ledger());
  AlertRule rule;
  rule.name = "no_recent_success";
  rule.kind = "no_success_for";
  rule.hours = {{"validate", 3}, {"scrape", 26}, {"import", 26}};
  auto alerts = f.evaluate(rule);
  ASSERT_EQ(alerts.size(), 3u);
  // In stage order, whatever the config's order.
  EXPECT_EQ(alerts[0].stage, "scrape");
  EXPECT_FALSE(alerts[0].firing);
  EXPECT_NEAR(*alerts[0].value, 5 + 55.0 / 60, 1e-9);  // 02:05 -> 08:00
  EXPECT_EQ(alerts[1].stage, "validate");
  EXPECT_DOUBLE_EQ(*alerts[1].value, 3);  // 05:00 -> 08:00: not more than 3 h
  EXPECT_FALSE(alerts[1].firing);
  EXPECT_EQ(alerts[2].stage, "import");  // never succeeded
  EXPECT_TRUE(alerts[2].firing);
  EXPECT_FALSE(alerts[2].value);

  f.now = *parse_utc("2026-11-24T04:05:01Z");  // 26 h and 1 s after the last scrape
  auto later = f.evaluate(rule);
  EXPECT_TRUE(later[0].firing);
  EXPECT_TRUE(later[1].firing);
  EXPECT_EQ(later[0].date, "");
}

TEST(FailedRuns, CountsPartitionsWhoseLastRunFailedOrWasAbandoned) {
  Fixture f(standard_report_ledger());
  AlertRule rule;
  rule.name = "failed_runs";
  rule.kind = "failed_runs";
  auto alerts = f.evaluate(rule);
  ASSERT_EQ(alerts.size(), 1u);
  // enrich abandoned and import failed; validate's failure was rerun.
  EXPECT_TRUE(alerts[0].firing);
  EXPECT_DOUBLE_EQ(*alerts[0].value, 2);
  EXPECT_NE(alerts[0].message.find("import/vehicles failed (exit 69: database unavailable)"),
            std::string::npos)
      << alerts[0].message;
  rule.max = 2;
  EXPECT_FALSE(f.evaluate(rule)[0].firing);
  rule.max = 0;
  f.dates = {*Date::parse("2026-11-22")};
  auto quiet = f.evaluate(rule);
  EXPECT_FALSE(quiet[0].firing);
  EXPECT_DOUBLE_EQ(*quiet[0].value, 0);
}

TEST(Alerts, OneEvaluationPerRuleAndDateOfARange) {
  Fixture f(standard_report_ledger());
  f.dates = date_range(*Date::parse("2026-11-21"), *Date::parse("2026-11-23"));
  auto config = default_report_config();
  auto alerts = evaluate_alerts(config.rules, {f.partitions, f.runs, f.dates, f.types, f.now});
  // below_median, pass_rate_below and failed_runs per date; six stages once.
  EXPECT_EQ(alerts.size(), 3u * 3u + 6u);
}

}  // namespace
}  // namespace haul::report
