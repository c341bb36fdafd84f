#pragma once
// Logging set-up shared by every tool (spdlog): human lines on stderr, in
// colour only when stderr is a terminal and NO_COLOR is unset; every line also
// in data/logs/<stage>.log, and warnings and errors in data/logs/errors.log
// so one file shows what went wrong across stages. --quiet keeps stderr to
// errors only, which keeps cron mail empty on success.

#include <filesystem>
#include <string>

namespace haul::run {

enum class Verbosity { kQuiet, kNormal, kVerbose };

// Installs the default logger. When `logs_dir` cannot be created the file
// sinks are skipped with a warning: logging must never stop a run.
void setup_logging(const std::string& stage, Verbosity verbosity,
                   const std::filesystem::path& logs_dir);

// Logging before options are parsed (usage errors): stderr only.
void setup_console_logging(const std::string& stage);

}  // namespace haul::run
