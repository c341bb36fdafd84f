#include "report/text_report.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "report/text_table.hpp"
#include "support/report_ledger.hpp"
#include "support/temp_dir.hpp"

namespace haul::report {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(TextTable, AlignsColumnsNumbersRightAndCountsCodePoints) {
  TextTable table({"name", ">count"});
  table.add({"Montréal", "7"});
  table.add({"x", "1234"});
  EXPECT_EQ(table.render(),
            "name      count\n"
            "Montréal      7\n"
            "x          1234\n");
}

TEST(TextTable, NoTrailingBlanks) {
  TextTable table({"a", "b"});
  table.add({"long value", ""});
  for (const auto& line : lines_of(table.render())) {
    EXPECT_TRUE(line.empty() || line.back() != ' ') << "[" << line << "]";
  }
}

class TextReport : public ::testing::Test {
 protected:
  haul::testing::TempDir dir;
  PipelineReport report = haul::testing::standard_report(dir / "data");
};

std::string squeeze(const std::string& line) {
  std::string squeezed;
  for (char c : line) {
    if (c != ' ' || squeezed.empty() || squeezed.back() != ' ') squeezed += c;
  }
  return squeezed;
}

// The first line of `text` that starts with `prefix` once runs of blanks
// are squeezed to one, squeezed.
std::string row(const std::string& text, const std::string& prefix) {
  for (const auto& line : lines_of(text)) {
    std::string squeezed = squeeze(line);
    if (squeezed.rfind(prefix, 0) == 0) return squeezed;
  }
  return "(no line starting with " + prefix + ")";
}

TEST_F(TextReport, StagesTableHasTheLedgerFigures) {
  const std::string text = render_text(report, false);
  EXPECT_EQ(lines_of(text)[0], "haul report 2026-11-23, generated 2026-11-23T08:00:00.000Z");
  EXPECT_EQ(row(text, "date stage"),
            "date stage type status in out rejected pass duration runs failed");
  EXPECT_EQ(row(text, "2026-11-23 scrape vehicles"),
            "2026-11-23 scrape vehicles completed 100 100 0 100.0% 12.5s 1 0");
  EXPECT_EQ(row(text, "2026-11-23 validate vehicles"),
            "2026-11-23 validate vehicles skipped 100 90 10 90.0% 1.5s 3 1");
  EXPECT_EQ(row(text, "2026-11-23 validate events"),
            "2026-11-23 validate events completed 10 4 6 40.0% 0.5s 1 0");
  EXPECT_EQ(row(text, "2026-11-23 dedup"), "2026-11-23 dedup vehicles running - - - - - 1 0");
  EXPECT_EQ(row(text, "2026-11-23 import"), "2026-11-23 import vehicles failed - - - - - 1 1");
}

TEST_F(TextReport, DetailsTrendsAlertsAndNotes) {
  const std::string text = render_text(report, false);
  EXPECT_EQ(row(text, "2026-11-23 vehicles validate error price_out_of_range"),
            "2026-11-23 vehicles validate error price_out_of_range 7");
  EXPECT_EQ(row(text, "2026-11-23 vehicles import row queued_for_retry"),
            "2026-11-23 vehicles import row queued_for_retry 90");
  // Trend: out (rejected) per stage; days without any run are left out.
  EXPECT_EQ(row(text, "day"), "day scrape validate dedup enrich import");
  EXPECT_EQ(row(text, "2026-11-22 200"), "2026-11-22 200 180 (20) - - -");
  EXPECT_EQ(row(text, "2026-11-23 110"), "2026-11-23 110 94 (16) - failed failed");
  EXPECT_EQ(text.find("2026-10-25  "), std::string::npos);
  EXPECT_NE(text.find("Alerts: 5 firing of 9\n"), std::string::npos) << text;
  EXPECT_EQ(row(text, "scrape_volume_drop"),
            "scrape_volume_drop ok scrape 2026-11-23 110 102.5 scrape records out on 2026-11-23: "
            "110 >= 102.5 (0.5 x the median 205 of 4 days before)");
  EXPECT_EQ(row(text, "failed_runs"),
            "failed_runs firing - 2026-11-23 2 0 2 partition(s) whose last run on 2026-11-23 "
            "failed (max 0): enrich/vehicles abandoned (exit 0: process gone); import/vehicles "
            "failed (exit 69: database unavailable)");
  EXPECT_NE(text.find("\n- processed/2026-11-23/vehicles/dedup_report.json: cannot be read"),
            std::string::npos)
      << text;
}

TEST_F(TextReport, QuietShowsOnlyFiringAlertsAndNothingWhenNoneFires) {
  const std::string quiet = render_text(report, true);
  EXPECT_NE(quiet.find("5 alert(s) firing"), std::string::npos);
  EXPECT_EQ(quiet.find("scrape_volume_drop"), std::string::npos);
  EXPECT_EQ(quiet.find("Stages"), std::string::npos);
  for (auto& a : report.alerts) a.firing = false;
  EXPECT_EQ(render_text(report, true), "");
}

}  // namespace
}  // namespace haul::report
