// The chunk loader inside a transaction of its own, against a real server:
// superseded keys, COPY line isolation, bisection, and that nothing is
// committed by it (the caller commits).

#include "import/chunk_loader.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <pqxx/pqxx>

#include "db/connection.hpp"
#include "db/migrations.hpp"
#include "support/test_database.hpp"

namespace haul::import {
namespace {

TEST(CopyErrorLine, FindsTheLineOfTheStageTable) {
  EXPECT_EQ(copy_error_line("bad\nCONTEXT:  COPY haul_stage, line 17, column record: \"x\"",
                            "haul_stage"),
            17u);
  EXPECT_EQ(copy_error_line("CONTEXT:  COPY other, line 3", "haul_stage"), 0u);
  EXPECT_EQ(copy_error_line("no context at all", "haul_stage"), 0u);
  EXPECT_EQ(copy_error_line("COPY haul_stage, line x", "haul_stage"), 0u);
}

ChunkRow row(int n, const std::string& record) {
  ChunkRow r;
  r.record_no = static_cast<std::uint64_t>(n);
  r.text = record;
  char key[65];
  std::snprintf(key, sizeof key, "%064x", n);
  r.listing_key = key;
  r.data_hash = key;
  r.content_hash = std::string(64, 'c');
  return r;
}

std::string event(const std::string& title, const std::string& start = "2026-12-01") {
  return R"({"title":")" + title + R"(","startDate":")" + start +
         R"(","sourceName":"s","sourceUrl":"https://e.example.com"})";
}

// A migrated database and a session with the stage table, as ImportSession
// leaves it.
class ChunkLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HAUL_SKIP_WITHOUT_DATABASE();
    db_ = std::make_unique<haul::testing::TestDatabase>();
    connection = db_->connect();
    ASSERT_TRUE(db::migrate(*connection).is_ok());
    db::set_up_session(*connection);
    pqxx::nontransaction tx(*connection);
    tx.exec(create_stage_table_sql());
  }
  std::string scalar(const std::string& sql) { return db_->scalar(sql); }
  std::unique_ptr<haul::testing::TestDatabase> db_;
  std::unique_ptr<pqxx::connection> connection;
};

TEST_F(ChunkLoaderTest, IsolatesBadRowsAndLeavesCommittingToTheCaller) {
  std::vector<ChunkRow> rows;
  for (int i = 1; i <= 12; ++i) rows.push_back(row(i, event("Show " + std::to_string(i))));
  rows[2] = row(3, event("Bad date", "not a date"));  // 22007 in the upsert: bisected
  rows[5] = row(6, R"({"title":"nul \u0000"})");      // 22P05 at COPY: line N
  rows[8] = row(3, event("Show 3 again"));            // same key as row 3: supersedes it
  ChunkLoader loader(*table_spec("events"), "2026-11-23");
  {
    pqxx::work tx(*connection);
    ChunkOutcome outcome = loader.load(tx, rows);
    EXPECT_EQ(outcome.superseded, 1u);
    ASSERT_EQ(outcome.rejected.size(), 1u);
    EXPECT_EQ(outcome.rejected[0].row, 5u);
    EXPECT_EQ(outcome.rejected[0].error.sqlstate, "22P05");
    EXPECT_EQ(outcome.inserted, 10u);
    tx.commit();
  }
  EXPECT_EQ(scalar("SELECT title FROM events WHERE listing_key = lpad('3', 64, '0')"),
            "Show 3 again");

  rows.clear();
  rows.push_back(row(20, event("Later")));
  rows.push_back(row(21, event("Broken", "31/31/2026")));
  {
    pqxx::work tx(*connection);
    ChunkOutcome outcome = loader.load(tx, rows);
    ASSERT_EQ(outcome.rejected.size(), 1u);
    EXPECT_EQ(outcome.rejected[0].row, 1u);
    EXPECT_EQ(outcome.rejected[0].error.sqlstate.substr(0, 2), "22");
    // Not committed: aborting leaves the table as it was.
  }
  EXPECT_EQ(scalar("SELECT count(*) FROM events"), "10");
}

// A row COPY itself refuses (bytes that are not UTF-8 never pass the
// client's JSON parser; here they are sent anyway) is found by the line
// number in the server's message, and only that row is left out.
TEST_F(ChunkLoaderTest, CopyErrorsAreIsolatedByTheirLineNumber) {
  std::vector<ChunkRow> rows;
  for (int i = 1; i <= 9; ++i) rows.push_back(row(i, event("Show " + std::to_string(i))));
  rows[3].text = "{\"title\":\"bad \xff byte\"}";
  rows[7].text = "{\"title\":\"also \xfe\"}";
  ChunkLoader loader(*table_spec("events"), "2026-11-23");
  pqxx::work tx(*connection);
  ChunkOutcome outcome = loader.load(tx, rows);
  tx.commit();
  ASSERT_EQ(outcome.rejected.size(), 2u);
  EXPECT_EQ(outcome.rejected[0].row, 3u);
  EXPECT_EQ(outcome.rejected[1].row, 7u);
  EXPECT_EQ(outcome.rejected[0].error.sqlstate, "22021");
  EXPECT_EQ(outcome.inserted, 7u);
  EXPECT_EQ(scalar("SELECT count(*) FROM events"), "7");
}

}  // namespace
}  // namespace haul::import
