// haul-dedup --against-db with a real PostgreSQL (scripts/test starts one):
// survivors the database already holds unchanged (imported by haul-import on
// an earlier date) are dropped with rule "in_database"; changed and new
// listings pass. Skipped without $HAUL_TEST_DATABASE.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "support/json_doc.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"
#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;

std::string stocked_car(const std::string& stock, int price) {
  return R"({"make":"Ford","model":"Bronco","year":1972,"price":)" + std::to_string(price) +
         R"(,"stockNumber":")" + stock +
         R"(","sourceName":"Demo Dealer","sourceUrl":"https://dealer.example.com/inventory/)" +
         stock + R"(","_meta":{"source":"demo-dealer","raw_index":0}})";
}

TEST(DedupAgainstDb, DropsWhatTheDatabaseHoldsUnchanged) {
  HAUL_SKIP_WITHOUT_DATABASE();
  TestDatabase database;
  ValidateWorkspace ws;
  const std::string day1 = "2026-11-22", day2 = "2026-11-23";
  write_file(ws.validated("vehicles", day1),
             stocked_car("A-1", 30000) + "\n" + stocked_car("B-2", 41000) + "\n");
  ASSERT_TRUE(ExitedWith(ws.run_tool("haul-dedup", {"--date", day1, "-q"}), 0));
  ASSERT_TRUE(ExitedWith(
      ws.run_tool("haul-import", {"--date", day1, "-q", "--db", database.conninfo()}), 0));
  ASSERT_EQ(database.scalar("SELECT count(*) FROM vehicles"), "2");

  // Day 2: A unchanged, B's price changed, C new; A scraped twice.
  write_file(ws.validated("vehicles", day2), stocked_car("A-1", 30000) + "\n" + stocked_car("B-2", 39500) + "\n" +
                                                 stocked_car("C-3", 25000) + "\n" + stocked_car("A-1", 30000) + "\n");
  auto result = ws.run_tool("haul-dedup", {"--date", day2, "--against-db", "--db", database.conninfo()});
  ASSERT_TRUE(ExitedWith(result, 0));

  std::set<std::string> kept;
  for (const auto& line : read_lines(ws.processed_dir("vehicles", day2) / "deduped.jsonl")) {
    kept.insert(*JsonDoc(line).str("/stockNumber"));
  }
  EXPECT_EQ(kept, (std::set<std::string>{"B-2", "C-3"}));
  std::multiset<std::string> rules;
  for (const auto& line : read_lines(ws.failed_dir("vehicles", day2) / "duplicates.jsonl")) {
    JsonDoc doc(line);
    EXPECT_EQ(doc.str("/record/stockNumber"), "A-1");
    rules.insert(*doc.str("/rule"));
    if (doc.str("/rule") == "in_database") {
      EXPECT_EQ(doc.str("/survivor/database"), "vehicles");
      EXPECT_EQ(doc.str("/survivor/listing_key"), doc.str("/record/listing_key"));
    }
  }
  EXPECT_EQ(rules, (std::multiset<std::string>{"exact", "in_database"}));
  JsonDoc report(read_file(ws.processed_dir("vehicles", day2) / "dedup_report.json"));
  EXPECT_EQ(report.uint64("/unchanged_in_database"), 1u);
  EXPECT_EQ(report.uint64("/database_queries"), 1u);
  EXPECT_EQ(report.uint64("/records_in"), 4u);
  EXPECT_EQ(report.uint64("/survivors"), 2u);
  EXPECT_EQ(report.uint64("/duplicates"), 2u);
}

TEST(DedupAgainstDb, AnUnreachableDatabaseExits69AndAMissingSchema78) {
  HAUL_SKIP_WITHOUT_DATABASE();
  ValidateWorkspace ws;
  write_file(ws.validated(), stocked_car("A-1", 30000) + "\n");
  TempDir nowhere;
  auto down = ws.run_tool("haul-dedup", {"--against-db", "--db",
                                         "host=" + nowhere.path().string() + " dbname=haul connect_timeout=2"});
  EXPECT_TRUE(ExitedWith(down, 69));
  EXPECT_FALSE(fs::exists(ws.processed_dir() / "deduped.jsonl"));

  TestDatabase empty;  // never migrated: no vehicles table
  auto unmigrated = ws.run_tool("haul-dedup", {"--against-db", "--db", empty.conninfo()});
  EXPECT_TRUE(ExitedWith(unmigrated, 78));
  EXPECT_NE(unmigrated.err.find("migrate"), std::string::npos) << unmigrated.err;
}

}  // namespace
}  // namespace haul::testing
