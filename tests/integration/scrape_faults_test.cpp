// One date's scrape with several sources when some of them misbehave for the
// whole run: connections reset, a 5xx storm, answers slower than the
// timeout. The healthy sources complete; each failing one is retried exactly
// its bounded number of times, reported in meta.json with its errors and on
// stderr, and the run exits 0 (some source worked) so haul-run goes on with
// what came in; only when every source fails is it 69. Once the sources are
// well again, a rerun of the date scrapes them all.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>

#include "support/exit_codes.hpp"
#include "support/http_server.hpp"
#include "support/json_doc.hpp"
#include "support/scrape_sources.hpp"
#include "support/scrape_workspace.hpp"
#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace {

constexpr int kRetries = 2;  // per request: kRetries + 1 attempts

TEST(ScrapeFaults, OtherSourcesCompleteAndTheFailingOnesAreRetriedWithinBoundsAndReported) {
  HttpServer server;
  auto healthy = std::make_shared<std::atomic<bool>>(false);
  server.route("/good", [](const ReceivedRequest& request) {
    const int page = std::stoi(query_param(request.query, "page"));
    return HttpReply::json(items_page(page * 100, page <= 3 ? 50 : 0));
  });
  auto sick = [healthy](HttpReply failure) {
    return [healthy, failure](const ReceivedRequest&) {
      return healthy->load() ? HttpReply::json(items_page(1, 7)) : failure;
    };
  };
  HttpReply reset;
  reset.reset = true;
  server.route("/reset", sick(reset));
  server.route("/storm", sick(HttpReply::json(R"({"error":"overloaded"})", 503)));
  server.route("/slow", sick(HttpReply{200, {}, items_page(1, 7), std::chrono::milliseconds(1500)}));

  ScrapeWorkspace ws;
  std::vector<std::string> sources;
  for (const char* name : {"good", "reset", "storm", "slow"}) {
    TestSource source;
    source.name = name;
    source.url = server.url(std::string("/") + name + (name == std::string("good") ? "?page={page}" : ""));
    if (name == std::string("good")) source.pagination = R"({"type":"page","first":1})";
    source.retry = R"({"max_retries":2,"base_delay_s":0.05,"max_delay_s":0.1,"max_total_s":20})";
    source.timeout_s = 0.5;
    sources.push_back(source.json());
  }
  ws.write_sources(sources);

  ProcessResult run = ws.run({"-q"});
  EXPECT_EQ(run.exit_code, kOk) << "a source worked: the others' failures are reported, not fatal\n"
                                << run.err;
  // Bounded: three attempts each, every one cut at the 0.5 s timeout or
  // refused at once, plus at most 0.1 s between them.
  EXPECT_LT(run.elapsed.count(), 3 * (0.5 + 0.1) + 5);
  JsonDoc meta = ws.meta();
  EXPECT_EQ(meta.str("/sources/good/status"), "ok");
  EXPECT_EQ(meta.uint64("/sources/good/records"), 150u);
  EXPECT_EQ(meta.uint64("/sources/good/retries"), 0u);
  for (int page = 1; page <= 3; ++page) {
    EXPECT_EQ(JsonDoc(read_file(ws.raw_file("good", page))).size(""), 50u) << page;
  }
  for (const char* name : {"reset", "storm", "slow"}) {
    const std::string at = std::string("/sources/") + name;
    // libcurl itself sends a request again when a reused connection dies
    // before any answer (a reset), possibly on another reused one; a dead
    // fresh connection ends that. So each attempt brings at most one request
    // on a fresh connection, and at least one request arrives per attempt.
    // (Bounding all arrivals by twice the attempts failed once in CI: 7 > 6.)
    const std::vector<ReceivedRequest> arrived = server.requests(std::string("/") + name);
    const auto on_fresh_connections =
        std::count_if(arrived.begin(), arrived.end(),
                      [](const ReceivedRequest& r) { return !r.on_reused_connection; });
    EXPECT_GE(arrived.size(), static_cast<std::size_t>(kRetries + 1)) << name;
    EXPECT_LE(on_fresh_connections, kRetries + 1) << name;
    EXPECT_EQ(meta.str(at + "/status"), "failed") << name;
    EXPECT_EQ(meta.uint64(at + "/retries"), static_cast<std::uint64_t>(kRetries)) << name;
    EXPECT_EQ(meta.uint64(at + "/records"), 0u) << name;
    EXPECT_GE(meta.size(at + "/errors"), 1u) << name;
    EXPECT_FALSE(std::filesystem::exists(ws.raw_file(name, 1))) << name;
    EXPECT_NE(run.err.find(name), std::string::npos) << "stderr does not name " << name << ":\n" << run.err;
  }
  EXPECT_EQ(meta.uint64("/sources/storm/status_codes/503"), static_cast<std::uint64_t>(kRetries + 1));
  // The failures are told apart: a reset, a 503, a timeout.
  std::string reasons;
  for (const char* name : {"reset", "storm", "slow"}) {
    reasons += meta.str(std::string("/sources/") + name + "/errors/0/reason").value_or("") + "\n";
  }
  EXPECT_NE(reasons.find("503"), std::string::npos) << reasons;
  EXPECT_NE(reasons.find("eset"), std::string::npos) << reasons;     // "Connection reset ..."
  EXPECT_NE(reasons.find("imeout"), std::string::npos) << reasons;   // "Timeout was reached"

  // Validation goes on with what came in: the good source's records.
  ProcessResult validate = ws.run_tool("haul-validate", {"-q"});
  EXPECT_EQ(validate.exit_code, kOk) << validate.err;

  // Every source failing is 69, with meta.json naming them all.
  ScrapeWorkspace all_bad;
  sources.erase(sources.begin());
  all_bad.write_sources(sources);
  ProcessResult bad = all_bad.run({"-q"});
  EXPECT_EQ(bad.exit_code, kUnavailable) << bad.err;
  EXPECT_NE(bad.err.find("every source failed"), std::string::npos) << bad.err;
  EXPECT_EQ(all_bad.meta().str("/sources/storm/status"), "failed");

  // The sources recover: a rerun of the date (--force: the date was scraped)
  // has them all.
  healthy->store(true);
  ProcessResult rerun = ws.run({"-q", "--force"});
  ASSERT_EQ(rerun.exit_code, kOk) << rerun.err;
  JsonDoc after = ws.meta();
  for (const char* name : {"good", "reset", "storm", "slow"}) {
    EXPECT_EQ(after.str(std::string("/sources/") + name + "/status"), "ok") << name;
  }
  EXPECT_EQ(after.uint64("/sources/storm/records"), 7u);
}

}  // namespace
}  // namespace haul::testing
