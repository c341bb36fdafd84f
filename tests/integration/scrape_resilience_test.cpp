// How haul-scrape treats a difficult server: retries with backoff, 429 with
// Retry-After, slow and truncated answers, gzip, redirects, ETag/304, rate
// limits, robots.txt and proxies. Timings are asserted from the timestamps
// the test server recorded, as bounds rather than exact values.

#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <string>
#include <vector>

#include "support/exit_codes.hpp"
#include "support/http_server.hpp"
#include "support/json_doc.hpp"
#include "support/scrape_sources.hpp"
#include "support/scrape_workspace.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;

// Answers `failures` times with `failure`, then with a page.
HttpServer::Handler failing_then_ok(int failures, HttpReply failure) {
  auto seen = std::make_shared<std::atomic<int>>(0);
  return [=](const ReceivedRequest&) {
    return (*seen)++ < failures ? failure : HttpReply::json(items_page(1, 3));
  };
}

std::vector<double> gaps(const std::vector<ReceivedRequest>& requests) {
  std::vector<double> out;
  for (std::size_t i = 1; i < requests.size(); ++i)
    out.push_back(requests[i].at_s - requests[i - 1].at_s);
  return out;
}

TEST(ScrapeResilience, RetriesBackOffExponentiallyWithinBounds) {
  HttpServer server;
  server.route("/flaky", failing_then_ok(3, HttpReply::json("{}", 503)));
  ScrapeWorkspace ws;
  TestSource source;
  source.url = server.url("/flaky");
  // Full jitter: retry n waits in [0, min(0.4, 0.1 * 2^(n-1))].
  source.retry = R"({"max_retries":4,"base_delay_s":0.1,"max_delay_s":0.4,"max_total_s":30})";
  ws.write_sources({source.json()});

  ProcessResult result = ws.run();
  ASSERT_EQ(result.exit_code, kOk) << result.err;
  auto requests = server.requests("/flaky");
  ASSERT_EQ(requests.size(), 4u);
  std::vector<double> ceilings = {0.1, 0.2, 0.4};
  std::vector<double> waited = gaps(requests);
  for (std::size_t i = 0; i < waited.size(); ++i) {
    EXPECT_LE(waited[i], ceilings[i] + 0.15) << "retry " << i + 1;
  }
  JsonDoc meta = ws.meta();
  EXPECT_EQ(meta.uint64("/sources/src/retries"), 3u);
  EXPECT_EQ(meta.uint64("/sources/src/status_codes/503"), 3u);
  EXPECT_EQ(meta.uint64("/sources/src/status_codes/200"), 1u);
  EXPECT_EQ(meta.uint64("/sources/src/records"), 3u);
}

TEST(ScrapeResilience, RetriesStopAtTheCountAndTheTotalTime) {
  HttpServer server;
  server.route("/down", HttpReply::json("{}", 502));
  server.route("/slowdown", HttpReply::json("{}", 504));
  ScrapeWorkspace ws;
  TestSource by_count, by_time;
  by_count.name = "by-count";
  by_count.url = server.url("/down");
  by_count.retry = R"({"max_retries":2,"base_delay_s":0.01,"max_delay_s":0.01})";
  by_time.name = "by-time";
  by_time.url = server.url("/slowdown");
  // Each retry waits 0.3 s (Retry-After) and none may start after 0.5 s.
  by_time.retry = R"({"max_retries":10,"max_total_s":0.5})";
  ws.write_sources({by_count.json(), by_time.json()});
  server.route("/slowdown",
               HttpReply{504, {{"Retry-After", "0"}}, "{}", std::chrono::milliseconds(200)});

  ProcessResult result = ws.run();
  EXPECT_EQ(result.exit_code, kUnavailable);
  EXPECT_EQ(server.count("/down"), 3u);
  EXPECT_GE(server.count("/slowdown"), 2u);
  EXPECT_LE(server.count("/slowdown"), 4u);
}

