#include "dedup/clustering.hpp"

#include <algorithm>

#include "util/union_find.hpp"

namespace haul::dedup {

bool preferred_survivor(const ListingTable& table, std::uint32_t x, std::uint32_t y) {
  if (table.priority(x) != table.priority(y)) return table.priority(x) > table.priority(y);
  if (table.completeness(x) != table.completeness(y)) {
    return table.completeness(x) > table.completeness(y);
  }
  if (table.recency(x) != table.recency(y)) return table.recency(x) > table.recency(y);
  return table.position(x) < table.position(y);
}

Clusters build_clusters(const ListingTable& table, std::vector<Edge> edges,
                        std::size_t max_cluster_size) {
  const std::uint32_t n = table.size();
  std::sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) {
    if (x.score != y.score) return x.score > y.score;
    if (x.a != y.a) return x.a < y.a;
    return x.b < y.b;
  });
  // Sorted windows may have offered a pair twice: keep its first (equal) copy.
  edges.erase(std::unique(edges.begin(), edges.end(),
                          [](const Edge& x, const Edge& y) { return x.a == y.a && x.b == y.b; }),
              edges.end());

  Clusters out;
  out.edges = edges.size();
  out.link.assign(n, PairScore{});
  UnionFind sets(n);
  // The decisive value (VIN) a cluster holds, by root: a record without one
  // may link two cars, but never two different VINs into one cluster.
  std::vector<std::string_view> decisive(n);
  for (std::uint32_t row = 0; row < n; ++row) decisive[row] = table.decisive(row);
  for (const Edge& edge : edges) {
    const std::uint32_t ra = sets.find(edge.a), rb = sets.find(edge.b);
    if (ra != rb) {
      if (sets.size_of(ra) + sets.size_of(rb) > max_cluster_size) {
        ++out.refused_joins;
        continue;
      }
      if (!decisive[ra].empty() && !decisive[rb].empty() && decisive[ra] != decisive[rb]) {
        ++out.refused_conflicts;
        continue;
      }
      const std::string_view value = decisive[ra].empty() ? decisive[rb] : decisive[ra];
      decisive[sets.unite(ra, rb)] = value;
    }
    for (std::uint32_t row : {edge.a, edge.b}) {
      if (out.link[row].rule == MatchRule::kNone) out.link[row] = PairScore{edge.rule, edge.score};
    }
  }

  std::vector<std::uint32_t> best(n);
  for (std::uint32_t row = 0; row < n; ++row) best[row] = row;
  for (std::uint32_t row = 0; row < n; ++row) {
    const std::uint32_t root = sets.find(row);
    if (preferred_survivor(table, row, best[root])) best[root] = row;
  }
  out.survivor.resize(n);
  for (std::uint32_t row = 0; row < n; ++row) out.survivor[row] = best[sets.find(row)];
  return out;
}

}  // namespace haul::dedup
