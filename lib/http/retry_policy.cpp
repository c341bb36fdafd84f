#include "http/retry_policy.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace haul::http {

bool is_retryable_status(long status) {
  switch (status) {
    case 408:
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return true;
    default:
      return false;
  }
}

double backoff_delay_s(const RetryPolicy& policy, int retry, std::mt19937_64& random) {
  double ceiling = policy.base_delay_s * std::ldexp(1.0, std::clamp(retry - 1, 0, 30));
  ceiling = std::min(ceiling, policy.max_delay_s);
  if (ceiling <= 0) return 0;
  return std::uniform_real_distribution<double>(0, ceiling)(random);
}

std::optional<double> parse_retry_after(std::string_view value, std::time_t now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\r'))
    value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 9) return 1e9;  // absurd, capped by the caller
    return std::stod(std::string(value));
  }
  // curl_getdate understands the three date formats RFC 9110 allows.
  std::time_t when = curl_getdate(std::string(value).c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return std::max<double>(0, static_cast<double>(when - now));
}

}  // namespace haul::http
