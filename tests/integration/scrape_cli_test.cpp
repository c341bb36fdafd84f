// haul-scrape as cron runs it: the real executable against the in-process
// test HTTP server on 127.0.0.1, checked through the raw files, meta.json,
// the failed bodies and the exit code it leaves behind.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <set>
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

// The ids of every record in the source's raw files, and checks each file
// is a complete JSON array.
std::vector<long> scraped_ids(const ScrapeWorkspace& ws, const std::string& source,
                              const std::string& type = "vehicles") {
  std::vector<long> ids;
  for (int page = 1; page < 1000; ++page) {
    fs::path file = ws.raw_file(source, page, type);
    if (!fs::exists(file)) continue;
    JsonDoc doc(read_file(file));
    for (auto record : doc.root().get_array()) {
      int64_t id;
      if (!record["id"].get(id)) ids.push_back(id);
    }
  }
  return ids;
}

std::vector<long> range(long from, long to) {
  std::vector<long> out;
  for (long i = from; i <= to; ++i) out.push_back(i);
  return out;
}

TEST(ScrapeCli, PageNumbersFetchedAheadStopAtTheFirstEmptyPage) {
  HttpServer server;
  server.route("/items", [](const ReceivedRequest& request) {
    int page = std::stoi(query_param(request.query, "page"));
    return HttpReply::json(items_page(page * 10, page <= 3 ? 10 : 0));
  });
  ScrapeWorkspace ws;
  TestSource source;
  source.url = server.url("/items?page={page}");
  source.pagination = R"({"type":"page","first":1,"max_pages":50})";
  source.politeness = R"({"robots":false,"concurrency":4,"host_concurrency":4})";
  source.extra = R"("mapping":{"rename":{"brand":"make"}})";
  ws.write_sources({source.json()});

  ProcessResult result = ws.run();
  ASSERT_EQ(result.exit_code, kOk) << result.err;
  EXPECT_EQ(scraped_ids(ws, "src"), range(10, 39));
  EXPECT_FALSE(fs::exists(ws.raw_file("src", 4)));  // the empty page writes nothing
  // Pages fetched ahead past the end are not followed further.
  EXPECT_LE(server.count("/items"), 4u + 4u);

  JsonDoc page1(read_file(ws.raw_file("src", 1)));
  EXPECT_EQ(page1.str("/0/make"), "B10");  // renamed
  EXPECT_FALSE(page1.has("/0/brand"));
  EXPECT_EQ(page1.number("/0/price"), 1.5);
  EXPECT_NE(read_file(ws.raw_file("src", 1)).find("\"price\":1.50"), std::string::npos)
      << "values are copied as the source wrote them";
  EXPECT_EQ(page1.str("/0/_meta/source"), "src");
  EXPECT_EQ(page1.int64("/0/_meta/page"), 1);
  EXPECT_EQ(page1.int64("/9/_meta/index"), 9);
  EXPECT_EQ(page1.str("/0/_meta/request_url"), server.url("/items?page=1"));
  EXPECT_TRUE(page1.str("/0/_meta/scraped_at"));

  JsonDoc meta = ws.meta();
  EXPECT_EQ(meta.str("/sources/src/status"), "ok");
  EXPECT_EQ(meta.uint64("/sources/src/records"), 30u);
  EXPECT_EQ(meta.uint64("/sources/src/pages"), 3u);
  EXPECT_EQ(meta.uint64("/sources/src/requests"), server.count("/items"));
  EXPECT_EQ(meta.uint64("/sources/src/status_codes/200"), server.count("/items"));
  EXPECT_GT(*meta.uint64("/sources/src/bytes"), 0u);
  EXPECT_EQ(meta.size("/sources/src/errors"), 0u);
}

