// haul-report run as cron would run it, on a data root the real stages
// produced (haul-validate then haul-dedup on the validate fixtures): its
// figures equal the stages' report files and ledger, its own run lands in the
// ledger, alerts set the exit code, and the textfile and page are written.

#include <gtest/gtest.h>

#include <filesystem>

#include "support/json_doc.hpp"
#include "support/temp_dir.hpp"
#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;

class ReportCli : public ::testing::Test {
 protected:
  ValidateWorkspace ws;
  TempDir config_copy;

  void SetUp() override {
    ws.add_fixture("kijiji_mixed.json", "kijiji-gta_001.json");
    ws.add_fixture("kijiji_mixed.jsonl", "kijiji-gta_002.jsonl");
    ASSERT_TRUE(ExitedWith(ws.run(), 0));
    ASSERT_TRUE(ExitedWith(ws.run_tool("haul-dedup"), 0));
  }
  ProcessResult report(std::vector<std::string> args) const {
    return ws.run_tool("haul-report", std::move(args));
  }
  // Points the runs at a copy of the configuration whose report.json is `rules`.
  void use_report_config(const std::string& rules) {
    fs::remove_all(config_copy / "config");
    fs::copy(repo_config_dir(), config_copy / "config", fs::copy_options::recursive);
    write_file(config_copy / "config" / "report.json", rules);
    ws.config_dir = config_copy / "config";
  }
  // The --json partition of `stage` for vehicles on the workspace's date.
  static std::optional<std::size_t> partition(const JsonDoc& doc, const std::string& stage) {
    for (std::size_t i = 0; i < doc.size("/partitions").value_or(0); ++i) {
      const std::string at = "/partitions/" + std::to_string(i);
      if (doc.str(at + "/stage") == stage && doc.str(at + "/type") == "vehicles") return i;
    }
    return std::nullopt;
  }
  static std::optional<std::uint64_t> detail(const JsonDoc& doc, const std::string& stage,
                                             const std::string& kind, const std::string& key) {
    for (std::size_t i = 0; i < doc.size("/details").value_or(0); ++i) {
      const std::string at = "/details/" + std::to_string(i);
      if (doc.str(at + "/stage") == stage && doc.str(at + "/kind") == kind &&
          doc.str(at + "/key") == key) {
        return doc.uint64(at + "/count");
      }
    }
    return std::nullopt;
  }
};

TEST_F(ReportCli, FiguresEqualTheStageReportFiles) {
  const fs::path prom = ws.root() / "metrics" / "haul.prom";
  const fs::path html = ws.root() / "report.html";
  auto result = report({"--json", "--prometheus", prom.string(), "--html", html.string()});
  // The built-in rules fire: scrape, enrich, import and cleanup never ran.
  ASSERT_TRUE(ExitedWith(result, 65));
  EXPECT_NE(result.err.find("alert(s) firing: no_recent_success/scrape"), std::string::npos)
      << result.err;
  JsonDoc doc(result.out);

  JsonDoc validate(read_file(ws.report()));
  auto v = partition(doc, "validate");
  ASSERT_TRUE(v);
  const std::string vp = "/partitions/" + std::to_string(*v);
  EXPECT_EQ(doc.str(vp + "/status"), "completed");
  EXPECT_EQ(doc.uint64(vp + "/records_in"), validate.uint64("/records_in"));
  EXPECT_EQ(doc.uint64(vp + "/records_out"), validate.uint64("/valid"));
  EXPECT_EQ(doc.uint64(vp + "/rejected"), validate.uint64("/rejected"));
  EXPECT_GT(*validate.uint64("/rejected"), 0u);
  std::size_t codes = 0;
  for (auto [code, count] : simdjson::dom::object(*validate.at("/errors_by_code"))) {
    EXPECT_EQ(detail(doc, "validate", "error", std::string(code)), std::uint64_t(count)) << code;
    ++codes;
  }
  EXPECT_GT(codes, 0u);

  JsonDoc dedup(read_file(ws.processed_dir() / "dedup_report.json"));
  auto d = partition(doc, "dedup");
  ASSERT_TRUE(d);
  const std::string dp = "/partitions/" + std::to_string(*d);
  EXPECT_EQ(doc.uint64(dp + "/records_in"), dedup.uint64("/records_in"));
  EXPECT_EQ(doc.uint64(dp + "/records_in"), validate.uint64("/valid"));
  EXPECT_EQ(doc.uint64(dp + "/records_out"), dedup.uint64("/survivors"));
  EXPECT_EQ(doc.uint64(dp + "/rejected"),
            *dedup.uint64("/duplicates") + *dedup.uint64("/rejected"));
  EXPECT_EQ(detail(doc, "dedup", "duplicate", "exact"), dedup.uint64("/exact_duplicates"));

  // The textfile and the page, written atomically (no temporaries left).
  const std::string metrics = read_file(prom);
  EXPECT_NE(metrics.find("haul_validate_records{kind=\"in\",type=\"vehicles\"} " +
                         std::to_string(*validate.uint64("/records_in")) + "\n"),
            std::string::npos)
      << metrics;
  EXPECT_NE(read_file(html).find("<svg "), std::string::npos);
  EXPECT_TRUE(hidden_files_under(ws.root() / "metrics").empty());

  // Its own run is in the ledger: completed, with the alerts' exit code.
  auto ledger = read_lines(ws.ledger());
  JsonDoc last(ledger.back());
  EXPECT_EQ(last.str("/stage"), "report");
  EXPECT_EQ(last.str("/type"), "all");
  EXPECT_EQ(last.str("/date"), std::string(ValidateWorkspace::kDate));
  EXPECT_EQ(last.str("/status"), "completed");
  EXPECT_EQ(last.int64("/exit_code"), 65);
  EXPECT_EQ(last.uint64("/counts/rejected"), doc.uint64("/firing"));
}

