#include "report/alert_config.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "support/validate_workspace.hpp"

namespace haul::report {
namespace {

using haul::testing::TempDir;
using haul::testing::write_file;

TEST(ReportConfig, TheShippedFileLoadsAndEqualsTheBuiltInRules) {
  ReportConfig shipped;
  Status s = load_report_config(haul::testing::repo_config_dir() / "report.json", shipped);
  ASSERT_TRUE(s.is_ok()) << s.message();
  ReportConfig built_in = default_report_config();
  EXPECT_EQ(shipped.trend_days, 30u);
  ASSERT_EQ(shipped.rules.size(), built_in.rules.size());
  for (std::size_t i = 0; i < shipped.rules.size(); ++i) {
    EXPECT_EQ(shipped.rules[i].name, built_in.rules[i].name);
    EXPECT_EQ(shipped.rules[i].kind, built_in.rules[i].kind);
    EXPECT_EQ(shipped.rules[i].hours, built_in.rules[i].hours);
    EXPECT_EQ(shipped.rules[i].min, built_in.rules[i].min);
  }
}

TEST(ReportConfig, AMissingFileGivesTheBuiltInRules) {
  TempDir dir;
  ReportConfig config;
  ASSERT_TRUE(load_report_config(dir / "report.json", config).is_ok());
  EXPECT_EQ(config.rules.size(), 4u);
}

TEST(ReportConfig, ReadsEverySetting) {
  TempDir dir;
  write_file(dir / "report.json", R"({"trend_days": 14, "alerts": [
      {"name": "v", "rule": "below_median", "stage": "validate", "type": "events",
       "count": "in", "fraction": 0.25, "days": 10, "min_history": 2},
      {"name": "p", "rule": "pass_rate_below", "stage": "dedup", "min": 0.75},
      {"name": "s", "rule": "no_success_for", "hours": {"import": 30}},
      {"name": "f", "rule": "failed_runs", "max": 3}]})");
  ReportConfig config;
  Status s = load_report_config(dir / "report.json", config);
  ASSERT_TRUE(s.is_ok()) << s.message();
  EXPECT_EQ(config.trend_days, 14u);
  ASSERT_EQ(config.rules.size(), 4u);
  EXPECT_EQ(config.rules[0].type, "events");
  EXPECT_EQ(config.rules[0].count, "in");
  EXPECT_EQ(config.rules[0].fraction, 0.25);
  EXPECT_EQ(config.rules[0].days, 10u);
  EXPECT_EQ(config.rules[0].min_history, 2u);
  EXPECT_EQ(config.rules[1].min, 0.75);
  EXPECT_EQ(config.rules[2].hours.at("import"), 30);
  EXPECT_EQ(config.rules[3].max, 3u);
}

TEST(ReportConfig, EveryMistakeIsAConfigErrorNamingTheSetting) {
  TempDir dir;
  struct Case {
    const char* json;
    const char* names;
  } cases[] = {
      {R"({"alert": []})", "alert is not a known setting"},
      {R"({"trend_days": 1})", "trend_days must be"},
      {R"({"alerts": [{"rule": "failed_runs"}]})", "alerts[0].name is required"},
      {R"({"alerts": [{"name": "x", "rule": "sometimes"}]})", "alerts[0].rule must be"},
      {R"({"alerts": [{"name": "x", "rule": "below_median"}]})", "alerts[0].stage is required"},
      {R"({"alerts": [{"name": "x", "rule": "failed_runs", "max": 0},
                      {"name": "x", "rule": "failed_runs"}]})", "alerts[1].name is used twice"},
      {R"({"alerts": [{"name": "x", "rule": "pass_rate_below", "stage": "validate", "min": 2}]})",
       "alerts[0].min must be a number from 0 to 1"},
      {R"({"alerts": [{"name": "x", "rule": "pass_rate_below", "stage": "validate", "days": 3}]})",
       "alerts[0].days is not a setting of rule pass_rate_below"},
      {R"({"alerts": [{"name": "x", "rule": "below_median", "stage": "scrape", "count": "all"}]})",
       "alerts[0].count must be in, out or rejected"},
      {R"({"alerts": [{"name": "x", "rule": "below_median", "stage": "scrape", "days": 3,
                       "min_history": 4}]})", "alerts[0].min_history must be from 1 to days"},
      {R"({"alerts": [{"name": "x", "rule": "no_success_for", "hours": {}}]})",
       "alerts[0].hours must name at least one stage"},
      {R"({"alerts": [{"name": "x", "rule": "no_success_for", "hours": {"scrape": "1d"}}]})",
       "alerts[0].hours.scrape must be a number"},
      {R"({"alerts": [{"name": "x", "rule": "failed_runs", "type": "cars"}]})",
       "alerts[0].type must be vehicles, events or articles"},
      {R"([1, 2])", "must be a JSON object"},
      {R"({"alerts": )", "not readable JSON"},
  };
  for (const auto& c : cases) {
    write_file(dir / "report.json", c.json);
    ReportConfig config;
    Status s = load_report_config(dir / "report.json", config);
    EXPECT_EQ(s.code(), ExitCode::kConfig) << c.json;
    EXPECT_NE(s.message().find(c.names), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("report.json"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace haul::report
