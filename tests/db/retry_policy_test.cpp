#include "db/retry_policy.hpp"

#include <gtest/gtest.h>

#include <set>

namespace haul::db {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicy, CeilingDoublesUpToTheCap) {
  Backoff backoff(RetryPolicy{6, milliseconds(500), milliseconds(3000)}, 1);
  EXPECT_EQ(backoff.ceiling(1), milliseconds(500));
  EXPECT_EQ(backoff.ceiling(2), milliseconds(1000));
  EXPECT_EQ(backoff.ceiling(3), milliseconds(2000));
  EXPECT_EQ(backoff.ceiling(4), milliseconds(3000));
  EXPECT_EQ(backoff.ceiling(60), milliseconds(3000));  // no overflow
}

TEST(RetryPolicy, FullJitterStaysWithinTheCeilingAndVaries) {
  Backoff backoff(RetryPolicy{6, milliseconds(100), milliseconds(30000)}, 42);
  std::set<long> seen;
  for (int i = 0; i < 200; ++i) {
    auto pause = backoff.delay(3);
    EXPECT_GE(pause.count(), 0);
    EXPECT_LE(pause.count(), 400);
    seen.insert(static_cast<long>(pause.count()));
  }
  EXPECT_GT(seen.size(), 50u);  // spread, not a fixed sleep
}

}  // namespace
}  // namespace haul::db
