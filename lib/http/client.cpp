#include "http/client.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <mutex>

#include "http/proxy_pool.hpp"
#include "http/redact.hpp"

namespace haul::http {
namespace {

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Network failures that asking again cannot fix.
bool is_permanent(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_TOO_MANY_REDIRECTS:
    case CURLE_FILESIZE_EXCEEDED:
    case CURLE_BAD_CONTENT_ENCODING:
      return true;
    default:
      return false;
  }
}

// A proxy answering like this is the proxy's failure, not the site's.
bool blames_proxy(long status) {
  return status == 403 || status == 407 || status == 429 || status >= 500;
}

}  // namespace

std::string_view Response::header(std::string_view name) const {
  std::string key = lower(name);
  for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
    if (it->first == key) return it->second;
  }
  return {};
}

struct Client::Job {
  Request request;
  Callback done;
  Response response;
  std::string origin;
  Clock::time_point not_before{};
  Clock::time_point first_start{};
  Clock::time_point started{};
  // The transfer in progress.
  curl_slist* header_list = nullptr;
  std::string proxy;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool too_large = false;
  char error[CURL_ERROR_SIZE] = {};

  ~Job() { curl_slist_free_all(header_list); }

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self) {
    Job& job = *static_cast<Job*>(self);
    std::size_t bytes = size * count;
    if (job.body.size() + bytes > job.request.policy->max_response_bytes) {
      job.too_large = true;
      return 0;  // aborts the transfer
    }
    job.body.append(data, bytes);
    return bytes;
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self) {
    Job& job = *static_cast<Job*>(self);
    std::string_view line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) {
      job.headers.clear();  // a new response: after a redirect or 100 Continue
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
      while (!value.empty() &&
             (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
        value.remove_suffix(1);
      job.headers.emplace_back(lower(line.substr(0, colon)), std::string(value));
    }
    return size * count;
  }
};

Client::Client(Options options) : options_(std::move(options)), random_(options_.random_seed) {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  multi_ = curl_multi_init();
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(options_.max_in_flight * 2));
  epoch_ = Clock::now();
}

Client::~Client() {
  for (auto& [easy, job] : running_) {
    curl_multi_remove_handle(multi_, easy);
    curl_easy_cleanup(easy);
  }
  for (CURL* easy : idle_handles_) curl_easy_cleanup(easy);
  curl_multi_cleanup(multi_);
}

std::string Client::origin_of(const std::string& url) {
  CURLU* parsed = curl_url();
  std::string origin;
  char *scheme = nullptr, *host = nullptr, *port = nullptr;
  if (curl_url_set(parsed, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl_url_get(parsed, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
      curl_url_get(parsed, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(parsed, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    origin = lower(fmt::format("{}://{}:{}", scheme, host, port));
  }
  curl_free(scheme);
  curl_free(host);
  curl_free(port);
  curl_url_cleanup(parsed);
  return origin;
}

HostSlots& Client::host(const std::string& origin) {
  return hosts_.try_emplace(origin, HostPolicy{}).first->second;
}

void Client::limit_host(const std::string& url, const HostPolicy& policy) {
  host(origin_of(url)).limit(policy);
}

void Client::submit(Request request, Callback done) {
  auto job = std::make_unique<Job>();
  job->origin = origin_of(request.url);
  job->request = std::move(request);
  job->done = std::move(done);
  pending_.push_back(std::move(job));
}

void Client::start(std::unique_ptr<Job> job, Clock::time_point now) {
  const Request& request = job->request;
  const RequestPolicy& policy = *request.policy;
  CURL* easy;
  if (!idle_handles_.empty()) {
    easy = idle_handles_.back();
    idle_handles_.pop_back();
    curl_easy_reset(easy);
  } else {
    easy = curl_easy_init();
  }
  if (job->response.attempts.empty()) job->first_start = now;
  job->started = now;
  job->body.clear();
  job->headers.clear();
  job->too_large = false;
  job->error[0] = '\0';
  curl_slist_free_all(job->header_list);
  job->header_list = curl_slist_append(nullptr, "Expect:");
  for (const auto& [name, value] : request.headers) {
    job->header_list = curl_slist_append(job->header_list, (name + ": " + value).c_str());
  }
  job->proxy.clear();
  if (policy.proxies && !policy.proxies->empty()) job->proxy = policy.proxies->next(now);

  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // everything libcurl can decode
  curl_easy_setopt(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, job->header_list);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(policy.connect_timeout_s * 1000));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(policy.timeout_s * 1000));
  curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(policy.max_response_bytes));
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!policy.ca_bundle.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, policy.ca_bundle.c_str());
  if (!job->proxy.empty()) curl_easy_setopt(easy, CURLOPT_PROXY, job->proxy.c_str());
  if (request.method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else if (request.method == "POST") {
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, job->error);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Job::on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, job.get());
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Job::on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, job.get());

  host(job->origin).book(now, random_);
  if (policy.rate) policy.rate->book(now);
  curl_multi_add_handle(multi_, easy);
  running_.emplace(easy, std::move(job));
}