TEST(ScrapeResilience, RetryAfterIsHonouredInSecondsAndAsADateAndCapped) {
  HttpServer server;
  server.route("/seconds", failing_then_ok(1, HttpReply{429, {{"Retry-After", "1"}}, "{}"}));
  server.route("/capped", failing_then_ok(1, HttpReply{503, {{"Retry-After", "3600"}}, "{}"}));
  auto dated_calls = std::make_shared<std::atomic<int>>(0);
  server.route("/dated", [dated_calls](const ReceivedRequest&) {
    if ((*dated_calls)++ > 0) return HttpReply::json(items_page(1, 1));
    std::time_t later = std::time(nullptr) + 2;
    char date[64];
    std::tm utc{};
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&later, &utc));
    return HttpReply{503, {{"Retry-After", date}}, "{}"};
  });
  ScrapeWorkspace ws;
  TestSource seconds, capped, dated;
  dated.name = "dated";
  dated.url = server.url("/dated");
  seconds.name = "seconds";
  seconds.url = server.url("/seconds");
  capped.name = "capped";
  capped.url = server.url("/capped");
  capped.retry = R"({"max_retries":2,"retry_after_cap_s":0.5,"max_total_s":30})";
  ws.write_sources({seconds.json(), capped.json(), dated.json()});

  ProcessResult result = ws.run();
  ASSERT_EQ(result.exit_code, kOk) << result.err;
  auto waited = gaps(server.requests("/seconds"));
  ASSERT_EQ(waited.size(), 1u);
  EXPECT_GE(waited[0], 0.95) << "Retry-After: 1 was not honoured";
  EXPECT_LE(waited[0], 1.6);
  auto capped_wait = gaps(server.requests("/capped"));
  ASSERT_EQ(capped_wait.size(), 1u);
  EXPECT_GE(capped_wait[0], 0.45);
  EXPECT_LE(capped_wait[0], 1.2) << "Retry-After: 3600 was not capped";
  EXPECT_EQ(ws.meta().uint64("/sources/seconds/status_codes/429"), 1u);
  // An HTTP date two seconds ahead (whole seconds): between one and two seconds.
  auto dated_wait = gaps(server.requests("/dated"));
  ASSERT_EQ(dated_wait.size(), 1u);
  EXPECT_GE(dated_wait[0], 0.95);
  EXPECT_LE(dated_wait[0], 2.6);
}

TEST(ScrapeResilience, SlowTruncatedGzippedAndRedirectedAnswers) {
  HttpServer server;
  HttpReply slow = HttpReply::json(items_page(1, 1));
  slow.delay = std::chrono::milliseconds(1500);
  server.route("/slow", failing_then_ok(1, slow));
  HttpReply torn = HttpReply::json(items_page(1, 50));
  torn.truncate_after = 100;
  server.route("/torn", failing_then_ok(2, torn));
  HttpReply zipped = HttpReply::json(items_page(1, 40));
  zipped.gzip = true;
  server.route("/zipped", zipped);
  server.route("/moved", HttpReply{301, {{"Location", "/new-home"}}, ""});
  server.route("/new-home", HttpReply::json(items_page(7, 2)));
  server.route("/huge", HttpReply::json(items_page(1, 5000)));
  ScrapeWorkspace ws;
  TestSource slow_source, torn_source, zipped_source, moved_source, huge_source;
  slow_source.name = "slow";
  slow_source.url = server.url("/slow");
  slow_source.extra = R"("timeout_s":0.5)";
  torn_source.name = "torn";
  torn_source.url = server.url("/torn");
  zipped_source.name = "zipped";
  zipped_source.url = server.url("/zipped");
  moved_source.name = "moved";
  moved_source.url = server.url("/moved");
  huge_source.name = "huge";
  huge_source.url = server.url("/huge");
  huge_source.extra = R"("max_response_bytes":10000)";
  ws.write_sources({slow_source.json(), torn_source.json(), zipped_source.json(),
                    moved_source.json(), huge_source.json()});
  // timeout_s comes twice for "slow": the test source's default and extra; the first wins.
  write_file(ws.config_dir() / "sources.json", [&] {
    std::string text = read_file(ws.config_dir() / "sources.json");
    std::string from = R"("timeout_s":5,"timeout_s":0.5)";
    text.replace(text.find(from), from.size(), R"("timeout_s":0.5)");
    return text;
  }());

  ProcessResult result = ws.run();
  ASSERT_EQ(result.exit_code, kOk) << result.err;
  JsonDoc meta = ws.meta();
  EXPECT_EQ(meta.str("/sources/slow/status"), "ok");
  EXPECT_EQ(meta.uint64("/sources/slow/retries"), 1u);
  EXPECT_EQ(meta.uint64("/sources/slow/status_codes/network_error"), 1u);
  EXPECT_EQ(meta.str("/sources/torn/status"), "ok");
  EXPECT_EQ(meta.uint64("/sources/torn/retries"), 2u);
  EXPECT_EQ(meta.uint64("/sources/torn/records"), 3u);
  EXPECT_EQ(meta.uint64("/sources/zipped/records"), 40u);
  EXPECT_NE(server.requests("/zipped").at(0).header("accept-encoding").find("gzip"),
            std::string::npos);
  EXPECT_LT(*meta.uint64("/sources/zipped/bytes"),
            0u + read_file(ws.raw_file("zipped", 1)).size() * 2);
  EXPECT_EQ(meta.uint64("/sources/moved/records"), 2u);
  EXPECT_EQ(server.count("/new-home"), 1u);
  EXPECT_EQ(meta.str("/sources/huge/status"), "failed");
  EXPECT_NE(meta.str("/sources/huge/errors/0/reason")->find("larger than 10000 bytes"),
            std::string::npos);
  EXPECT_EQ(server.count("/huge"), 1u) << "a size cap is not retried";
  // The User-Agent names the tool and its operator's contact.
  EXPECT_EQ(server.requests("/zipped").at(0).header("user-agent").rfind("haul-scrape/", 0), 0u);
  EXPECT_NE(server.requests("/zipped").at(0).header("user-agent").find("(+ops@example.com)"),
            std::string::npos);
}

