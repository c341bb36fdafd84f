#pragma once
// The first pass of haul-dedup over validated.jsonl: parse each line once,
// collapse exact repeats by their normalised SHA-256 key, extract the
// matching features of each distinct record into a ListingTable, score the
// blocked candidate pairs on worker threads, and cluster. What it learns
// (Analysis) is all the second pass needs to route every record.

#include <simdjson.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dedup/blocking.hpp"
#include "dedup/clustering.hpp"
#include "dedup/database_check.hpp"
#include "dedup/dedup_config.hpp"
#include "dedup/listing_table.hpp"
#include "dedup/record_identity.hpp"
#include "io/record_reader.hpp"
#include "run/progress.hpp"
#include "util/status.hpp"

namespace haul::dedup {

// row_of[] of a line that could not be used.
inline constexpr std::uint32_t kRejected = 0xFFFFFFFF;

struct Rejection {
  std::uint64_t position;
  std::string code, message;
};

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

// Why a line of validated.jsonl cannot be used, or nullopt when it parses
// into a JSON object (then in `record`).
std::optional<Rejection> parse_record(simdjson::dom::parser& parser, const io::RawRecord& raw,
                                      simdjson::dom::object& record);

// Runs the first pass over `input`. With `keep_identities` (for
// --against-db) each row's listing_key and content_hash are kept too.
Status analyse(const std::filesystem::path& input, std::size_t max_record_bytes,
               std::size_t threads, const TypeConfig& config, ListingTable& table,
               RecordIdentity& identity, bool keep_identities, run::Progress& progress,
               Analysis& out);

}  // namespace haul::dedup