void Client::finish(CURL* easy, CURLcode result) {
  auto node = running_.extract(easy);
  std::unique_ptr<Job> job = std::move(node.mapped());
  curl_multi_remove_handle(multi_, easy);
  const RequestPolicy& policy = *job->request.policy;
  Clock::time_point now = Clock::now();
  host(job->origin).release();

  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  idle_handles_.push_back(easy);

  Attempt attempt;
  attempt.started_s = seconds_between(epoch_, job->started);
  attempt.duration_s = seconds_between(job->started, now);
  attempt.proxy = job->proxy;
  bool retryable = false;
  if (result == CURLE_FILESIZE_EXCEEDED) job->too_large = true;  // announced by Content-Length
  if (job->too_large) {
    attempt.status = status;
    attempt.error = fmt::format("response larger than {} bytes", policy.max_response_bytes);
  } else if (result != CURLE_OK) {
    attempt.error = scrub_secrets(
        fmt::format("{}{}{}", curl_easy_strerror(result), job->error[0] ? ": " : "", job->error),
        policy.secrets);
    retryable = !is_permanent(result);
  } else {
    attempt.status = status;
    retryable = is_retryable_status(status);
  }
  if (!job->proxy.empty() && policy.proxies &&
      (!attempt.error.empty() ? !job->too_large : blames_proxy(attempt.status))) {
    spdlog::warn("proxy {} failed ({}) for {}: banned for a while", job->proxy,
                 attempt.error.empty() ? std::to_string(attempt.status) : attempt.error,
                 job->request.redacted_url);
    policy.proxies->ban(job->proxy, now);
  }
  job->response.bytes_received += job->body.size();
  job->response.attempts.push_back(attempt);

  int retries_done = job->response.retries();
  if (retryable && retries_done < policy.retry.max_retries) {
    double delay = backoff_delay_s(policy.retry, retries_done + 1, random_);
    std::string_view retry_after;
    for (const auto& [name, value] : job->headers) {
      if (name == "retry-after") retry_after = value;
    }
    if (attempt.status != 0 && !retry_after.empty()) {
      if (auto wait = parse_retry_after(retry_after, std::time(nullptr))) {
        delay = std::min(*wait, policy.retry.retry_after_cap_s);
      }
    }
    if (seconds_between(job->first_start, now) + delay <= policy.retry.max_total_s) {
      spdlog::info("{} {}: {}; retry {} of {} in {:.2f}s", job->request.method,
                   job->request.redacted_url,
                   attempt.error.empty() ? fmt::format("HTTP {}", attempt.status) : attempt.error,
                   retries_done + 1, policy.retry.max_retries, delay);
      job->not_before = now + seconds(delay);
      pending_.push_back(std::move(job));
      return;
    }
  }
  Response& response = job->response;
  response.status = attempt.status;
  response.error = attempt.error;
  response.too_large = job->too_large;
  response.headers = std::move(job->headers);
  response.body = std::move(job->body);
  job->done(std::move(response));
}

void Client::run() {
  while (!pending_.empty() || !running_.empty()) {
    Clock::time_point now = Clock::now();
    Clock::time_point wake = Clock::time_point::max();
    for (auto it = pending_.begin();
         it != pending_.end() && static_cast<int>(running_.size()) < options_.max_in_flight;) {
      Job& job = **it;
      Clock::time_point at = std::max(job.not_before, host(job.origin).next_start(now));
      if (job.request.policy->rate) at = std::max(at, job.request.policy->rate->next_start(now));
      if (at <= now) {
        std::unique_ptr<Job> ready = std::move(*it);
        it = pending_.erase(it);
        start(std::move(ready), now);
      } else {
        wake = std::min(wake, at);
        ++it;
      }
    }
    int timeout_ms = 100;
    if (wake != Clock::time_point::max()) {
      auto until = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count();
      timeout_ms = static_cast<int>(std::clamp<long long>(until, 0, 100));
    }
    int running = 0;
    curl_multi_perform(multi_, &running);
    if (timeout_ms > 0) curl_multi_poll(multi_, nullptr, 0, timeout_ms, nullptr);
    curl_multi_perform(multi_, &running);
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
      if (message->msg == CURLMSG_DONE) finish(message->easy_handle, message->data.result);
    }
  }
}

}  // namespace haul::http
