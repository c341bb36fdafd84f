#include "db/connection.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <pqxx/pqxx>

#include "db/error_class.hpp"

namespace haul::db {

bool database_configured(const std::string& db_option) {
  if (!db_option.empty()) return true;
  for (const char* name : {"DATABASE_URL", "PGHOST", "PGDATABASE", "PGSERVICE"}) {
    const char* value = std::getenv(name);
    if (value && *value) return true;
  }
  return false;
}

std::string resolve_conninfo(const std::string& db_option) {
  if (!db_option.empty()) return db_option;
  if (const char* url = std::getenv("DATABASE_URL"); url && *url) return url;
  return "";
}

void set_up_session(pqxx::connection& connection) {
  pqxx::nontransaction tx(connection);
  // JIT compiles a plan in ~100 ms; the import's statements run in a few ms
  // each, and their index-probe plans would trip jit_above_cost on big tables.
  tx.exec("SET TIME ZONE 'UTC'; SET client_min_messages = warning; SET jit = off");
}

Status connect(const std::string& conninfo, std::unique_ptr<pqxx::connection>& out,
               bool* transient) {
  if (transient) *transient = false;
  try {
    auto connection = std::make_unique<pqxx::connection>(conninfo);
    set_up_session(*connection);
    pqxx::nontransaction tx(*connection);
    pqxx::row row = tx.exec1(
        "SELECT pg_encoding_to_char(encoding), pg_client_encoding() FROM pg_database "
        "WHERE datname = current_database()");
    std::string server = row[0].c_str(), client = row[1].c_str();
    if (server != "UTF8" || client != "UTF8") {
      return Status::error(
          ExitCode::kConfig,
          fmt::format("database {} uses encoding {} (client {}); haul needs UTF8 on both sides",
                      describe(*connection), server, client));
    }
    out = std::move(connection);
    return Status::ok();
  } catch (const std::exception& e) {
    DbError error = classify(e);
    if (transient) *transient = error.kind == ErrorKind::kTransient;
    return Status::error(
        error.kind == ErrorKind::kTransient ? ExitCode::kUnavailable : exit_code_for(error),
        fmt::format("cannot connect to the database: {}", error.message));
  }
}

std::string describe(pqxx::connection& connection) {
  auto text = [](const char* s) { return s ? std::string(s) : std::string("?"); };
  return fmt::format("{}@{} on {}:{}", text(connection.username()), text(connection.dbname()),
                     text(connection.hostname()), text(connection.port()));
}

}  // namespace haul::db

#if defined(HAUL_SANITIZED)
// libpqxx 6.4.5 leaks the PGresult of a BEGIN that fails on a broken
// connection (transaction_base::direct_exec throws without clearing it), so
// sanitizer builds would report it at exit after every reconnect. LSan's fast
// unwinder cannot walk through libpq (no frame pointers), so the stack ends in
// the library and the suppression has to name the module: leaks allocated
// under libpqxx. Our own leaks are still reported.
extern "C" const char* __lsan_default_suppressions() { return "leak:libpqxx-6.4.so\n"; }
#endif
