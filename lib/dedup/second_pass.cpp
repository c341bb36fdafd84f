#include "dedup/second_pass.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "dedup/pair_scorer.hpp"
#include "dedup/record_identity.hpp"
#include "io/json_writer.hpp"
#include "io/record_block.hpp"
#include "util/ordered_pool.hpp"
#include "util/utf8.hpp"

namespace haul::dedup {
namespace fs = std::filesystem;
namespace {

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
struct OutputBatch : io::RecordBlock {
  std::string survivors, duplicates, errors;  // output lines
  Tally tally;
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
    auto it = std::lower_bound(analysis_.rejections.begin(), analysis_.rejections.end(), position,
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
        rejection =
            known ? *known : Rejection{raw.index, "changed", "the input changed between passes"};
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
    const bool in_database = !analysis_.in_database.empty() && analysis_.in_database[survivor_row];
    if (raw.index == survivor_position && !in_database) {
      ++tally.survivors;
      append_with_hashes(batch.survivors, raw.bytes, record, identity_.hashes(record));
      batch.survivors += '\n';
      return;
    }

    ++tally.duplicates;
    const bool exact = row == survivor_row;
    PairScore link = exact ? PairScore{MatchRule::kExact, 1.0} : analysis_.clusters.link[row];
    std::string rule =
        link.rule == MatchRule::kDecisive ? config_.near.decisive_field : rule_name(link.rule);
    if (raw.index == survivor_position) {  // held unchanged by the database
      link = PairScore{MatchRule::kExact, 1.0};
      rule = "in_database";
    }
    const MetaRef& survivor_meta = table_.meta(survivor_row);
    std::string_view source;
    const bool cross_source =
        !record["_meta"]["source"].get(source) && source != table_.names()[survivor_meta.source];
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

Status write_batch(const OutputBatch& batch, Outputs& outputs) {
  if (!outputs.survivors) return Status::ok();  // a dry run
  if (Status s = outputs.survivors->write_lines(batch.survivors, batch.tally.survivors); !s.is_ok())
    return s;
  if (Status s = outputs.duplicates->write_lines(batch.duplicates, batch.tally.duplicates);
      !s.is_ok())
    return s;
  return outputs.errors->write_lines(batch.errors, batch.tally.rejected);
}

}  // namespace

Status write_partition(const fs::path& input, std::size_t max_record_bytes, std::size_t threads,
                       const TypeConfig& config, const ListingTable& table,
                       const Analysis& analysis, Outputs& outputs, run::Progress& progress,
                       Tally& tally) {
  std::vector<std::unique_ptr<RecordRouter>> routers;
  for (std::size_t i = 0; i < threads; ++i) {
    routers.push_back(std::make_unique<RecordRouter>(config, table, analysis));
  }
  Status status;
  Status read = io::for_each_block<OutputBatch>(
      input, max_record_bytes, threads,
      [&](OutputBatch& batch, std::size_t worker) { routers[worker]->route(batch); },
      [&](OutputBatch& done) {
        tally.add(done.tally);
        progress.advance(done.input_bytes(), done.records.size());
        if (status.is_ok()) status = write_batch(done, outputs);
      });
  if (!status.is_ok()) return status;
  if (!read.is_ok()) return read;
  if (tally.in != analysis.row_of.size()) {
    return Status::error(ExitCode::kTempFail,
                         fmt::format("{} changed while haul-dedup read it", input.string()));
  }
  return Status::ok();
}

}  // namespace haul::dedup
