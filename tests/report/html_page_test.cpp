// The HTML page: self-contained (nothing to fetch), and rendered by a real
// browser. Headless Chromium (Debian `chromium`, installed by scripts/setup)
// loads it from a file:// URL, dumps the DOM after rendering and takes a
// screenshot, kept as build/test-artifacts/report.png. Without chromium the
// rendering test is skipped, saying so.

#include "report/html_page.hpp"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <sstream>

#include "io/atomic_file.hpp"
#include "support/process.hpp"
#include "support/report_ledger.hpp"
#include "support/temp_dir.hpp"

namespace haul::report {
namespace {

namespace fs = std::filesystem;

std::optional<fs::path> find_on_path(const char* name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    fs::path candidate = fs::path(dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class HtmlPage : public ::testing::Test {
 protected:
  haul::testing::TempDir dir;
  PipelineReport report = haul::testing::standard_report(dir / "data");
  std::string html = render_html(report);
};

TEST_F(HtmlPage, IsSelfContained) {
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  // The only URL is the SVG namespace, which is a name, not a fetch.
  std::string rest = html;
  RE2::GlobalReplace(&rest, R"(xmlns="http://www\.w3\.org/2000/svg")", "");
  EXPECT_EQ(rest.find("http://"), std::string::npos);
  EXPECT_EQ(rest.find("https://"), std::string::npos);
  EXPECT_EQ(rest.find("//"), std::string::npos);
}

TEST_F(HtmlPage, ChartsHaveASeriesPerStageAndBarsWithTheFigures) {
  for (const char* stage : {"scrape", "validate", "dedup", "enrich", "import"}) {
    // One path per chart (records out, rejection rate).
    EXPECT_EQ(count(html, std::string("<path class=\"series\" data-stage=\"") + stage + "\""), 2u)
        << stage;
  }
  // Bars on the last date: scrape (110 in) and validate (110 in, 94 out, 16 rejected).
  EXPECT_EQ(count(html, "<rect class=\"bar\""), 6u);
  EXPECT_NE(html.find("<title>validate rejected: 16</title>"), std::string::npos);
  EXPECT_NE(html.find("<title>scrape in: 110</title>"), std::string::npos);
  // Points with their values, e.g. scrape's 2026-11-22.
  EXPECT_NE(html.find("<title>scrape 2026-11-22: 200</title>"), std::string::npos);
  EXPECT_NE(html.find("<title>validate 2026-11-22: 10%</title>"), std::string::npos);
  // The tables, escaped.
  EXPECT_NE(html.find("<td>price_out_of_range</td><td>7</td>"), std::string::npos);
  EXPECT_NE(html.find("5 alert(s) firing of 9 evaluated."), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"failed\"><td>2026-11-23</td><td>import</td>"),
            std::string::npos);
}

TEST_F(HtmlPage, TextIsEscaped) {
  report.notes.push_back("<script>alert(1)</script> & \"quotes\"");
  const std::string page = render_html(report);
  EXPECT_EQ(page.find("<script>"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"),
            std::string::npos);
}

TEST_F(HtmlPage, RendersInHeadlessChromium) {
  auto chromium = find_on_path("chromium");
  if (!chromium) GTEST_SKIP() << "chromium is not installed (scripts/setup installs it)";
  const fs::path artifacts = fs::path(HAUL_BINARY_DIR) / "test-artifacts";
  const fs::path page = artifacts / "report.html";
  const fs::path screenshot = artifacts / "report.png";
  ASSERT_TRUE(io::write_file_atomically(page, html).is_ok());
  fs::remove(screenshot);
  haul::testing::TempDir profile;
  auto browse = [&](std::vector<std::string> extra) {
    haul::testing::Command command;
    command.program = *chromium;
    command.args = {"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--enable-logging=stderr",
                    "--v=0", "--user-data-dir=" + profile.path().string(),
                    "--window-size=1200,1600"};
    command.args.insert(command.args.end(), extra.begin(), extra.end());
    command.args.push_back("file://" + page.string());
    command.timeout = std::chrono::seconds(120);
    return haul::testing::run_process(command);
  };

  auto dom = browse({"--dump-dom"});
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  // What the browser built from the page: both line charts with a path per
  // stage, the bar chart's rects, the tables.
  EXPECT_EQ(count(dom.out, "<svg "), 3u) << dom.out.substr(0, 2000);
  EXPECT_NE(dom.out.find("id=\"records-chart\""), std::string::npos);
  EXPECT_NE(dom.out.find("id=\"rejection-chart\""), std::string::npos);
  EXPECT_EQ(count(dom.out, "<path class=\"series\""), 10u);
  EXPECT_EQ(count(dom.out, "<rect class=\"bar\""), 6u);
  EXPECT_NE(dom.out.find("<table id=\"stages\">"), std::string::npos);
  // No script error or failed load was logged.
  for (const char* bad : {"Uncaught", "CONSOLE", "ERR_FILE_NOT_FOUND", "net::ERR"}) {
    EXPECT_EQ(dom.err.find(bad), std::string::npos) << bad << " in:\n" << dom.err;
  }

  auto shot = browse({"--screenshot=" + screenshot.string(), "--hide-scrollbars"});
  ASSERT_EQ(shot.exit_code, 0) << shot.err;
  ASSERT_TRUE(fs::exists(screenshot)) << shot.err;
  // A blank 1200x1600 page compresses to a few KB; charts and tables do not.
  EXPECT_GT(fs::file_size(screenshot), 30000u);
  std::printf("screenshot: %s\n", screenshot.c_str());
}

}  // namespace
}  // namespace haul::report
