// haul-cleanup's database upkeep with a real PostgreSQL (HAUL_TEST_DATABASE)
// and a real HTTP server on 127.0.0.1 for the dead-link check: stale
// listings become inactive (counted from --date), incomplete inactive ones
// and non-whitelisted makes are deleted, 404/410 listings become sold (HEAD,
// GET after a 405, robots.txt honoured), the table is vacuumed after large
// deletions, --dry-run changes no row and asks no server, and a second run
// changes nothing.

#include <gtest/gtest.h>

#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "support/cleanup_workspace.hpp"
#include "support/http_server.hpp"
#include "support/import_workspace.hpp"
#include "support/json_doc.hpp"
#include "support/test_database.hpp"
#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace {

std::string key(int n) {
  std::string digits = std::to_string(n);
  return std::string(64 - digits.size(), 'a') + digits;
}

struct Row {
  int n;
  std::string make;
  std::string price;    // "" for NULL
  std::string mileage;  // "" for NULL
  std::string last_seen;
  std::string status;
  std::string url;
};

class CleanupDatabase : public ::testing::Test {
 protected:
  void SetUp() override {
    HAUL_SKIP_WITHOUT_DATABASE();
    db_ = std::make_unique<TestDatabase>();
    ImportWorkspace import(db_->conninfo());
    ASSERT_TRUE(ExitedWith(import.run({"--migrate-only"}), 0));
  }

  void insert(const Row& row) {
    auto connection = db_->connect();
    pqxx::work tx(*connection);
    tx.exec_params(
        "INSERT INTO vehicles (listing_key, data_hash, content_hash, make, model, year, price, "
        "mileage, source_name, source_url, record, first_seen_at, last_seen_at, status) "
        "VALUES ($1, $1, $1, $2, 'Model', 2015, NULLIF($3, '')::numeric, NULLIF($4, '')::integer, "
        "'test-dealer', NULLIF($5, ''), '{}', $6::timestamptz, $6::timestamptz, $7)",
        key(row.n), row.make, row.price, row.mileage, row.url, row.last_seen, row.status);
    tx.commit();
  }

  // Every row as "n:status:link_checked_at", in key order.
  std::string rows() const {
    return db_->scalar(
        "SELECT string_agg(right(listing_key, 1) || ':' || status || ':' || "
        "coalesce(link_checked_at::date::text, '-'), ' ' ORDER BY listing_key) FROM vehicles");
  }

  ProcessResult cleanup(std::vector<std::string> args = {}) {
    args.insert(args.end(), {"--db", db_->conninfo(), "--json"});
    return ws_.run(args);
  }

  std::unique_ptr<TestDatabase> db_;
  CleanupWorkspace ws_;
};

