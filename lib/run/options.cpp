#include "run/options.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "io/data_layout.hpp"

namespace haul::run {
namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

}  // namespace

void add_max_record_bytes_option(CLI::App& app, std::size_t& value, std::size_t max) {
  app.add_option("--max-record-bytes", value,
                 "Records larger than this are rejected unread (default 64 MiB)")
      ->check(CLI::Range(std::size_t{1024}, max));
}

void add_threads_option(CLI::App& app, std::size_t& value, const std::string& what) {
  app.add_option("--threads", value,
                 what +
                     " (default: the number of cores, at most 8; outputs are identical "
                     "whatever the number)")
      ->check(CLI::Range(1, 64));
}

void add_db_option(CLI::App& app, std::string& value, const std::string& purpose) {
  app.add_option("--db", value,
                 "Connection string or URL" + (purpose.empty() ? "" : " " + purpose) +
                     " (default: $DATABASE_URL, else libpq's PGHOST, PGPORT, PGDATABASE, PGUSER, "
                     "PGPASSFILE, ...; never put a password here: ps shows it)");
}

void add_common_options(CLI::App& app, CommonOptions& options) {
  app.set_version_flag("--version", std::string("haul ") + HAUL_VERSION);
  auto* date = app.add_option("--date", options.date,
                              "Logical date YYYY-MM-DD to process (default: today, local time)");
  auto* from = app.add_option("--from", options.from, "First date of a range (inclusive)");
  auto* to = app.add_option("--to", options.to, "Last date of a range (inclusive)");
  date->excludes(from)->excludes(to);
  from->needs(to);
  to->needs(from);
  app.add_option("--data-dir", options.data_dir,
                 "Data root (default: $HAUL_DATA_DIR, else ./data)");
  app.add_option("--config", options.config_dir,
                 "Configuration directory (default: $HAUL_CONFIG_DIR, else ./config)");
  app.add_option("--type", options.types,
                 "Record type to process: vehicles, events or articles (repeatable; default: every "
                 "type that has input)")
      ->check(CLI::IsMember({"vehicles", "events", "articles"}));
  app.add_flag("--dry-run", options.dry_run, "Do all the work but write nothing");
  app.add_flag("--force", options.force, "Redo work even when outputs are up to date");
  app.add_flag("--json", options.json, "Print a machine-readable summary on stdout");
  app.add_flag("-v,--verbose", options.verbose, "More detail on stderr (repeatable)");
  app.add_flag("-q,--quiet", options.quiet,
               "Only errors on stderr and no summary: quiet cron mail");
}

Status resolve(CommonOptions& options) {
  if (options.data_dir.empty()) options.data_dir = env_or("HAUL_DATA_DIR", "data");
  if (options.config_dir.empty()) options.config_dir = env_or("HAUL_CONFIG_DIR", "config");
  options.verbosity = options.quiet         ? Verbosity::kQuiet
                      : options.verbose > 0 ? Verbosity::kVerbose
                                            : Verbosity::kNormal;
  options.dates.clear();
  if (!options.from.empty()) {
    auto from = Date::parse(options.from);
    auto to = Date::parse(options.to);
    if (!from || !to) {
      return Status::error(ExitCode::kUsage,
                           fmt::format("--from/--to need dates as YYYY-MM-DD, got '{}' and '{}'",
                                       options.from, options.to));
    }
    if (*from > *to) {
      return Status::error(ExitCode::kUsage,
                           fmt::format("--from {} is after --to {}", options.from, options.to));
    }
    options.dates = date_range(*from, *to);
  } else if (!options.date.empty()) {
    auto date = Date::parse(options.date);
    if (!date) {
      return Status::error(ExitCode::kUsage,
                           fmt::format("--date needs YYYY-MM-DD, got '{}'", options.date));
    }
    options.dates.push_back(*date);
  } else {
    options.dates.push_back(Date::today());
  }
  std::sort(options.types.begin(), options.types.end());
  options.types.erase(std::unique(options.types.begin(), options.types.end()), options.types.end());
  return Status::ok();
}

}  // namespace haul::run