TEST(ScrapeResilience, ETagsAndLastModifiedMakeTheSecondRunA304) {
  HttpServer server;
  server.route("/cached", [](const ReceivedRequest& request) {
    if (request.header("if-none-match") == "\"v1\"")
      return HttpReply{304, {{"ETag", "\"v1\""}}, ""};
    HttpReply reply = HttpReply::json(items_page(1, 4));
    reply.headers.emplace_back("ETag", "\"v1\"");
    reply.headers.emplace_back("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT");
    return reply;
  });
  ScrapeWorkspace ws;
  TestSource source;
  source.url = server.url("/cached");
  ws.write_sources({source.json()});
  ASSERT_EQ(ws.run().exit_code, kOk);
  std::string first = read_file(ws.raw_file("src", 1));
  fs::remove(ws.raw_file("src", 1));

  ProcessResult again = ws.run();
  ASSERT_EQ(again.exit_code, kOk) << again.err;
  auto requests = server.requests("/cached");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].header("if-none-match"), "");
  EXPECT_EQ(requests[1].header("if-none-match"), "\"v1\"");
  EXPECT_EQ(requests[1].header("if-modified-since"), "Wed, 21 Oct 2026 07:28:00 GMT");
  JsonDoc meta = ws.meta();
  EXPECT_EQ(meta.uint64("/sources/src/not_modified"), 1u);
  EXPECT_EQ(meta.uint64("/sources/src/status_codes/304"), 1u);
  EXPECT_EQ(meta.uint64("/sources/src/records"), 4u) << "the cached body is re-used";
  EXPECT_EQ(JsonDoc(read_file(ws.raw_file("src", 1))).size(""), 4u);
}

