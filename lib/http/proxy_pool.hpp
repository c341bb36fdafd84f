#pragma once
// A source's proxies, used in turn. A proxy that fails (a network error, or
// 403/407/429/5xx through it) is banned for a while and skipped; when every
// proxy is banned the one whose ban ends first is used rather than stopping.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace haul::http {

class ProxyPool {
 public:
  using Clock = std::chrono::steady_clock;
  ProxyPool(std::vector<std::string> proxies, double ban_s);
  bool empty() const { return proxies_.empty(); }
  // The next proxy to use; empty() must be false.
  const std::string& next(Clock::time_point now);
  void ban(const std::string& proxy, Clock::time_point now);
  bool banned(const std::string& proxy, Clock::time_point now) const;

 private:
  std::vector<std::string> proxies_;
  std::vector<Clock::time_point> banned_until_;
  Clock::duration ban_;
  std::size_t cursor_ = 0;
};

}  // namespace haul::http