TEST(ScrapeCli, OffsetPagesStopAtTheTotalFromAHeaderOrTheBody) {
  HttpServer server;
  auto offset_route = [](bool in_header) {
    return [in_header](const ReceivedRequest& request) {
      int offset = std::stoi(query_param(request.query, "offset"));
      int limit = std::stoi(query_param(request.query, "limit"));
      int count = std::max(0, std::min(limit, 25 - offset));
      HttpReply reply =
          HttpReply::json(items_page(offset, count, in_header ? "" : R"("total":25)"));
      if (in_header) reply.headers.emplace_back("X-Total", "25");
      return reply;
    };
  };
  server.route("/header", offset_route(true));
  server.route("/body", offset_route(false));
  ScrapeWorkspace ws;
  TestSource by_header, by_body;
  by_header.name = "by-header";
  by_header.url = server.url("/header?offset={offset}&limit={limit}");
  by_header.pagination = R"({"type":"offset","first":0,"page_size":10,"total_header":"X-Total"})";
  by_body.name = "by-body";
  by_body.url = server.url("/body?offset={offset}&limit={limit}");
  by_body.pagination = R"({"type":"offset","first":0,"page_size":10,"total_pointer":"/total"})";
  ws.write_sources({by_header.json(), by_body.json()});

  ProcessResult result = ws.run();
  ASSERT_EQ(result.exit_code, kOk) << result.err;
  EXPECT_EQ(scraped_ids(ws, "by-header"), range(0, 24));
  EXPECT_EQ(scraped_ids(ws, "by-body"), range(0, 24));
  EXPECT_EQ(server.count("/header"), 3u);  // 0, 10, 20: the total says there is no 30
  EXPECT_EQ(server.count("/body"), 3u);
}

TEST(ScrapeCli, CursorsAndNextLinksAreFollowedToTheEnd) {
  HttpServer server;
  server.route("/cursor", [](const ReceivedRequest& request) {
    std::string cursor = query_param(request.query, "cursor");
    int page = cursor.empty() ? 0 : std::stoi(cursor.substr(1));
    std::string next =
        page < 2 ? "\"next\":\"c" + std::to_string(page + 1) + "\"" : "\"next\":null";
    return HttpReply::json(items_page(page * 5, 5, next));
  });
  server.route("/linked", [&server](const ReceivedRequest& request) {
    std::string p = query_param(request.query, "p");
    int page = p.empty() ? 0 : std::stoi(p);
    // Page 0 names the next one in the body (relative), page 1 in a Link header.
    if (page == 0) return HttpReply::json(items_page(100, 3, R"("links":{"next":"/linked?p=1"})"));
    HttpReply reply = HttpReply::json(items_page(100 + page * 3, 3));
    if (page == 1)
      reply.headers.emplace_back("Link", "<" + server.url("/linked?p=2") + ">; rel=\"next\"");
    return reply;
  });
  ScrapeWorkspace ws;
  TestSource cursor, linked;
  cursor.name = "cursor";
  cursor.url = server.url("/cursor?cursor={cursor}");
  cursor.pagination = R"({"type":"cursor","cursor_pointer":"/next"})";
  linked.name = "linked";
  linked.url = server.url("/linked");
  linked.pagination = R"({"type":"next_link","next_pointer":"/links/next"})";
  ws.write_sources({cursor.json(), linked.json()});

  ProcessResult result = ws.run();
  ASSERT_EQ(result.exit_code, kOk) << result.err;
  EXPECT_EQ(scraped_ids(ws, "cursor"), range(0, 14));
  EXPECT_EQ(scraped_ids(ws, "linked"), range(100, 108));
  EXPECT_EQ(server.count("/cursor"), 3u);
  EXPECT_EQ(server.count("/linked"), 3u);
}

TEST(ScrapeCli, A404PastTheFirstPageEndsPagingWithoutAnError) {
  HttpServer server;
  server.route("/items", [](const ReceivedRequest& request) {
    int page = std::stoi(query_param(request.query, "page"));
    return page <= 2 ? HttpReply::json(items_page(page * 10, 10))
                     : HttpReply::json(R"({"error":"page out of range"})", 404);
  });
  ScrapeWorkspace ws;
  TestSource source;
  source.url = server.url("/items?page={page}");
  source.pagination = R"({"type":"page","first":1})";
  ws.write_sources({source.json()});
  ASSERT_EQ(ws.run().exit_code, kOk);
  EXPECT_EQ(scraped_ids(ws, "src"), range(10, 29));
  JsonDoc meta = ws.meta();
  EXPECT_EQ(meta.str("/sources/src/status"), "ok");
  EXPECT_EQ(meta.uint64("/sources/src/status_codes/404"), 1u);
}

