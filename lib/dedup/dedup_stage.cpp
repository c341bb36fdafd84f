#include "dedup/dedup_stage.hpp"

#include <fmt/format.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "db/connection.hpp"
#include "dedup/blocking.hpp"
#include "dedup/clustering.hpp"
#include "dedup/database_check.hpp"
#include "dedup/listing_table.hpp"
#include "dedup/pair_scorer.hpp"
#include "dedup/record_identity.hpp"
#include "io/atomic_file.hpp"
#include "io/json_writer.hpp"
#include "io/ndjson_writer.hpp"
#include "io/record_reader.hpp"
#include "run/partition_stamp.hpp"
#include "run/progress.hpp"
#include "util/ordered_pool.hpp"
#include "util/utf8.hpp"

namespace haul::dedup {
namespace fs = std::filesystem;
namespace {

constexpr const char* kInputFile = "validated.jsonl";
constexpr const char* kSurvivorsFile = "deduped.jsonl";
constexpr const char* kDuplicatesFile = "duplicates.jsonl";
constexpr const char* kErrorsFile = "dedup_errors.jsonl";
constexpr const char* kReportFile = "dedup_report.json";
constexpr std::uint32_t kRejected = 0xFFFFFFFF;
constexpr std::size_t kDatabaseChunk = 5000;  // listings per --against-db query

// The first 128 bits of an exact key's SHA-256: collisions are out of reach.
struct ExactKey {
  std::uint64_t high, low;
  bool operator==(const ExactKey&) const = default;
};
struct ExactKeyHash {
  std::size_t operator()(const ExactKey& key) const { return key.high; }
};

ExactKey truncate(const Sha256::Digest& digest) {
  ExactKey key;
  std::memcpy(&key.high, digest.data(), 8);
  std::memcpy(&key.low, digest.data() + 8, 8);
  return key;
}

// Identifies the input file's version, so the second pass can make sure it
// reads what the first pass read.
std::optional<std::string> file_identity(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return fmt::format("{}:{}:{}:{}.{}", st.st_dev, st.st_ino, st.st_size, st.st_mtim.tv_sec,
                     st.st_mtim.tv_nsec);
}

struct Rejection {
  std::uint64_t position;
  std::string code, message;
};

// Why a line of validated.jsonl cannot be used, or nullopt when it parses
// into a JSON object.
std::optional<Rejection> parse_record(simdjson::dom::parser& parser, const io::RawRecord& raw,
                                      simdjson::dom::object& record) {
  if (raw.too_large) {
    return Rejection{raw.index, "too_large",
                     fmt::format("record of {} bytes is larger than --max-record-bytes", raw.size)};
  }
  simdjson::dom::element element;
  if (auto error = parser.parse(raw.bytes.data(), raw.bytes.size(), false).get(element)) {
    return Rejection{raw.index, "invalid_json", simdjson::error_message(error)};
  }
  if (element.get(record)) {
    return Rejection{raw.index, "not_an_object", "a record must be a JSON object"};
  }
  return std::nullopt;
}

// Everything the first pass learns.
struct Analysis {
  std::vector<std::uint32_t> row_of;  // per input position: its row, or kRejected
  std::vector<Rejection> rejections;
  std::uint64_t exact_duplicates = 0;
  std::vector<BlockingStats> blocking;
  std::uint64_t pairs_compared = 0;
  std::uint64_t pairs_matched = 0;
  Clusters clusters;
  // --against-db only: each row's identity, and which rows' survivors the
  // database already holds unchanged.
  std::vector<ListingIdentity> identities;
  std::vector<bool> in_database;
  std::uint64_t database_queries = 0;
};

Status analyse(const fs::path& input, std::size_t max_record_bytes, const TypeConfig& config,
               ListingTable& table, RecordIdentity& identity, bool keep_identities,
               run::Progress& progress, Analysis& out) {
  std::unique_ptr<io::RecordReader> reader;
  io::RecordReader::Options options;
  options.max_record_bytes = max_record_bytes;
  if (Status s = io::RecordReader::open(input, options, reader); !s.is_ok()) return s;
  simdjson::dom::parser parser;
  std::unordered_map<ExactKey, std::uint32_t, ExactKeyHash> rows_by_key;
  io::RawRecord raw;
  while (reader->next(raw)) {
    progress.advance(raw.size + 1, 1);
    simdjson::dom::object record;
    if (auto rejection = parse_record(parser, raw, record)) {
      out.rejections.push_back(std::move(*rejection));
      out.row_of.push_back(kRejected);
      continue;
    }
    auto [it, added] = rows_by_key.try_emplace(truncate(identity.exact_key(record)), table.size());
    bool representative = added;
    if (added) {
      table.add(record, raw.index);
      if (keep_identities) out.identities.emplace_back();
    } else {
      representative = table.offer_exact_duplicate(it->second, record, raw.index);
      ++out.exact_duplicates;
    }
    if (keep_identities && representative) {
      RecordHashes hashes = identity.hashes(record);
      out.identities[it->second] = {std::move(hashes.listing_key), std::move(hashes.content_hash)};
    }
    out.row_of.push_back(it->second);
  }
  if (const auto& error = reader->file_error()) {
    // validated.jsonl is NDJSON written by haul-validate; a broken file is
    // not a record problem but a damaged input.
    return Status::error(ExitCode::kDataError,
                         fmt::format("{}: {} at byte {}: {}", input.string(), error->code,
                                     error->offset, error->message));
  }

  std::vector<Edge> edges;
  if (config.near.enabled && table.size() > 1) {
    PairScorer scorer(config.near, table);
    out.blocking = for_each_candidate_pair(table, config.near.blocking,
                                           [&](std::uint32_t a, std::uint32_t b) {
                                             ++out.pairs_compared;
                                             const PairScore score = scorer.score(a, b);
                                             if (score.rule == MatchRule::kNone) return;
                                             ++out.pairs_matched;
                                             edges.push_back(Edge{a, b, score.score, score.rule});
                                           });
  }
  out.clusters = build_clusters(table, std::move(edges), config.near.max_cluster_size);
  return Status::ok();
}

// Counts of the second pass, for the summary and the report.
struct Tally {
  std::uint64_t in = 0, survivors = 0, duplicates = 0, rejected = 0;
  std::uint64_t exact = 0, cross_source = 0, in_database = 0;
  std::map<std::string, std::uint64_t> near_by_rule;
  std::map<std::uint64_t, std::uint64_t> cluster_sizes;  // size -> clusters
  std::uint64_t largest_cluster = 0, largest_cluster_survivor = 0;

