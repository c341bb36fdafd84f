#include "cleanup/cleanup_stage.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>

#include "cleanup/abandoned_runs.hpp"
#include "cleanup/action_log.hpp"
#include "cleanup/database_upkeep.hpp"
#include "cleanup/dead_links.hpp"
#include "cleanup/retention.hpp"
#include "cleanup/temp_sweep.hpp"
#include "db/connection.hpp"
#include "io/atomic_file.hpp"
#include "io/json_writer.hpp"
#include "run/partition_stamp.hpp"
#include "util/clock.hpp"
#include "util/process_liveness.hpp"

namespace haul::cleanup {
namespace fs = std::filesystem;
namespace {

// What the database part came to, for the report.
struct DatabaseUse {
  std::string state = "not_configured";  // not_configured, skipped, used, failed
  std::string server;
};

}  // namespace

std::string CleanupStage::description() const {
  return "Archive and expire old dates under data/, remove stale temporaries, close abandoned "
         "runs and release their locks, and keep the database tidy (stale listings inactive, "
         "incomplete and non-vehicle rows deleted, dead links sold). --dry-run shows it all and "
         "changes nothing.";
}

void CleanupStage::add_options(CLI::App& app) {
  run::add_db_option(app, db_option_, "for the database upkeep (without any, it is skipped)");
  app.add_flag("--skip-database", skip_database_, "Leave the database alone this run");
  app.add_flag("--check-links", check_links_,
               "Run the dead-link check even when config/cleanup.json does not enable it");
}

Status CleanupStage::prepare(const run::StageContext& context) {
  if (!context.options.types.empty()) {
    return Status::error(ExitCode::kUsage,
                         "haul-cleanup has no --type: it tidies the whole data root and database");
  }
  config_path_ = fs::path(context.options.config_dir) / "cleanup.json";
  if (Status s = load_cleanup_config(config_path_, config_); !s.is_ok()) return s;
  if (check_links_) config_.database.dead_links.enabled = true;
  return Status::ok();
}

std::vector<std::string> CleanupStage::types_with_input(const run::StageContext&,
                                                        const Date&) const {
  return {kPartition};
}

std::string CleanupStage::input_location(const run::StageContext& context, const Date&) const {
  return context.layout.root().string();
}

run::PartitionResult CleanupStage::run(const run::StageContext& context, const Date& date,
                                       const std::string&) {
  const io::DataLayout& layout = context.layout;
  const bool dry_run = context.options.dry_run;
  ActionLog log(dry_run, !context.options.json && !context.options.quiet);
  const auto started = std::chrono::system_clock::now();
  ExitCode exit_code = ExitCode::kOk;
  std::string first_error;
  auto note = [&](const Status& s) {
    if (s.is_ok()) return;
    spdlog::error("{}", s.message());
    if (first_error.empty()) first_error = s.message();
    exit_code = more_severe(exit_code, s.code());
  };

  RunSweepSettings runs;
  runs.max_running_hours = config_.running_max_age_hours;
  runs.max_lock_age_hours = config_.temp_max_age_hours;
  runs.host = host_name();
  runs.now = started;
  note(close_abandoned_runs(layout, runs, log));
  note(remove_stale_temporaries(layout, config_.temp_max_age_hours, started, log));
  note(archive_due_dates(layout, date, config_.retention, log));
  note(expire_archives(layout, date, config_.retention, log));

  DatabaseUse database;
  if (skip_database_ || !config_.database.enabled) {
    database.state = "skipped";
  } else if (db::database_configured(db_option_)) {
    std::unique_ptr<pqxx::connection> connection;
    Status s = db::connect(db::resolve_conninfo(db_option_), connection);
    if (s.is_ok()) {
      database.server = db::describe(*connection);
      s = check_schema(*connection);
    }
    if (s.is_ok()) s = upkeep_tables(*connection, date, config_.database, log);
    if (s.is_ok() && config_.database.dead_links.enabled) {
      s = check_dead_links(*connection, date, config_.database.dead_links, log);
    }
    database.state = s.is_ok() ? "used" : "failed";
    note(s);
  }

  std::string details;
  io::JsonWriter json(details);
  json.begin_object();
  json.field("dry_run", dry_run);
  json.field("logical_date", date.to_string());
  json.field("database", database.state);
  if (!database.server.empty()) json.field("database_server", database.server);
  log.write_json(json);
  json.end_object();

  if (!dry_run) {
    std::string report;
    io::JsonWriter doc(report);
    run::begin_partition_report(doc, name(), date, kPartition);
    doc.field("started_at", format_utc(started));
    doc.field("exit_code", static_cast<int>(exit_code));
    if (!first_error.empty()) doc.field("error", first_error);
    doc.key("details");
    doc.raw(details);
    doc.end_object();
    report.push_back('\n');
    const fs::path path = layout.state_dir() / "cleanup" / (date.to_string() + ".json");
    note(io::write_file_atomically(path, report));
  }

  run::PartitionResult result;
  result.exit_code = exit_code;
  result.error = first_error;
  result.counts.in = log.total() + log.failures();
  result.counts.out = log.total();
  result.counts.rejected = log.failures();
  result.details = std::move(details);
  result.summary = log.summary();
  return result;
}

}  // namespace haul::cleanup
