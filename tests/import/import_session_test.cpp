// ImportSession against a real server: the importer lock and the stage table
// follow the session across a backend that went away, whether the session
// reconnects itself (drop + open) or libpqxx reconnected silently (begin()
// notices the new backend pid).

#include "import/import_session.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <pqxx/pqxx>
#include <thread>

#include "support/test_database.hpp"

namespace haul::import {
namespace {

void terminate_backend(haul::testing::TestDatabase& db, int pid) {
  db.scalar("SELECT pg_terminate_backend(" + std::to_string(pid) + ", 5000)");
}

TEST(ImportSession, SilentReconnectReTakesTheLockAndStageTable) {
  HAUL_SKIP_WITHOUT_DATABASE();
  haul::testing::TestDatabase db;
  ImportSession session(db.conninfo());
  ASSERT_TRUE(session.open(/*migrate=*/true).is_ok());
  const int first_pid = session.connection().backendpid();
  terminate_backend(db, first_pid);

  // libpqxx 6.4 fails the first use(s) of the broken connection, then
  // reconnects on its own; begin() must notice and set the new backend up.
  std::unique_ptr<pqxx::work> tx;
  for (int attempt = 0; attempt < 5 && !tx; ++attempt) {
    try {
      tx = session.begin();
      tx->exec("SELECT count(*) FROM haul_stage");  // the stage table is back
    } catch (const pqxx::broken_connection&) {
      tx.reset();
    } catch (const pqxx::failure&) {
      tx.reset();
    }
  }
  ASSERT_TRUE(tx) << "libpqxx never reconnected";
  EXPECT_NE(session.connection().backendpid(), first_pid);
  EXPECT_TRUE(session.lock_held(*tx));
  EXPECT_GE(session.reconnects(), 1);
}

TEST(ImportSession, ExplicitReconnectAfterDrop) {
  HAUL_SKIP_WITHOUT_DATABASE();
  haul::testing::TestDatabase db;
  ImportSession session(db.conninfo());
  ASSERT_TRUE(session.open(true).is_ok());
  const int first_pid = session.connection().backendpid();
  session.drop();
  // The dropped backend may hold the lock for a moment: that is a retry
  // (kUnavailable), never a refusal (kTempFail).
  Status reopened;
  for (int i = 0; i < 100; ++i) {
    reopened = session.open(true);
    if (reopened.is_ok()) break;
    ASSERT_EQ(reopened.code(), ExitCode::kUnavailable) << reopened.message();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(reopened.is_ok()) << reopened.message();
  auto tx = session.begin();
  EXPECT_NE(session.connection().backendpid(), first_pid);
  EXPECT_TRUE(session.lock_held(*tx));
  tx->exec("SELECT count(*) FROM haul_stage");
}

TEST(ImportSession, LockTakenByAnotherImporterMeanwhileIsReported) {
  HAUL_SKIP_WITHOUT_DATABASE();
  haul::testing::TestDatabase db;
  ImportSession session(db.conninfo());
  ASSERT_TRUE(session.open(true).is_ok());
  const int first_pid = session.connection().backendpid();
  terminate_backend(db, first_pid);
  // Another importer takes the lock while this one is disconnected.
  ImportSession other(db.conninfo());
  Status taken;
  for (int i = 0; i < 100; ++i) {
    taken = other.open(true);
    if (taken.is_ok()) break;
    other.drop();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(taken.is_ok()) << taken.message();
  session.drop();
  Status refused = session.open(true);
  EXPECT_EQ(refused.code(), ExitCode::kTempFail) << refused.message();
}

}  // namespace
}  // namespace haul::import
