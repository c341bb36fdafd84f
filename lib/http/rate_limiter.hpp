#pragma once
// Politeness limits, evaluated by the client before it starts a request.
//
// RateLimiter spaces one source's request starts 1/rate apart. It schedules
// from the previous slot, not from "now", so a late wake-up does not lower
// the long-run rate; lateness of a whole slot or more restarts the schedule,
// so an idle source cannot save up a burst.
//
// HostSlots limits one host: requests in flight, and a minimum delay (plus
// a random jitter) between request starts. When several sources share a
// host the strictest setting wins.

#include <chrono>
#include <random>

namespace haul::http {

using Clock = std::chrono::steady_clock;

class RateLimiter {
 public:
  explicit RateLimiter(double requests_per_second);
  // When the next request may start (now or later).
  Clock::time_point next_start(Clock::time_point now) const;
  // Books a start at `now` (which must be >= next_start(now)).
  void book(Clock::time_point now);

 private:
  Clock::duration interval_{};
  Clock::time_point next_{};
};

struct HostPolicy {
  int concurrency = 4;
  double min_delay_s = 0;
  double jitter_s = 0;
  // Combines two sources' wishes: the stricter of each.
  void tighten(const HostPolicy& other);
};

class HostSlots {
 public:
  explicit HostSlots(HostPolicy policy) : policy_(policy) {}
  const HostPolicy& policy() const { return policy_; }
  // The first limit replaces the defaults; later ones can only tighten.
  void limit(const HostPolicy& other) {
    if (limited_) {
      policy_.tighten(other);
    } else {
      policy_ = other;
      limited_ = true;
    }
  }
  // Now or later; Clock::time_point::max() while all slots are busy.
  Clock::time_point next_start(Clock::time_point now) const;
  void book(Clock::time_point now, std::mt19937_64& random);
  void release() { --in_flight_; }
  int in_flight() const { return in_flight_; }

 private:
  HostPolicy policy_;
  bool limited_ = false;
  int in_flight_ = 0;
  Clock::time_point next_{};
};

}  // namespace haul::http
