#pragma once
// When and how long to wait before asking a server again. Retries use
// exponential backoff with full jitter (a uniform delay in [0, min(cap,
// base * 2^n)]) so many clients that failed together do not return together,
// and are bounded both by count and by the total time spent on one request.
// A server's Retry-After (seconds or an HTTP date) is honoured, capped so a
// hostile or confused server cannot park a cron job for hours.

#include <chrono>
#include <ctime>
#include <optional>
#include <random>
#include <string_view>

namespace haul::http {

struct RetryPolicy {
  int max_retries = 4;             // retries after the first attempt
  double base_delay_s = 0.5;       // backoff of the first retry is in [0, base]
  double max_delay_s = 30;         // cap of one backoff delay
  double max_total_s = 120;        // no retry starts later than this after the first attempt
  double retry_after_cap_s = 120;  // longest Retry-After honoured as given
};

// 408, 429, 500, 502, 503, 504: worth asking again. Other 4xx are not.
bool is_retryable_status(long status);

// The delay before retry number `retry` (1 for the first retry).
double backoff_delay_s(const RetryPolicy& policy, int retry, std::mt19937_64& random);

// A Retry-After value in seconds from `now`: delta-seconds or an HTTP date.
// nullopt when it is neither.
std::optional<double> parse_retry_after(std::string_view value, std::time_t now);

}  // namespace haul::http