  void add(const Tally& other) {
    in += other.in;
    survivors += other.survivors;
    duplicates += other.duplicates;
    rejected += other.rejected;
    exact += other.exact;
    cross_source += other.cross_source;
    in_database += other.in_database;
    for (const auto& [rule, count] : other.near_by_rule) near_by_rule[rule] += count;
  }
};

// The record's JSON with the three hashes added (replacing any it had).
void append_with_hashes(std::string& out, std::string_view text, simdjson::dom::object record,
                        const RecordHashes& hashes) {
  bool has_hash_field = false;
  for (auto [key, value] : record) has_hash_field = has_hash_field || is_hash_field(key);
  io::JsonWriter json(out);
  if (has_hash_field || text.empty() || text.back() != '}') {
    json.begin_object();
    for (auto [key, value] : record) {
      if (!is_hash_field(key)) {
        json.key(key);
        json.value(value);
      }
    }
  } else {
    // The common case: splice the fields in before the closing brace.
    const std::size_t close = text.rfind('}');
    out.append(text.substr(0, close));
    json.resume_object(record.size() > 0);
  }
  json.field("data_hash", hashes.data_hash);
  json.field("listing_key", hashes.listing_key);
  json.field("content_hash", hashes.content_hash);
  json.end_object();
}

// About a megabyte of input records, routed to their output on a worker.
struct OutputBatch {
  std::string bytes;  // the records, back to back, then simdjson padding
  std::vector<io::RawRecord> records;
  std::string survivors, duplicates, errors;  // output lines
  Tally tally;

