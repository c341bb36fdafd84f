#include "db/migrations.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <pqxx/pqxx>
#include <pqxx/transaction>

#include "db/advisory_keys.hpp"
#include "db/embedded_migrations.hpp"
#include "db/error_class.hpp"
#include "util/sha256.hpp"

namespace haul::db {
namespace {

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY,"
    " name text NOT NULL,"
    " checksum text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

Status failure(const std::exception& e, const std::string& what) {
  DbError error = classify(e);
  std::string hint;
  if (exit_code_for(error) == ExitCode::kConfig) {
    hint = " (run `haul-import --migrate-only` as a superuser or a member of haul_owner)";
  }
  ExitCode code =
      error.kind == ErrorKind::kTransient ? ExitCode::kUnavailable : exit_code_for(error);
  return Status::error(
      code, fmt::format("{}: {}{}{}", what, error.message,
                        error.sqlstate.empty() ? "" : " [" + error.sqlstate + "]", hint));
}

// Releases the migration lock however migrate() leaves.
class MigrationLock {
 public:
  explicit MigrationLock(pqxx::connection& connection) : connection_(connection) {
    pqxx::nontransaction tx(connection_);
    tx.exec_params("SELECT pg_advisory_lock($1, $2)", kAdvisoryNamespace, kMigrationLockKey);
  }
  ~MigrationLock() {
    try {
      pqxx::nontransaction tx(connection_);
      tx.exec_params("SELECT pg_advisory_unlock($1, $2)", kAdvisoryNamespace, kMigrationLockKey);
    } catch (const std::exception&) {
      // The connection is gone, and the lock with it.
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  pqxx::connection& connection_;
};

}  // namespace

Status shipped_migrations(std::vector<Migration>& out) {
  out.clear();
  Sha256 sha;
  for (const EmbeddedMigration& embedded : embedded_migrations()) {
    Migration m;
    m.name = std::string(embedded.file_name);
    auto [end, ec] = std::from_chars(m.name.data(), m.name.data() + m.name.size(), m.version);
    if (ec != std::errc() || *end != '_' || m.version <= 0) {
      return Status::error(ExitCode::kSoftware,
                           fmt::format("migration {} is not named NNNN_what.sql", m.name));
    }
    m.sql = std::string(embedded.sql);
    m.checksum = sha.hex(m.sql);
    if (!out.empty() && out.back().version == m.version) {
      return Status::error(ExitCode::kSoftware,
                           fmt::format("two migrations have version {}", m.version));
    }
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return Status::ok();
}

int latest_shipped_version() {
  std::vector<Migration> migrations;
  if (!shipped_migrations(migrations).is_ok() || migrations.empty()) return 0;
  return migrations.back().version;
}

Status current_version(pqxx::connection& connection, int& version) {
  version = 0;
  try {
    pqxx::nontransaction tx(connection);
    pqxx::row exists = tx.exec1("SELECT to_regclass('schema_migrations') IS NOT NULL");
    if (!exists[0].as<bool>()) return Status::ok();
    pqxx::row row = tx.exec1("SELECT coalesce(max(version), 0) FROM schema_migrations");
    version = row[0].as<int>();
    return Status::ok();
  } catch (const std::exception& e) {
    return failure(e, "cannot read schema_migrations");
  }
}

Status migrate(pqxx::connection& connection, std::vector<std::string>* applied) {
  std::vector<Migration> migrations;
  if (Status s = shipped_migrations(migrations); !s.is_ok()) return s;
  try {
    MigrationLock lock(connection);
    {
      // Checked first: CREATE ... IF NOT EXISTS still needs the privilege to create.
      pqxx::work tx(connection);
      if (!tx.exec1("SELECT to_regclass('schema_migrations') IS NOT NULL")[0].as<bool>()) {
        tx.exec(kCreateTable);
      }
      tx.commit();
    }
    std::map<int, std::string> done;
    {
      pqxx::nontransaction tx(connection);
      for (const auto& row : tx.exec("SELECT version, checksum FROM schema_migrations")) {
        done[row[0].as<int>()] = row[1].c_str();
      }
    }
    for (const Migration& m : migrations) {
      if (auto it = done.find(m.version); it != done.end()) {
        if (it->second != m.checksum) {
          return Status::error(
              ExitCode::kConfig,
              fmt::format("migration {} was applied with different contents (checksum {}, "
                          "shipped {}): applied migrations must never be edited",
                          m.name, it->second, m.checksum));
        }
        continue;
      }
      try {
        pqxx::work tx(connection);
        tx.exec(m.sql);
        tx.exec_params(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
            m.version, m.name, m.checksum);
        tx.commit();
      } catch (const std::exception& e) {
        return failure(e, fmt::format("migration {} failed", m.name));
      }
      spdlog::info("applied migration {}", m.name);
      if (applied) applied->push_back(m.name);
    }
    return Status::ok();
  } catch (const std::exception& e) {
    return failure(e, "cannot migrate the schema");
  }
}

}  // namespace haul::db