TEST(ScrapeResilience, TheRateLimitAndTheHostDelayHold) {
  HttpServer server;
  server.route("/rated", [](const ReceivedRequest& request) {
    int page = std::stoi(query_param(request.query, "page"));
    return HttpReply::json(items_page(page, page < 12 ? 1 : 0));
  });
  server.route("/spaced", [](const ReceivedRequest& request) {
    int page = std::stoi(query_param(request.query, "page"));
    return HttpReply::json(items_page(page, page < 5 ? 1 : 0));
  });
  ScrapeWorkspace ws;
  TestSource rated, spaced;
  rated.name = "rated";
  rated.url = server.url("/rated?page={page}");
  rated.pagination = R"({"type":"page","first":0})";
  rated.politeness =
      R"({"robots":false,"concurrency":8,"host_concurrency":8,"requests_per_second":10})";
  // Another host name for the same server, so the two sources' host limits are separate.
  spaced.name = "spaced";
  spaced.url = "http://localhost:" + std::to_string(server.port()) + "/spaced?page={page}";
  spaced.pagination = R"({"type":"page","first":0})";
  spaced.politeness =
      R"({"robots":false,"concurrency":4,"host_concurrency":4,"min_delay_s":0.2,"jitter_s":0.1})";
  ws.write_sources({rated.json(), spaced.json()});

  ASSERT_EQ(ws.run().exit_code, kOk);
  auto rated_requests = server.requests("/rated");
  ASSERT_GE(rated_requests.size(), 13u);
  double span = rated_requests.back().at_s - rated_requests.front().at_s;
  double expected = static_cast<double>(rated_requests.size() - 1) / 10;
  EXPECT_GE(span, expected * 0.95) << "faster than 10 requests per second";
  EXPECT_LE(span, expected * 1.5 + 0.2);
  // Arrival times also carry connection set-up, so single gaps get some slack
  // and their mean none.
  std::vector<double> spaced_gaps = gaps(server.requests("/spaced"));
  ASSERT_GE(spaced_gaps.size(), 5u);
  double sum = 0;
  for (double gap : spaced_gaps) {
    EXPECT_GE(gap, 0.12) << "the host's minimum delay was not kept";
    EXPECT_LE(gap, 0.6);
    sum += gap;
  }
  EXPECT_GE(sum / static_cast<double>(spaced_gaps.size()), 0.2);
}

TEST(ScrapeResilience, RobotsTxtIsHonouredUnlessASourceOptsOut) {
  HttpServer server;
  server.route("/robots.txt",
               HttpReply{200,
                         {{"Content-Type", "text/plain"}},
                         "User-agent: *\nDisallow: /\n\nUser-agent: haul-scrape\n"
                         "Disallow: /private\nAllow: /private/ok\nCrawl-delay: 0.3\n"});
  for (const char* path : {"/private/items", "/private/ok", "/public"}) {
    server.route(path, HttpReply::json(items_page(1, 1)));
  }
  ScrapeWorkspace ws;
  TestSource blocked, allowed, opted_out, also_allowed;
  blocked.name = "blocked";
  blocked.url = server.url("/private/items");
  blocked.politeness = R"({"robots":true})";
  allowed.name = "allowed";
  allowed.url = server.url("/private/ok");
  allowed.politeness = R"({"robots":true})";
  also_allowed.name = "also-allowed";
  also_allowed.url = server.url("/public");
  also_allowed.politeness = R"({"robots":true})";
  opted_out.name = "opted-out";
  opted_out.url = server.url("/private/items?x=1");
  ws.write_sources({blocked.json(), allowed.json(), also_allowed.json(), opted_out.json()});

  ProcessResult result = ws.run();
  ASSERT_EQ(result.exit_code, kOk) << result.err;
  JsonDoc meta = ws.meta();
  EXPECT_EQ(meta.str("/sources/blocked/status"), "blocked");
  EXPECT_EQ(meta.uint64("/sources/blocked/robots_blocked"), 1u);
  EXPECT_EQ(meta.str("/sources/allowed/status"), "ok");
  EXPECT_EQ(meta.str("/sources/also-allowed/status"), "ok");
  EXPECT_EQ(meta.str("/sources/opted-out/status"), "ok");
  EXPECT_EQ(server.count("/robots.txt"), 1u) << "read once per host";
  auto private_items = server.requests("/private/items");
  ASSERT_EQ(private_items.size(), 1u);
  EXPECT_EQ(private_items[0].query, "x=1") << "only the opted-out source fetched it";
  // Crawl-delay spaced the requests to the host.
  auto all = server.requests();
  for (std::size_t i = 2; i < all.size(); ++i) {
    EXPECT_GE(all[i].at_s - all[i - 1].at_s, 0.28) << all[i].target;
  }
}

