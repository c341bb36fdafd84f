#pragma once
// One HTTP exchange as the scrape stage sees it. A Request carries two forms
// of its URL: the one sent (secrets expanded) and the redacted one, which is
// the only form the client ever logs or reports. Response describes the last
// attempt and, in `attempts`, what every attempt came to, so the caller can
// count status codes and retries honestly.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/retry_policy.hpp"

namespace haul::http {

class RateLimiter;
class ProxyPool;

// What all requests of one source share; owned by the caller and alive until
// Client::run() returns.
struct RequestPolicy {
  RetryPolicy retry;
  double connect_timeout_s = 10;
  double timeout_s = 60;
  std::uint64_t max_response_bytes = 64u << 20;
  std::string ca_bundle;         // empty: the system's CA store
  RateLimiter* rate = nullptr;   // this source's requests-per-second limit, if any
  ProxyPool* proxies = nullptr;  // rotated proxies, if any
  // Secret values (with their variable names) to scrub from any message.
  std::vector<std::pair<std::string, std::string>> secrets;
};

struct Request {
  std::string method = "GET";
  std::string url;                                           // as sent
  std::string redacted_url;                                  // as shown
  std::vector<std::pair<std::string, std::string>> headers;  // as sent
  std::string body;
  const RequestPolicy* policy = nullptr;
};

struct Attempt {
  long status = 0;       // 0 when no HTTP response came back
  std::string error;     // network error, scrubbed of secrets
  std::string proxy;     // proxy used, if any
  double started_s = 0;  // seconds since the client started
  double duration_s = 0;
};

struct Response {
  long status = 0;    // of the last attempt; 0: it failed without an HTTP response
  std::string error;  // why the last attempt failed without a response
  bool too_large = false;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, last response
  std::string body;
  std::vector<Attempt> attempts;
  std::uint64_t bytes_received = 0;  // bodies of all attempts (after decoding)

  bool ok() const { return error.empty() && status >= 200 && status < 300; }
  int retries() const { return attempts.empty() ? 0 : static_cast<int>(attempts.size()) - 1; }
  // The value of a header (case-insensitive name), or "".
  std::string_view header(std::string_view name) const;
};

}  // namespace haul::http
