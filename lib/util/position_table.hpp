#pragma once
// A table indexed by a record's position in its input (0, 1, 2, ...), grown
// as a pass reads a file of unknown length. It grows in fixed chunks and never
// moves what it holds: a std::vector of a million entries, grown block by
// block, copied itself over and over and faulted in every new copy on the
// thread that consumes the blocks (haul-enrich's first pass: 6 % of its CPU).
// Entries stay where they are, so references to them remain valid.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace haul {

template <typename T>
class PositionTable {
 public:
  // Entries not yet set read as `fill`.
  explicit PositionTable(T fill = T{}) : fill_(fill) {}

  // Positions below `size` exist from now on.
  void grow_to(std::uint64_t size) {
    while (chunks_.size() << kChunkBits < size) {
      chunks_.push_back(std::make_unique_for_overwrite<T[]>(kChunkSize));
      std::fill_n(chunks_.back().get(), kChunkSize, fill_);
    }
    if (size > size_) size_ = size;
  }
  std::uint64_t size() const { return size_; }

  T& operator[](std::uint64_t position) {
    return chunks_[position >> kChunkBits][position & (kChunkSize - 1)];
  }
  const T& operator[](std::uint64_t position) const {
    return chunks_[position >> kChunkBits][position & (kChunkSize - 1)];
  }

 private:
  static constexpr unsigned kChunkBits = 16;
  static constexpr std::size_t kChunkSize = std::size_t{1} << kChunkBits;
  T fill_;
  std::uint64_t size_ = 0;
  std::vector<std::unique_ptr<T[]>> chunks_;
};

}  // namespace haul
