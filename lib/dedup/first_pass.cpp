#include "dedup/first_pass.hpp"

#include <fmt/format.h>

#include <cstring>
#include <memory>
#include <unordered_map>

#include "dedup/pair_scorer.hpp"
#include "util/ordered_pool.hpp"

namespace haul::dedup {
namespace fs = std::filesystem;
namespace {

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

}  // namespace

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

Status analyse(const fs::path& input, std::size_t max_record_bytes, std::size_t threads,
               const TypeConfig& config, ListingTable& table, RecordIdentity& identity,
               bool keep_identities, run::Progress& progress, Analysis& out) {
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
    // Candidate pairs are generated in order on this thread and scored in
    // chunks on the workers; build_clusters() sorts the edges, so the result
    // does not depend on which worker scored what.
    struct PairChunk {
      std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
      std::vector<Edge> edges;
    };
    constexpr std::size_t kChunkPairs = 1u << 16;
    std::vector<std::unique_ptr<PairScorer>> scorers;
    for (std::size_t i = 0; i < threads; ++i) {
      scorers.push_back(std::make_unique<PairScorer>(config.near, table));
    }
    OrderedPool<PairChunk> pool(threads, 2 * threads + 2, [&](PairChunk& chunk, std::size_t worker) {
      for (auto [a, b] : chunk.pairs) {
        const PairScore score = scorers[worker]->score(a, b);
        if (score.rule != MatchRule::kNone) chunk.edges.push_back(Edge{a, b, score.score, score.rule});
      }
    });
    auto drain_one = [&] {
      std::unique_ptr<PairChunk> done = pool.next();
      out.pairs_matched += done->edges.size();
      edges.insert(edges.end(), done->edges.begin(), done->edges.end());
    };
    auto chunk = std::make_unique<PairChunk>();
    auto submit = [&] {
      while (pool.full()) drain_one();
      pool.submit(std::move(chunk));
      chunk = std::make_unique<PairChunk>();
    };
    out.blocking = for_each_candidate_pair(table, config.near.blocking,
                                           [&](std::uint32_t a, std::uint32_t b) {
                                             ++out.pairs_compared;
                                             chunk->pairs.emplace_back(a, b);
                                             if (chunk->pairs.size() == kChunkPairs) submit();
                                           });
    if (!chunk->pairs.empty()) submit();
    while (!pool.empty()) drain_one();
  }
  out.clusters = build_clusters(table, std::move(edges), config.near.max_cluster_size);
  return Status::ok();
}

}  // namespace haul::dedup
