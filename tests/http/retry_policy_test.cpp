#include "http/retry_policy.hpp"

#include <gtest/gtest.h>

#include "http/proxy_pool.hpp"
#include "http/rate_limiter.hpp"

namespace haul::http {
namespace {

TEST(RetryPolicy, OnlyTransientStatusesAreRetried) {
  for (long status : {408, 429, 500, 502, 503, 504}) EXPECT_TRUE(is_retryable_status(status));
  for (long status : {200, 301, 304, 400, 401, 403, 404, 410, 422, 501}) {
    EXPECT_FALSE(is_retryable_status(status)) << status;
  }
}

TEST(RetryPolicy, FullJitterStaysUnderTheDoublingCeiling) {
  RetryPolicy policy;
  policy.base_delay_s = 0.5;
  policy.max_delay_s = 3;
  std::mt19937_64 random(42);
  for (int retry = 1; retry <= 8; ++retry) {
    double ceiling = std::min(3.0, 0.5 * (1 << (retry - 1)));
    double largest = 0;
    for (int i = 0; i < 500; ++i) {
      double delay = backoff_delay_s(policy, retry, random);
      ASSERT_GE(delay, 0);
      ASSERT_LE(delay, ceiling);
      largest = std::max(largest, delay);
    }
    EXPECT_GT(largest, ceiling * 0.8) << "jitter should span the range";
  }
}

TEST(RetryPolicy, RetryAfterIsSecondsOrAnHttpDate) {
  std::time_t now = 1'790'000'000;  // 2026-09-21T...Z
  EXPECT_EQ(parse_retry_after("120", now), 120);
  EXPECT_EQ(parse_retry_after(" 0 ", now), 0);
  char date[64];
  std::time_t later = now + 30;
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", std::gmtime(&later));
  EXPECT_EQ(parse_retry_after(date, now), 30);
  EXPECT_EQ(parse_retry_after(date, now + 100), 0) << "a date in the past means now";
  EXPECT_FALSE(parse_retry_after("soon", now));
  EXPECT_FALSE(parse_retry_after("", now));
}

TEST(RateLimiter, SpacesStartsAndRestartsAfterIdling) {
  RateLimiter limiter(10);  // 100 ms apart
  auto t0 = Clock::now();
  EXPECT_EQ(limiter.next_start(t0), t0);
  limiter.book(t0);
  EXPECT_EQ(limiter.next_start(t0), t0 + std::chrono::milliseconds(100));
  // Started 5 ms late: the schedule is kept, not shifted.
  auto late = t0 + std::chrono::milliseconds(105);
  limiter.book(late);
  EXPECT_EQ(limiter.next_start(late), t0 + std::chrono::milliseconds(200));
  // After a long pause no burst is saved up.
  auto idle = t0 + std::chrono::seconds(10);
  limiter.book(idle);
  EXPECT_EQ(limiter.next_start(idle), idle + std::chrono::milliseconds(100));
  RateLimiter unlimited(0);
  unlimited.book(t0);
  EXPECT_EQ(unlimited.next_start(t0), t0);
}

TEST(HostSlots, ConcurrencyAndDelayAndTheStrictestWins) {
  HostPolicy policy{2, 0.1, 0};
  policy.tighten(HostPolicy{4, 0.3, 0.05});
  EXPECT_EQ(policy.concurrency, 2);
  EXPECT_EQ(policy.min_delay_s, 0.3);
  EXPECT_EQ(policy.jitter_s, 0.05);
  HostSlots defaults(HostPolicy{});
  defaults.limit(HostPolicy{16, 0, 0});
  EXPECT_EQ(defaults.policy().concurrency, 16) << "the first limit replaces the defaults";
  defaults.limit(HostPolicy{32, 0.1, 0});
  EXPECT_EQ(defaults.policy().concurrency, 16);
  EXPECT_EQ(defaults.policy().min_delay_s, 0.1);
  HostSlots slots(HostPolicy{1, 0.2, 0});
  std::mt19937_64 random(1);
  auto t0 = Clock::now();
  slots.book(t0, random);
  EXPECT_EQ(slots.next_start(t0), Clock::time_point::max());
  slots.release();
  EXPECT_EQ(slots.next_start(t0), t0 + std::chrono::milliseconds(200));
}

TEST(ProxyPool, RotatesSkipsBannedAndFallsBackToTheSoonestUnban) {
  ProxyPool pool({"http://a", "http://b", "http://c"}, 60);
  auto now = ProxyPool::Clock::now();
  EXPECT_EQ(pool.next(now), "http://a");
  EXPECT_EQ(pool.next(now), "http://b");
  pool.ban("http://c", now);
  EXPECT_EQ(pool.next(now), "http://a");
  pool.ban("http://a", now + std::chrono::seconds(1));
  pool.ban("http://b", now + std::chrono::seconds(2));
  EXPECT_EQ(pool.next(now), "http://c") << "every proxy banned: the first to return";
  EXPECT_FALSE(pool.banned("http://c", now + std::chrono::seconds(61)));
  EXPECT_EQ(pool.next(now + std::chrono::seconds(61)).empty(), false);
}

}  // namespace
}  // namespace haul::http
