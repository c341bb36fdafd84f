#pragma once
// How often and how long to retry a transient database failure: exponential
// backoff with full jitter (sleep = uniform(0, min(cap, base * 2^attempt))),
// bounded by a number of attempts. Full jitter spreads the retries of many
// clients after a restart instead of synchronising them.

#include <chrono>
#include <cstdint>
#include <random>

namespace haul::db {

struct RetryPolicy {
  int max_attempts = 6;  // attempts in all, the first included
  std::chrono::milliseconds base{500};
  std::chrono::milliseconds cap{30000};
};

class Backoff {
 public:
  explicit Backoff(const RetryPolicy& policy, std::uint64_t seed = std::random_device{}());
  // The pause before retry number `retry` (1 = the first retry).
  std::chrono::milliseconds delay(int retry);
  // The upper bound delay() draws from for `retry`.
  std::chrono::milliseconds ceiling(int retry) const;

 private:
  RetryPolicy policy_;
  std::mt19937_64 random_;
};

}  // namespace haul::db
