#pragma once
// Disjoint sets over 0..n-1 (union by size, path halving): which records
// ended up in one duplicate cluster. Sizes are kept so a caller can refuse a
// union that would make a cluster implausibly large.

#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

namespace haul {

class UnionFind {
 public:
  explicit UnionFind(std::uint32_t n) : parent_(n), size_(n, 1) {
    std::iota(parent_.begin(), parent_.end(), 0u);
  }

  std::uint32_t find(std::uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }

  std::uint32_t size_of(std::uint32_t x) { return size_[find(x)]; }

  // Joins the sets of a and b; returns the new root (or the common one).
  std::uint32_t unite(std::uint32_t a, std::uint32_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return a;
    if (size_[a] < size_[b]) std::swap(a, b);
    parent_[b] = a;
    size_[a] += size_[b];
    return a;
  }

 private:
  std::vector<std::uint32_t> parent_;
  std::vector<std::uint32_t> size_;
};

}  // namespace haul
