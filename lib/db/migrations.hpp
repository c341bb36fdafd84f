#pragma once
// Versioned schema migrations (lib/db/migrations/NNNN_*.sql, embedded in the
// binary). migrate() takes a session advisory lock so two migrators never
// interleave, creates schema_migrations if needed, then applies each missing
// version in its own transaction together with its schema_migrations row:
// a failed migration leaves the schema at the previous version. A version
// recorded with another checksum than the shipped file is refused (someone
// edited an applied migration).

#include <pqxx/connection>
#include <string>
#include <vector>

#include "util/status.hpp"

namespace haul::db {

struct Migration {
  int version = 0;
  std::string name;  // file name
  std::string sql;
  std::string checksum;  // SHA-256 of the SQL
};

// The shipped migrations, ordered by version; a bad file name is a bug (kSoftware).
Status shipped_migrations(std::vector<Migration>& out);

// Applies what is missing. `applied` receives the file names applied now.
// Privilege errors are kConfig with a hint to run it as the owner role.
Status migrate(pqxx::connection& connection, std::vector<std::string>* applied = nullptr);

// The highest applied version, 0 for a database without schema_migrations.
Status current_version(pqxx::connection& connection, int& version);

// The version shipped migrations bring the schema to.
int latest_shipped_version();

}  // namespace haul::db