  void add(const io::RawRecord& raw) {
    records.push_back(raw);
    records.back().bytes = std::string_view(nullptr, raw.bytes.size());
    bytes.append(raw.bytes);
  }
  // Points the records at `bytes` once it no longer grows.
  void seal() {
    bytes.append(simdjson::SIMDJSON_PADDING, '\0');
    std::size_t offset = 0;
    for (auto& record : records) {
      const std::size_t size = record.bytes.size();
      record.bytes = std::string_view(bytes.data() + offset, size);
      offset += size;
    }
  }
};

// Decides, for each record of the second pass, which output it goes to and
// writes its line there. One per worker thread (parser and hasher are not
// shared); everything it reads from the first pass is immutable.
class RecordRouter {
 public:
  RecordRouter(const TypeConfig& config, const ListingTable& table, const Analysis& analysis)
      : config_(config), table_(table), analysis_(analysis), identity_(config) {}

  void route(OutputBatch& batch) {
    for (const io::RawRecord& raw : batch.records) route(raw, batch);
  }

 private:
  const Rejection* known_rejection(std::uint64_t position) const {
    auto it = std::lower_bound(
        analysis_.rejections.begin(), analysis_.rejections.end(), position,
        [](const Rejection& r, std::uint64_t p) { return r.position < p; });
    return it != analysis_.rejections.end() && it->position == position ? &*it : nullptr;
  }

  void route(const io::RawRecord& raw, OutputBatch& batch) {
    Tally& tally = batch.tally;
    ++tally.in;
    const std::uint32_t row =
        raw.index < analysis_.row_of.size() ? analysis_.row_of[raw.index] : kRejected;
    simdjson::dom::object record;
    std::optional<Rejection> rejection = parse_record(parser_, raw, record);
    if (row == kRejected || rejection) {
      if (!rejection) {
        const Rejection* known = known_rejection(raw.index);
        rejection = known ? *known
                          : Rejection{raw.index, "changed", "the input changed between passes"};
      }
      ++tally.rejected;
      line_.clear();
      io::JsonWriter json(line_);
      json.begin_object();
      json.field("line", raw.line);
      json.field("offset", raw.offset);
      json.key("error");
      json.begin_object();
      json.field("code", rejection->code);
      json.field("message", rejection->message);
      json.end_object();
      json.field("text", utf8::sanitize(raw.bytes));
      json.end_object();
      batch.errors += line_;
      batch.errors += '\n';
      return;
    }

    const std::uint32_t survivor_row = analysis_.clusters.survivor[row];
    const std::uint64_t survivor_position = table_.position(survivor_row);
    const bool in_database =
        !analysis_.in_database.empty() && analysis_.in_database[survivor_row];
    if (raw.index == survivor_position && !in_database) {
      ++tally.survivors;
      append_with_hashes(batch.survivors, raw.bytes, record, identity_.hashes(record));
      batch.survivors += '\n';
      return;
    }

    ++tally.duplicates;
    const bool exact = row == survivor_row;
    PairScore link = exact ? PairScore{MatchRule::kExact, 1.0} : analysis_.clusters.link[row];
    std::string rule = link.rule == MatchRule::kDecisive ? config_.near.decisive_field
                                                         : rule_name(link.rule);
    if (raw.index == survivor_position) {  // held unchanged by the database
      link = PairScore{MatchRule::kExact, 1.0};
      rule = "in_database";
    }
    const MetaRef& survivor_meta = table_.meta(survivor_row);
    std::string_view source;
    const bool cross_source = !record["_meta"]["source"].get(source) &&
                              source != table_.names()[survivor_meta.source];
    if (raw.index == survivor_position) {
      ++tally.in_database;
    } else if (exact) {
      ++tally.exact;
    } else {
      ++tally.near_by_rule[rule];
    }
    if (cross_source) ++tally.cross_source;
    line_.clear();
    io::JsonWriter json(line_);
    json.begin_object();
    json.field("cluster", survivor_position);
    json.field("rule", rule);
    json.field("score", std::round(link.score * 10000) / 10000);
    json.field("cross_source", cross_source);
    json.key("survivor");
    json.begin_object();
    if (in_database) {
      json.field("database", config_.type);
      json.field("listing_key", analysis_.identities[survivor_row].listing_key);
    }
    json.field("index", survivor_position);
    json.field("source", table_.names()[survivor_meta.source]);
    json.field("raw_file", table_.names()[survivor_meta.raw_file]);
    json.field("raw_index", survivor_meta.raw_index);
    json.end_object();
    json.key("record");
    record_json_.clear();
    append_with_hashes(record_json_, raw.bytes, record, identity_.hashes(record));
    json.raw(record_json_);
    json.end_object();
    batch.duplicates += line_;
    batch.duplicates += '\n';
  }

