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
  // Across several chunks (2 MiB, 524,288 entries of 4 bytes each): nothing moves.
  table.grow_to(1200000);
  EXPECT_EQ(table.size(), 1200000u);
  EXPECT_EQ(&table[1], held);
  EXPECT_EQ(table[1], 7u);
  EXPECT_EQ(table[524287], 0xffffffffu);
  EXPECT_EQ(table[524288], 0xffffffffu);
  EXPECT_EQ(table[1199999], 0xffffffffu);
  for (std::uint64_t p = 0; p < 1200000; p += 997) table[p] = static_cast<std::uint32_t>(p);
  for (std::uint64_t p = 0; p < 1200000; p += 997) EXPECT_EQ(table[p], p);
  table.grow_to(10);  // never shrinks
  EXPECT_EQ(table.size(), 1200000u);
}

// Entries whose size does not divide 2 MiB (87,381 of 24 bytes a chunk).
TEST(PositionTable, EntriesOfAnySizeKeepTheirPlaceAcrossChunks) {
  struct Entry {
    std::uint64_t position = 0;
    double value = -1;
    bool set = false;
  };
  static_assert(sizeof(Entry) == 24);
  PositionTable<Entry> table;
  for (std::uint64_t p = 0; p < 300000; ++p) {
    table.grow_to(p + 1);
    if (p % 3 == 0) table[p] = {p, p * 0.5, true};
  }
  for (std::uint64_t p : {0ull, 87380ull, 87381ull, 87382ull, 174762ull, 299999ull}) {
    if (p % 3 == 0) {
      EXPECT_TRUE(table[p].set) << p;
      EXPECT_EQ(table[p].position, p);
      EXPECT_EQ(table[p].value, p * 0.5);
    } else {
      EXPECT_FALSE(table[p].set) << p;
      EXPECT_EQ(table[p].value, -1);
    }
  }
}

}  // namespace
}  // namespace haul
