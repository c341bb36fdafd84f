// haul-enrich's market data with a real PostgreSQL (HAUL_TEST_DATABASE):
// active priced listings of the batch's models count as comparables, read
// with one query; listings of this batch are not counted twice; the
// database being down or unmigrated is fatal with --market-db on and a
// warning with auto; off never reads it. End to end: haul-import stores the
// grade and market figures in their columns.

#include <gtest/gtest.h>

#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "support/enrich_workspace.hpp"
#include "support/import_workspace.hpp"
#include "support/json_doc.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;

// 64 hex digits whose first 16 (the bits haul-enrich compares) are `digit`.
std::string key(char digit) { return std::string(16, digit) + std::string(48, '0'); }

class EnrichMarketDb : public ::testing::Test {
 protected:
  void SetUp() override {
    HAUL_SKIP_WITHOUT_DATABASE();
    db_ = std::make_unique<TestDatabase>();
  }
  void migrate() {
    ImportWorkspace import(db_->conninfo());
    ASSERT_TRUE(ExitedWith(import.run({"--migrate-only"}), 0));
  }
  // A row as haul-import would have left it (price may be null).
  void add_listing(char listing, const std::string& make, const std::string& model, int year,
                   std::optional<double> price, const std::string& status = "active") {
    auto connection = db_->connect();
    pqxx::work tx(*connection);
    const std::string insert =
        "INSERT INTO vehicles (listing_key, data_hash, content_hash, make, model, year, price, "
        "source_name, record, first_seen_at, last_seen_at, status) "
        "VALUES ($1, $1, $1, $2, $3, $4, ";
    const std::string rest = ", 'db-dealer', '{}', now(), now(), $5)";
    if (price) {
      tx.exec_params(insert + "$6" + rest, key(listing), make, model, year, status, *price);
    } else {
      tx.exec_params(insert + "NULL" + rest, key(listing), make, model, year, status);
    }
    tx.commit();
  }
  // The batch: two Outbacks of 2016 with their listing keys, one of which
  // (key '1') is also in the database at another price.
  void write_batch() {
    ws_.write_input(
        {car("Subaru", "Outback", 2016, 20000, "\"listing_key\":\"" + key('1') + "\""),
         car("Subaru", "Outback", 2016, 22000, "\"listing_key\":\"" + key('2') + "\"")});
  }
  std::unique_ptr<TestDatabase> db_;
  EnrichWorkspace ws_;
};

TEST_F(EnrichMarketDb, ActivePricedListingsOfTheModelCountAndTheBatchsOwnDoNot) {
  migrate();
  add_listing('1', "Subaru", "Outback", 2016, 1000);   // in the batch: not counted again
  add_listing('3', "SUBARU", "outback", 2015, 18000);  // counted (normalised model, y-1)
  add_listing('4', "Subaru", "Outback", 2017, 24000);  // counted (y+1)
  add_listing('5', "Subaru", "Outback", 2016, 26000, "inactive");
  add_listing('6', "Subaru", "Outback", 2016, 0);
  add_listing('7', "Subaru", "Outback", 2016, std::nullopt);
  add_listing('8', "Subaru", "Outback", 2018, 50000);   // read, but y+2
  add_listing('9', "Subaru", "Forester", 2016, 30000);  // read, another model
  add_listing('a', "Toyota", "Camry", 2016, 9999);      // another make: not read
  write_batch();
  ASSERT_TRUE(ExitedWith(ws_.run({"--market-db", "on", "--db", db_->conninfo()}), 0));

  auto lines = read_lines(ws_.enriched());
  ASSERT_EQ(lines.size(), 2u);
  // 0: batch {22000} + database {18000, 24000}: median 22000, -9.1%.
  const JsonDoc first(lines[0]);
  EXPECT_EQ(first.uint64("/market/comparables"), 3u);
  EXPECT_EQ(first.uint64("/market/batchComparables"), 1u);
  EXPECT_EQ(first.uint64("/market/databaseComparables"), 2u);
  EXPECT_EQ(first.number("/market/median"), 22000);
  EXPECT_EQ(first.number("/market/priceVsMarket"), -9.1);
  // 1: batch {20000} + database {18000, 24000}: median 20000, +10%.
  const JsonDoc second(lines[1]);
  EXPECT_EQ(second.uint64("/market/comparables"), 3u);
  EXPECT_EQ(second.number("/market/median"), 20000);
  EXPECT_EQ(second.number("/market/priceVsMarket"), 10);

  const JsonDoc report(read_file(ws_.report()));
  EXPECT_EQ(report.str("/market/database"), "used");
  EXPECT_EQ(report.uint64("/market/database_queries"), 1u);
  EXPECT_EQ(report.uint64("/market/database_rows"), 5u);  // '1', '3', '4', '8', '9'
  EXPECT_EQ(report.uint64("/market/database_rows_in_batch"), 1u);

  // With the database the outputs depend on it: a rerun is never skipped.
  auto rerun = ws_.run({"--market-db", "on", "--db", db_->conninfo()});
  ASSERT_TRUE(ExitedWith(rerun, 0));
  EXPECT_EQ(rerun.err.find("up to date"), std::string::npos) << rerun.err;

  // off: the same batch, and not one database comparable.
  ASSERT_TRUE(ExitedWith(ws_.run({"--market-db", "off", "--db", db_->conninfo(), "--force"}), 0));
  lines = read_lines(ws_.enriched());
  EXPECT_EQ(JsonDoc(lines[0]).uint64("/market/databaseComparables"), 0u);
  EXPECT_EQ(JsonDoc(lines[0]).uint64("/market/comparables"), 1u);
  EXPECT_EQ(JsonDoc(read_file(ws_.report())).str("/market/database"), "off");
  EXPECT_EQ(JsonDoc(read_file(ws_.report())).uint64("/market/database_queries"), 0u);
}

