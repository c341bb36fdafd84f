#include "support/test_database.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <pqxx/pqxx>
#include <thread>

namespace haul::testing {

std::optional<std::string> test_database_url() {
  const char* url = std::getenv("HAUL_TEST_DATABASE");
  if (!url || !*url) return std::nullopt;
  return std::string(url);
}

TestDatabase::TestDatabase(std::optional<std::string> server_conninfo) {
  server_conninfo_ = server_conninfo ? *server_conninfo : test_database_url().value_or("");
  static std::atomic<int> counter{0};
  name_ = "haul_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  pqxx::connection admin(server_conninfo_);
  host_ = admin.hostname() ? admin.hostname() : "";
  port_ = admin.port() ? admin.port() : "";
  user_ = admin.username() ? admin.username() : "";
  pqxx::nontransaction tx(admin);
  tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_));
  tx.exec("CREATE DATABASE " + tx.quote_name(name_) + " ENCODING 'UTF8' TEMPLATE template0");
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection admin(server_conninfo_);
    pqxx::nontransaction tx(admin);
    tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_) + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The server may be gone (a test stopped it); its directory goes too.
  }
}

std::string TestDatabase::conninfo_as(const std::string& user) const {
  return "host=" + host_ + " port=" + port_ + " dbname=" + name_ + " user=" + user;
}

std::string TestDatabase::conninfo() const { return conninfo_as(user_); }

std::unique_ptr<pqxx::connection> TestDatabase::connect() const {
  return std::make_unique<pqxx::connection>(conninfo());
}

std::string TestDatabase::scalar(const std::string& sql) const {
  pqxx::connection connection(conninfo());
  pqxx::nontransaction tx(connection);
  pqxx::result result = tx.exec(sql);
  if (result.empty() || result.columns() == 0) return "";
  return result[0][0].is_null() ? "<null>" : result[0][0].c_str();
}

std::string TestDatabase::wait_for_rows(const std::string& table) const {
  std::string loaded = "0";
  for (int i = 0; i < 800 && loaded == "0"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    try {
      loaded = scalar("SELECT count(*) FROM " + table);
    } catch (const std::exception&) {
    }
  }
  return loaded;
}

std::string unreachable_conninfo(const std::filesystem::path& socket_dir) {
  return "host=" + socket_dir.string() + " port=5999 dbname=haul user=postgres";
}

}  // namespace haul::testing
