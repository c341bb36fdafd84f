#pragma once
// Near-duplicate edges into clusters, and one survivor per cluster.
//
// Edges are joined strongest first (score, then row numbers: deterministic),
// and a join that would make a cluster larger than max_cluster_size is
// refused, so a chain of pairwise-similar listings cannot snowball into one
// giant cluster; so is a join that would put two different decisive values
// (VINs) into one cluster through records that have none. The survivor is the preferred row: higher source priority
// (dealer over aggregator), then more fields present, then most recent, then
// earliest in the input.

#include <cstdint>
#include <vector>

#include "dedup/listing_table.hpp"
#include "dedup/pair_scorer.hpp"

namespace haul::dedup {

struct Edge {
  std::uint32_t a = 0, b = 0;  // rows, a < b
  double score = 0.0;
  MatchRule rule = MatchRule::kNone;
};

struct Clusters {
  std::vector<std::uint32_t> survivor;  // per row: its cluster's survivor row (itself if alone)
  std::vector<PairScore> link;          // per row: the strongest accepted edge touching it
  std::uint64_t refused_joins = 0;      // edges refused by max_cluster_size
  std::uint64_t refused_conflicts = 0;  // edges that would join two different VINs
  std::uint64_t edges = 0;              // distinct edges considered
};

// True when row x should survive rather than row y.
bool preferred_survivor(const ListingTable& table, std::uint32_t x, std::uint32_t y);

Clusters build_clusters(const ListingTable& table, std::vector<Edge> edges,
                        std::size_t max_cluster_size);

}  // namespace haul::dedup
