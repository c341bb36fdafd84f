#pragma once
// One haul-import per database: a session advisory lock
// (pg_try_advisory_lock) held for the whole run. A second importer gets
// kTempFail (exit 75) at once instead of waiting.
//
// libpqxx 6.4 reconnects silently after a broken connection, and the new
// backend does not hold the lock. The lock therefore remembers the backend
// pid it was taken on; still_held() is checked inside every chunk's
// transaction before it commits, and after a reconnect reacquire() takes the
// lock again (or reports that another importer took it meanwhile).

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "util/status.hpp"

namespace haul::db {

class ImporterLock {
 public:
  // kTempFail when another session holds it (its backend pid in
  // `holder_pid` when known); kUnavailable/kConfig on errors.
  Status acquire(pqxx::connection& connection, int* holder_pid = nullptr);
  // True when `tx` runs on the backend the lock was taken on and that backend
  // still holds it.
  bool still_held(pqxx::transaction_base& tx) const;
  int backend_pid() const { return backend_pid_; }

 private:
  int backend_pid_ = 0;
};

}  // namespace haul::db
