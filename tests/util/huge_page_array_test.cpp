#include "util/huge_page_array.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace haul {
namespace {

TEST(HugePageArray, HoldsItsValuesInHugePageAlignedMemory) {
  HugePageArray<double> empty;
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_EQ(HugePageArray<double>(0).size(), 0u);

  // Not a multiple of a huge page: the allocation is rounded up, the size is not.
  HugePageArray<std::uint32_t> filled(600000, 7u);
  ASSERT_EQ(filled.size(), 600000u);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(filled.data()) % HugePageArray<double>::kHugePageBytes,
            0u);
  EXPECT_EQ(filled[0], 7u);
  EXPECT_EQ(filled[599999], 7u);
  filled[123456] = 42;
  HugePageArray<std::uint32_t> moved = std::move(filled);
  EXPECT_EQ(moved.size(), 600000u);
  EXPECT_EQ(moved[123456], 42u);
  EXPECT_EQ(moved[123457], 7u);

  HugePageArray<double> unfilled(5);
  for (std::size_t i = 0; i < unfilled.size(); ++i) unfilled[i] = i * 1.5;
  EXPECT_EQ(unfilled[4], 6.0);
}

}  // namespace
}  // namespace haul
