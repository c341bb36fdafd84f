#include "import/import_session.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

#include "db/connection.hpp"
#include "db/error_class.hpp"
#include "db/migrations.hpp"
#include "import/table_spec.hpp"

namespace haul::import {

Status ImportSession::open(bool migrate) {
  if (connection_) return Status::ok();
  if (Status s = db::connect(conninfo_, connection_); !s.is_ok()) return s;
  description_ = db::describe(*connection_);
  if (connects_++ > 0) {
    ++reconnects_;
    spdlog::warn("reconnected to {}", description_);
  } else {
    spdlog::info("connected to {}", description_);
  }
  if (!migrated_) {
    int version = 0;
    if (Status s = db::current_version(*connection_, version); !s.is_ok()) {
      connection_.reset();
      return s;
    }
    int latest = db::latest_shipped_version();
    if (version < latest) {
      if (!migrate) {
        connection_.reset();
        return Status::error(ExitCode::kConfig,
                             fmt::format("the schema is at version {}, haul-import needs {}: run "
                                         "`haul-import --migrate-only`",
                                         version, latest));
      }
      if (Status s = db::migrate(*connection_); !s.is_ok()) {
        connection_.reset();
        return s;
      }
    } else if (version > latest) {
      spdlog::warn("the schema is at version {}, newer than this haul-import knows ({})", version,
                   latest);
    }
    migrated_ = true;
  }
  Status s = establish();
  if (!s.is_ok()) connection_.reset();
  return s;
}

Status ImportSession::establish() {
  const int previous_pid = lock_.backend_pid();
  int holder = 0;
  if (Status s = lock_.acquire(*connection_, &holder); !s.is_ok()) {
    if (s.code() == ExitCode::kTempFail && holder != 0 && holder == previous_pid) {
      // Our own previous backend has not noticed yet that we left: it goes
      // away by itself, so this is worth a retry, not a refusal.
      return Status::error(
          ExitCode::kUnavailable,
          fmt::format("the previous connection's backend (pid {}) still holds the importer lock",
                      holder));
    }
    return s;
  }
  try {
    pqxx::nontransaction tx(*connection_);
    tx.exec0(create_stage_table_sql());
  } catch (const std::exception& e) {
    db::DbError error = db::classify(e);
    return Status::error(
        error.kind == db::ErrorKind::kTransient ? ExitCode::kUnavailable : db::exit_code_for(error),
        fmt::format("cannot create the temporary stage table: {}", error.message));
  }
  return Status::ok();
}

std::unique_ptr<pqxx::work> ImportSession::begin() {
  auto tx = std::make_unique<pqxx::work>(*connection_);
  if (connection_->backendpid() == lock_.backend_pid()) return tx;
  // libpqxx reconnected on its own: the new backend has neither the session
  // settings, nor the stage table, nor the lock.
  tx->abort();
  tx.reset();
  ++reconnects_;
  spdlog::warn(
      "the connection was re-established by libpqxx (backend {} -> {}): re-taking the "
      "importer lock",
      lock_.backend_pid(), connection_->backendpid());
  db::set_up_session(*connection_);
  if (Status s = establish(); !s.is_ok()) {
    throw SessionLost(s);
  }
  return std::make_unique<pqxx::work>(*connection_);
}

}  // namespace haul::import
