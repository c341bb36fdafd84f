#pragma once
// A table indexed by a record's position in its input (0, 1, 2, ...), grown
// as a pass reads a file of unknown length. It grows in chunks of 2 MiB and
// never moves what it holds: a std::vector of a million entries, grown block
// by block, copied itself over and over and faulted in every new copy on the
// thread that consumes the blocks (haul-enrich's first pass: 6 % of its CPU).
// Each chunk is one transparent huge page where the kernel allows it
// (madvise mode included): on a virtual machine a page fault costs about
// 10 µs, and a 24-byte entry per record is 6,000 faults a million records in
// 4 KiB pages, 12 in huge ones. Entries stay put: references remain valid.

#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

namespace haul {

template <typename T>
class PositionTable {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                "chunks are raw memory: entries are copied in and never destroyed");

 public:
  // Entries not yet set read as `fill`.
  explicit PositionTable(T fill = T{}) : fill_(fill) {}

  // Positions below `size` exist from now on.
  void grow_to(std::uint64_t size) {
    while (chunks_.size() * kPerChunk < size) {
      void* memory = std::aligned_alloc(kChunkBytes, kChunkBytes);
      if (memory == nullptr) throw std::bad_alloc();
      ::madvise(memory, kChunkBytes, MADV_HUGEPAGE);  // a hint: refused, it is 4 KiB pages
      chunks_.emplace_back(static_cast<T*>(memory));
      std::uninitialized_fill_n(chunks_.back().get(), kPerChunk, fill_);
    }
    if (size > size_) size_ = size;
  }
  std::uint64_t size() const { return size_; }

  T& operator[](std::uint64_t position) {
    return chunks_[position / kPerChunk].get()[position % kPerChunk];
  }
  const T& operator[](std::uint64_t position) const {
    return chunks_[position / kPerChunk].get()[position % kPerChunk];
  }

 private:
  static constexpr std::size_t kChunkBytes = std::size_t{2} << 20;  // a huge page on x86-64
  static constexpr std::size_t kPerChunk = kChunkBytes / sizeof(T);
  struct Free {
    void operator()(T* chunk) const { std::free(chunk); }
  };
  T fill_;
  std::uint64_t size_ = 0;
  std::vector<std::unique_ptr<T, Free>> chunks_;
};

}  // namespace haul
