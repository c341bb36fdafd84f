#pragma once
// The schema migrations shipped inside the library: lib/db/migrations/*.sql,
// embedded at build time by lib/db/embed_migrations.cmake, in file-name order.
// A file is named NNNN_what.sql; NNNN is its version.

#include <string_view>
#include <vector>

namespace haul::db {

struct EmbeddedMigration {
  std::string_view file_name;  // "0001_roles.sql"
  std::string_view sql;        // one or more statements, run in one transaction
};

const std::vector<EmbeddedMigration>& embedded_migrations();

}  // namespace haul::db
