#include "cleanup/database_upkeep.hpp"

#include <fmt/format.h>

#include <pqxx/pqxx>
#include <set>

#include "db/error_class.hpp"
#include "db/migrations.hpp"
#include "io/data_layout.hpp"
#include "io/json_writer.hpp"

namespace haul::cleanup {
namespace {

struct TableChange {
  std::uint64_t rows_before = 0;
  std::uint64_t deleted = 0;
};

std::vector<std::string> ids_of(const pqxx::result& rows, const std::string& table) {
  std::vector<std::string> ids;
  for (const auto& row : rows) {
    if (ids.size() >= ActionLog::kSampleLimit) break;
    ids.push_back(fmt::format("{} id {}", table, row[0].c_str()));
  }
  return ids;
}

// The condition "some required column is missing", from checked names.
Status missing_condition(pqxx::work& tx, const std::string& table,
                         const std::vector<std::string>& columns, std::string& out) {
  std::set<std::string> known;
  for (const auto& row : tx.exec_params(
           "SELECT column_name::text FROM information_schema.columns "
           "WHERE table_schema = current_schema() AND table_name = $1",
           table)) {
    known.insert(row[0].as<std::string>());
  }
  out.clear();
  for (const std::string& column : columns) {
    if (!known.count(column)) {
      return Status::error(ExitCode::kConfig,
                           fmt::format("cleanup: database.{}.incomplete_if_missing names {}, which "
                                       "is not a column of {}",
                                       table, column, table));
    }
    out += fmt::format("{}{} IS NULL", out.empty() ? "" : " OR ", tx.quote_name(column));
  }
  return Status::ok();
}

Status upkeep_table(pqxx::work& tx, const std::string& table, const Date& logical,
                    const TableUpkeep& upkeep, ActionLog& log, TableChange& change) {
  const std::string name = tx.quote_name(table);
  change.rows_before = tx.exec(fmt::format("SELECT count(*) FROM {}", name))[0][0].as<std::uint64_t>();
  if (upkeep.inactive_after_days) {
    const std::string cutoff = midnight_utc(logical.plus_days(-*upkeep.inactive_after_days));
    pqxx::result rows = tx.exec_params(
        fmt::format("UPDATE {} SET status = 'inactive' WHERE status = 'active' "
                    "AND last_seen_at < $1::timestamptz RETURNING id",
                    name),
        cutoff);
    log.add_many("deactivate", rows.size(), ids_of(rows, table),
                 fmt::format("(last seen before {})", cutoff));
  }
  if (!upkeep.incomplete_if_missing.empty()) {
    std::string missing;
    if (Status s = missing_condition(tx, table, upkeep.incomplete_if_missing, missing); !s.is_ok()) {
      return s;
    }
    pqxx::result rows = tx.exec(fmt::format(
        "DELETE FROM {} WHERE status = 'inactive' AND ({}) RETURNING id", name, missing));
    change.deleted += rows.size();
    log.add_many("delete_incomplete", rows.size(), ids_of(rows, table), "(inactive, " + missing + ")");
  }
  if (table == "vehicles" && !upkeep.make_whitelist.empty()) {
    pqxx::result rows = tx.exec_params(
        "DELETE FROM vehicles WHERE lower(btrim(make)) NOT IN "
        "(SELECT jsonb_array_elements_text($1::jsonb)) RETURNING id",
        json_array(upkeep.make_whitelist));
    change.deleted += rows.size();
    log.add_many("delete_not_whitelisted", rows.size(), ids_of(rows, table),
                 "(make not on the whitelist)");
  }
  return Status::ok();
}

bool worth_vacuum(const TableChange& change, const VacuumConfig& vacuum) {
  if (change.deleted == 0) return false;
  if (change.deleted >= vacuum.min_deleted_rows) return true;
  return change.rows_before > 0 &&
         static_cast<double>(change.deleted) / static_cast<double>(change.rows_before) >=
             vacuum.min_deleted_fraction;
}

}  // namespace

std::string json_array(const std::vector<std::string>& values) {
  std::string out;
  io::JsonWriter json(out);
  json.begin_array();
  for (const std::string& value : values) json.value(value);
  json.end_array();
  return out;
}

Status database_failure(const std::exception& e, std::string_view what) {
  const db::DbError error = db::classify(e);
  return Status::error(db::exit_code_for(error),
                       fmt::format("{} failed ({}): {}", what,
                                   error.sqlstate.empty() ? error.exception : error.sqlstate,
                                   error.message));
}

std::string midnight_utc(const Date& date) { return date.to_string() + " 00:00:00+00"; }

Status check_schema(pqxx::connection& connection) {
  int version = 0;
  if (Status s = db::current_version(connection, version); !s.is_ok()) return s;
  if (version < kCleanupSchemaVersion) {
    return Status::error(ExitCode::kConfig,
                         fmt::format("the database schema is at version {}; haul-cleanup needs "
                                     "version {} (run haul-import --migrate-only)",
                                     version, kCleanupSchemaVersion));
  }
  return Status::ok();
}

Status upkeep_tables(pqxx::connection& connection, const Date& logical,
                     const DatabaseConfig& config, ActionLog& log) {
  std::map<std::string, TableChange> changes;
  try {
    pqxx::work tx(connection);
    for (std::string_view type : io::kRecordTypes) {
      auto upkeep = config.tables.find(std::string(type));
      if (upkeep == config.tables.end()) continue;
      const std::string table(type);
      if (Status s = upkeep_table(tx, table, logical, upkeep->second, log, changes[table]);
          !s.is_ok()) {
        return s;  // the transaction rolls back: nothing changed
      }
    }
    if (log.dry_run()) {
      tx.abort();
    } else {
      tx.commit();
    }
  } catch (const std::exception& e) {
    return database_failure(e, "database upkeep");
  }
  for (const auto& [table, change] : changes) {
    if (!worth_vacuum(change, config.vacuum)) continue;
    const std::string why = fmt::format("({} of {} rows deleted)", change.deleted, change.rows_before);
    if (!log.dry_run()) {
      try {
        pqxx::nontransaction tx(connection);
        tx.exec("VACUUM (ANALYZE) " + tx.quote_name(table));
      } catch (const std::exception& e) {
        log.failed("vacuum", table, e.what());
        return database_failure(e, "VACUUM (ANALYZE) " + table);
      }
    }
    log.add("vacuum", table, why);
  }
  return Status::ok();
}

}  // namespace haul::cleanup
