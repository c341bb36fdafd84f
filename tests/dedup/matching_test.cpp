// The matching pieces of dedup on small hand-made tables: pair scoring,
// blocking and clustering with survivor choice.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "dedup/blocking.hpp"
#include "dedup/clustering.hpp"
#include "dedup/listing_table.hpp"
#include "dedup/pair_scorer.hpp"
#include "support/json_doc.hpp"

namespace haul::dedup {
namespace {

using testing::JsonDoc;

class Table {
 public:
  explicit Table(const std::vector<std::string>& records, TypeConfig config = default_config("vehicles"))
      : config_(std::move(config)), url_ids_(config_.near.url_id_patterns), table_(config_, url_ids_) {
    std::uint64_t position = 0;
    for (const auto& json : records) {
      JsonDoc doc(json);
      table_.add(simdjson::dom::object(doc.root()), position++);
    }
  }
  ListingTable& operator*() { return table_; }
  const TypeConfig& config() const { return config_; }

 private:
  TypeConfig config_;
  UrlIdExtractor url_ids_;
  ListingTable table_;
};

TEST(PairScorer, TheVinDecidesWhenBothHaveOne) {
  Table t({R"({"make":"Ford","model":"Mustang","year":1967,"vin":"1FAFP40441F123456","price":1})",
           R"({"make":"Ford","model":"Bronco","year":1972,"vin":"1FAFP40441F123456","price":99999})",
           R"({"make":"Ford","model":"Mustang","year":1967,"vin":"1FAFP40441F654321","price":1})"});
  PairScorer scorer(t.config().near, *t);
  EXPECT_EQ(scorer.score(0, 1).rule, MatchRule::kDecisive);
  EXPECT_EQ(scorer.score(0, 2).rule, MatchRule::kNone);
}

TEST(PairScorer, TwoMustangsOfOneYearAreNotOneCarByModelAlone) {
  Table t({R"({"make":"Ford","model":"Mustang","year":1967,"price":45000,"mileage":80000,"locationCity":"Austin"})",
           R"({"make":"Ford","model":"Mustang","year":1967,"price":52000,"mileage":41000,"locationCity":"Austin"})",
           R"({"make":"Ford","model":"Mustang","year":1967})",
           R"({"make":"Ford","model":"Mustang","year":1967,"locationCity":"Austin"})",
           R"({"make":"Ford","model":"Mustnag","year":1967,"price":45400,"mileage":80050,"locationCity":"austin"})"});
  PairScorer scorer(t.config().near, *t);
  EXPECT_EQ(scorer.score(0, 1).rule, MatchRule::kNone);  // price and mileage differ
  EXPECT_EQ(scorer.score(2, 3).rule, MatchRule::kNone);  // too little evidence
  const PairScore relisted = scorer.score(0, 4);         // typo, price +0.9%
  EXPECT_EQ(relisted.rule, MatchRule::kSimilar);
  EXPECT_GE(relisted.score, 0.9);
  EXPECT_LT(relisted.score, 1.0);
}

TEST(PairScorer, NumberSimilarityFallsLinearlyBetweenCloseAndFar) {
  Comparison c;
  c.close = 0.03;
  c.far = 0.10;
  c.absolute_close = 500;
  EXPECT_DOUBLE_EQ(PairScorer::number_similarity(c, 100000, 103000), 1.0);
  EXPECT_DOUBLE_EQ(PairScorer::number_similarity(c, 100, 550), 1.0);  // within 500
  EXPECT_DOUBLE_EQ(PairScorer::number_similarity(c, 100000, 80000), 0.0);
  EXPECT_NEAR(PairScorer::number_similarity(c, 93500, 100000), 0.5, 1e-9);  // 6.5% of the larger
}

TEST(PairScorer, EqualOnlyComparisonsNeverCountAgainst) {
  TypeConfig config = default_config("vehicles");
  config.near.compare = {Comparison{"model", CompareMethod::kEqual, 1.0, 0, 0, 0, 0, false},
                         Comparison{"sourceUrl", CompareMethod::kEqual, 3.0, 0, 0, 0, 0, true}};
  config.near.min_evidence = 1.0;
  config.near.decisive_field.clear();
  Table t({R"({"model":"A","sourceUrl":"x"})", R"({"model":"A","sourceUrl":"y"})",
           R"({"model":"B","sourceUrl":"x"})"},
          config);
  PairScorer scorer(t.config().near, *t);
  EXPECT_DOUBLE_EQ(scorer.score(0, 1).score, 1.0);   // URLs differ: not counted
  EXPECT_EQ(scorer.score(0, 2).rule, MatchRule::kNone);  // 3 of 4 < 0.9
}

TypeConfig with_rules(std::vector<BlockingRule> rules) {
  TypeConfig config = default_config("vehicles");
  config.near.blocking = std::move(rules);
  return config;
}

std::set<std::pair<std::uint32_t, std::uint32_t>> pairs_of(ListingTable& table,
                                                           const std::vector<BlockingRule>& rules,
                                                           std::size_t* visits = nullptr) {
  std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
  std::size_t count = 0;
  for_each_candidate_pair(table, rules, [&](std::uint32_t a, std::uint32_t b) {
    EXPECT_LT(a, b);
    pairs.emplace(a, b);
    ++count;
  });
  if (visits) *visits = count;
  return pairs;
}

TEST(Blocking, PairsOnlyInsideBlocksAndNeverTwiceAcrossAllPairsRules) {
  Table t({R"({"make":"Ford","year":1967,"vin":"V1"})", R"({"make":"Ford","year":1967,"vin":"V1"})",
           R"({"make":"Ford","year":1968,"vin":"V1"})", R"({"make":"Fiat","year":1967})",
           R"({"make":"ford","year":1967})"},
          with_rules({{"vin", {"vin"}, 50, "", 10}, {"make+year", {"make", "year"}, 50, "", 10}}));
  const auto& rules = t.config().near.blocking;
  std::size_t visits = 0;
  auto pairs = pairs_of(*t, rules, &visits);
  // vin block {0,1,2}; make+year block {0,1,4} (case folded) minus (0,1) seen by vin.
  EXPECT_EQ(pairs, (std::set<std::pair<std::uint32_t, std::uint32_t>>{{0, 1}, {0, 2}, {1, 2}, {0, 4}, {1, 4}}));
  EXPECT_EQ(visits, pairs.size());
}

TEST(Blocking, OversizedBlocksAreComparedBySortedNeighbourhood) {
  std::vector<std::string> records;
  for (int i = 0; i < 100; ++i) {
    records.push_back(R"({"make":"Ford","year":1967,"price":)" + std::to_string((i * 37) % 100 * 1000) + "}");
  }
  Table t(records, with_rules({{"make+year", {"make", "year"}, 10, "price", 3}}));
  const auto& rules = t.config().near.blocking;
  std::size_t visits = 0;
  auto pairs = pairs_of(*t, rules, &visits);
  EXPECT_EQ(pairs.size(), 100u * 3 - 6);  // each with its 3 next neighbours by price
  for (auto [a, b] : pairs) {
    const double gap = std::abs(t.operator*().sort_number(a, 0) - t.operator*().sort_number(b, 0));
    EXPECT_LE(gap, 3000.0);
  }
  auto stats = for_each_candidate_pair(*t, rules, [](std::uint32_t, std::uint32_t) {});
  EXPECT_EQ(stats[0].split_blocks, 1u);
  EXPECT_EQ(stats[0].largest_block, 100u);
}

TEST(Clustering, SurvivorIsPriorityThenCompletenessThenRecencyThenPosition) {
  TypeConfig config = default_config("vehicles");
  config.source_priority = {{"dealer", 10}, {"aggregator", 1}};
  Table t({R"({"make":"A","_meta":{"source":"aggregator","scraped_at":"2026-11-23T09:00:00Z"},"model":"x","price":1,"mileage":2})",
           R"({"make":"A","_meta":{"source":"dealer","scraped_at":"2026-11-20T09:00:00Z"}})",
           R"({"make":"B","_meta":{"source":"dealer","scraped_at":"2026-11-20T09:00:00Z"},"model":"y"})",
           R"({"make":"B","_meta":{"source":"dealer","scraped_at":"2026-11-20T09:00:00Z"}})",
           R"({"make":"C","_meta":{"source":"dealer","scraped_at":"2026-11-21T00:00:00Z"}})",
           R"({"make":"C","_meta":{"source":"dealer","scraped_at":"2026-11-22T00:00:00Z"}})",
           R"({"make":"D","_meta":{"source":"dealer"}})", R"({"make":"D","_meta":{"source":"dealer"}})"},
          config);
  auto clusters = build_clusters(*t,
                                 {{0, 1, 0.95, MatchRule::kSimilar}, {2, 3, 0.95, MatchRule::kSimilar},
                                  {4, 5, 0.95, MatchRule::kSimilar}, {6, 7, 0.95, MatchRule::kSimilar}},
                                 50);
  EXPECT_EQ(clusters.survivor[0], 1u);  // dealer over a more complete, newer aggregator copy
  EXPECT_EQ(clusters.survivor[3], 2u);  // more fields present
  EXPECT_EQ(clusters.survivor[4], 5u);  // more recent
  EXPECT_EQ(clusters.survivor[7], 6u);  // earlier in the input
  EXPECT_EQ(clusters.link[0].rule, MatchRule::kSimilar);
}

TEST(Clustering, NeverJoinsTwoVinsThroughARecordWithout) {
  Table t({R"({"vin":"V1"})", R"({})", R"({"vin":"V2"})"});
  auto clusters = build_clusters(
      *t, {{0, 1, 0.99, MatchRule::kSimilar}, {1, 2, 0.98, MatchRule::kSimilar}}, 50);
  EXPECT_EQ(clusters.survivor[0], clusters.survivor[1]);
  EXPECT_NE(clusters.survivor[1], clusters.survivor[2]);
  EXPECT_EQ(clusters.refused_conflicts, 1u);
}

TEST(Clustering, RefusesJoinsBeyondTheClusterCap) {
  Table t({R"({})", R"({})", R"({})", R"({})"});
  auto clusters = build_clusters(*t,
                                 {{0, 1, 0.97, MatchRule::kSimilar}, {1, 2, 0.96, MatchRule::kSimilar},
                                  {0, 2, 0.95, MatchRule::kSimilar}, {2, 3, 0.94, MatchRule::kSimilar}},
                                 2);
  EXPECT_EQ(clusters.survivor[0], clusters.survivor[1]);
  EXPECT_EQ(clusters.survivor[2], clusters.survivor[3]);  // the strongest edges first
  EXPECT_NE(clusters.survivor[0], clusters.survivor[2]);
  EXPECT_EQ(clusters.refused_joins, 2u);
  EXPECT_EQ(clusters.edges, 4u);
}

}  // namespace
}  // namespace haul::dedup
