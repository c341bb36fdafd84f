#include "http/rate_limiter.hpp"

#include <algorithm>

namespace haul::http {
namespace {

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

RateLimiter::RateLimiter(double requests_per_second)
    : interval_(requests_per_second > 0 ? seconds(1.0 / requests_per_second) : Clock::duration{}) {}

Clock::time_point RateLimiter::next_start(Clock::time_point now) const {
  return std::max(now, next_);
}

void RateLimiter::book(Clock::time_point now) {
  if (interval_ == Clock::duration{}) return;
  // A start less than one interval late keeps the schedule (the loop's
  // wake-ups are never exact); a later one, after idling, restarts it.
  next_ = (now - next_ < interval_ ? next_ : now) + interval_;
}

void HostPolicy::tighten(const HostPolicy& other) {
  concurrency = std::min(concurrency, other.concurrency);
  min_delay_s = std::max(min_delay_s, other.min_delay_s);
  jitter_s = std::max(jitter_s, other.jitter_s);
}

Clock::time_point HostSlots::next_start(Clock::time_point now) const {
  if (in_flight_ >= policy_.concurrency) return Clock::time_point::max();
  return std::max(now, next_);
}

void HostSlots::book(Clock::time_point now, std::mt19937_64& random) {
  ++in_flight_;
  double delay = policy_.min_delay_s;
  if (policy_.jitter_s > 0)
    delay += std::uniform_real_distribution<double>(0, policy_.jitter_s)(random);
  next_ = now + seconds(delay);
}

}  // namespace haul::http
