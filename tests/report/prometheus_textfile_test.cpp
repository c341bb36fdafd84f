#include "report/prometheus_textfile.hpp"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <map>
#include <set>
#include <sstream>

#include "support/report_ledger.hpp"
#include "support/temp_dir.hpp"

namespace haul::report {
namespace {

// A strict reader of the text exposition format 0.0.4: every line is a HELP,
// a TYPE or a sample; a family's HELP and TYPE come once, before its
// samples, which are contiguous; no series appears twice. Returns the samples
// as "name{labels}" -> value, or fails the test naming the line.
std::map<std::string, std::string> parse_exposition(const std::string& text) {
  static const RE2 help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) [^\n]+)");
  static const RE2 type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter|untyped))");
  static const RE2 sample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\})? )"
      R"(([-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|NaN|[-+]Inf))");
  std::map<std::string, std::string> samples;
  std::set<std::string> helped, typed, closed;
  std::string current;
  std::istringstream in(text);
  int n = 0;
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  for (std::string line; std::getline(in, line);) {
    ++n;
    std::string name, labels, value, kind;
    if (RE2::FullMatch(line, help, &name)) {
      EXPECT_TRUE(helped.insert(name).second) << "line " << n << ": second HELP: " << line;
      EXPECT_FALSE(closed.count(name)) << "line " << n;
      if (!current.empty() && current != name) closed.insert(current);
      current = name;
    } else if (RE2::FullMatch(line, type, &name, &kind)) {
      EXPECT_TRUE(typed.insert(name).second) << "line " << n << ": second TYPE: " << line;
      EXPECT_EQ(name, current) << "line " << n << ": TYPE not after its HELP";
    } else if (RE2::FullMatch(line, sample, &name, &labels, &value)) {
      EXPECT_EQ(name, current) << "line " << n << ": sample outside its family: " << line;
      EXPECT_TRUE(typed.count(name)) << "line " << n << ": sample before TYPE";
      EXPECT_TRUE(samples.emplace(name + labels, value).second)
          << "line " << n << ": series repeated: " << line;
    } else {
      ADD_FAILURE() << "line " << n << " is not exposition format: [" << line << "]";
    }
  }
  return samples;
}

class PrometheusTextfile : public ::testing::Test {
 protected:
  haul::testing::TempDir dir;
  PipelineReport report = haul::testing::standard_report(dir / "data");
};

TEST_F(PrometheusTextfile, EveryLineIsValidExpositionFormat) {
  parse_exposition(render_prometheus(report));
}

TEST_F(PrometheusTextfile, TheMetricsTheOperatorGraphs) {
  const std::string text = render_prometheus(report);
  auto samples = parse_exposition(text);
  EXPECT_EQ(samples["haul_report_generated_timestamp_seconds"], "1795420800");
  // 2026-11-23T02:05:00Z
  EXPECT_EQ(samples["haul_scrape_last_success_timestamp_seconds"], "1795399500");
  EXPECT_EQ(samples["haul_validate_last_success_timestamp_seconds"], "1795410000");
  EXPECT_EQ(samples.count("haul_import_last_success_timestamp_seconds"), 0u);
  EXPECT_EQ(samples["haul_scrape_duration_seconds{type=\"vehicles\"}"], "12.5");
  EXPECT_EQ(samples["haul_validate_duration_seconds{type=\"vehicles\"}"], "1.5");
  EXPECT_EQ(samples["haul_validate_records{kind=\"in\",type=\"vehicles\"}"], "100");
  EXPECT_EQ(samples["haul_validate_records{kind=\"out\",type=\"vehicles\"}"], "90");
  EXPECT_EQ(samples["haul_validate_records{kind=\"rejected\",type=\"vehicles\"}"], "10");
  EXPECT_EQ(samples["haul_validate_records{kind=\"rejected\",type=\"events\"}"], "6");
  EXPECT_EQ(samples.count("haul_import_records{kind=\"in\",type=\"vehicles\"}"), 0u);
  EXPECT_EQ(samples["haul_import_last_run_failed{type=\"vehicles\"}"], "1");
  EXPECT_EQ(samples["haul_validate_last_run_failed{type=\"vehicles\"}"], "0");
  EXPECT_EQ(samples["haul_report_detail{stage=\"validate\",type=\"vehicles\",kind=\"error\","
                    "key=\"price_out_of_range\"}"],
            "7");
  EXPECT_EQ(samples["haul_alert_firing{alert=\"failed_runs\",stage=\"\"}"], "1");
  EXPECT_EQ(samples["haul_alert_firing{alert=\"scrape_volume_drop\",stage=\"scrape\"}"], "0");
  EXPECT_EQ(samples["haul_alert_firing{alert=\"no_recent_success\",stage=\"import\"}"], "1");
  EXPECT_EQ(samples["haul_alerts_firing"], "5");
  EXPECT_NE(text.find("# TYPE haul_scrape_records gauge\n"), std::string::npos);
}

TEST_F(PrometheusTextfile, LabelValuesAndStageNamesAreEscaped) {
  report.files.facts.push_back(
      {"2026-11-23", "vehicles", "validate", "error", "odd \"code\"\\ with\nnewline", 1});
  report.last_success.emplace_back("Odd-Stage", report.now);
  const std::string text = render_prometheus(report);
  auto samples = parse_exposition(text);
  EXPECT_EQ(samples["haul_report_detail{stage=\"validate\",type=\"vehicles\",kind=\"error\","
                    "key=\"odd \\\"code\\\"\\\\ with\\nnewline\"}"],
            "1");
  EXPECT_EQ(samples["haul_odd_stage_last_success_timestamp_seconds"], "1795420800");
}

}  // namespace
}  // namespace haul::report
