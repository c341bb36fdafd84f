#pragma once
// A table indexed by a record's position in its input (0, 1, 2, ...), grown
// as a pass reads a file of unknown length. It grows in chunks of one huge
// page (util/HugePageArray) and never moves what it holds: a std::vector of a
// million entries, grown block by block, copied itself over and over and
// faulted in every new copy on the thread that consumes the blocks
// (haul-enrich's first pass: 6 % of its CPU). References remain valid.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "util/huge_page_array.hpp"

namespace haul {

template <typename T>
class PositionTable {
 public:
  // Entries not yet set read as `fill`.
  explicit PositionTable(T fill = T{}) : fill_(fill) {}

  // Positions below `size` exist from now on.
  void grow_to(std::uint64_t size) {
    while (chunks_.size() * kPerChunk < size) chunks_.emplace_back(kPerChunk, fill_);
    if (size > size_) size_ = size;
  }
  std::uint64_t size() const { return size_; }

  T& operator[](std::uint64_t position) {
    return chunks_[position / kPerChunk][position % kPerChunk];
  }
  const T& operator[](std::uint64_t position) const {
    return chunks_[position / kPerChunk][position % kPerChunk];
  }

 private:
  static constexpr std::size_t kPerChunk = HugePageArray<T>::kHugePageBytes / sizeof(T);
  T fill_;
  std::uint64_t size_ = 0;
  std::vector<HugePageArray<T>> chunks_;
};

}  // namespace haul