  const TypeConfig& config_;
  const ListingTable& table_;
  const Analysis& analysis_;
  RecordIdentity identity_;
  simdjson::dom::parser parser_;
  std::string line_, record_json_;
};

struct Outputs {
  std::unique_ptr<io::NdjsonWriter> survivors, duplicates, errors;
};

Status write_batch(const OutputBatch& batch, Outputs& outputs) {
  if (!outputs.survivors) return Status::ok();  // a dry run
  if (Status s = outputs.survivors->write_lines(batch.survivors, batch.tally.survivors); !s.is_ok())
    return s;
  if (Status s = outputs.duplicates->write_lines(batch.duplicates, batch.tally.duplicates);
      !s.is_ok())
    return s;
  return outputs.errors->write_lines(batch.errors, batch.tally.rejected);
}

// The second pass: records are read in order, routed on `threads` workers in
// batches, and written back in input order, so the outputs do not depend on
// the number of threads.
Status write_partition(const fs::path& input, std::size_t max_record_bytes, std::size_t threads,
                       const TypeConfig& config, const ListingTable& table,
                       const Analysis& analysis, Outputs& outputs, run::Progress& progress,
                       Tally& tally) {
  constexpr std::size_t kBatchBytes = 1u << 20;
  std::unique_ptr<io::RecordReader> reader;
  io::RecordReader::Options options;
  options.max_record_bytes = max_record_bytes;
  if (Status s = io::RecordReader::open(input, options, reader); !s.is_ok()) return s;
  std::vector<std::unique_ptr<RecordRouter>> routers;
  for (std::size_t i = 0; i < threads; ++i) {
    routers.push_back(std::make_unique<RecordRouter>(config, table, analysis));
  }
  OrderedPool<OutputBatch> pool(threads, 2 * threads + 2, [&](OutputBatch& batch, std::size_t worker) {
    routers[worker]->route(batch);
  });
  Status status;
  auto drain_one = [&] {
    std::unique_ptr<OutputBatch> done = pool.next();
    tally.add(done->tally);
    progress.advance(done->bytes.size() - simdjson::SIMDJSON_PADDING, done->records.size());
    if (status.is_ok()) status = write_batch(*done, outputs);
  };
  auto batch = std::make_unique<OutputBatch>();
  io::RawRecord raw;
  bool more = true;
  while (more) {
    more = reader->next(raw);
    if (more) batch->add(raw);
    if (!batch->records.empty() && (!more || batch->bytes.size() >= kBatchBytes)) {
      batch->seal();
      while (pool.full()) drain_one();
      pool.submit(std::move(batch));
      batch = std::make_unique<OutputBatch>();
    }
  }
  while (!pool.empty()) drain_one();
  if (!status.is_ok()) return status;
  if (const auto& error = reader->file_error()) {
    return Status::error(ExitCode::kDataError,
                         fmt::format("{}: {} at byte {}: {}", input.string(), error->code,
                                     error->offset, error->message));
  }
  if (tally.in != analysis.row_of.size()) {
    return Status::error(ExitCode::kTempFail,
                         fmt::format("{} changed while haul-dedup read it", input.string()));
  }
  return Status::ok();
}

void cluster_histogram(const Analysis& analysis, const ListingTable& table, Tally& tally) {
  std::vector<std::uint64_t> members(table.size(), 0);
  for (std::uint32_t row : analysis.row_of) {
    if (row != kRejected) ++members[analysis.clusters.survivor[row]];
  }
  for (std::uint32_t row = 0; row < table.size(); ++row) {
    if (members[row] < 2) continue;
    ++tally.cluster_sizes[members[row]];
    if (members[row] > tally.largest_cluster) {
      tally.largest_cluster = members[row];
      tally.largest_cluster_survivor = table.position(row);
    }
  }
}

void write_counts(io::JsonWriter& json, const Tally& tally, const Analysis& analysis,
                  std::uint64_t representatives) {
  json.field("records_in", tally.in);
  json.field("survivors", tally.survivors);
  json.field("duplicates", tally.duplicates);
  json.field("rejected", tally.rejected);
  json.field("exact_duplicates", tally.exact);
  // Records equal (in matching form) to an earlier one, whichever rule
  // finally removed them: an exact group may itself be a near duplicate.
  json.field("exact_repeats", analysis.exact_duplicates);
  std::uint64_t near = 0;
  for (const auto& [rule, count] : tally.near_by_rule) near += count;
  json.field("near_duplicates", near);
  json.key("near_duplicates_by_rule");
  json.begin_object();
  for (const auto& [rule, count] : tally.near_by_rule) json.field(rule, count);
  json.end_object();
  json.field("cross_source_duplicates", tally.cross_source);
  json.field("unchanged_in_database", tally.in_database);
  json.field("database_queries", analysis.database_queries);
  std::uint64_t clusters = 0;
  for (const auto& [size, count] : tally.cluster_sizes) clusters += count;
  json.field("clusters", clusters);
  json.key("cluster_sizes");
  json.begin_object();
  for (const auto& [size, count] : tally.cluster_sizes) json.field(std::to_string(size), count);
  json.end_object();
  json.key("largest_cluster");
  json.begin_object();
  json.field("size", tally.largest_cluster);
  json.field("survivor_index", tally.largest_cluster_survivor);
  json.end_object();
  json.field("distinct_after_exact", representatives);
  json.field("pairs_compared", analysis.pairs_compared);
  json.field("pairs_matched", analysis.pairs_matched);
  json.field("edges_refused_by_cluster_cap", analysis.clusters.refused_joins);
  json.field("edges_refused_by_vin_conflict", analysis.clusters.refused_conflicts);
  const double all_pairs =
      static_cast<double>(representatives) * (static_cast<double>(representatives) - 1) / 2;
  json.field("all_pairs", all_pairs);
  json.field("reduction_ratio",
             all_pairs > 0 ? 1.0 - static_cast<double>(analysis.pairs_compared) / all_pairs : 1.0);
  json.key("blocking");
  json.begin_array();
  for (const auto& rule : analysis.blocking) {
    json.begin_object();
    json.field("rule", rule.rule);
    json.field("blocks", rule.blocks);
    json.field("largest_block", rule.largest_block);
    json.field("split_blocks", rule.split_blocks);
    json.field("pairs", rule.pairs);
    json.field("pairs_skipped_as_seen", rule.pairs_skipped);
    json.end_object();
  }
  json.end_array();
}

}  // namespace

std::string DedupStage::description() const {
  return "Remove duplicate records: exact repeats by SHA-256 of their normalised fields, near "
         "duplicates and cross-source copies by blocking and weighted Levenshtein similarity. "
         "Survivors go to processed/D/<type>/deduped.jsonl, the rest with cluster, survivor, "
         "rule and score to failed/D/<type>/duplicates.jsonl.";
}

void DedupStage::add_options(CLI::App& app) {
  app.add_option("--max-record-bytes", max_record_bytes_,
                 "Records larger than this are rejected unread (default 64 MiB)")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 32));
  app.add_flag("--against-db", against_db_,
               "Also drop records the database already holds unchanged (same listing_key and "
               "content_hash; one query per 5000 listings). They do not reach haul-import, so "
               "their last_seen_at is not advanced");
  app.add_option("--db", db_option_,
                 "Connection string or URL for --against-db (default: $DATABASE_URL, else libpq's "
                 "PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSFILE, ...)");
  app.add_option("--threads", threads_,
                 "Worker threads for writing (default: the number of cores, at most 8; outputs "
                 "are identical whatever the number)")
      ->check(CLI::Range(1, 64));
}