TEST_F(CleanupDatabase, UpkeepDeactivatesDeletesMarksSoldAndVacuums) {
  HttpServer server;
  server.route("/robots.txt", HttpReply{200, {}, "User-agent: *\nDisallow: /private/\n"});
  server.route("/cars/1", HttpReply{200, {}, "<html>for sale</html>"});
  server.route("/cars/6", HttpReply{404, {}, "gone"});
  server.route("/cars/7", [](const ReceivedRequest& request) {
    return request.method == "HEAD" ? HttpReply{405, {}, ""} : HttpReply{410, {}, "sold"};
  });
  ws_.write_config(R"({"retention":{"raw_days":null,"processed_days":null,"failed_days":null},
    "database":{
      "vehicles":{"inactive_after_days":14,"incomplete_if_missing":["price","mileage"],
                  "make_whitelist":["ford","toyota","honda"]},
      "events":{"inactive_after_days":null},"articles":{"inactive_after_days":null},
      "vacuum":{"min_deleted_rows":1000,"min_deleted_fraction":0.2},
      "dead_links":{"enabled":true,"contact":"ops@example.com","min_delay_s":0,"jitter_s":0,
                    "requests_per_second":100,"per_host_concurrency":2,"recheck_days":7}}})");
  const std::string fresh = "2026-03-30 00:00:00+00";
  const std::string stale = "2026-03-01 00:00:00+00";  // 30 days before 2026-03-31
  insert({1, "Ford", "20000", "1000", fresh, "active", server.url("/cars/1")});
  insert({2, "Toyota", "15000", "2000", stale, "active", ""});
  insert({3, "Toyota", "", "3000", stale, "active", ""});  // inactive now, then incomplete
  insert({4, "Ford", "9000", "", fresh, "inactive", ""});  // inactive and incomplete already
  insert({5, " ACME Parts", "50", "0", fresh, "active", ""});
  insert({6, "Honda", "12000", "4000", fresh, "active", server.url("/cars/6")});
  insert({7, "Honda", "13000", "5000", fresh, "active", server.url("/cars/7")});
  insert({8, "Ford", "14000", "6000", fresh, "active", server.url("/private/8")});
  insert({9, "toyota", "", "7000", fresh, "active", ""});  // incomplete, but active: kept
  // 2026-03-17 is exactly 14 days back: not yet stale.
  insert({0, "Ford", "1", "1", "2026-03-17 00:00:00+00", "active", ""});
  const std::string before = rows();

  // Dry run: exact counts and ids, no row changed, no request made.
  ProcessResult dry = cleanup({"--dry-run"});
  ASSERT_TRUE(ExitedWith(dry, 0));
  EXPECT_EQ(rows(), before);
  EXPECT_EQ(server.requests().size(), 0u);
  JsonDoc plan(dry.out);
  EXPECT_EQ(plan.str("/partitions/0/details/database"), "used");
  EXPECT_EQ(plan.uint64("/partitions/0/details/actions/deactivate/count"), 2u);
  EXPECT_EQ(plan.uint64("/partitions/0/details/actions/delete_incomplete/count"), 2u);
  EXPECT_EQ(plan.uint64("/partitions/0/details/actions/delete_not_whitelisted/count"), 1u);
  EXPECT_EQ(plan.uint64("/partitions/0/details/actions/check_link/count"), 4u);
  EXPECT_EQ(plan.uint64("/partitions/0/details/actions/vacuum/count"), 1u);
  EXPECT_EQ(plan.str("/partitions/0/details/actions/delete_not_whitelisted/subjects/0"),
            "vehicles id " + db_->scalar("SELECT id FROM vehicles WHERE listing_key = '" + key(5) + "'"));
  // Without --json the dry run prints its plan.
  ProcessResult text = ws_.run({"--dry-run", "--db", db_->conninfo()});
  ASSERT_TRUE(ExitedWith(text, 0));
  EXPECT_NE(text.out.find("would deactivate 2: vehicles id"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("would delete_not_whitelisted 1: vehicles id"), std::string::npos);
  EXPECT_EQ(rows(), before);

  ProcessResult r = cleanup();
  ASSERT_TRUE(ExitedWith(r, 0));
  EXPECT_EQ(rows(),
            "0:active:- 1:active:2026-03-31 2:inactive:- 6:sold:2026-03-31 7:sold:2026-03-31 "
            "8:active:- 9:active:-");
  JsonDoc summary(r.out);
  EXPECT_EQ(summary.uint64("/partitions/0/details/actions/mark_sold/count"), 2u);
  EXPECT_EQ(summary.uint64("/partitions/0/details/actions/check_link/count"), 3u);
  EXPECT_EQ(summary.uint64("/partitions/0/details/actions/vacuum/count"), 1u);
  EXPECT_EQ(summary.str("/partitions/0/details/kept/0/reason"), "disallowed by robots.txt");

  // HEAD first, GET only after the 405; nothing under /private/.
  EXPECT_EQ(server.count("/private/8"), 0u);
  ASSERT_EQ(server.count("/cars/7"), 2u);
  EXPECT_EQ(server.requests("/cars/7")[0].method, "HEAD");
  EXPECT_EQ(server.requests("/cars/7")[1].method, "GET");
  ASSERT_EQ(server.count("/cars/6"), 1u);
  EXPECT_EQ(server.requests("/cars/6")[0].method, "HEAD");
  EXPECT_NE(server.requests("/cars/6")[0].header("user-agent").find("haul-cleanup"), std::string::npos);
  EXPECT_NE(server.requests("/cars/6")[0].header("user-agent").find("ops@example.com"),
            std::string::npos);
  EXPECT_EQ(server.count("/robots.txt"), 1u);
  // The vacuum happened (the statistics may take a moment to show it).
  std::string vacuumed;
  for (int i = 0; i < 50 && vacuumed != "t"; ++i) {
    vacuumed = db_->scalar(
        "SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'vehicles'");
    if (vacuumed != "t") std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(vacuumed, "t");

  // Idempotent: the second run changes nothing and asks nothing new.
  const std::string after = rows();
  const auto requests = server.requests().size();
  r = cleanup();
  ASSERT_TRUE(ExitedWith(r, 0));
  EXPECT_EQ(rows(), after);
  EXPECT_EQ(JsonDoc(r.out).size("/partitions/0/details/actions"), 0u) << r.out;
  EXPECT_LE(server.requests().size(), requests + 1);  // at most robots.txt again
}

TEST_F(CleanupDatabase, AnUnmigratedDatabaseIsAConfigError) {
  TestDatabase empty;
  ws_.write_config("{}");
  ProcessResult r = ws_.run({"--db", empty.conninfo()});
  EXPECT_TRUE(ExitedWith(r, 78));
  EXPECT_NE(r.err.find("haul-import --migrate-only"), std::string::npos) << r.err;
}

TEST_F(CleanupDatabase, SkipDatabaseLeavesItAlone) {
  ws_.write_config(R"({"database":{"vehicles":{"inactive_after_days":0}}})");
  insert({1, "Ford", "1", "1", "2020-01-01 00:00:00+00", "active", ""});
  ASSERT_TRUE(ExitedWith(ws_.run({"--db", db_->conninfo(), "--skip-database"}), 0));
  EXPECT_EQ(rows(), "1:active:-");
  ASSERT_TRUE(ExitedWith(ws_.run({"--db", db_->conninfo()}), 0));
  EXPECT_EQ(rows(), "1:inactive:-");
}

}  // namespace
}  // namespace haul::testing