TEST_F(ReportCli, NoAlertIsExitZeroAndQuietPrintsNothing) {
  use_report_config(R"({"alerts": [{"name": "failed_runs", "rule": "failed_runs"},
      {"name": "pass", "rule": "pass_rate_below", "stage": "validate", "min": 0.1}]})");
  auto quiet = report({"-q"});
  ASSERT_TRUE(ExitedWith(quiet, 0));
  EXPECT_EQ(quiet.out, "");
  EXPECT_EQ(quiet.err, "");
  auto text = report({});
  ASSERT_TRUE(ExitedWith(text, 0));
  EXPECT_NE(text.out.find("Alerts: 0 firing of 2"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("validate  vehicles  completed"), std::string::npos) << text.out;
}

TEST_F(ReportCli, AFiringAlertIsPrintedEvenWhenQuiet) {
  use_report_config(R"({"alerts": [
      {"name": "strict_pass_rate", "rule": "pass_rate_below", "stage": "validate", "min": 0.99}]})");
  auto quiet = report({"-q"});
  ASSERT_TRUE(ExitedWith(quiet, 65));
  EXPECT_NE(quiet.out.find("1 alert(s) firing"), std::string::npos) << quiet.out;
  EXPECT_NE(quiet.out.find("strict_pass_rate  firing  validate"), std::string::npos) << quiet.out;
  EXPECT_NE(quiet.err.find("strict_pass_rate/validate"), std::string::npos) << quiet.err;
}

TEST_F(ReportCli, NowIsInjectableAndChecked) {
  use_report_config(R"({"alerts": [{"name": "stale", "rule": "no_success_for",
      "hours": {"validate": 26}}]})");
  // The runs above ended moments ago: 25 h from now is within the limit, 27 h is not.
  auto in = [](int hours) {
    auto t = std::chrono::system_clock::now() + std::chrono::hours(hours);
    std::time_t s = std::chrono::system_clock::to_time_t(t);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&s));
    return std::string(text);
  };
  EXPECT_TRUE(ExitedWith(report({"-q", "--now", in(25)}), 0));
  auto late = report({"--json", "--now", in(27)});
  ASSERT_TRUE(ExitedWith(late, 65));
  JsonDoc doc(late.out);
  EXPECT_EQ(doc.str("/alerts/0/stage"), "validate");
  EXPECT_GT(*doc.number("/alerts/0/value"), 26.9);
  auto bad = report({"--now", "yesterday"});
  EXPECT_TRUE(ExitedWith(bad, 64));
  EXPECT_NE(bad.err.find("--now needs"), std::string::npos) << bad.err;
}

TEST_F(ReportCli, ARangeIsOneRunAndABadConfigIs78) {
  use_report_config(R"({"alerts": [{"name": "failed_runs", "rule": "failed_runs"}]})");
  auto range = report({"--json", "--from", "2026-11-21", "--to", "2026-11-23"});
  ASSERT_TRUE(ExitedWith(range, 0));
  JsonDoc doc(range.out);
  EXPECT_EQ(doc.size("/dates"), 3u);
  EXPECT_EQ(doc.size("/alerts"), 3u);  // one per date
  std::size_t report_runs = 0;
  for (const auto& line : read_lines(ws.ledger())) {
    if (JsonDoc(line).str("/stage") == "report") ++report_runs;
  }
  EXPECT_EQ(report_runs, 2u);  // running + completed of one run

  use_report_config(R"({"alerts": [{"name": "x", "rule": "never"}]})");
  auto bad = report({});
  EXPECT_TRUE(ExitedWith(bad, 78));
  EXPECT_NE(bad.err.find("report.json: alerts[0].rule must be"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace haul::testing