TEST(ScrapeCli, AHeldLockIsExit75AndNothingIsFetched) {
  HttpServer server;
  server.route("/items", HttpReply::json(items_page(1, 1)));
  ScrapeWorkspace ws;
  TestSource source;
  source.url = server.url("/items");
  ws.write_sources({source.json()});
  fs::path lock = ws.root() / "state" / "locks" / "scrape.2026-11-23.vehicles.lock";
  fs::create_directories(lock.parent_path());
  int fd = ::open(lock.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  ProcessResult held = ws.run();
  ::close(fd);
  EXPECT_EQ(held.exit_code, kTempFail) << held.err;
  EXPECT_EQ(server.count("/items"), 0u);
  EXPECT_EQ(ws.run().exit_code, kOk);
  EXPECT_EQ(server.count("/items"), 1u);
}

TEST(ScrapeCli, ThePageCapEndsPaging) {
  HttpServer server;
  server.route("/items", [](const ReceivedRequest& request) {
    int page = std::stoi(query_param(request.query, "page"));
    return HttpReply::json(items_page(page * 10, 10));  // never ends
  });
  ScrapeWorkspace ws;
  TestSource source;
  source.url = server.url("/items?page={page}");
  source.pagination = R"({"type":"page","first":0,"max_pages":5})";
  source.politeness = R"({"robots":false,"concurrency":3})";
  ws.write_sources({source.json()});
  ASSERT_EQ(ws.run().exit_code, kOk);
  EXPECT_EQ(scraped_ids(ws, "src"), range(0, 49));
  EXPECT_EQ(server.count("/items"), 5u);
}

TEST(ScrapeCli, UnusableBodiesAreSavedWithTheReasonAndOtherSourcesAreUnaffected) {
  HttpServer server;
  server.route("/html", HttpReply{200, {{"Content-Type", "text/html"}}, "<html>busy</html>"});
  server.route("/wrong-shape", HttpReply::json(R"({"results":[]})"));
  server.route("/good", HttpReply::json(items_page(1, 2)));
  server.route("/pages", [](const ReceivedRequest& request) {
    int page = std::stoi(query_param(request.query, "page"));
    if (page == 2) return HttpReply::json(R"({"items": [{"id": 1)");  // torn JSON
    return HttpReply::json(items_page(page * 10, page <= 3 ? 10 : 0));
  });
  ScrapeWorkspace ws;
  TestSource html, shape, good, pages;
  html.name = "html";
  html.url = server.url("/html");
  shape.name = "shape";
  shape.url = server.url("/wrong-shape");
  good.name = "good";
  good.url = server.url("/good");
  pages.name = "pages";
  pages.url = server.url("/pages?page={page}");
  pages.pagination = R"({"type":"page","first":1})";
  ws.write_sources({html.json(), shape.json(), good.json(), pages.json()});

  ProcessResult result = ws.run();
  EXPECT_EQ(result.exit_code, kOk) << "some sources worked: " << result.err;
  JsonDoc meta = ws.meta();
  EXPECT_EQ(meta.str("/sources/html/status"), "failed");
  EXPECT_NE(meta.str("/sources/html/errors/0/reason")->find("not JSON"), std::string::npos);
  EXPECT_NE(meta.str("/sources/html/errors/0/reason")->find("text/html"), std::string::npos);
  EXPECT_EQ(read_file(ws.failed_dir() / "html_001.body"), "<html>busy</html>");
  EXPECT_EQ(meta.str("/sources/html/errors/0/body_file"),
            "failed/2026-11-23/vehicles/html_001.body");
  EXPECT_EQ(meta.str("/sources/shape/status"), "failed");
  EXPECT_NE(meta.str("/sources/shape/errors/0/reason")->find("no records at \"/items\""),
            std::string::npos);
  EXPECT_TRUE(fs::exists(ws.failed_dir() / "shape_001.body"));
  EXPECT_EQ(meta.str("/sources/good/status"), "ok");
  EXPECT_EQ(scraped_ids(ws, "good"), range(1, 2));
  // A bad page in the middle: saved, and paging goes on.
  EXPECT_EQ(meta.str("/sources/pages/status"), "partial");
  EXPECT_EQ(scraped_ids(ws, "pages"), (std::vector<long>{10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                                                         30, 31, 32, 33, 34, 35, 36, 37, 38, 39}));
  EXPECT_TRUE(fs::exists(ws.failed_dir() / "pages_002.body"));
  EXPECT_FALSE(fs::exists(ws.raw_file("pages", 2)));
  EXPECT_NE(result.err.find("html"), std::string::npos);
}

TEST(ScrapeCli, EverySourceFailingIsExit69AndNamesThem) {
  HttpServer server;
  server.route("/down", HttpReply::json(R"({"error":"maintenance"})", 503));
  server.route("/gone", HttpReply::json(R"({"error":"no"})", 404));
  ScrapeWorkspace ws;
  TestSource down, gone;
  down.name = "down";
  down.url = server.url("/down");
  down.retry = R"({"max_retries":1,"base_delay_s":0.01})";
  gone.name = "gone";
  gone.url = server.url("/gone");
  TestSource disabled;  // would work, but is switched off: it counts for nothing
  disabled.name = "disabled";
  disabled.url = server.url("/fine");
  disabled.extra = R"("enabled":false)";
  server.route("/fine", HttpReply::json(items_page(1, 1)));
  ws.write_sources({down.json(), gone.json(), disabled.json()});

  ProcessResult result = ws.run({"--json"});
  EXPECT_EQ(result.exit_code, kUnavailable) << result.err;
  EXPECT_NE(result.err.find("every source failed"), std::string::npos) << result.err;
  JsonDoc meta = ws.meta();
  EXPECT_EQ(meta.str("/sources/down/errors/0/reason"), "HTTP 503 (after 1 retries)");
  EXPECT_EQ(meta.uint64("/sources/down/status_codes/503"), 2u);
  EXPECT_EQ(meta.str("/sources/gone/errors/0/reason"), "HTTP 404");
  EXPECT_EQ(server.count("/gone"), 1u) << "a 404 is not retried";
  EXPECT_EQ(server.count("/fine"), 0u);
  EXPECT_FALSE(meta.has("/sources/disabled"));
  JsonDoc json(result.out);
  EXPECT_EQ(json.int64("/exit_code"), kUnavailable);
  EXPECT_EQ(json.str("/partitions/0/status"), "failed");
}

// haul-run's run of a date already scraped: only what failed is fetched
// again, the other sources' raw files stay, and the ledger's figures stay
// the date's.
TEST(ScrapeCli, RetryFailedFetchesOnlyTheFailedSourcesAndKeepsTheOthers) {
  HttpServer server;
  std::atomic<bool> flaky_up{false};
  server.route("/good", HttpReply::json(items_page(1, 2)));
  server.route("/flaky", [&](const ReceivedRequest&) {
    return flaky_up ? HttpReply::json(items_page(100, 3)) : HttpReply::json("{}", 503);
  });
  ScrapeWorkspace ws;
  TestSource good, flaky;
  good.name = "good";
  good.url = server.url("/good");
  flaky.name = "flaky";
  flaky.url = server.url("/flaky");
  flaky.retry = R"({"max_retries":0})";
  ws.write_sources({good.json(), flaky.json()});

  ProcessResult first = ws.run();
  ASSERT_EQ(first.exit_code, kOk) << first.err;
  EXPECT_EQ(ws.meta().str("/sources/flaky/status"), "failed");
  const std::string good_page = read_file(ws.raw_file("good", 1));

  // Still down: an error line naming it, exit 0 (the date has good's data),
  // nothing of good fetched or touched.
  ProcessResult again = ws.run({"--retry-failed", "--json"});
  EXPECT_EQ(again.exit_code, kOk) << again.err;
  EXPECT_NE(again.err.find("flaky"), std::string::npos) << again.err;
  EXPECT_EQ(server.count("/good"), 1u);
  EXPECT_EQ(server.count("/flaky"), 2u);
  EXPECT_EQ(JsonDoc(again.out).uint64("/partitions/0/records_out"), 2u) << again.out;

  flaky_up = true;
  ProcessResult retried = ws.run({"--retry-failed", "--json"});
  ASSERT_EQ(retried.exit_code, kOk) << retried.err;
  EXPECT_EQ(server.count("/good"), 1u);
  EXPECT_EQ(scraped_ids(ws, "flaky"), range(100, 102));
  EXPECT_EQ(read_file(ws.raw_file("good", 1)), good_page);
  JsonDoc meta = ws.meta();
  EXPECT_EQ(meta.str("/sources/flaky/status"), "ok");
  EXPECT_EQ(meta.str("/sources/good/status"), "ok");
  EXPECT_EQ(JsonDoc(retried.out).uint64("/partitions/0/records_out"), 5u) << retried.out;

  // Nothing left to retry: no request, the date's figures, skipped.
  ProcessResult nothing = ws.run({"--retry-failed", "--json"});
  ASSERT_EQ(nothing.exit_code, kOk) << nothing.err;
  EXPECT_EQ(server.requests().size(), 4u);
  JsonDoc summary(nothing.out);
  EXPECT_EQ(summary.str("/partitions/0/status"), "skipped") << nothing.out;
  EXPECT_EQ(summary.uint64("/partitions/0/records_out"), 5u);

  EXPECT_EQ(ws.run({"--retry-failed", "--source", "good"}).exit_code, kUsage);
}

TEST(ScrapeCli, RetryingADateWhoseEverySourceFailedIsStill69) {
  HttpServer server;
  server.route("/down", HttpReply::json("{}", 503));
  ScrapeWorkspace ws;
  TestSource down;
  down.name = "down";
  down.url = server.url("/down");
  down.retry = R"({"max_retries":0})";
  ws.write_sources({down.json()});
  EXPECT_EQ(ws.run().exit_code, kUnavailable);
  EXPECT_EQ(ws.run({"--retry-failed"}).exit_code, kUnavailable);
  EXPECT_EQ(server.count("/down"), 2u);
}

TEST(ScrapeCli, OneSourceAndDryRunAndConfigErrors) {
  HttpServer server;
  server.route("/a", HttpReply::json(items_page(1, 1)));
  server.route("/b", HttpReply::json(items_page(2, 1)));
  ScrapeWorkspace ws;
  TestSource a, b;
  a.name = "a";
  a.url = server.url("/a?key=${HAUL_TEST_KEY}");
  a.extra = R"("headers":{"Authorization":"Bearer ${HAUL_TEST_KEY}"})";
  b.name = "b";
  b.url = server.url("/b");
  ws.write_sources({a.json(), b.json()});

  ProcessResult dry = ws.run({"--dry-run"}, {{"HAUL_TEST_KEY", "k-123"}});
  ASSERT_EQ(dry.exit_code, kOk) << dry.err;
  EXPECT_NE(dry.out.find("GET " + server.url("/a?key=${HAUL_TEST_KEY}")), std::string::npos)
      << dry.out;
  EXPECT_NE(dry.out.find("Authorization: Bearer ${HAUL_TEST_KEY}"), std::string::npos);
  EXPECT_EQ(dry.out.find("k-123"), std::string::npos);
  EXPECT_EQ(server.requests().size(), 0u);
  EXPECT_FALSE(fs::exists(ws.raw_dir()));

  ProcessResult missing = ws.run({}, {{"HAUL_TEST_KEY", std::nullopt}});
  EXPECT_EQ(missing.exit_code, kConfig);
  EXPECT_NE(missing.err.find("HAUL_TEST_KEY"), std::string::npos) << missing.err;
  EXPECT_EQ(server.requests().size(), 0u) << "no request before the config is complete";

  ProcessResult only_b = ws.run({"--source", "b"}, {{"HAUL_TEST_KEY", std::nullopt}});
  ASSERT_EQ(only_b.exit_code, kOk) << only_b.err;
  EXPECT_EQ(server.count("/a"), 0u);
  EXPECT_EQ(server.count("/b"), 1u);
  ProcessResult only_a = ws.run({"--source", "a"}, {{"HAUL_TEST_KEY", "k-123"}});
  ASSERT_EQ(only_a.exit_code, kOk) << only_a.err;
  EXPECT_EQ(server.requests("/a").at(0).header("authorization"), "Bearer k-123");
  EXPECT_EQ(server.requests("/a").at(0).query, "key=k-123");
  JsonDoc meta = ws.meta();  // both runs' entries are kept
  EXPECT_EQ(meta.uint64("/sources/a/records"), 1u);
  EXPECT_EQ(meta.uint64("/sources/b/records"), 1u);

  EXPECT_EQ(ws.run({"--source", "nope"}).exit_code, kUsage);
  write_file(ws.config_dir() / "sources.json",
             R"({"sources":[{"name":"x","type":"vehicles","url":"http://127.0.0.1:1/{nope}"}]})");
  ProcessResult bad = ws.run();
  EXPECT_EQ(bad.exit_code, kConfig);
  EXPECT_NE(bad.err.find("{nope}"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace haul::testing
