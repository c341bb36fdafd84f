#include "db/importer_lock.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <pqxx/pqxx>
#include <thread>

#include "support/test_database.hpp"

namespace haul::db {
namespace {

TEST(ImporterLock, OneHolderPerDatabaseAndHeldOnlyOnItsBackend) {
  HAUL_SKIP_WITHOUT_DATABASE();
  haul::testing::TestDatabase db;
  auto first = db.connect();
  auto second = db.connect();
  ImporterLock lock, other;
  ASSERT_TRUE(lock.acquire(*first).is_ok());
  EXPECT_EQ(lock.backend_pid(), first->backendpid());
  Status refused = other.acquire(*second);
  EXPECT_EQ(refused.code(), ExitCode::kTempFail);
  EXPECT_NE(refused.message().find(std::to_string(first->backendpid())), std::string::npos)
      << refused.message();
  {
    pqxx::work tx(*first);
    EXPECT_TRUE(lock.still_held(tx));
  }
  {
    // A transaction on another backend is not where the lock is.
    pqxx::work tx(*second);
    EXPECT_FALSE(lock.still_held(tx));
  }
  // The holder's backend goes away (as in a server restart): the lock with it.
  {
    pqxx::nontransaction tx(*second);
    tx.exec("SELECT pg_terminate_backend(" + std::to_string(first->backendpid()) + ")");
  }
  bool acquired = false;
  for (int i = 0; i < 100 && !acquired; ++i) {
    acquired = other.acquire(*second).is_ok();
    if (!acquired) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(acquired);
}

}  // namespace
}  // namespace haul::db
