#include "run/stage.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "io/json_writer.hpp"
#include "run/instance_lock.hpp"
#include "run/logging.hpp"
#include "util/allocator_tuning.hpp"
#include "util/clock.hpp"
#include "util/process_liveness.hpp"
#include "util/process_stats.hpp"

namespace haul::run {
namespace {

struct PartitionReport {
  std::string date;
  std::string type;
  std::string status;  // completed, skipped, failed
  PartitionResult result;
  double duration_s = 0;
};

class StageRun {
 public:
  StageRun(Stage& stage, const CommonOptions& options)
      : stage_(stage),
        options_(options),
        layout_(options.data_dir),
        context_{options_, layout_},
        ledger_(layout_.ledger_path()),
        host_(host_name()) {}

  ExitCode run_all() {
    if (Status s = stage_.prepare(context_); !s.is_ok()) {
      spdlog::error("{}", s.message());
      return s.code();
    }
    if (stage_.done_after_prepare()) return ExitCode::kOk;
    ExitCode exit_code = ExitCode::kOk;
    if (std::string whole = stage_.whole_selection_type(); !whole.empty()) {
      return stage_.final_exit_code(run_partition(options_.dates.back(), whole));
    }
    for (const Date& date : options_.dates) {
      std::vector<std::string> types =
          options_.types.empty() ? stage_.types_with_input(context_, date) : options_.types;
      if (types.empty()) {
        PartitionResult none;
        none.exit_code = ExitCode::kNoInput;
        none.error = fmt::format("no input for {}: nothing in {}", date.to_string(),
                                 stage_.input_location(context_, date));
        spdlog::error("{}", none.error);
        reports_.push_back({date.to_string(), "*", "failed", none, 0});
        exit_code = more_severe(exit_code, none.exit_code);
        continue;
      }
      for (const std::string& type : types) {
        exit_code = more_severe(exit_code, run_partition(date, type));
      }
    }
    exit_code = stage_.final_exit_code(exit_code);
    if (options_.json && !stage_.prints_own_json()) print_json(exit_code);
    return exit_code;
  }

 private:
  ExitCode run_partition(const Date& date, const std::string& type) {
    const std::string day = date.to_string();
    std::unique_ptr<InstanceLock> lock;
    if (Status s = InstanceLock::acquire(layout_.locks_dir(), stage_.name(), day, type, lock);
        !s.is_ok()) {
      spdlog::error("{}", s.message());
      PartitionResult refused;
      refused.exit_code = s.code();
      refused.error = s.message();
      reports_.push_back({day, type, "failed", refused, 0});
      return s.code();
    }

    RunEntry entry;
    auto started = std::chrono::system_clock::now();
    entry.run_id = fmt::format(
        "{}-{}-{}-{}-{}", stage_.name(), day, type,
        std::chrono::duration_cast<std::chrono::milliseconds>(started.time_since_epoch()).count(),
        ::getpid());
    entry.stage = stage_.name();
    entry.date = day;
    entry.type = type;
    entry.status = "running";
    entry.pid = ::getpid();
    entry.host = host_;
    entry.started_at = format_utc(started);
    record(entry);

    spdlog::debug("{} {}/{}: started", stage_.name(), day, type);
    PartitionResult result = stage_.run(context_, date, type);
    auto ended = std::chrono::system_clock::now();

    bool failed = result.exit_code != ExitCode::kOk && result.exit_code != ExitCode::kDataError;
    entry.status = failed ? "failed" : "completed";
    entry.ended_at = format_utc(ended);
    entry.duration_s = std::chrono::duration<double>(ended - started).count();
    entry.counts = result.counts;
    entry.skipped = result.skipped;
    entry.exit_code = static_cast<int>(result.exit_code);
    entry.error = result.error;
    record(entry);

    std::string status = failed ? "failed" : result.skipped ? "skipped" : "completed";
    if (!result.error.empty()) {
      spdlog::error("{}/{}: {}", day, type, result.error);
    }
    if (!options_.quiet && !options_.json && !result.summary.empty()) {
      std::printf("haul-%s %s %s: %s\n", stage_.name().c_str(), day.c_str(), type.c_str(),
                  result.summary.c_str());
      std::fflush(stdout);
    }
    spdlog::info("{}/{} {} in {:.3f}s: {}", day, type, status, entry.duration_s, result.summary);
    reports_.push_back({day, type, status, std::move(result), entry.duration_s});
    return reports_.back().result.exit_code;
  }

  void record(const RunEntry& entry) {
    if (options_.dry_run) return;
    if (Status s = ledger_.append(entry); !s.is_ok()) spdlog::warn("{}", s.message());
  }

  void print_json(ExitCode exit_code) const {
    std::string out;
    io::JsonWriter json(out);
    RecordCounts totals;
    json.begin_object();
    json.field("stage", stage_.name());
    json.field("exit_code", static_cast<int>(exit_code));
    json.field("dry_run", options_.dry_run);
    if (auto peak = peak_rss_kib()) json.field("peak_rss_kib", static_cast<std::int64_t>(*peak));
    json.key("partitions");
    json.begin_array();
    for (const auto& report : reports_) {
      const PartitionResult& r = report.result;
      totals.in += r.counts.in;
      totals.out += r.counts.out;
      totals.rejected += r.counts.rejected;
      json.begin_object();
      json.field("date", report.date);
      json.field("type", report.type);
      json.field("status", report.status);
      json.field("exit_code", static_cast<int>(r.exit_code));
      json.field("duration_s", report.duration_s);
      json.field("records_in", r.counts.in);
      json.field("records_out", r.counts.out);
      json.field("rejected", r.counts.rejected);
      if (!r.error.empty()) {
        json.field("error", r.error);
      }
      if (!r.details.empty()) {
        json.key("details");
        json.raw(r.details);
      }
      json.end_object();
    }
    json.end_array();
    json.key("totals");
    json.begin_object();
    json.field("records_in", totals.in);
    json.field("records_out", totals.out);
    json.field("rejected", totals.rejected);
    json.end_object();
    json.end_object();
    std::printf("%s\n", out.c_str());
    std::fflush(stdout);
  }

  Stage& stage_;
  const CommonOptions& options_;
  io::DataLayout layout_;
  StageContext context_;
  RunLedger ledger_;
  std::string host_;
  std::vector<PartitionReport> reports_;
};

}  // namespace

int run_stage(Stage& stage, int argc, char** argv) {
  tune_allocator_for_blocks();  // a refusal costs speed, never correctness
  // A file size limit must surface as a write error (EFBIG), not kill us.
  ::signal(SIGXFSZ, SIG_IGN);
  setup_console_logging(stage.name());

  CommonOptions options;
  CLI::App app{stage.description(), "haul-" + stage.name()};
  add_common_options(app, options);
  stage.add_options(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : static_cast<int>(ExitCode::kUsage);
  }
  if (Status s = resolve(options); !s.is_ok()) {
    spdlog::error("{}", s.message());
    return static_cast<int>(s.code());
  }
  setup_logging(stage.name(), options.verbosity, io::DataLayout(options.data_dir).logs_dir());

  ExitCode code;
  try {
    code = StageRun(stage, options).run_all();
  } catch (const std::exception& e) {
    spdlog::critical("internal error: {}", e.what());
    code = ExitCode::kSoftware;
  }
  spdlog::shutdown();
  return static_cast<int>(code);
}

}  // namespace haul::run
