#include "dedup/pair_scorer.hpp"

#include <algorithm>
#include <cmath>

#include "util/levenshtein.hpp"
#include "util/utf8.hpp"

namespace haul::dedup {

const char* rule_name(MatchRule rule) {
  switch (rule) {
    case MatchRule::kExact:
      return "exact";
    case MatchRule::kDecisive:
      return "decisive";
    case MatchRule::kSimilar:
      return "similar";
    case MatchRule::kNone:
      break;
  }
  return "none";
}

PairScorer::PairScorer(const NearDuplicateConfig& config, const ListingTable& table)
    : config_(config), table_(table) {
  for (std::size_t i = 0; i < config.compare.size(); ++i) {
    if (config.compare[i].method != CompareMethod::kLevenshtein) order_.push_back(i);
  }
  for (std::size_t i = 0; i < config.compare.size(); ++i) {
    if (config.compare[i].method == CompareMethod::kLevenshtein) order_.push_back(i);
  }
}

double PairScorer::number_similarity(const Comparison& comparison, double a, double b) {
  const double difference = std::fabs(a - b);
  if (difference <= comparison.absolute_close) return 1.0;
  const double scale = std::max(std::fabs(a), std::fabs(b));
  const double relative = scale > 0 ? difference / scale : 0.0;
  if (relative <= comparison.close) return 1.0;
  if (relative >= comparison.far) return 0.0;
  return (comparison.far - relative) / (comparison.far - comparison.close);
}

PairScore PairScorer::score(std::uint32_t a, std::uint32_t b) {
  if (!config_.decisive_field.empty()) {
    const std::string_view left = table_.decisive(a);
    const std::string_view right = table_.decisive(b);
    if (!left.empty() && !right.empty()) {
      return left == right ? PairScore{MatchRule::kDecisive, 1.0} : PairScore{};
    }
  }

  // Weight of the comparisons both records can take part in.
  double present_weight = 0.0;
  bool present[64] = {};
  for (std::size_t i : order_) {
    const Comparison& c = config_.compare[i];
    bool both = c.method == CompareMethod::kNumber
                    ? !std::isnan(table_.number(a, i)) && !std::isnan(table_.number(b, i))
                    : !table_.text(a, i).empty() && !table_.text(b, i).empty();
    if (both && c.equal_only && table_.text(a, i) != table_.text(b, i)) both = false;
    present[i % 64] = both;
    if (both) present_weight += c.weight;
  }
  if (present_weight < config_.min_evidence || present_weight <= 0) return {};

  const double needed = config_.threshold * present_weight;  // weighted sum to reach
  double sum = 0.0;
  double remaining = present_weight;
  for (std::size_t i : order_) {
    if (!present[i % 64]) continue;
    const Comparison& c = config_.compare[i];
    remaining -= c.weight;
    double similarity = 0.0;
    switch (c.method) {
      case CompareMethod::kNumber:
        similarity = number_similarity(c, table_.number(a, i), table_.number(b, i));
        break;
      case CompareMethod::kEqual:
        similarity = table_.text(a, i) == table_.text(b, i) ? 1.0 : 0.0;
        break;
      case CompareMethod::kLevenshtein: {
        // The least similarity with which the threshold is still reachable.
        const double floor = (needed - sum - remaining) / c.weight;
        if (floor > 1.0) return {};
        utf8::decode(table_.text(a, i), left_);
        utf8::decode(table_.text(b, i), right_);
        similarity = levenshtein_similarity(left_, right_, std::max(0.0, floor));
        break;
      }
    }
    sum += c.weight * similarity;
    if (sum + remaining < needed - 1e-12) return {};  // even perfect scores from here fall short
  }
  const double score = sum / present_weight;
  return score >= config_.threshold - 1e-12 ? PairScore{MatchRule::kSimilar, score} : PairScore{};
}

}  // namespace haul::dedup
