#pragma once
// A polite HTTP client over libcurl's multi interface: many requests in
// flight on one thread, within limits that are checked before each start:
// requests in flight overall, per host (HostSlots: concurrency, minimum delay,
// jitter) and per source (RateLimiter). Failed attempts are retried per the
// request's RetryPolicy (408/429/5xx and network errors, full-jitter
// backoff, Retry-After honoured and capped); proxies rotate and a failing
// one is banned for a while.
//
// Every request is verified TLS (a CA bundle may be given, verification
// cannot be turned off), http/https only (redirects too), with gzip/deflate/br
// accepted, connect and total timeouts and a response size cap.
//
// Callbacks run on the thread that called run(), between transfers, and may
// submit further requests (the next page).

#include <curl/curl.h>

#include <functional>
#include <list>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "http/rate_limiter.hpp"
#include "http/request.hpp"

namespace haul::http {

class Client {
 public:
  struct Options {
    int max_in_flight = 16;
    std::string user_agent;
    std::uint64_t random_seed = std::random_device{}();
  };
  using Callback = std::function<void(Response&&)>;

  explicit Client(Options options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Limits for the host of `url` ("scheme://host:port"); several calls for
  // one host keep the strictest values.
  void limit_host(const std::string& url, const HostPolicy& policy);
  void submit(Request request, Callback done);
  // Runs until nothing is pending or in flight.
  void run();

  // "scheme://host:port" of a URL, lower-cased; "" when it does not parse.
  static std::string origin_of(const std::string& url);

 private:
  struct Job;
  void start(std::unique_ptr<Job> job, Clock::time_point now);
  void finish(CURL* easy, CURLcode result);
  HostSlots& host(const std::string& origin);

  Options options_;
  CURLM* multi_ = nullptr;
  std::list<std::unique_ptr<Job>> pending_;
  std::map<CURL*, std::unique_ptr<Job>> running_;
  std::vector<CURL*> idle_handles_;
  std::map<std::string, HostSlots> hosts_;
  std::mt19937_64 random_;
  Clock::time_point epoch_;
};

}  // namespace haul::http
