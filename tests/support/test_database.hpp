#pragma once
// A fresh database per test on the server named by $HAUL_TEST_DATABASE (set
// by scripts/test), dropped afterwards, so tests running in parallel never see
// each other's rows. Tests call HAUL_SKIP_WITHOUT_DATABASE() first: without a
// server they are skipped, not failed.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <pqxx/connection>
#include <string>

namespace haul::testing {

// $HAUL_TEST_DATABASE, when set and not empty.
std::optional<std::string> test_database_url();

#define HAUL_SKIP_WITHOUT_DATABASE()                                                   \
  do {                                                                                 \
    if (!::haul::testing::test_database_url()) {                                       \
      GTEST_SKIP() << "skipped: HAUL_TEST_DATABASE is not set (scripts/test sets it)"; \
    }                                                                                  \
  } while (0)

// A conninfo no server answers: PostgreSQL's socket in `socket_dir` (a
// TempDir nobody listens in) on port 5999. Tests that use it check that
// "port=5999" is never echoed, as a password in a conninfo must not be.
std::string unreachable_conninfo(const std::filesystem::path& socket_dir);

class TestDatabase {
 public:
  // Creates haul_test_<pid>_<n> on the $HAUL_TEST_DATABASE server. When
  // `server_conninfo` is given, on that server instead (a test's own cluster).
  explicit TestDatabase(std::optional<std::string> server_conninfo = std::nullopt);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const { return name_; }
  // key=value connection strings for the new database, as the superuser and
  // as the least-privilege importer role.
  std::string conninfo() const;
  std::string conninfo_as(const std::string& user) const;
  // A new superuser connection to the new database.
  std::unique_ptr<pqxx::connection> connect() const;
  // Runs one statement as the superuser; returns the first column of the
  // first row, or "" when there is none (NULL is "<null>").
  std::string scalar(const std::string& sql) const;
  // Polls (every 10 ms, up to 8 s, riding over a server that is down) until
  // `table` has rows, for a test that interrupts a running import once some
  // have landed. Returns the count seen, "0" when none came in time.
  std::string wait_for_rows(const std::string& table) const;

 private:
  std::string host_, port_, user_, name_;
  std::string server_conninfo_;
};

}  // namespace haul::testing
