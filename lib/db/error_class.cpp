#include "db/error_class.hpp"

#include <pqxx/except>
#include <string_view>

namespace haul::db {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Connection-time failures are all broken_connection with only libpq's text.
// Those that no retry can fix are configuration errors.
std::string sqlstate_of_connect_message(std::string_view message) {
  if (message.find("password authentication failed") != std::string_view::npos ||
      message.find("no pg_hba.conf entry") != std::string_view::npos ||
      message.find("authentication failed") != std::string_view::npos) {
    return "28000";
  }
  if (message.find("database \"") != std::string_view::npos &&
      message.find("does not exist") != std::string_view::npos) {
    return "3D000";
  }
  if (message.find("role \"") != std::string_view::npos &&
      message.find("does not exist") != std::string_view::npos) {
    return "28000";
  }
  if (message.find("too many connections") != std::string_view::npos) return "53300";
  if (message.find("invalid connection option") != std::string_view::npos ||
      message.find("missing \"=\"") != std::string_view::npos ||
      message.find("invalid URI") != std::string_view::npos ||
      message.find("invalid integer value") != std::string_view::npos) {
    return "08P01";  // unusable connection string: a configuration error (see below)
  }
  return "";
}

void split_message(std::string_view what, DbError& error) {
  // libpq messages look like "ERROR:  text\nDETAIL:  ...\nCONTEXT:  ...".
  std::size_t newline = what.find('\n');
  std::string_view first = what.substr(0, newline);
  for (std::string_view prefix : {"ERROR:  ", "FATAL:  "}) {
    if (starts_with(first, prefix)) first.remove_prefix(prefix.size());
  }
  error.message = std::string(first);
  if (newline != std::string_view::npos) {
    std::string_view rest = what.substr(newline + 1);
    while (!rest.empty() && rest.back() == '\n') rest.remove_suffix(1);
    error.detail = std::string(rest);
  }
}

}  // namespace

ErrorKind kind_of_sqlstate(const std::string& sqlstate) {
  if (sqlstate.size() != 5) return ErrorKind::kFatal;
  std::string_view s = sqlstate;
  if (starts_with(s, "22") || starts_with(s, "23") || s == "21000") return ErrorKind::kPermanent;
  if (s == "08P01") return ErrorKind::kFatal;  // protocol violation / bad connection string
  if (starts_with(s, "08") || s == "40001" || s == "40P01" || s == "40003" ||
      starts_with(s, "53") || s == "57P01" || s == "57P02" || s == "57P03" || s == "55P03" ||
      s == "55006" || s == "57014" || s == "58030") {
    return ErrorKind::kTransient;
  }
  return ErrorKind::kFatal;
}

DbError classify(const std::exception& e) {
  DbError error;
  split_message(e.what(), error);
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    error.sqlstate = sql->sqlstate();
    if (dynamic_cast<const pqxx::insufficient_privilege*>(&e)) {
      error.exception = "insufficient_privilege";
      if (error.sqlstate.empty()) error.sqlstate = "42501";
    } else if (dynamic_cast<const pqxx::data_exception*>(&e)) {
      error.exception = "data_exception";
    } else if (dynamic_cast<const pqxx::integrity_constraint_violation*>(&e)) {
      error.exception = "integrity_constraint_violation";
    } else {
      error.exception = "sql_error";
    }
    error.kind = kind_of_sqlstate(error.sqlstate);
    if (error.sqlstate.empty()) error.kind = ErrorKind::kFatal;
    return error;
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&e)) {
    error.exception = dynamic_cast<const pqxx::too_many_connections*>(&e) ? "too_many_connections"
                                                                          : "broken_connection";
    error.sqlstate = sqlstate_of_connect_message(e.what());
    error.kind = error.sqlstate.empty() ? ErrorKind::kTransient : kind_of_sqlstate(error.sqlstate);
    return error;
  }
  if (dynamic_cast<const pqxx::transaction_rollback*>(&e)) {
    // No sqlstate() on these in 6.4.5: the class says which one it was.
    if (dynamic_cast<const pqxx::serialization_failure*>(&e)) {
      error.exception = "serialization_failure";
      error.sqlstate = "40001";
    } else if (dynamic_cast<const pqxx::deadlock_detected*>(&e)) {
      error.exception = "deadlock_detected";
      error.sqlstate = "40P01";
    } else if (dynamic_cast<const pqxx::statement_completion_unknown*>(&e)) {
      error.exception = "statement_completion_unknown";
      error.sqlstate = "40003";
    } else {
      error.exception = "transaction_rollback";
    }
    error.kind = ErrorKind::kTransient;
    return error;
  }
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e)) {
    // The commit may or may not have happened; replaying the chunk is safe
    // because the upsert is idempotent.
    error.exception = "in_doubt_error";
    error.kind = ErrorKind::kTransient;
    return error;
  }
  if (dynamic_cast<const pqxx::failure*>(&e)) {
    // E.g. "Could not obtain client encoding: not connected" after the
    // backend was terminated.
    error.exception = "failure";
    error.kind = ErrorKind::kTransient;
    return error;
  }
  error.exception = dynamic_cast<const pqxx::pqxx_exception*>(&e) ? "pqxx_exception" : "exception";
  error.kind = ErrorKind::kFatal;
  return error;
}

ExitCode exit_code_for(const DbError& error) {
  std::string_view s = error.sqlstate;
  if (starts_with(s, "42") || starts_with(s, "28") || s == "3D000" || s == "08P01" ||
      starts_with(s, "3F")) {
    return ExitCode::kConfig;
  }
  return ExitCode::kUnavailable;
}

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kPermanent:
      return "permanent";
    case ErrorKind::kTransient:
      return "transient";
    case ErrorKind::kFatal:
      return "fatal";
  }
  return "fatal";
}

}  // namespace haul::db
