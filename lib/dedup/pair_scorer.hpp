#pragma once
// Scores one candidate pair of listings. A decisive field (the VIN) settles
// it when both records have one: equal is the same car, different never is.
// Otherwise the configured comparisons present on both records are averaged
// by weight; a pair matches at or above the threshold, and only with at least
// min_evidence weight behind it — two 1967 Mustangs with different prices and
// mileages share a model name, which is not enough.
//
// Cheap comparisons run first and the text ones get a similarity floor
// derived from the threshold, so hopeless pairs stop early.

#include <cstdint>
#include <string>
#include <vector>

#include "dedup/dedup_config.hpp"
#include "dedup/listing_table.hpp"

namespace haul::dedup {

enum class MatchRule : std::uint8_t { kNone, kExact, kDecisive, kSimilar };
const char* rule_name(MatchRule rule);  // "exact", "decisive", "similar"

struct PairScore {
  MatchRule rule = MatchRule::kNone;  // kNone: not a duplicate
  double score = 0.0;
};

class PairScorer {
 public:
  PairScorer(const NearDuplicateConfig& config, const ListingTable& table);
  PairScore score(std::uint32_t a, std::uint32_t b);

  // Similarity of two numbers under `comparison` (both present).
  static double number_similarity(const Comparison& comparison, double a, double b);

 private:
  const NearDuplicateConfig& config_;
  const ListingTable& table_;
  std::vector<std::size_t> order_;  // comparisons, cheap ones first
  std::u32string left_, right_;
};

}  // namespace haul::dedup