Status DedupStage::prepare(const run::StageContext& context) {
  config_path_ = fs::path(context.options.config_dir) / "dedup.json";
  for (std::string_view type : io::kRecordTypes) {
    TypeConfig config;
    if (Status s = load_config(context.options.config_dir, std::string(type), config);
        !s.is_ok()) {
      return s;
    }
    configs_.emplace(std::string(type), std::move(config));
  }
  return Status::ok();
}

std::vector<std::string> DedupStage::types_with_input(const run::StageContext& context,
                                                      const Date& date) const {
  std::vector<std::string> types;
  for (std::string_view type : io::kRecordTypes) {
    std::error_code ec;
    if (fs::exists(context.layout.processed_dir(date, type) / kInputFile, ec)) {
      types.emplace_back(type);
    }
  }
  return types;
}

std::string DedupStage::input_location(const run::StageContext& context, const Date& date) const {
  return (context.layout.processed_dir(date, "<type>") / kInputFile).string();
}

run::PartitionResult DedupStage::run(const run::StageContext& context, const Date& date,
                                     const std::string& type) {
  run::PartitionResult result;
  auto fail = [&](const Status& status) {
    result.exit_code = status.code();
    result.error = status.message();
    return result;
  };
  const auto started = std::chrono::steady_clock::now();
  const io::DataLayout& layout = context.layout;
  const fs::path processed = layout.processed_dir(date, type);
  const fs::path failed = layout.failed_dir(date, type);
  const fs::path input = processed / kInputFile;
  const auto input_identity = file_identity(input);
  if (!input_identity) {
    return fail(Status::error(ExitCode::kNoInput,
                              fmt::format("no {} (run haul-validate first)", input.string())));
  }
  const TypeConfig& config = configs_.at(type);
  const std::string fingerprint =
      run::fingerprint(run::file_stamp(input) + run::file_stamp(config_path_) +
                       (against_db_ ? "against-db\n" : ""));
  const fs::path report_path = processed / kReportFile;
  const fs::path outputs_paths[] = {processed / kSurvivorsFile, failed / kDuplicatesFile,
                                    failed / kErrorsFile};

  // With --against-db the outputs depend on the database too: never skipped.
  if (!context.options.force && !context.options.dry_run && !against_db_) {
    bool outputs_present = true;
    for (const auto& path : outputs_paths) outputs_present = outputs_present && fs::exists(path);
    if (auto counts = outputs_present ? run::stamped_counts(report_path, fingerprint, "survivors",
                                                            "duplicates")
                                      : std::nullopt) {
      for (const auto& path : outputs_paths) io::sweep_stale_temporaries(path);
      io::sweep_stale_temporaries(report_path);
      result.skipped = true;
      result.counts = *counts;
      result.summary = fmt::format("up to date ({} in, {} kept, {} duplicates); --force redoes it",
                                   counts->in, counts->out, counts->rejected);
      return result;
    }
  }

  std::error_code ec;
  const auto input_bytes = fs::file_size(input, ec);
  run::Progress progress(fmt::format("dedup {}/{}", date.to_string(), type),
                         ec ? 0 : 2 * input_bytes, run::progress_wanted(context.options.quiet));
  RecordIdentity identity(config);
  UrlIdExtractor url_ids(config.near.url_id_patterns);
  ListingTable table(config, url_ids);
  Analysis analysis;
  if (Status s = analyse(input, max_record_bytes_, config, table, identity, against_db_, progress,
                         analysis);
      !s.is_ok()) {
    return fail(s);
  }
  if (against_db_) {
    // One identity per cluster: its survivor's.
    std::vector<std::uint32_t> survivor_rows;
    std::vector<ListingIdentity> listings;
    for (std::uint32_t row = 0; row < table.size(); ++row) {
      if (analysis.clusters.survivor[row] != row) continue;
      survivor_rows.push_back(row);
      listings.push_back(analysis.identities[row]);
    }
    DatabaseCheck check;
    if (Status s = find_unchanged_in_database(db::resolve_conninfo(db_option_), type, listings,
                                              kDatabaseChunk, check);
        !s.is_ok()) {
      return fail(s);
    }
    analysis.in_database.assign(table.size(), false);
    for (std::size_t i = 0; i < survivor_rows.size(); ++i) {
      analysis.in_database[survivor_rows[i]] = check.unchanged[i];
    }
    analysis.database_queries = check.queries;
  }

  Outputs outputs;
  if (!context.options.dry_run) {
    if (Status s = io::NdjsonWriter::open(outputs_paths[0], outputs.survivors); !s.is_ok())
      return fail(s);
    if (Status s = io::NdjsonWriter::open(outputs_paths[1], outputs.duplicates); !s.is_ok())
      return fail(s);
    if (Status s = io::NdjsonWriter::open(outputs_paths[2], outputs.errors); !s.is_ok())
      return fail(s);
  }
  Tally tally;
  if (Status s = write_partition(input, max_record_bytes_, threads_, config, table, analysis,
                                 outputs, progress, tally);
      !s.is_ok()) {
    return fail(s);
  }
  if (file_identity(input) != input_identity) {
    return fail(Status::error(ExitCode::kTempFail,
                              fmt::format("{} changed while haul-dedup read it; run again",
                                          input.string())));
  }
  cluster_histogram(analysis, table, tally);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::string details;
  {
    io::JsonWriter json(details);
    json.begin_object();
    write_counts(json, tally, analysis, table.size());
    json.end_object();
  }
  if (outputs.survivors) {
    for (auto* writer : {outputs.errors.get(), outputs.duplicates.get(), outputs.survivors.get()}) {
      if (Status s = writer->commit(); !s.is_ok()) return fail(s);
    }
    std::string report;
    io::JsonWriter json(report);
    json.begin_object();
    json.field("stage", "dedup");
    json.field("date", date.to_string());
    json.field("type", type);
    json.field("fingerprint", fingerprint);
    write_counts(json, tally, analysis, table.size());
    json.field("seconds", std::round(seconds * 1000) / 1000);
    json.end_object();
    report.push_back('\n');
    // The report goes last: it stamps the outputs above as complete.
    if (Status s = io::write_file_atomically(report_path, report); !s.is_ok()) return fail(s);
  }

  result.counts = {tally.in, tally.survivors, tally.duplicates + tally.rejected};
  result.details = std::move(details);
  std::uint64_t near = 0;
  for (const auto& [rule, count] : tally.near_by_rule) near += count;
  result.summary = fmt::format(
      "{} in, {} kept, {} duplicates ({} exact, {} near, {} cross-source){}; {} pairs compared",
      tally.in, tally.survivors, tally.duplicates, tally.exact, near, tally.cross_source,
      tally.rejected ? fmt::format(", {} rejected", tally.rejected) : "", analysis.pairs_compared);
  return result;
}

}  // namespace haul::dedup
