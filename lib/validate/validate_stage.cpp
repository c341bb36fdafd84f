#include "validate/validate_stage.hpp"

#include <fmt/format.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "io/atomic_file.hpp"
#include "io/json_writer.hpp"
#include "io/ndjson_writer.hpp"
#include "io/record_reader.hpp"
#include "schema/error_json.hpp"
#include "util/sha256.hpp"
#include "util/utf8.hpp"
#include "validate/parse_failure.hpp"
#include "validate/record_checker.hpp"

namespace haul::validate {
namespace fs = std::filesystem;
namespace {

constexpr const char* kValidFile = "validated.jsonl";
constexpr const char* kRejectedFile = "validation_errors.jsonl";
constexpr const char* kReportFile = "validate_report.json";
// Rejections logged per input file; the rest are only in the failed file.
constexpr int kLoggedRejectionsPerFile = 3;
// How much of an unparseable record is copied into the failed file; the
// provenance (file, offset) points at the exact bytes.
constexpr std::size_t kRawExcerptBytes = 64 * 1024;

struct Tally {
  std::uint64_t in = 0;
  std::uint64_t valid = 0;
  std::uint64_t rejected = 0;
  std::uint64_t files_rejected = 0;
  std::map<std::string, std::uint64_t> errors_by_code;

