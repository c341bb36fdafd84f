#include "util/allocator_tuning.hpp"

#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdlib>
#include <cstring>

namespace haul {
namespace {

TEST(AllocatorTuning, BlockSizedBuffersComeFromTheHeapAndStayThere) {
#ifdef HAUL_SANITIZED
  GTEST_SKIP() << "the sanitizers replace glibc's malloc";
#endif
  ASSERT_TRUE(tune_allocator_for_blocks());
  // 24 MiB: above any threshold glibc's own adjustment reaches from the
  // allocations other tests freed, below the one set here.
  constexpr std::size_t kBuffer = 24u << 20;
  const std::size_t mapped_before = mallinfo2().hblks;
  void* buffer = std::malloc(kBuffer);
  ASSERT_NE(buffer, nullptr);
  std::memset(buffer, 1, kBuffer);
  EXPECT_EQ(mallinfo2().hblks, mapped_before) << "the buffer got an mmap() of its own";
  std::free(buffer);
  // Freed, it stays with the process (below the trim threshold) for the next block.
  EXPECT_GE(mallinfo2().fordblks, kBuffer);
}

}  // namespace
}  // namespace haul
