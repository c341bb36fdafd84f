#pragma once
// What a database error means for the import, decided once for every caller.
//
// libpqxx 6.4.5 maps SQLSTATEs to exception classes, but not consistently:
// serialization failures and deadlocks derive from pqxx::failure, not
// sql_error, and carry no sqlstate(); insufficient_privilege has an empty
// sqlstate(); a terminated backend arrives as broken_connection. So errors are
// classified by exception type first, then by SQLSTATE.
//
//   permanent  22xxx data, 23xxx constraints, 21000: the row is bad; isolate it
//   transient  08xxx / broken connection, 40001, 40P01, 53xxx, 57P01, 57P03,
//              55P03, 55006, 57014, 58030: roll back, back off, retry
//   fatal      42xxx, 28xxx, 3D000 (configuration, privileges, schema) and
//              anything unknown: stop the run

#include <exception>
#include <string>

#include "util/exit_code.hpp"

namespace haul::db {

enum class ErrorKind { kPermanent, kTransient, kFatal };

struct DbError {
  ErrorKind kind = ErrorKind::kFatal;
  std::string sqlstate;   // may be empty (libpqxx does not always pass it on)
  std::string exception;  // the libpqxx class, e.g. "broken_connection"
  std::string message;    // the server's message, first line
  std::string detail;     // the rest (DETAIL, CONTEXT lines), may be empty
};

DbError classify(const std::exception& error);

// Classification of a SQLSTATE alone (used for sql_error and in tests).
ErrorKind kind_of_sqlstate(const std::string& sqlstate);

// The exit code for a run stopped by `error`: 78 for configuration,
// privilege and schema errors, 69 for an unavailable service.
ExitCode exit_code_for(const DbError& error);

const char* to_string(ErrorKind kind);

}  // namespace haul::db
