#include "validate/validate_stage.hpp"

#include <fmt/format.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include "io/atomic_file.hpp"
#include "io/json_writer.hpp"
#include "io/ndjson_writer.hpp"
#include "io/record_reader.hpp"
#include "run/partition_stamp.hpp"
#include "run/progress.hpp"
#include "schema/error_json.hpp"
#include "util/ordered_pool.hpp"
#include "util/utf8.hpp"
#include "validate/record_batch.hpp"

namespace haul::validate {
namespace fs = std::filesystem;
namespace {

constexpr const char* kValidFile = "validated.jsonl";
constexpr const char* kRejectedFile = "validation_errors.jsonl";
constexpr const char* kReportFile = "validate_report.json";
// Rejections logged per input file; the rest are only in the failed file.
constexpr std::size_t kLoggedRejectionsPerFile = 3;
// Records are validated in batches of about this many bytes.
constexpr std::size_t kBatchBytes = 1u << 20;
constexpr std::size_t kBatchRecords = 4096;

// Every records file is input, whatever its name: one whose name is not
// safe (a space, a backslash, a newline, bytes that are not UTF-8, too long)
// is rejected as a whole by name instead of being skipped, so its records
// never vanish without a trace.
bool is_input_file(const fs::directory_entry& entry) {
  std::string name = entry.path().filename().string();
  std::string ext = entry.path().extension().string();
  // Dotfiles (partial downloads, editors' copies) are not input at all.
  return entry.is_regular_file() && name != "meta.json" && name.front() != '.' &&
         (ext == ".json" || ext == ".jsonl" || ext == ".ndjson");
}

std::vector<fs::path> list_input_files(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (is_input_file(entry)) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The counts, as fields of an object being written: shared by the --json
// details and the report file.
void write_tally_fields(io::JsonWriter& json, const Tally& tally, std::size_t files) {
  json.field("records_in", tally.in);
  json.field("valid", tally.valid);
  json.field("rejected", tally.rejected);
  json.field("files", static_cast<std::uint64_t>(files));
  json.field("files_rejected", tally.files_rejected);
  json.key("errors_by_code");
  json.begin_object();
  for (const auto& [code, count] : tally.errors_by_code) json.field(code, count);
  json.end_object();
}

std::string tally_json(const Tally& tally, std::size_t files) {
  std::string out;
  io::JsonWriter json(out);
  json.begin_object();
  write_tally_fields(json, tally, files);
  json.end_object();
  return out;
}

}  // namespace

std::string ValidateStage::description() const {
  return "Validate raw records against config/schemas/<type>.schema.json: valid records go to "
         "processed/D/<type>/validated.jsonl, the rest with every reason to "
         "failed/D/<type>/validation_errors.jsonl.";
}

void ValidateStage::add_options(CLI::App& app) {
  app.add_option("--max-reject-rate", max_reject_rate_,
                 "Exit 65 when more than this fraction (0..1) of the records is rejected")
      ->check(CLI::Range(0.0, 1.0));
  run::add_threads_option(app, threads_, "Worker threads");
  run::add_max_record_bytes_option(app, max_record_bytes_);
}

Status ValidateStage::prepare(const run::StageContext& context) {
  sources_path_ = fs::path(context.options.config_dir) / "sources.json";
  return source::SourceCatalog::load(sources_path_, sources_);
}

Status ValidateStage::load_type(const run::StageContext& context, const std::string& type,
                                TypeConfig*& out) {
  if (auto it = types_.find(type); it != types_.end()) {
    out = &it->second;
    return Status::ok();
  }
  TypeConfig config;
  config.schema_path = fs::path(context.options.config_dir) / "schemas" / (type + ".schema.json");
  auto text = read_file(config.schema_path);
  if (!text) {
    return Status::error(ExitCode::kConfig,
                         fmt::format("cannot read schema {}", config.schema_path.string()));
  }
  std::string error;
  auto compiled = schema::Schema::compile(*text, schema::CompileOptions{}, error);
  if (!compiled) {
    return Status::error(ExitCode::kConfig,
                         fmt::format("{}: {}", config.schema_path.string(), error));
  }
  config.schema = std::make_unique<schema::Schema>(std::move(*compiled));
  if (Status s = schema::RecordPolicy::compile(*text, config.policy); !s.is_ok()) {
    return Status::error(s.code(), fmt::format("{}: {}", config.schema_path.string(), s.message()));
  }
  config.fingerprint = run::file_stamp(config.schema_path) + run::file_stamp(sources_path_);
  out = &types_.emplace(type, std::move(config)).first->second;
  return Status::ok();
}

std::string ValidateStage::input_location(const run::StageContext& context,
                                          const Date& date) const {
  return (context.layout.raw_date_dir(date) / "<type>" / "*.json").string();
}

std::vector<std::string> ValidateStage::types_with_input(const run::StageContext& context,
                                                         const Date& date) const {
  std::vector<std::string> types;
  for (std::string_view type : io::kRecordTypes) {
    if (!list_input_files(context.layout.raw_dir(date, type)).empty()) types.emplace_back(type);
  }
  return types;
}

namespace {

// The partition's two output files; both null in a dry run.
struct Outputs {
  std::unique_ptr<io::NdjsonWriter> valid;
  std::unique_ptr<io::NdjsonWriter> rejected;
};

// Text from a file name, fit for a log line: valid UTF-8, no control
// characters (a newline in a name must not forge a log line).
std::string printable(std::string_view text) {
  std::string out = utf8::sanitize(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return out;
}

// One failed line for a file that is unusable as a whole.
std::string file_rejection_line(const FileContext& file, const io::FileError& broken,
                                std::uint64_t withdrawn) {
  std::string line;
  io::JsonWriter json(line);
  json.begin_object();
  json.field("file", file.raw_file);
  json.field("records_withdrawn", withdrawn);
  json.key("_meta");
  json.begin_object();
  json.field("source", file.source);
  json.field("type", file.type);
  json.field("raw_file", file.raw_file);
  json.field("raw_offset", broken.offset);
  json.end_object();
  json.key("errors");
  schema::write_errors(
      json, {schema::ValidationError{{},
                                     broken.code,
                                     fmt::format("{} (at byte {})", broken.message, broken.offset),
                                     "a complete JSON array of records, or NDJSON"}});
  json.end_object();
  line.push_back('\n');
  return line;
}

// Counts a file that is unusable as a whole as one rejected record (its
// records already withdrawn from the outputs) and writes its failed line.
Status reject_whole(const FileContext& file, const io::FileError& broken, Outputs& outputs,
                    Tally& tally) {
  spdlog::warn("rejected file {} as a whole: {} (byte {}; {} records withdrawn)",
               printable(file.raw_file), printable(broken.message), broken.offset, tally.in);
  std::uint64_t withdrawn = tally.in;
  tally = Tally{};
  tally.in = 1;
  tally.rejected = 1;
  tally.files_rejected = 1;
  tally.errors_by_code[broken.code] = 1;
  if (!outputs.rejected) return Status::ok();
  return outputs.rejected->write_lines(file_rejection_line(file, broken, withdrawn), 1);
}

// The error for a file whose name no stage may use.
io::FileError unsafe_name_error(const fs::path& path) {
  return io::FileError{
      "unsafe_file_name",
      fmt::format("the file name \"{}\" is not safe: rename it to letters, digits, '.', '_' and "
                  "'-' (at most 128, not starting with '.'); none of its records were read",
                  printable(path.filename().string())),
      0};
}

// Validates one input file through the worker pool, appending its outputs in
// record order. A file broken as a whole is withdrawn from the outputs and
// rejected as one unit.
Status validate_file(const fs::path& path, const FileContext& file, OrderedPool<RecordBatch>& pool,
                     Outputs& outputs, Tally& tally, run::Progress& progress) {
  std::unique_ptr<io::RecordReader> reader;
  io::RecordReader::Options reader_options;
  reader_options.max_record_bytes = file.max_record_bytes;
  if (!io::is_safe_name(path.filename().string())) {
    return reject_whole(file, unsafe_name_error(path), outputs, tally);
  }
  if (Status s = io::RecordReader::open(path, reader_options, reader); !s.is_ok()) return s;
  io::NdjsonWriter::Mark valid_mark, rejected_mark;
  if (outputs.valid) {
    valid_mark = outputs.valid->mark();
    rejected_mark = outputs.rejected->mark();
  }

  std::size_t logged = 0;
  Status write_status;
  auto write_out = [&](std::unique_ptr<RecordBatch> batch) {
    tally.add(batch->tally);
    progress.advance(batch->input_bytes(), batch->size());
    for (const auto& note : batch->first_rejections) {
      if (logged++ < kLoggedRejectionsPerFile) spdlog::info("{}", note);
    }
    if (!outputs.valid || !write_status.is_ok()) return;
    write_status = outputs.valid->write_lines(batch->valid_lines, batch->tally.valid);
    if (write_status.is_ok()) {
      write_status = outputs.rejected->write_lines(batch->rejected_lines, batch->tally.rejected);
    }
  };

  auto batch = std::make_unique<RecordBatch>(file);
  io::RawRecord record;
  while (reader->next(record)) {
    if (batch->add(record) >= kBatchBytes || batch->size() >= kBatchRecords) {
      while (pool.full()) write_out(pool.next());
      pool.submit(std::move(batch));
      batch = std::make_unique<RecordBatch>(file);
    }
  }
  if (batch->size() > 0) pool.submit(std::move(batch));
  while (!pool.empty()) write_out(pool.next());
  if (!write_status.is_ok()) return write_status;

  const auto& broken = reader->file_error();
  if (!broken) {
    if (reader->format() == io::FileFormat::kEmpty)
      spdlog::warn("{} is empty: no records", file.raw_file);
    return Status::ok();
  }
  if (broken->code == "read_error") {
    return Status::error(ExitCode::kIoError, fmt::format("{}: {}", path.string(), broken->message));
  }
  if (outputs.valid) {
    if (Status s = outputs.valid->rollback(valid_mark); !s.is_ok()) return s;
    if (Status s = outputs.rejected->rollback(rejected_mark); !s.is_ok()) return s;
  }
  return reject_whole(file, *broken, outputs, tally);
}

std::string report_json(const Date& date, const std::string& type, const std::string& fingerprint,
                        const fs::path& schema_path, const Tally& total,
                        const std::vector<std::string>& file_lines) {
  std::string report;
  io::JsonWriter json(report);
  run::begin_partition_report(json, "validate", date, type);
  json.field("fingerprint", fingerprint);
  json.field("schema", schema_path.string());
  write_tally_fields(json, total, file_lines.size());
  json.key("inputs");
  json.begin_array();
  for (const auto& file_line : file_lines) json.value(file_line);
  json.end_array();
  json.end_object();
  report.push_back('\n');
  return report;
}

}  // namespace

run::PartitionResult ValidateStage::run(const run::StageContext& context, const Date& date,
                                        const std::string& type) {
  run::PartitionResult result;
  const io::DataLayout& layout = context.layout;
  const run::CommonOptions& options = context.options;
  auto fail = [&](const Status& status) {
    result.exit_code = status.code();
    result.error = status.message();
    return result;
  };

  fs::path raw_dir = layout.raw_dir(date, type);
  std::vector<fs::path> files = list_input_files(raw_dir);
  if (files.empty()) {
    return fail(Status::error(
        ExitCode::kNoInput, fmt::format("no raw files (*.json, *.jsonl) in {}", raw_dir.string())));
  }
  TypeConfig* config = nullptr;
  if (Status s = load_type(context, type, config); !s.is_ok()) return fail(s);

  std::string stamps = config->fingerprint;
  for (const auto& file : files) stamps += run::file_stamp(file);
  const std::string fingerprint = run::fingerprint(stamps);
  fs::path processed = layout.processed_dir(date, type);
  fs::path failed = layout.failed_dir(date, type);
  fs::path report_path = processed / kReportFile;

  if (!options.force && !options.dry_run) {
    if (auto counts = run::up_to_date_counts(report_path, fingerprint,
                                             {processed / kValidFile, failed / kRejectedFile},
                                             "valid", "rejected")) {
      result.skipped = true;
      result.counts = *counts;
      result.summary = fmt::format("up to date ({} in, {} valid, {} rejected); --force redoes it",
                                   counts->in, counts->out, counts->rejected);
    }
  }

  if (!result.skipped) {
    Outputs outputs;
    if (!options.dry_run) {
      if (Status s = io::NdjsonWriter::open(processed / kValidFile, outputs.valid); !s.is_ok()) {
        return fail(s);
      }
      if (Status s = io::NdjsonWriter::open(failed / kRejectedFile, outputs.rejected); !s.is_ok()) {
        return fail(s);
      }
    }
    std::vector<std::unique_ptr<BatchValidator>> validators;
    for (std::size_t i = 0; i < threads_; ++i) {
      validators.push_back(std::make_unique<BatchValidator>(*config->schema, config->policy, date,
                                                            max_record_bytes_));
    }
    OrderedPool<RecordBatch> pool(
        threads_, 2 * threads_ + 2,
        [&](RecordBatch& batch, std::size_t worker) { validators[worker]->validate(batch); });

    Tally total;
    std::vector<std::string> file_lines;
    std::uint64_t total_bytes = 0;
    for (const fs::path& path : files) {
      std::error_code ec;
      std::uintmax_t size = fs::file_size(path, ec);
      if (!ec) total_bytes += size;
    }
    run::Progress progress(fmt::format("validate {}/{}", date.to_string(), type), total_bytes,
                           run::progress_wanted(options.quiet));
    for (const fs::path& path : files) {
      FileContext file;
      // Names that are not UTF-8 (rejected below) must not make the outputs so.
      file.raw_file = utf8::sanitize(layout.relative(path));
      file.source = source::source_of_raw_file(utf8::sanitize(path.filename().string()));
      file.type = type;
      file.max_record_bytes = max_record_bytes_;
      file.meta_prefix = meta_prefix(file.source, file.type, file.raw_file);
      const source::SourceSpec* spec = sources_.find(file.source);
      if (!spec) {
        spdlog::debug("{}: source \"{}\" is not in {}; fields are taken as named",
                      printable(file.raw_file), printable(file.source), sources_path_.string());
      } else if (spec->type != type) {
        spdlog::warn("{}: source \"{}\" is declared as {}, found under {}",
                     printable(file.raw_file), printable(file.source), spec->type, type);
      }
      if (spec && !spec->mapping.empty()) file.mapping = &spec->mapping;

      Tally tally;
      if (Status s = validate_file(path, file, pool, outputs, tally, progress); !s.is_ok()) {
        return fail(s);
      }
      file_lines.push_back(
          fmt::format("{} {} {} {}", file.raw_file, tally.in, tally.valid, tally.rejected));
      spdlog::debug("{}: {} in, {} valid, {} rejected", printable(file.raw_file), tally.in,
                    tally.valid, tally.rejected);
      total.add(tally);
    }

    if (outputs.valid) {
      if (Status s = outputs.rejected->commit(); !s.is_ok()) return fail(s);
      if (Status s = outputs.valid->commit(); !s.is_ok()) return fail(s);
      // The report goes last: it is the stamp saying the outputs above are
      // complete for these inputs.
      if (Status s = io::write_file_atomically(
              report_path,
              report_json(date, type, fingerprint, config->schema_path, total, file_lines));
          !s.is_ok()) {
        return fail(s);
      }
    }
    result.counts = {total.in, total.valid, total.rejected};
    result.details = tally_json(total, file_lines.size());
    result.summary = fmt::format(
        "{} in, {} valid, {} rejected ({}){}", total.in, total.valid, total.rejected,
        run::percent(total.rejected, total.in),
        total.files_rejected ? fmt::format("; {} file(s) rejected whole", total.files_rejected)
                             : "");
  }

  if (max_reject_rate_ >= 0 && result.counts.in > 0 &&
      static_cast<double>(result.counts.rejected) >
          max_reject_rate_ * static_cast<double>(result.counts.in)) {
    result.exit_code = ExitCode::kDataError;
    result.error =
        fmt::format("{} of the records were rejected, above --max-reject-rate {}",
                    run::percent(result.counts.rejected, result.counts.in), max_reject_rate_);
  }
  return result;
}

}  // namespace haul::validate