  void add(const Tally& other) {
    in += other.in;
    valid += other.valid;
    rejected += other.rejected;
    files_rejected += other.files_rejected;
    for (const auto& [code, count] : other.errors_by_code) errors_by_code[code] += count;
  }
};

bool is_input_file(const fs::directory_entry& entry) {
  std::string name = entry.path().filename().string();
  std::string ext = entry.path().extension().string();
  return entry.is_regular_file() && io::is_safe_name(name) && name != "meta.json" &&
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

// Size and modification time identify a file's version well enough to
// decide whether outputs are stale, without reading gigabytes.
std::string file_stamp(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return path.string() + " missing\n";
  return fmt::format("{} {} {}.{:09d}\n", path.string(), st.st_size, st.st_mtim.tv_sec,
                     st.st_mtim.tv_nsec);
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? "0%"
                    : fmt::format("{:.1f}%",
                                  100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

// Writes the failed-file line for a record that did not parse or was too big.
void write_raw_rejection(io::JsonWriter& json, const io::RawRecord& record,
                         const Provenance& provenance, const schema::ValidationErrors& errors) {
  std::string_view excerpt = record.bytes.substr(0, kRawExcerptBytes);
  json.begin_object();
  json.field("raw", utf8::sanitize(excerpt));
  json.field("raw_bytes", record.size);
  if (excerpt.size() < record.size) {
    json.field("raw_truncated", true);
  }
  json.key("_meta");
  write_meta(json, provenance, nullptr);
  json.key("errors");
  schema::write_errors(json, errors);
  json.end_object();
}

void write_record_rejection(io::JsonWriter& json, simdjson::dom::element record,
                            const Provenance& provenance, const schema::ValidationErrors& errors) {
  json.begin_object();
  json.field("record", record);
  json.key("_meta");
  simdjson::dom::object input_meta;
  bool has_meta = record.is_object() && !record["_meta"].get(input_meta);
  write_meta(json, provenance, has_meta ? &input_meta : nullptr);
  json.key("errors");
  schema::write_errors(json, errors);
  json.end_object();
}

void log_rejection(const Provenance& provenance, const schema::ValidationErrors& errors) {
  std::string reasons;
  for (const auto& error : errors) {
    if (!reasons.empty()) reasons += "; ";
    reasons +=
        fmt::format("{}: {} ({})", schema::path_to_string(error.path), error.message, error.code);
  }
  spdlog::info("rejected {} record {} (line {}): {}", provenance.raw_file, provenance.index,
               provenance.line, reasons);
}

std::string tally_json(const Tally& tally, const std::vector<std::string>& file_lines) {
  std::string out;
  io::JsonWriter json(out);
  json.begin_object();
  json.field("records_in", tally.in);
  json.field("valid", tally.valid);
  json.field("rejected", tally.rejected);
  json.field("files", static_cast<std::uint64_t>(file_lines.size()));
  json.field("files_rejected", tally.files_rejected);
  json.key("errors_by_code");
  json.begin_object();
  for (const auto& [code, count] : tally.errors_by_code) {
    json.field(code, count);
  }
  json.end_object();
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
  app.add_option("--max-record-bytes", max_record_bytes_,
                 "Records larger than this are rejected unread (default 64 MiB)")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 32));
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
  config.fingerprint = file_stamp(config.schema_path) + file_stamp(sources_path_);
  out = &types_.emplace(type, std::move(config)).first->second;
  return Status::ok();
}

std::vector<std::string> ValidateStage::types_with_input(const run::StageContext& context,
                                                         const Date& date) const {
  std::vector<std::string> types;
  for (std::string_view type : io::kRecordTypes) {
    if (!list_input_files(context.layout.raw_dir(date, type)).empty()) types.emplace_back(type);
  }
  return types;
}

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

  std::string stamps = fmt::format("haul {}\n{}", HAUL_VERSION, config->fingerprint);
  for (const auto& file : files) stamps += file_stamp(file);
  std::string fingerprint = Sha256().hex(stamps);

  fs::path processed = layout.processed_dir(date, type);
  fs::path failed = layout.failed_dir(date, type);
  fs::path report_path = processed / kReportFile;

  if (!options.force && !options.dry_run && fs::exists(processed / kValidFile) &&
      fs::exists(failed / kRejectedFile)) {
    simdjson::dom::parser parser;
    simdjson::dom::element report;
    std::string_view stored;
    if (!parser.load(report_path.string()).get(report) && !report["fingerprint"].get(stored) &&
        stored == fingerprint) {
      std::uint64_t in = 0, valid = 0, rejected = 0;
      if (!report["records_in"].get(in) && !report["valid"].get(valid) &&
          !report["rejected"].get(rejected)) {
        result.skipped = true;
        result.counts = {in, valid, rejected};
        result.summary = fmt::format("up to date ({} in, {} valid, {} rejected); --force redoes it",
                                     in, valid, rejected);
      }
    }
  }

  Tally total;
  std::vector<std::string> file_lines;
  if (!result.skipped) {
    std::unique_ptr<io::NdjsonWriter> valid_out, rejected_out;
    if (!options.dry_run) {
      if (Status s = io::NdjsonWriter::open(processed / kValidFile, valid_out); !s.is_ok()) {
        return fail(s);
      }
      if (Status s = io::NdjsonWriter::open(failed / kRejectedFile, rejected_out); !s.is_ok()) {
        return fail(s);
      }
    }
    auto emit = [&](io::NdjsonWriter* writer, std::string_view line) {
      return writer ? writer->write(line) : Status::ok();
    };

    simdjson::dom::parser parser(max_record_bytes_);
    RecordChecker checker(*config->schema, config->policy, date);
    schema::ValidationErrors errors;
    std::string line;
    io::RecordReader::Options reader_options;
    reader_options.max_record_bytes = max_record_bytes_;

    for (const fs::path& path : files) {
      std::string relative = layout.relative(path);
      std::string source_name = source::source_of_raw_file(path.filename().string());
      const source::SourceSpec* spec = sources_.find(source_name);
      if (!spec) {
        spdlog::debug("{}: source \"{}\" is not in {}; fields are taken as named", relative,
                      source_name, sources_path_.string());
      } else if (spec->type != type) {
        spdlog::warn("{}: source \"{}\" is declared as {}, found under {}", relative, source_name,
                     spec->type, type);
      }
      const source::FieldMapping* mapping =
          spec && !spec->mapping.empty() ? &spec->mapping : nullptr;

      std::unique_ptr<io::RecordReader> reader;
      if (Status s = io::RecordReader::open(path, reader_options, reader); !s.is_ok()) {
        return fail(s);
      }
      io::NdjsonWriter::Mark valid_mark, rejected_mark;
      if (valid_out) valid_mark = valid_out->mark();
      if (rejected_out) rejected_mark = rejected_out->mark();

      Tally tally;
      int logged = 0;
      io::RawRecord record;
      while (reader->next(record)) {
        ++tally.in;
        Provenance provenance{source_name,  type,          relative,
                              record.index, record.offset, record.line};
        errors.clear();
        line.clear();
        io::JsonWriter json(line);
        simdjson::dom::element element;
        bool parsed = false;
        if (record.too_large) {
          errors.push_back(schema::ValidationError{
              {},
              schema::code::kRecordTooLarge,
              fmt::format("record of {} bytes is over the {}-byte limit (--max-record-bytes)",
                          record.size, max_record_bytes_),
              fmt::format("at most {} bytes", max_record_bytes_)});
        } else if (auto error =
                       parser.parse(record.bytes.data(), record.bytes.size(), false).get(element)) {
          errors.push_back(describe_parse_failure(error, record.bytes));
        } else {
          parsed = true;
          if (checker.check(element, mapping, provenance, line, errors)) {
            ++tally.valid;
            if (Status s = emit(valid_out.get(), line); !s.is_ok()) return fail(s);
            continue;
          }
          line.clear();
        }
        ++tally.rejected;
        for (const auto& error : errors) ++tally.errors_by_code[error.code];
        if (logged++ < kLoggedRejectionsPerFile) log_rejection(provenance, errors);
        if (parsed) {
          write_record_rejection(json, element, provenance, errors);
        } else {
          write_raw_rejection(json, record, provenance, errors);
        }
        if (Status s = emit(rejected_out.get(), line); !s.is_ok()) return fail(s);
      }

      if (const auto& broken = reader->file_error()) {
        if (broken->code == "read_error") {
          return fail(Status::error(ExitCode::kIoError,
                                    fmt::format("{}: {}", path.string(), broken->message)));
        }
        // The file is unusable as a whole: withdraw what it contributed and
        // reject it as one unit, so no record from a torn file slips through.
        if (valid_out) {
          if (Status s = valid_out->rollback(valid_mark); !s.is_ok()) return fail(s);
        }
        if (rejected_out) {
          if (Status s = rejected_out->rollback(rejected_mark); !s.is_ok()) return fail(s);
        }
        spdlog::warn("rejected file {} as a whole: {} (byte {}; {} records withdrawn)", relative,
                     broken->message, broken->offset, tally.in);
        std::uint64_t withdrawn = tally.in;
        tally = Tally{};
        tally.in = 1;
        tally.rejected = 1;
        tally.files_rejected = 1;
        tally.errors_by_code[broken->code] = 1;
        line.clear();
        io::JsonWriter json(line);
        json.begin_object();
        json.field("file", relative);
        json.field("records_withdrawn", withdrawn);
        json.key("_meta");
        json.begin_object();
        json.field("source", source_name);
        json.field("type", type);
        json.field("raw_file", relative);
        json.field("raw_offset", broken->offset);
        json.end_object();
        json.key("errors");
        schema::write_errors(json,
                             {schema::ValidationError{
                                 {},
                                 broken->code,
                                 fmt::format("{} (at byte {})", broken->message, broken->offset),
                                 "a complete JSON array of records, or NDJSON"}});
        json.end_object();
        if (Status s = emit(rejected_out.get(), line); !s.is_ok()) return fail(s);
      } else if (reader->format() == io::FileFormat::kEmpty) {
        spdlog::warn("{} is empty: no records", relative);
      }

      file_lines.push_back(
          fmt::format("{} {} {} {}", relative, tally.in, tally.valid, tally.rejected));
      spdlog::debug("{}: {} in, {} valid, {} rejected", relative, tally.in, tally.valid,
                    tally.rejected);
      total.add(tally);
    }

    if (valid_out) {
      if (Status s = rejected_out->commit(); !s.is_ok()) return fail(s);
      if (Status s = valid_out->commit(); !s.is_ok()) return fail(s);
      // The report is written last: it is the stamp that says the outputs
      // above are complete for these inputs.
      std::string report;
      io::JsonWriter json(report);
      json.begin_object();
      json.field("stage", "validate");
      json.field("date", date.to_string());
      json.field("type", type);
      json.field("fingerprint", fingerprint);
      json.field("schema", config->schema_path.string());
      json.field("records_in", total.in);
      json.field("valid", total.valid);
      json.field("rejected", total.rejected);
      json.field("files_rejected", total.files_rejected);
      json.key("errors_by_code");
      json.begin_object();
      for (const auto& [code, count] : total.errors_by_code) {
        json.field(code, count);
      }
      json.end_object();
      json.key("inputs");
      json.begin_array();
      for (const auto& file_line : file_lines) json.value(file_line);
      json.end_array();
      json.end_object();
      report.push_back('\n');
      if (Status s = io::write_file_atomically(report_path, report); !s.is_ok()) return fail(s);
    }
    result.counts = {total.in, total.valid, total.rejected};
    result.details = tally_json(total, file_lines);
    result.summary = fmt::format(
        "{} in, {} valid, {} rejected ({}){}", total.in, total.valid, total.rejected,
        percent(total.rejected, total.in),
        total.files_rejected ? fmt::format("; {} file(s) rejected whole", total.files_rejected)
                             : "");
  }

  if (max_reject_rate_ >= 0 && result.counts.in > 0 &&
      static_cast<double>(result.counts.rejected) >
          max_reject_rate_ * static_cast<double>(result.counts.in)) {
    result.exit_code = ExitCode::kDataError;
    result.error = fmt::format("{} of the records were rejected, above --max-reject-rate {}",
                               percent(result.counts.rejected, result.counts.in), max_reject_rate_);
  }
  return result;
}

}  // namespace haul::validate