TEST(ScrapeResilience, AFailingProxyIsBannedAndTheNextOneUsed) {
  HttpServer site;
  HttpServer bad_proxy;  // answers 502 to everything through it
  bad_proxy.route("/items", HttpReply::json("{}", 502));
  site.route("/items", [](const ReceivedRequest& request) {
    int page = std::stoi(query_param(request.query, "page"));
    return HttpReply::json(items_page(page, page < 6 ? 1 : 0));
  });
  ScrapeWorkspace ws;
  TestSource source;
  // The good "proxy" is the site itself: it serves absolute-form requests.
  source.url = site.url("/items?page={page}");
  source.pagination = R"({"type":"page","first":0})";
  source.extra =
      "\"proxies\":[\"" + bad_proxy.url() + "\",\"" + site.url() + "\"],\"proxy_ban_s\":60";
  ws.write_sources({source.json()});

  ProcessResult result = ws.run();
  ASSERT_EQ(result.exit_code, kOk) << result.err;
  EXPECT_EQ(bad_proxy.requests().size(), 1u) << "banned after its first failure";
  for (const auto& request : site.requests("/items")) {
    EXPECT_EQ(request.target.rfind("http://", 0), 0u)
        << "went through the proxy: " << request.target;
  }
  EXPECT_EQ(ws.meta().uint64("/sources/src/records"), 6u);
  EXPECT_NE(result.err.find("banned"), std::string::npos);
}

TEST(ScrapeResilience, SecretsAppearInNoFileAndNoLog) {
  const std::string secret = "s3cr3t-T0KEN-value";
  HttpServer server;
  server.route("/auth", [&](const ReceivedRequest& request) {
    if (request.header("x-api-key") != secret) return HttpReply::json("{}", 401);
    int page = std::stoi(query_param(request.query, "page"));
    HttpReply reply = HttpReply::json(items_page(page, page < 2 ? 2 : 0));
    reply.headers.emplace_back("ETag", "\"e" + std::to_string(page) + "\"");
    return reply;
  });
  server.route("/echo", [&](const ReceivedRequest& request) {
    // A broken upstream echoing the request: must be scrubbed in failed bodies.
    return HttpReply{200, {{"Content-Type", "text/plain"}}, "you sent " + request.target};
  });
  server.route("/flaky", failing_then_ok(1, HttpReply::json("{}", 503)));
  ScrapeWorkspace ws;
  TestSource auth, echo, flaky;
  auth.name = "auth";
  auth.url = server.url("/auth?page={page}&token=${HAUL_SECRET}");
  auth.pagination = R"({"type":"page","first":0})";
  auth.extra = R"("headers":{"X-Api-Key":"${HAUL_SECRET}"})";
  echo.name = "echo";
  echo.url = server.url("/echo?token=${HAUL_SECRET}");
  flaky.name = "flaky";
  flaky.url = server.url("/flaky");
  flaky.extra = R"("method":"POST","body":{"key":"${HAUL_SECRET}","q":"x"})";
  ws.write_sources({auth.json(), echo.json(), flaky.json()});

  ProcessResult result = ws.run({"-v", "--json"}, {{"HAUL_SECRET", secret}});
  ASSERT_EQ(result.exit_code, kOk) << result.err;
  ASSERT_EQ(server.count("/auth"), 3u);
  EXPECT_EQ(server.requests("/flaky").at(0).body, R"({"key":")" + secret + R"(","q":"x"})");
  ASSERT_TRUE(fs::exists(ws.failed_dir() / "echo_001.body"));
  ProcessResult again = ws.run({"-v"}, {{"HAUL_SECRET", secret}});  // the cache path too
  ASSERT_EQ(again.exit_code, kOk) << again.err;
  EXPECT_EQ(result.err.find(secret), std::string::npos);
  EXPECT_EQ(result.out.find(secret), std::string::npos);
  EXPECT_EQ(again.err.find(secret), std::string::npos);
  std::size_t files = 0;
  for (const fs::path& file : ws.all_files()) {
    ++files;
    EXPECT_EQ(read_file(file).find(secret), std::string::npos) << file;
    EXPECT_EQ(file.string().find(secret), std::string::npos) << file;
  }
  EXPECT_GE(files, 8u);  // raw pages, meta, failed body, cache, ledger, logs
  EXPECT_NE(read_file(ws.failed_dir() / "echo_001.body").find("token=${HAUL_SECRET}"),
            std::string::npos);
}

}  // namespace
}  // namespace haul::testing
