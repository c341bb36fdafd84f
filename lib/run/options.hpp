#pragma once
// The command-line options every haul tool shares (DESIGN §5), declared once
// with CLI11 so every stage spells and documents them the same way.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "run/logging.hpp"
#include "util/date.hpp"
#include "util/status.hpp"

namespace haul::run {

struct CommonOptions {
  // As given on the command line.
  std::string date;
  std::string from;
  std::string to;
  std::string data_dir;    // --data-dir, else $HAUL_DATA_DIR, else ./data
  std::string config_dir;  // --config, else $HAUL_CONFIG_DIR, else ./config
  std::vector<std::string> types;
  bool dry_run = false;
  bool force = false;
  bool json = false;
  int verbose = 0;
  bool quiet = false;

  // Filled in by resolve().
  std::vector<Date> dates;
  Verbosity verbosity = Verbosity::kNormal;
};

void add_common_options(CLI::App& app, CommonOptions& options);

// Options several stages share, declared once so their names, ranges and
// help read the same everywhere.
//   --max-record-bytes N: records larger than this are rejected unread.
void add_max_record_bytes_option(CLI::App& app, std::size_t& value,
                                 std::size_t max = std::size_t{1} << 32);
//   --threads N: worker threads; `what` says what they do.
void add_threads_option(CLI::App& app, std::size_t& value, const std::string& what);
//   --db URL: the database, else libpq's own conventions; `purpose` says what
//   it is used for ("" for a stage whose work is the database).
void add_db_option(CLI::App& app, std::string& value, const std::string& purpose);

// Checks and completes parsed options; usage errors are ExitCode::kUsage.
Status resolve(CommonOptions& options);

}  // namespace haul::run
