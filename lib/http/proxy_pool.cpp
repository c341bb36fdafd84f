#include "http/proxy_pool.hpp"

#include <algorithm>

namespace haul::http {

ProxyPool::ProxyPool(std::vector<std::string> proxies, double ban_s)
    : proxies_(std::move(proxies)),
      banned_until_(proxies_.size()),
      ban_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(ban_s))) {}

const std::string& ProxyPool::next(Clock::time_point now) {
  for (std::size_t tried = 0; tried < proxies_.size(); ++tried) {
    std::size_t index = cursor_++ % proxies_.size();
    if (banned_until_[index] <= now) return proxies_[index];
  }
  auto soonest = std::min_element(banned_until_.begin(), banned_until_.end());
  return proxies_[static_cast<std::size_t>(soonest - banned_until_.begin())];
}

void ProxyPool::ban(const std::string& proxy, Clock::time_point now) {
  for (std::size_t i = 0; i < proxies_.size(); ++i) {
    if (proxies_[i] == proxy) banned_until_[i] = now + ban_;
  }
}

bool ProxyPool::banned(const std::string& proxy, Clock::time_point now) const {
  for (std::size_t i = 0; i < proxies_.size(); ++i) {
    if (proxies_[i] == proxy) return banned_until_[i] > now;
  }
  return false;
}

}  // namespace haul::http
