#pragma once
// The second pass of haul-dedup: read validated.jsonl again and write every
// record where the first pass's clusters put it: a survivor to deduped.jsonl
// with its three hashes, any other record to duplicates.jsonl with its
// cluster, survivor, rule and score, an unusable line to dedup_errors.jsonl.
// Batches are routed on worker threads and written in input order, so the
// outputs do not depend on the number of threads.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "dedup/dedup_config.hpp"
#include "dedup/first_pass.hpp"
#include "dedup/listing_table.hpp"
#include "io/ndjson_writer.hpp"
#include "run/progress.hpp"
#include "util/status.hpp"

namespace haul::dedup {

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

// The partition's three record files; all null in a dry run.
struct Outputs {
  std::unique_ptr<io::NdjsonWriter> survivors, duplicates, errors;
};

Status write_partition(const std::filesystem::path& input, std::size_t max_record_bytes,
                       std::size_t threads, const TypeConfig& config, const ListingTable& table,
                       const Analysis& analysis, Outputs& outputs, run::Progress& progress,
                       Tally& tally);

}  // namespace haul::dedup
