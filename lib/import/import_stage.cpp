#include "import/import_stage.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include "db/connection.hpp"
#include "db/error_class.hpp"
#include "db/migrations.hpp"
#include "import/chunk_loader.hpp"
#include "import/failure_lines.hpp"
#include "import/input_choice.hpp"
#include "import/run_mirror.hpp"
#include "io/atomic_file.hpp"
#include "io/json_writer.hpp"
#include "io/ndjson_writer.hpp"
#include "io/record_reader.hpp"
#include "run/partition_stamp.hpp"
#include "run/progress.hpp"
#include "util/clock.hpp"
#include "validate/parse_failure.hpp"

namespace haul::import {
namespace fs = std::filesystem;
namespace {

constexpr const char* kErrorsFile = "import_errors.jsonl";
constexpr const char* kRetryFile = "retry_queue.jsonl";
constexpr const char* kReportFile = "import_report.json";
constexpr std::size_t kLoggedRejections = 3;

struct Tally {
  std::uint64_t read = 0, inserted = 0, updated = 0, unchanged = 0, superseded = 0, rejected = 0,
                queued = 0;
  std::uint64_t chunks = 0, retries = 0, statements = 0;
  std::uint64_t accounted() const {
    return inserted + updated + unchanged + superseded + rejected + queued;
  }
};

bool is_hex64(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The record's three identities if it carries them all, well-formed.
bool carried_hashes(simdjson::dom::object record, dedup::RecordHashes& out) {
  std::string_view data_hash, listing_key, content_hash;
  if (record["data_hash"].get(data_hash) || record["listing_key"].get(listing_key) ||
      record["content_hash"].get(content_hash) || !is_hex64(data_hash) || !is_hex64(listing_key) ||
      !is_hex64(content_hash)) {
    return false;
  }
  out.data_hash = std::string(data_hash);
  out.listing_key = std::string(listing_key);
  out.content_hash = std::string(content_hash);
  return true;
}

void sleep_for(std::chrono::milliseconds pause) {
  if (pause.count() > 0) std::this_thread::sleep_for(pause);
}

// One partition's import: reads the input, cuts it into chunks, loads each
// with retries, and writes every record that did not land to one of the two
// failed files.
class PartitionImport {
 public:
  PartitionImport(ImportSession* session, const TableSpec& spec, const Date& date,
                  const std::string& type, std::string input_file, const db::RetryPolicy& retry,
                  dedup::RecordIdentity& identity)
      : session_(session),
        loader_(spec, date.to_string()),
        type_(type),
        input_file_(std::move(input_file)),
        retry_(retry),
        backoff_(retry),
        identity_(identity) {}

  // Outputs are null in a dry run (and then session_ is null too).
  void set_outputs(io::NdjsonWriter* errors, io::NdjsonWriter* retry) {
    errors_ = errors;
    retry_queue_ = retry;
  }
  // Starts in the stopped state: everything read is queued with `why`.
  void halt(ExitCode code, db::DbError why) {
    halted_ = true;
    halt_code_ = code;
    halt_error_ = std::move(why);
  }

  Status add(const io::RawRecord& raw) {
    ++tally_.read;
    RecordPlace place{input_file_, raw.index + 1, type_};
    if (raw.too_large) {
      return reject_unreadable(
          place,
          {{},
           "record_too_large",
           fmt::format("the record has {} bytes, more than --max-record-bytes", raw.size),
           "a smaller record"},
          raw.bytes);
    }
    simdjson::dom::element element;
    if (auto error = parser_.parse(raw.bytes.data(), raw.bytes.size(), false).get(element)) {
      return reject_unreadable(place, validate::describe_parse_failure(error, raw.bytes),
                               raw.bytes);
    }
    simdjson::dom::object record;
    if (element.get(record)) {
      return reject_unreadable(
          place, {{}, "invalid_type", "a record must be a JSON object", "object"}, raw.bytes);
    }
    ChunkRow row;
    row.record_no = raw.index + 1;
    dedup::RecordHashes hashes;
    if (!carried_hashes(record, hashes)) {
      hashes = identity_.hashes(record);
      ++computed_hashes_;
    }
    row.listing_key = std::move(hashes.listing_key);
    row.data_hash = std::move(hashes.data_hash);
    row.content_hash = std::move(hashes.content_hash);
    if (raw.bytes.find_first_of("\n\r") == std::string_view::npos) {
      row.text = std::string(raw.bytes);
    } else {
      row.text = simdjson::minify(element);
    }
    chunk_.push_back(std::move(row));
    return Status::ok();
  }

  std::size_t pending() const { return chunk_.size(); }

  // Loads (or queues) the records collected so far.
  Status flush() {
    if (chunk_.empty()) return Status::ok();
    ++tally_.chunks;
    Status status = halted_ ? queue_chunk(halt_error_, 0) : load_chunk();
    chunk_.clear();
    return status;
  }

  const Tally& tally() const { return tally_; }
  bool halted() const { return halted_; }
  ExitCode halt_code() const { return halt_code_; }
  const db::DbError& halt_error() const { return halt_error_; }
  std::uint64_t computed_hashes() const { return computed_hashes_; }

 private:
  Status reject_unreadable(const RecordPlace& place, const schema::ValidationError& error,
                           std::string_view bytes) {
    ++tally_.rejected;
    note_rejection(fmt::format("record {} of {}: {}", place.record_no, input_file_, error.message));
    if (!errors_) return Status::ok();
    return errors_->write_lines(unreadable_line(place, error, bytes), 1);
  }

  void note_rejection(const std::string& text) {
    if (logged_++ < kLoggedRejections) spdlog::info("rejected {}", text);
  }

  Status queue_chunk(const db::DbError& why, int attempts) {
    tally_.queued += chunk_.size();
    if (!retry_queue_) return Status::ok();
    std::string lines;
    for (const ChunkRow& row : chunk_) {
      lines += queued_line({input_file_, row.record_no, type_}, row.listing_key, why, attempts,
                           row.text);
    }
    return retry_queue_->write_lines(lines, chunk_.size());
  }

  Status record_outcome(const ChunkOutcome& outcome) {
    tally_.inserted += outcome.inserted;
    tally_.updated += outcome.updated;
    tally_.unchanged += outcome.unchanged;
    tally_.superseded += outcome.superseded;
    tally_.rejected += outcome.rejected.size();
    tally_.statements += outcome.statements;
    if (!errors_ || outcome.rejected.empty()) return Status::ok();
    std::vector<RowRejection> rejected = outcome.rejected;
    std::sort(rejected.begin(), rejected.end(),
              [](const RowRejection& a, const RowRejection& b) { return a.row < b.row; });
    std::string lines;
    for (const RowRejection& r : rejected) {
      const ChunkRow& row = chunk_[r.row];
      note_rejection(fmt::format("record {} of {}: [{}] {}", row.record_no, input_file_,
                                 r.error.sqlstate, r.error.message));
      lines += refused_line({input_file_, row.record_no, type_}, row.listing_key, row.data_hash,
                            r.error, row.text);
    }
    return errors_->write_lines(lines, rejected.size());
  }

  Status load_chunk() {
    if (!session_) {  // dry run: readable records are counted as loadable, none is sent
      tally_.unchanged += chunk_.size();
      return Status::ok();
    }
    db::DbError last;
    for (int attempt = 1;; ++attempt) {
      if (!session_->is_open()) {
        Status s = session_->open(/*migrate=*/true);
        if (!s.is_ok()) {
          last = db::DbError{db::ErrorKind::kTransient, "", "connect", s.message(), ""};
          if (s.code() != ExitCode::kUnavailable) {
            last.kind = db::ErrorKind::kFatal;
            halt(s.code(), last);
            return queue_chunk(last, attempt);
          }
          if (attempt >= retry_.max_attempts) break;
          retry_pause(attempt, last);
          continue;
        }
      }
      try {
        std::unique_ptr<pqxx::work> tx = session_->begin();
        ChunkOutcome outcome = loader_.load(*tx, chunk_);
        if (!session_->lock_held(*tx)) {
          tx->abort();
          db::DbError lost{db::ErrorKind::kFatal, "", "lock_lost",
                           "the importer lock was lost (the connection was replaced)", ""};
          halt(ExitCode::kTempFail, lost);
          return queue_chunk(lost, attempt);
        }
        tx->commit();
        return record_outcome(outcome);
      } catch (const SessionLost& e) {
        db::DbError lost{db::ErrorKind::kFatal, "", "session_lost", e.status().message(), ""};
        halt(e.status().code(), lost);
        return queue_chunk(lost, attempt);
      } catch (const std::exception& e) {
        last = db::classify(e);
        if (last.kind != db::ErrorKind::kTransient) {
          spdlog::error("chunk {} failed: {} [{}] {}", tally_.chunks, last.exception, last.sqlstate,
                        last.message);
          halt(db::exit_code_for(last), last);
          return queue_chunk(last, attempt);
        }
        session_->drop();
        if (attempt >= retry_.max_attempts) break;
        retry_pause(attempt, last);
      }
    }
    spdlog::error(
        "chunk {}: giving up after {} attempts ({}); this and every later record go to {}",
        tally_.chunks, retry_.max_attempts, last.message, kRetryFile);
    halt(ExitCode::kUnavailable, last);
    return queue_chunk(last, retry_.max_attempts);
  }

  void retry_pause(int attempt, const db::DbError& error) {
    ++tally_.retries;
    auto pause = backoff_.delay(attempt);
    spdlog::warn("chunk {}: {} ({}{}); retry {} of {} in {} ms", tally_.chunks, error.message,
                 error.exception, error.sqlstate.empty() ? "" : " " + error.sqlstate, attempt,
                 retry_.max_attempts - 1, pause.count());
    sleep_for(pause);
  }

  ImportSession* session_;
  ChunkLoader loader_;
  std::string type_;
  std::string input_file_;
  db::RetryPolicy retry_;
  db::Backoff backoff_;
  dedup::RecordIdentity& identity_;
  simdjson::dom::parser parser_;
  std::vector<ChunkRow> chunk_;
  io::NdjsonWriter* errors_ = nullptr;
  io::NdjsonWriter* retry_queue_ = nullptr;
  Tally tally_;
  bool halted_ = false;
  ExitCode halt_code_ = ExitCode::kOk;
  db::DbError halt_error_;
  std::size_t logged_ = 0;
  std::uint64_t computed_hashes_ = 0;
};

void write_tally_fields(io::JsonWriter& json, const Tally& t) {
  json.field("records_read", t.read);
  json.field("inserted", t.inserted);
  json.field("updated", t.updated);
  json.field("unchanged", t.unchanged);
  json.field("superseded", t.superseded);
  json.field("rejected", t.rejected);
  json.field("queued_for_retry", t.queued);
  json.field("chunks", t.chunks);
  json.field("retries", t.retries);
}

std::string conservation(const Tally& t) {
  return fmt::format(
      "read {} = {} inserted + {} updated + {} unchanged + {} superseded + {} rejected + {} "
      "queued for retry",
      t.read, t.inserted, t.updated, t.unchanged, t.superseded, t.rejected, t.queued);
}

}  // namespace

std::string ImportStage::description() const {
  return "Load processed/D/<type>/{enriched,deduped,validated}.jsonl (the latest present) into "
         "PostgreSQL: COPY per chunk, upsert on listing_key, unchanged rows untouched; rows the "
         "database refuses go to failed/D/<type>/import_errors.jsonl, rows it could not take to "
         "retry_queue.jsonl. The database comes from --db, DATABASE_URL or libpq's PG* "
         "variables.";
}

void ImportStage::add_options(CLI::App& app) {
  run::add_db_option(app, db_option_, "");
  app.add_flag("--migrate-only", migrate_only_,
               "Apply the schema migrations and exit (run it as haul_owner or a superuser)");
  app.add_option("--chunk-size", chunk_size_, "Records per transaction (default 5000)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  app.add_option("--retry-attempts", retry_.max_attempts,
                 "Attempts per chunk (and per connection) on transient errors (default 6)")
      ->check(CLI::Range(1, 100));
  app.add_option("--retry-base-ms", retry_base_ms_,
                 "First backoff ceiling in ms; doubles per retry, full jitter (default 500)")
      ->check(CLI::Range(0, 600000));
  app.add_option("--retry-cap-ms", retry_cap_ms_, "Largest backoff ceiling in ms (default 30000)")
      ->check(CLI::Range(0, 3600000));
  run::add_max_record_bytes_option(app, max_record_bytes_, std::size_t{1} << 30);
}

Status ImportStage::open_session() {
  db::Backoff backoff(retry_);
  for (int attempt = 1;; ++attempt) {
    Status s = session_->open(/*migrate=*/true);
    if (s.is_ok() || s.code() != ExitCode::kUnavailable || attempt >= retry_.max_attempts) return s;
    auto pause = backoff.delay(attempt);
    spdlog::warn("{}; retry {} of {} in {} ms", s.message(), attempt, retry_.max_attempts - 1,
                 pause.count());
    sleep_for(pause);
  }
}

Status ImportStage::prepare(const run::StageContext& context) {
  // A server that goes away must surface as an error, not kill us (libpq).
  ::signal(SIGPIPE, SIG_IGN);
  retry_.base = std::chrono::milliseconds(retry_base_ms_);
  retry_.cap = std::chrono::milliseconds(std::max(retry_base_ms_, retry_cap_ms_));
  const std::string conninfo = db::resolve_conninfo(db_option_);
  if (migrate_only_) {
    std::unique_ptr<pqxx::connection> connection;
    if (Status s = db::connect(conninfo, connection); !s.is_ok()) return s;
    std::vector<std::string> applied;
    if (Status s = db::migrate(*connection, &applied); !s.is_ok()) return s;
    int version = 0;
    if (Status s = db::current_version(*connection, version); !s.is_ok()) return s;
    std::string text = fmt::format("{}: schema at version {} ({} migration(s) applied now)",
                                   db::describe(*connection), version, applied.size());
    spdlog::info("{}", text);
    if (!context.options.quiet) std::printf("haul-import --migrate-only: %s\n", text.c_str());
    return Status::ok();
  }
  if (!context.options.dry_run) session_ = std::make_unique<ImportSession>(conninfo);
  return Status::ok();
}

std::string ImportStage::input_location(const run::StageContext& context, const Date& date) const {
  return (context.layout.processed_dir(date, "<type>") / "{enriched,deduped,validated}.jsonl")
      .string();
}

std::vector<std::string> ImportStage::types_with_input(const run::StageContext& context,
                                                       const Date& date) const {
  std::vector<std::string> types;
  for (std::string_view type : io::kRecordTypes) {
    if (choose_input(context.layout, date, type)) types.emplace_back(type);
  }
  return types;
}

Status ImportStage::identity_for(const run::StageContext& context, const std::string& type,
                                 dedup::RecordIdentity*& out) {
  auto it = identities_.find(type);
  if (it == identities_.end()) {
    dedup::RecordIdentity identity;
    if (Status s = dedup::RecordIdentity::load(context.options.config_dir, type, &identity);
        !s.is_ok()) {
      return s;
    }
    it = identities_.emplace(type, std::move(identity)).first;
  }
  out = &it->second;
  return Status::ok();
}

run::PartitionResult ImportStage::run(const run::StageContext& context, const Date& date,
                                      const std::string& type) {
  run::PartitionResult result;
  auto fail = [&](const Status& status) {
    result.exit_code = status.code();
    result.error = status.message();
    return result;
  };
  const io::DataLayout& layout = context.layout;
  const bool dry_run = context.options.dry_run;
  const TableSpec* spec = table_spec(type);
  if (!spec) return fail(Status::error(ExitCode::kUsage, fmt::format("no table for {}", type)));
  std::optional<fs::path> input = choose_input(layout, date, type);
  if (!input) {
    return fail(Status::error(ExitCode::kNoInput,
                              fmt::format("no {{enriched,deduped,validated}}.jsonl in {}",
                                          layout.processed_dir(date, type).string())));
  }
  const std::string input_file = layout.relative(*input);
  spdlog::info("{}/{}: importing {} into table {}", date.to_string(), type, input_file,
               spec->table);
  dedup::RecordIdentity* identity = nullptr;
  if (Status s = identity_for(context, type, identity); !s.is_ok()) return fail(s);

  PartitionImport work(dry_run ? nullptr : session_.get(), *spec, date, type, input_file, retry_,
                       *identity);
  if (!dry_run) {
    // Refusals (another importer, bad configuration) end the partition before
    // anything is read; an unreachable server queues every record instead.
    if (Status s = open_session(); !s.is_ok()) {
      if (s.code() != ExitCode::kUnavailable) return fail(s);
      spdlog::error("{}", s.message());
      work.halt(ExitCode::kUnavailable,
                db::DbError{db::ErrorKind::kTransient, "", "connect", s.message(), ""});
    }
  }

  std::unique_ptr<io::NdjsonWriter> errors, retry_queue;
  const fs::path failed = layout.failed_dir(date, type);
  if (!dry_run) {
    if (Status s = io::NdjsonWriter::open(failed / kErrorsFile, errors); !s.is_ok()) return fail(s);
    if (Status s = io::NdjsonWriter::open(failed / kRetryFile, retry_queue); !s.is_ok()) {
      return fail(s);
    }
    work.set_outputs(errors.get(), retry_queue.get());
  }

  std::unique_ptr<io::RecordReader> reader;
  io::RecordReader::Options reader_options;
  reader_options.max_record_bytes = max_record_bytes_;
  if (Status s = io::RecordReader::open(*input, reader_options, reader); !s.is_ok()) {
    return fail(s);
  }
  std::error_code size_error;
  std::uint64_t input_bytes = fs::file_size(*input, size_error);
  run::Progress progress(fmt::format("import {}/{}", date.to_string(), type), input_bytes,
                         run::progress_wanted(context.options.quiet));
  io::RawRecord raw;
  std::uint64_t last_offset = 0;
  while (reader->next(raw)) {
    if (Status s = work.add(raw); !s.is_ok()) return fail(s);
    if (work.pending() >= chunk_size_) {
      if (Status s = work.flush(); !s.is_ok()) return fail(s);
      progress.advance(raw.offset - last_offset, chunk_size_);
      last_offset = raw.offset;
    }
  }
  if (Status s = work.flush(); !s.is_ok()) return fail(s);
  // A file broken part-way: the records before the break were processed and
  // their failed lines are kept; the rest cannot be read. Importing again
  // once the file is repaired is idempotent.
  Status broken_file;
  if (const auto& broken = reader->file_error()) {
    broken_file =
        Status::error(broken->code == "read_error" ? ExitCode::kIoError : ExitCode::kDataError,
                      fmt::format("{}: {} at byte {}; the {} records before it were processed",
                                  input_file, broken->message, broken->offset, work.tally().read));
  }

  const Tally& tally = work.tally();
  if (tally.accounted() != tally.read) {
    return fail(Status::error(ExitCode::kSoftware,
                              fmt::format("conservation broken: {}", conservation(tally))));
  }
  if (work.computed_hashes() > 0) {
    spdlog::info("{} record(s) carried no identities (input before dedup): computed them",
                 work.computed_hashes());
  }

  if (work.halted()) {
    result.exit_code = work.halt_code();
    result.error = fmt::format("{} record(s) queued in {}: {}", tally.queued,
                               layout.relative(failed / kRetryFile), work.halt_error().message);
  } else if (!broken_file.is_ok()) {
    result.exit_code = broken_file.code();
    result.error = broken_file.message();
  }
  if (!dry_run) {
    if (session_->is_open() && !work.halted()) {
      auto own = find_own_run(layout.ledger_path(), date.to_string(), type);
      if (own) {
        own->status = "completed";
        own->ended_at = utc_now();
        own->counts = {tally.read,
                       tally.inserted + tally.updated + tally.unchanged + tally.superseded,
                       tally.rejected + tally.queued};
      }
      if (Status s = mirror_runs(session_->connection(), layout.ledger_path(), own); !s.is_ok()) {
        spdlog::warn("{}", s.message());
      }
    }
    if (Status s = errors->commit(); !s.is_ok()) return fail(s);
    if (Status s = retry_queue->commit(); !s.is_ok()) return fail(s);
    std::string report;
    io::JsonWriter json(report);
    run::begin_partition_report(json, "import", date, type);
    json.field("input", input_file);
    json.field("table", spec->table);
    write_tally_fields(json, tally);
    json.field("exit_code", static_cast<int>(result.exit_code));
    if (!result.error.empty()) json.field("error", result.error);
    json.end_object();
    report.push_back('\n');
    if (Status s =
            io::write_file_atomically(layout.processed_dir(date, type) / kReportFile, report);
        !s.is_ok()) {
      return fail(s);
    }
  }

  result.counts = {tally.read, tally.inserted + tally.updated + tally.unchanged + tally.superseded,
                   tally.rejected + tally.queued};
  std::string details;
  io::JsonWriter json(details);
  json.begin_object();
  json.field("input", input_file);
  json.field("table", spec->table);
  write_tally_fields(json, tally);
  json.end_object();
  result.details = details;
  result.summary = conservation(tally) + (dry_run ? " (dry run: nothing loaded)" : "");
  return result;
}

}  // namespace haul::import
