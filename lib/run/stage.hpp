#pragma once
// What a pipeline stage is, and the one main loop every stage runs in.
//
// A stage implements Stage: its options, its configuration check, which
// record types have input on a date, and the work for one partition
// (date, type). run_stage() does everything else the same way for all
// stages: option parsing, logging, one lock per partition, the run ledger,
// per-date/range iteration, the human and --json summaries, and mapping
// outcomes to one exit code.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "io/data_layout.hpp"
#include "run/options.hpp"
#include "run/run_ledger.hpp"
#include "util/date.hpp"
#include "util/exit_code.hpp"
#include "util/status.hpp"

namespace haul::run {

struct StageContext {
  const CommonOptions& options;
  const io::DataLayout& layout;
};

// What one partition's work came to.
struct PartitionResult {
  ExitCode exit_code = ExitCode::kOk;
  std::string error;  // why it failed, for the log, the ledger and --json
  RecordCounts counts;
  bool skipped = false;  // outputs already up to date: nothing was done
  std::string details;   // stage-specific JSON object for --json (may be empty)
  std::string summary;   // one human line, e.g. "7164 in, 5000 valid, 2164 rejected"
};

class Stage {
 public:
  virtual ~Stage() = default;
  virtual std::string name() const = 0;  // "validate": the tool is haul-validate
  virtual std::string description() const = 0;
  virtual void add_options(CLI::App& /*app*/) {}
  // Loads and checks configuration once, before any partition runs.
  virtual Status prepare(const StageContext& /*context*/) { return Status::ok(); }
  // True when prepare() was the whole run (e.g. haul-import --migrate-only):
  // no partition runs and the exit code is prepare()'s.
  virtual bool done_after_prepare() const { return false; }
  // The record types with input on `date`, used when --type is not given.
  virtual std::vector<std::string> types_with_input(const StageContext& context,
                                                    const Date& date) const = 0;
  // Where the stage looks for input on `date`, for the "no input" message.
  virtual std::string input_location(const StageContext& context, const Date& date) const = 0;
  virtual PartitionResult run(const StageContext& context, const Date& date,
                              const std::string& type) = 0;
  // The process exit code from the most severe partition outcome; a stage
  // whose success is judged across partitions (scrape: "at least one source
  // worked") may soften it.
  virtual ExitCode final_exit_code(ExitCode combined) const { return combined; }
  // A stage that looks across dates and types instead of working on one
  // partition (haul-report over --from..--to) names its one partition's type
  // here: run() is then called once, with the last selected date, and finds
  // the whole selection in context.options.
  virtual std::string whole_selection_type() const { return {}; }
  // True when the stage prints its own --json document from run(), instead
  // of run_stage()'s summary of partitions.
  virtual bool prints_own_json() const { return false; }
};

// The whole life of a stage executable; returns the process exit code.
int run_stage(Stage& stage, int argc, char** argv);

}  // namespace haul::run
