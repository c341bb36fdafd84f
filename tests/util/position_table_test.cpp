#include "util/position_table.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace haul {
namespace {

TEST(PositionTable, GrowsWithTheFillValueAndKeepsWhatItHolds) {
  PositionTable<std::uint32_t> table(0xffffffff);
  EXPECT_EQ(table.size(), 0u);
  table.grow_to(3);
  EXPECT_EQ(table.size(), 3u);
  EXPECT_EQ(table[2], 0xffffffffu);
  table[1] = 7;
  const std::uint32_t* held = &table[1];
  // Across several chunks (65,536 positions each): nothing moves.
  table.grow_to(200000);
  EXPECT_EQ(table.size(), 200000u);
  EXPECT_EQ(&table[1], held);
  EXPECT_EQ(table[1], 7u);
  EXPECT_EQ(table[65535], 0xffffffffu);
  EXPECT_EQ(table[65536], 0xffffffffu);
  EXPECT_EQ(table[199999], 0xffffffffu);
  for (std::uint64_t p = 0; p < 200000; p += 997) table[p] = static_cast<std::uint32_t>(p);
  for (std::uint64_t p = 0; p < 200000; p += 997) EXPECT_EQ(table[p], p);
  table.grow_to(10);  // never shrinks
  EXPECT_EQ(table.size(), 200000u);
}

}  // namespace
}  // namespace haul
