#pragma once
// Opening a database connection the libpq way: --db (a URL or key=value
// string), else $DATABASE_URL, else libpq's own environment (PGHOST, PGPORT,
// PGDATABASE, PGUSER, PGPASSFILE, PGSSLMODE, ...). Nothing is hard-coded and
// the connection string is never logged: it may hold a password. describe()
// names the server without it.
//
// Every session is put into the same state: UTC, notices below WARNING off, no JIT,
// and a check that the client and database encodings are both UTF8 (libpqxx
// 6.4 octal-escapes COPY bytes, which is only correct when they match).

#include <memory>
#include <pqxx/connection>
#include <string>

#include "util/status.hpp"

namespace haul::db {

// --db if given, else $DATABASE_URL, else "" (libpq reads its environment).
std::string resolve_conninfo(const std::string& db_option);

// Whether a database is configured at all: --db, or any of DATABASE_URL,
// PGHOST, PGDATABASE, PGSERVICE (stages whose database work is optional
// skip it otherwise).
bool database_configured(const std::string& db_option);

// Connects and sets the session up. Failures carry the classification of
// error_class.hpp: kConfig for bad credentials/database names, else
// kUnavailable; `transient` tells whether retrying may help.
Status connect(const std::string& conninfo, std::unique_ptr<pqxx::connection>& out,
               bool* transient = nullptr);

// Re-applies the session settings (after libpqxx reconnected silently).
void set_up_session(pqxx::connection& connection);

// "user@database on host:port", without any password.
std::string describe(pqxx::connection& connection);

}  // namespace haul::db
