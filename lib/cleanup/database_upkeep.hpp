#pragma once
// The listing tables' upkeep, relative to the logical date (never the
// clock), in one transaction per run:
//   - active rows last seen more than inactive_after_days before the logical
//     date become 'inactive' (haul-import makes a listing active again when
//     it is seen again);
//   - inactive rows missing any incomplete_if_missing column are deleted;
//   - vehicles whose make (trimmed, lower-cased) is not on make_whitelist are
//     deleted (they are not vehicles: parts, services, spam);
// then VACUUM (ANALYZE) on each table where the deletions reach
// vacuum.min_deleted_rows or min_deleted_fraction of its rows. A dry run
// executes the same statements and rolls them back, so its counts and ids
// are exactly what a real run would change; it does not vacuum.
//
// SQL takes every value as a parameter; column names come from the config
// and are used only after they are found among the table's columns.
// VACUUM needs the table's owner: run cleanup as a member of haul_owner.

#include <exception>
#include <pqxx/connection>
#include <string>
#include <string_view>
#include <vector>

#include "cleanup/action_log.hpp"
#include "cleanup/cleanup_config.hpp"
#include "util/date.hpp"
#include "util/status.hpp"

namespace haul::cleanup {

// The schema version cleanup needs ('sold', link_checked_at).
inline constexpr int kCleanupSchemaVersion = 4;

// Fails with kConfig when the schema is older than kCleanupSchemaVersion.
Status check_schema(pqxx::connection& connection);

Status upkeep_tables(pqxx::connection& connection, const Date& logical,
                     const DatabaseConfig& config, ActionLog& log);

// A JSON array of strings: lists travel to SQL as one jsonb parameter.
std::string json_array(const std::vector<std::string>& values);

// A database exception as a Status with the importer's exit codes
// (69 unavailable, 78 configuration/privilege): "<what> failed (SQLSTATE): message".
Status database_failure(const std::exception& e, std::string_view what);

// "YYYY-MM-DD 00:00:00+00": midnight UTC of `date`, as a timestamptz parameter.
std::string midnight_utc(const Date& date);

}  // namespace haul::cleanup