TEST_F(EnrichMarketDb, AnUnreachableDatabaseExits69WithOnAndIsAWarningWithAuto) {
  write_batch();
  TempDir nowhere;
  const std::string unreachable = unreachable_conninfo(nowhere.path());
  auto on = ws_.run({"--market-db", "on", "--db", unreachable});
  EXPECT_TRUE(ExitedWith(on, 69));
  EXPECT_FALSE(fs::exists(ws_.report()));
  EXPECT_EQ(on.err.find("port=5999"), std::string::npos) << on.err;

  auto automatic = ws_.run({"--market-db", "auto", "--db", unreachable});
  ASSERT_TRUE(ExitedWith(automatic, 0));
  const JsonDoc report(read_file(ws_.report()));
  EXPECT_EQ(report.str("/market/database"), "unavailable");
  EXPECT_TRUE(report.str("/market/database_reason"));
  EXPECT_EQ(report.uint64("/market/database_queries"), 0u);
  EXPECT_EQ(JsonDoc(read_lines(ws_.enriched())[0]).uint64("/market/batchComparables"), 1u);

  auto off = ws_.run({"--market-db", "off", "--db", unreachable, "--force"});
  ASSERT_TRUE(ExitedWith(off, 0));
  EXPECT_EQ(JsonDoc(read_file(ws_.report())).str("/market/database"), "off");

  // auto without any database configured: not tried at all.
  ASSERT_TRUE(ExitedWith(ws_.run({"--market-db", "auto", "--force"}), 0));
  EXPECT_EQ(JsonDoc(read_file(ws_.report())).str("/market/database"), "not_configured");
}

TEST_F(EnrichMarketDb, AnUnmigratedDatabaseExits78WithOn) {
  write_batch();
  auto result = ws_.run({"--market-db", "on", "--db", db_->conninfo()});
  EXPECT_TRUE(ExitedWith(result, 78));
  EXPECT_NE(result.err.find("--migrate-only"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(ws_.report()));
}

TEST_F(EnrichMarketDb, ImportStoresTheGradeAndTheMarketFigures) {
  migrate();
  ws_.write_input({car("Chevrolet", "Corvette", 1965, 60000, R"("stockNumber":"C-1")"),
                   car("Chevrolet", "Corvette", 1965, 70000, R"("stockNumber":"C-2")"),
                   car("Chevrolet", "Corvette", 1966, 80000, R"("stockNumber":"C-3")"),
                   car("Chevrolet", "Corvette", 1964, 90000, R"("stockNumber":"C-4")"),
                   car("Toyota", "Camry", 2015, 15000, R"("stockNumber":"T-1")")});
  ASSERT_TRUE(ExitedWith(ws_.run({"--market-db", "off"}), 0));
  ImportWorkspace import(db_->conninfo());
  import.write_input(read_lines(ws_.enriched()), "vehicles", "enriched.jsonl");
  auto imported = import.run();
  ASSERT_TRUE(ExitedWith(imported, 0));
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicles"), "5");
  // C-1: {70000, 80000, 90000}: median 80000, -25% -> score 100.
  EXPECT_EQ(db_->scalar("SELECT investment_grade || ' ' || market_median::float8 || ' ' || "
                        "market_comparables || ' ' || price_vs_market::float8 || ' ' || "
                        "deal_score FROM vehicles WHERE stock_number = 'C-1'"),
            "A+ 80000 3 -25 100");
  // C-2: {60000, 80000, 90000}: median 80000, -12.5% -> score 81.
  EXPECT_EQ(db_->scalar("SELECT price_vs_market::float8 || ' ' || deal_score FROM vehicles "
                        "WHERE stock_number = 'C-2'"),
            "-12.5 81");
  // T-1: graded, no comparables: no median, price vs market or score.
  EXPECT_EQ(db_->scalar("SELECT investment_grade || ' ' || market_comparables || ' ' || "
                        "(market_median IS NULL) || ' ' || (deal_score IS NULL) FROM vehicles "
                        "WHERE stock_number = 'T-1'"),
            "B+ 0 true true");
}

}  // namespace
}  // namespace haul::testing
