#include "util/union_find.hpp"

#include <gtest/gtest.h>

namespace haul {
namespace {

TEST(UnionFind, JoinsSetsAndCountsTheirSizes) {
  UnionFind sets(6);
  EXPECT_NE(sets.find(0), sets.find(1));
  sets.unite(0, 1);
  sets.unite(2, 3);
  sets.unite(1, 3);
  EXPECT_EQ(sets.find(0), sets.find(2));
  EXPECT_EQ(sets.size_of(3), 4u);
  EXPECT_EQ(sets.size_of(4), 1u);
  EXPECT_EQ(sets.unite(0, 2), sets.find(3));  // already joined: no change
  EXPECT_EQ(sets.size_of(0), 4u);
  EXPECT_NE(sets.find(4), sets.find(5));
}

}  // namespace
}  // namespace haul
