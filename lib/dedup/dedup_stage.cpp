#include "dedup/dedup_stage.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <chrono>
#include <cmath>
#include <optional>

#include "db/connection.hpp"
#include "dedup/database_check.hpp"
#include "dedup/first_pass.hpp"
#include "dedup/listing_table.hpp"
#include "dedup/record_identity.hpp"
#include "dedup/second_pass.hpp"
#include "io/atomic_file.hpp"
#include "io/json_writer.hpp"
#include "io/ndjson_writer.hpp"
#include "run/config_section.hpp"
#include "run/partition_stamp.hpp"
#include "run/progress.hpp"

namespace haul::dedup {
namespace fs = std::filesystem;
namespace {

constexpr const char* kInputFile = "validated.jsonl";
constexpr const char* kSurvivorsFile = "deduped.jsonl";
constexpr const char* kDuplicatesFile = "duplicates.jsonl";
constexpr const char* kErrorsFile = "dedup_errors.jsonl";
constexpr const char* kReportFile = "dedup_report.json";
constexpr std::size_t kDatabaseChunk = 5000;  // listings per --against-db query

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
  run::add_max_record_bytes_option(app, max_record_bytes_);
  app.add_flag("--against-db", against_db_,
               "Also drop records the database already holds unchanged (same listing_key and "
               "content_hash; one query per 5000 listings). They do not reach haul-import, so "
               "their last_seen_at is not advanced");
  run::add_db_option(app, db_option_, "for --against-db");
  run::add_threads_option(app, threads_, "Worker threads for scoring pairs and writing");
}

Status DedupStage::prepare(const run::StageContext& context) {
  config_path_ = fs::path(context.options.config_dir) / "dedup.json";
  return run::load_type_configs(
      [&](const std::string& type, TypeConfig& config) {
        return load_config(context.options.config_dir, type, config);
      },
      configs_);
}

std::vector<std::string> DedupStage::types_with_input(const run::StageContext& context,
                                                      const Date& date) const {
  return context.layout.types_with_processed(date, kInputFile);
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
  const auto input_identity = run::file_identity(input);
  if (!input_identity) {
    return fail(Status::error(ExitCode::kNoInput,
                              fmt::format("no {} (run haul-validate first)", input.string())));
  }
  const TypeConfig& config = configs_.at(type);
  const std::string fingerprint = run::fingerprint(
      run::file_stamp(input) + run::file_stamp(config_path_) + (against_db_ ? "against-db\n" : ""));
  const fs::path report_path = processed / kReportFile;
  const fs::path outputs_paths[] = {processed / kSurvivorsFile, failed / kDuplicatesFile,
                                    failed / kErrorsFile};

  // With --against-db the outputs depend on the database too: never skipped.
  if (!context.options.force && !context.options.dry_run && !against_db_) {
    if (auto counts = run::up_to_date_counts(report_path, fingerprint,
                                             {std::begin(outputs_paths), std::end(outputs_paths)},
                                             "survivors", "duplicates")) {
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
  if (Status s = analyse(input, max_record_bytes_, threads_, config, table, identity, against_db_,
                         progress, analysis);
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
  if (run::file_identity(input) != input_identity) {
    return fail(Status::error(
        ExitCode::kTempFail,
        fmt::format("{} changed while haul-dedup read it; run again", input.string())));
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
    run::begin_partition_report(json, "dedup", date, type);
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
