#include "import/run_mirror.hpp"

#include <fmt/format.h>
#include <simdjson.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <pqxx/pqxx>

#include "db/error_class.hpp"

namespace haul::import {
namespace {

constexpr const char* kMirrorSql =
    "INSERT INTO pipeline_runs AS p (run_id, stage, run_date, type, status, pid, host, started_at,"
    " ended_at, duration_s, records_in, records_out, rejected, skipped, exit_code, error)"
    " SELECT x.run_id, x.stage, x.date::date, x.type, x.status, x.pid, x.host,"
    " nullif(x.started_at, '')::timestamptz, nullif(x.ended_at, '')::timestamptz, x.duration_s,"
    " (x.counts->>'in')::bigint, (x.counts->>'out')::bigint, (x.counts->>'rejected')::bigint,"
    " x.skipped, x.exit_code, x.error"
    " FROM jsonb_to_recordset($1::jsonb) AS x(run_id text, stage text, date text, type text,"
    " status text, pid bigint, host text, started_at text, ended_at text, duration_s float8,"
    " counts jsonb, skipped boolean, exit_code integer, error text)"
    " WHERE x.run_id IS NOT NULL AND x.date ~ '^\\d{4}-\\d{2}-\\d{2}$'"
    " ON CONFLICT (run_id) DO UPDATE SET stage = EXCLUDED.stage, run_date = EXCLUDED.run_date,"
    " type = EXCLUDED.type, status = EXCLUDED.status, pid = EXCLUDED.pid, host = EXCLUDED.host,"
    " started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at,"
    " duration_s = EXCLUDED.duration_s, records_in = EXCLUDED.records_in,"
    " records_out = EXCLUDED.records_out, rejected = EXCLUDED.rejected,"
    " skipped = EXCLUDED.skipped, exit_code = EXCLUDED.exit_code, error = EXCLUDED.error"
    // A final state is never replaced by the "running" line of the same run.
    " WHERE p.status = 'running' OR EXCLUDED.status <> 'running'";

// run_id -> the run's latest ledger line.
std::map<std::string, std::string> latest_lines(const std::filesystem::path& ledger) {
  std::map<std::string, std::string> latest;
  std::ifstream in(ledger);
  simdjson::dom::parser parser;
  std::string line;
  while (std::getline(in, line)) {
    simdjson::dom::element entry;
    std::string_view run_id;
    if (parser.parse(line).get(entry) || entry["run_id"].get(run_id)) continue;
    latest[std::string(run_id)] = line;
  }
  return latest;
}

}  // namespace

std::optional<run::RunEntry> find_own_run(const std::filesystem::path& ledger,
                                          const std::string& date, const std::string& type) {
  std::optional<run::RunEntry> own;
  std::ifstream in(ledger);
  simdjson::dom::parser parser;
  std::string line;
  const std::int64_t pid = ::getpid();
  while (std::getline(in, line)) {
    simdjson::dom::element entry;
    std::string_view stage, status, entry_date, entry_type, run_id, host, started;
    std::int64_t entry_pid = 0;
    if (parser.parse(line).get(entry) || entry["stage"].get(stage) || stage != "import" ||
        entry["status"].get(status) || status != "running" || entry["pid"].get(entry_pid) ||
        entry_pid != pid || entry["date"].get(entry_date) || entry_date != date ||
        entry["type"].get(entry_type) || entry_type != type || entry["run_id"].get(run_id)) {
      continue;
    }
    run::RunEntry found;
    found.run_id = std::string(run_id);
    found.stage = "import";
    found.date = date;
    found.type = type;
    found.pid = static_cast<long>(pid);
    if (!entry["host"].get(host)) found.host = std::string(host);
    if (!entry["started_at"].get(started)) found.started_at = std::string(started);
    own = std::move(found);
  }
  return own;
}

Status mirror_runs(pqxx::connection& connection, const std::filesystem::path& ledger,
                   const std::optional<run::RunEntry>& own, std::uint64_t* mirrored) {
  std::map<std::string, std::string> latest = latest_lines(ledger);
  if (own) latest[own->run_id] = run::to_json(*own);
  std::string array = "[";
  for (const auto& [run_id, line] : latest) {
    if (array.size() > 1) array += ',';
    array += line;
  }
  array += ']';
  try {
    pqxx::work tx(connection);
    pqxx::result result = tx.exec_params(kMirrorSql, array);
    tx.commit();
    if (mirrored) *mirrored = result.affected_rows();
    return Status::ok();
  } catch (const std::exception& e) {
    db::DbError error = db::classify(e);
    return Status::error(
        error.kind == db::ErrorKind::kTransient ? ExitCode::kUnavailable : db::exit_code_for(error),
        fmt::format("cannot mirror the run ledger into pipeline_runs: {}", error.message));
  }
}

}  // namespace haul::import
