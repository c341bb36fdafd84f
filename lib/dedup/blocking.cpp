#include "dedup/blocking.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace haul::dedup {

std::vector<BlockingStats> for_each_candidate_pair(
    const ListingTable& table, const std::vector<BlockingRule>& rules,
    const std::function<void(std::uint32_t, std::uint32_t)>& visit) {
  const std::uint32_t n = table.size();
  std::vector<BlockingStats> stats(rules.size());
  // fully_compared[r][row]: row's block under rule r was compared all pairs.
  std::vector<std::vector<bool>> fully_compared(rules.size(), std::vector<bool>(n, false));

  auto seen_before = [&](std::size_t rule, std::uint32_t a, std::uint32_t b) {
    for (std::size_t earlier = 0; earlier < rule; ++earlier) {
      const std::uint64_t key = table.block_key(a, earlier);
      if (key != 0 && key == table.block_key(b, earlier) && fully_compared[earlier][a]) return true;
    }
    return false;
  };

  std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed;
  std::vector<std::uint32_t> block;
  for (std::size_t r = 0; r < rules.size(); ++r) {
    const BlockingRule& rule = rules[r];
    BlockingStats& stat = stats[r];
    stat.rule = rule.name;
    auto emit = [&](std::uint32_t a, std::uint32_t b) {
      if (a > b) std::swap(a, b);
      if (seen_before(r, a, b)) {
        ++stat.pairs_skipped;
        return;
      }
      ++stat.pairs;
      visit(a, b);
    };

    keyed.clear();
    for (std::uint32_t row = 0; row < n; ++row) {
      if (const std::uint64_t key = table.block_key(row, r)) keyed.emplace_back(key, row);
    }
    std::sort(keyed.begin(), keyed.end());
    for (std::size_t begin = 0; begin < keyed.size();) {
      std::size_t end = begin + 1;
      while (end < keyed.size() && keyed[end].first == keyed[begin].first) ++end;
      const std::size_t size = end - begin;
      if (size >= 2) {
        ++stat.blocks;
        stat.largest_block = std::max<std::uint64_t>(stat.largest_block, size);
        block.clear();
        for (std::size_t i = begin; i < end; ++i) block.push_back(keyed[i].second);
        if (size <= rule.max_block) {
          for (std::uint32_t row : block) fully_compared[r][row] = true;
          for (std::size_t i = 0; i < size; ++i) {
            for (std::size_t j = i + 1; j < size; ++j) emit(block[i], block[j]);
          }
        } else {
          ++stat.split_blocks;
          // Numbers first (ascending), then texts, absent last; ties by row.
          std::sort(block.begin(), block.end(), [&](std::uint32_t x, std::uint32_t y) {
            const double nx = table.sort_number(x, r), ny = table.sort_number(y, r);
            const bool has_x = !std::isnan(nx), has_y = !std::isnan(ny);
            if (has_x != has_y) return has_x;
            if (has_x && nx != ny) return nx < ny;
            const std::string_view tx = table.sort_text(x, r), ty = table.sort_text(y, r);
            if (tx.empty() != ty.empty()) return !tx.empty();
            if (tx != ty) return tx < ty;
            return x < y;
          });
          for (std::size_t i = 0; i < size; ++i) {
            for (std::size_t j = i + 1; j < size && j <= i + rule.window; ++j) {
              emit(block[i], block[j]);
            }
          }
        }
      }
      begin = end;
    }
  }
  return stats;
}

}  // namespace haul::dedup
