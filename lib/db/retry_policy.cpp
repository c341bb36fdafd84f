#include "db/retry_policy.hpp"

#include <algorithm>

namespace haul::db {

Backoff::Backoff(const RetryPolicy& policy, std::uint64_t seed) : policy_(policy), random_(seed) {}

std::chrono::milliseconds Backoff::ceiling(int retry) const {
  const int doublings = std::clamp(retry - 1, 0, 30);
  const std::int64_t grown = policy_.base.count() << doublings;
  return std::chrono::milliseconds(std::min<std::int64_t>(policy_.cap.count(), grown));
}

std::chrono::milliseconds Backoff::delay(int retry) {
  std::uniform_int_distribution<std::int64_t> pick(0, ceiling(retry).count());
  return std::chrono::milliseconds(pick(random_));
}

}  // namespace haul::db
