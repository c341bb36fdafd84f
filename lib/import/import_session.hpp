#pragma once
// The importer's database session: a connection set up for loading (UTC,
// UTF8 checked, the temp stage table, the importer lock), able to start over
// after the connection broke.
//
// Reconnection is explicit: after a transient error the caller calls drop(),
// and the next begin() connects anew and re-establishes the stage table and
// the lock. libpqxx 6.4 may also reconnect silently when a transaction
// starts; begin() notices by the backend pid and re-establishes the same way.
// A lock taken meanwhile by another importer ends the run (kTempFail); a lock
// still held by this session's own previous backend is kUnavailable (retry).

#include <memory>
#include <pqxx/connection>
#include <pqxx/transaction>
#include <stdexcept>
#include <string>

#include "db/importer_lock.hpp"
#include "util/status.hpp"

namespace haul::import {

// Thrown by begin() when the session cannot be re-established after libpqxx
// reconnected (e.g. another importer took the lock meanwhile).
class SessionLost : public std::runtime_error {
 public:
  explicit SessionLost(Status status)
      : std::runtime_error(status.message()), status_(std::move(status)) {}
  const Status& status() const { return status_; }

 private:
  Status status_;
};

class ImportSession {
 public:
  explicit ImportSession(std::string conninfo) : conninfo_(std::move(conninfo)) {}

  // Connects if needed and brings the session into a state to load:
  // migrations applied (when `migrate`), lock held, stage table present.
  Status open(bool migrate);
  bool is_open() const { return connection_ != nullptr; }
  // Starts a chunk transaction on a set-up backend. Throws libpqxx errors.
  std::unique_ptr<pqxx::work> begin();
  // Checked before commit: the transaction still runs where the lock is held.
  bool lock_held(pqxx::work& tx) const { return lock_.still_held(tx); }
  // Forgets the connection (after a transient error); open() reconnects.
  void drop() { connection_.reset(); }
  pqxx::connection& connection() { return *connection_; }
  const std::string& description() const { return description_; }
  int reconnects() const { return reconnects_; }

 private:
  Status establish();  // lock + stage table on the current backend

  std::string conninfo_;
  std::unique_ptr<pqxx::connection> connection_;
  db::ImporterLock lock_;
  std::string description_;
  bool migrated_ = false;
  int connects_ = 0;
  int reconnects_ = 0;
};

}  // namespace haul::import
