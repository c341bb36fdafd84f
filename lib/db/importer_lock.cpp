#include "db/importer_lock.hpp"

#include <fmt/format.h>

#include <pqxx/pqxx>

#include "db/advisory_keys.hpp"
#include "db/error_class.hpp"

namespace haul::db {

Status ImporterLock::acquire(pqxx::connection& connection, int* holder_pid) {
  if (holder_pid) *holder_pid = 0;
  try {
    pqxx::nontransaction tx(connection);
    const std::string try_lock = "SELECT pg_try_advisory_lock($1, $2), pg_backend_pid()";
    pqxx::row row = tx.exec_params1(try_lock, kAdvisoryNamespace, kImporterLockKey);
    for (int attempt = 0; !row[0].as<bool>(); ++attempt) {
      pqxx::result holder = tx.exec_params(
          "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::oid "
          "AND objid = $2::oid AND objsubid = 2 AND granted",
          static_cast<std::uint32_t>(kAdvisoryNamespace),
          static_cast<std::uint32_t>(kImporterLockKey));
      if (holder.empty() && attempt < 3) {
        // Released between the two statements (its backend just ended): try again.
        row = tx.exec_params1(try_lock, kAdvisoryNamespace, kImporterLockKey);
        continue;
      }
      if (!holder.empty() && holder_pid) *holder_pid = holder[0][0].as<int>();
      std::string who =
          holder.empty() ? "another session" : fmt::format("backend pid {}", holder[0][0].c_str());
      return Status::error(
          ExitCode::kTempFail,
          fmt::format("another haul-import is loading this database ({} holds the importer lock)",
                      who));
    }
    backend_pid_ = row[1].as<int>();
    return Status::ok();
  } catch (const std::exception& e) {
    DbError error = classify(e);
    return Status::error(
        error.kind == ErrorKind::kTransient ? ExitCode::kUnavailable : exit_code_for(error),
        fmt::format("cannot take the importer lock: {}", error.message));
  }
}

bool ImporterLock::still_held(pqxx::transaction_base& tx) const {
  if (backend_pid_ == 0 || tx.conn().backendpid() != backend_pid_) return false;
  pqxx::row row = tx.exec_params1(
      "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
      "AND classid = $1::oid AND objid = $2::oid AND objsubid = 2 AND granted",
      static_cast<std::uint32_t>(kAdvisoryNamespace), static_cast<std::uint32_t>(kImporterLockKey));
  return row[0].as<int>() == 1;
}

}  // namespace haul::db
