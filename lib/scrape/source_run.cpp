#include "scrape/source_run.hpp"

#include <curl/curl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "http/redact.hpp"
#include "io/atomic_file.hpp"
#include "scrape/bookmarks.hpp"
#include "scrape/page_records.hpp"
#include "util/clock.hpp"

namespace haul::scrape {
namespace fs = std::filesystem;
using source::PaginationKind;

namespace {

// `link` resolved against `base` (next links may be relative).
std::string resolve_url(const std::string& base, const std::string& link) {
  CURLU* url = curl_url();
  std::string out;
  char* text = nullptr;
  if (curl_url_set(url, CURLUPART_URL, base.c_str(), 0) == CURLUE_OK &&
      curl_url_set(url, CURLUPART_URL, link.c_str(), 0) == CURLUE_OK &&
      curl_url_get(url, CURLUPART_URL, &text, 0) == CURLUE_OK) {
    out = text;
  }
  curl_free(text);
  curl_url_cleanup(url);
  return out;
}

// The rel="next" target of a Link header, or "".
std::string next_from_link_header(std::string_view header) {
  while (!header.empty()) {
    std::size_t open = header.find('<');
    std::size_t close = header.find('>', open);
    if (open == std::string_view::npos || close == std::string_view::npos) break;
    std::size_t end = header.find(',', close);
    std::string_view params = header.substr(
        close + 1, end == std::string_view::npos ? std::string_view::npos : end - close - 1);
    if (params.find("rel=\"next\"") != std::string_view::npos ||
        params.find("rel=next") != std::string_view::npos) {
      return std::string(header.substr(open + 1, close - open - 1));
    }
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return {};
}

std::string page_file(const std::string& source, std::int64_t number, const char* extension) {
  return fmt::format("{}_{:03d}{}", source, number, extension);
}

}  // namespace

SourceRun::SourceRun(const source::SourceSpec& spec, const RunSettings& run)
    : spec_(spec),
      fetch_(spec.fetch),
      run_(run),
      cache_(run.layout->state_dir() / "http_cache" / spec.name) {}

Status SourceRun::prepare() {
  values_.set("date", run_.date.to_string());
  for (const auto& [name, value] : fetch_.params) values_.set(name, value);
  std::string since = fetch_.incremental_start;
  if (!fetch_.incremental_field.empty()) {
    auto bookmark = load_bookmark(run_.layout->state_dir(), spec_.name);
    if (bookmark && bookmark->field == fetch_.incremental_field) {
      // A rerun for the date that saved the bookmark rewrites that date's raw
      // files, so it must fetch from where that date began, not from its end.
      since = bookmark->date == run_.date.to_string() ? bookmark->since : bookmark->value;
    }
  }
  values_.set("since", since);
  values_.set("limit", std::to_string(fetch_.pagination.page_size));

  policy_.retry = fetch_.retry;
  policy_.connect_timeout_s = fetch_.connect_timeout_s;
  policy_.timeout_s = fetch_.timeout_s;
  policy_.max_response_bytes = fetch_.max_response_bytes;
  policy_.ca_bundle = fetch_.ca_bundle;
  if (fetch_.politeness.requests_per_second > 0) {
    rate_ = std::make_unique<http::RateLimiter>(fetch_.politeness.requests_per_second);
    policy_.rate = rate_.get();
  }
  if (!fetch_.proxies.empty()) {
    proxies_ = std::make_unique<http::ProxyPool>(fetch_.proxies, fetch_.proxy_ban_s);
    policy_.proxies = proxies_.get();
  }
  if (Status s = build_page(0, first_); !s.is_ok()) {
    return Status::error(s.code(), fmt::format("source {}: {}", spec_.name, s.message()));
  }
  return Status::ok();
}

Status SourceRun::build_page(std::int64_t index, Page& page) {
  const source::Pagination& pagination = fetch_.pagination;
  source::TemplateValues values = values_;
  values.set("page", std::to_string(pagination.first + index));
  values.set("offset", std::to_string(pagination.first + index * pagination.page_size));
  values.set("cursor", cursor_);

  http::Request& request = page.request;
  request = http::Request();
  request.method = fetch_.method;
  request.policy = &policy_;
  std::vector<std::pair<std::string, std::string>> secrets;
  auto expand = [&](std::string_view pattern, source::Escaping escaping,
                    source::ExpandedText& out) {
    Status s = source::expand_template_text(pattern, values, escaping, out);
    secrets.insert(secrets.end(), out.secrets.begin(), out.secrets.end());
    return s;
  };
  source::ExpandedText text;
  if (index > 0 && pagination.kind == PaginationKind::kNextLink) {
    request.url = next_url_;
    request.redacted_url = http::scrub_secrets(next_url_, policy_.secrets);
  } else {
    if (Status s = expand(fetch_.url, source::Escaping::kUrlComponent, text); !s.is_ok()) return s;
    request.url = text.text;
    request.redacted_url = text.redacted;
  }
  for (const auto& [name, value] : fetch_.headers) {
    if (Status s = expand(value, source::Escaping::kNone, text); !s.is_ok()) return s;
    request.headers.emplace_back(name, text.text);
  }
  std::string redacted_body;
  if (!fetch_.body.empty()) {
    if (Status s = expand(fetch_.body, source::Escaping::kJsonString, text); !s.is_ok()) return s;
    request.body = text.text;
    redacted_body = text.redacted;
  }
  // The policy collects every secret the source uses, for scrubbing.
  auto& known = policy_.secrets;
  for (auto& secret : secrets) {
    if (std::find(known.begin(), known.end(), secret) == known.end()) known.push_back(secret);
  }
  if (fetch_.conditional && request.method == "GET") {  // revalidating a POST means nothing
    page.cache_key =
        http::ResponseCache::key_of(request.method, request.redacted_url, redacted_body);
    page.cached = cache_.load(page.cache_key);
    if (page.cached) {
      if (!page.cached->etag.empty())
        request.headers.emplace_back("If-None-Match", page.cached->etag);
      if (!page.cached->last_modified.empty())
        request.headers.emplace_back("If-Modified-Since", page.cached->last_modified);
    }
  }
  return Status::ok();
}

std::string SourceRun::describe_first_request() const {
  std::string out = fmt::format("{} {}", first_.request.method, first_.request.redacted_url);
  for (const auto& [name, value] : fetch_.headers) {
    out += fmt::format("\n    {}: {}", name, value);  // the template: "${VAR}" as written
  }
  if (!fetch_.body.empty()) out += fmt::format("\n    body: {}", fetch_.body);
  const source::Pagination& pagination = fetch_.pagination;
  if (pagination.kind != PaginationKind::kNone) {
    out += fmt::format("\n    then by {} pagination, at most {} pages",
                       source::pagination_name(pagination.kind), pagination.max_pages);
  }
  return out;
}

void SourceRun::start(http::Client& client, RawWriter& writer, const http::RobotsRules* robots) {
  client_ = &client;
  writer_ = &writer;
  robots_ = robots;
  started_ = std::chrono::steady_clock::now();
  stats_.started_at = utc_now();
  client.limit_host(first_url(),
                    http::HostPolicy{fetch_.politeness.host_concurrency,
                                     fetch_.politeness.min_delay_s, fetch_.politeness.jitter_s});
  fill_window();
}

void SourceRun::fill_window() {
  const source::Pagination& pagination = fetch_.pagination;
  bool ahead =
      pagination.kind == PaginationKind::kPage || pagination.kind == PaginationKind::kOffset;
  std::int64_t window = ahead ? fetch_.politeness.concurrency : 1;
  while (!ended_ && next_submit_ < next_handle_ + window && next_submit_ < pagination.max_pages) {
    if (total_ && pagination.page_size > 0 && next_submit_ * pagination.page_size >= *total_) break;
    submit(next_submit_++);
  }
}

void SourceRun::submit(std::int64_t index) {
  Page page;
  if (index == 0) {
    page = first_;
  } else if (Status s = build_page(index, page); !s.is_ok()) {
    fail_page(index + 1, page, s.message(), {});
    end();
    return;
  }
  if (robots_ && !robots_->allowed(http::path_of(page.request.url))) {
    ++stats_.robots_blocked;
    fail_page(index + 1, page, "disallowed by robots.txt", {});
    spdlog::warn(
        "{}: {} is disallowed by robots.txt; stopping (set politeness.robots "
        "to false if you have permission)",
        spec_.name, page.request.redacted_url);
    end();
    return;
  }
  spdlog::debug("{}: page {} {} {}", spec_.name, index + 1, page.request.method,
                page.request.redacted_url);
  http::Request request = page.request;
  pages_.emplace(index, std::move(page));
  client_->submit(std::move(request), [this, index](http::Response&& response) {
    on_response(index, std::move(response));
  });
}

void SourceRun::on_response(std::int64_t index, http::Response&& response) {
  stats_.count(response);
  auto it = pages_.find(index);
  if (it == pages_.end()) return;
  if (ended_) {  // fetched ahead past the end: dropped unwritten
    pages_.erase(it);
    return;
  }
  it->second.response = std::move(response);
  while (!ended_) {
    auto next = pages_.find(next_handle_);
    if (next == pages_.end() || !next->second.response) break;
    bool more = handle(next_handle_, next->second);
    pages_.erase(next);
    ++next_handle_;
    if (!more) end();
  }
  fill_window();
}

void SourceRun::fail_page(std::int64_t number, const Page& page, std::string reason,
                          std::string_view body_to_save) {
  PageError error{number, page.request.redacted_url, std::move(reason), {}};
  if (!body_to_save.empty()) {
    fs::path path =
        run_.layout->failed_dir(run_.date, spec_.type) / page_file(spec_.name, number, ".body");
    Status s = io::write_file_atomically(
        path, http::scrub_secrets(std::string(body_to_save), policy_.secrets));
    if (s.is_ok()) {
      error.body_file = run_.layout->relative(path);
    } else {
      spdlog::error("{}", s.message());
    }
  }
  spdlog::warn("{}: page {} ({}): {}", spec_.name, number, error.url, error.reason);
  stats_.errors.push_back(std::move(error));
}

bool SourceRun::handle(std::int64_t index, Page& page) {
  const http::Response& response = *page.response;
  const source::Pagination& pagination = fetch_.pagination;
  std::int64_t number = index + 1;
  std::string_view body = response.body;
  if (response.status == 304 && page.cached) {
    ++stats_.not_modified;
    body = page.cached->body;
  } else if (response.status == 404 && index > 0 &&
             (pagination.kind == PaginationKind::kPage ||
              pagination.kind == PaginationKind::kOffset)) {
    // Many APIs answer a page past the last one with 404 rather than an
    // empty page: the end of the data, not an error.
    spdlog::info("{}: page {} answered 404: taken as the end", spec_.name, number);
    return false;
  } else if (!response.ok()) {
    std::string why = response.too_large     ? response.error
                      : response.status == 0 ? response.error
                                             : fmt::format("HTTP {}", response.status);
    if (response.retries() > 0) why += fmt::format(" (after {} retries)", response.retries());
    fail_page(number, page, why, {});
    return false;
  }

  PageContext context{spec_.name, page.request.redacted_url,
                      number,     run_.scraped_at,
                      &fetch_,    spec_.mapping.rename.empty() ? nullptr : &spec_.mapping};
  PageRecords records = extract_page(body, context);
  if (!records.error.empty()) {
    std::string_view type = response.header("content-type");
    fail_page(
        number, page,
        type.empty() ? records.error : fmt::format("{} (Content-Type: {})", records.error, type),
        body.empty() ? std::string_view("(empty body)") : body);
    bool ahead =
        pagination.kind == PaginationKind::kPage || pagination.kind == PaginationKind::kOffset;
    return ahead && ++unusable_in_a_row_ < 2 && number < pagination.max_pages;
  }
  unusable_in_a_row_ = 0;
  if (records.records == 0) return false;  // past the last page

  fs::path raw =
      run_.layout->raw_dir(run_.date, spec_.type) / page_file(spec_.name, number, ".json");
  auto write = std::make_unique<RawWrite>();
  write->path = raw;
  // A server may echo a secret into its data (a token in a record, a key in
  // a link): what is kept of the body is scrubbed like a failed body.
  write->text = http::scrub_secrets(std::move(records.file_text), policy_.secrets);
  // The cache entry is stored only after the raw file is durable.
  if (response.status == 200 && !page.cache_key.empty()) {
    http::CachedResponse entry{std::string(response.header("etag")),
                               std::string(response.header("last-modified")),
                               http::scrub_secrets(response.body, policy_.secrets)};
    if (!entry.etag.empty() || !entry.last_modified.empty()) {
      write->cache = &cache_;
      write->cache_key = page.cache_key;
      write->cache_url = page.request.redacted_url;
      write->cached = std::move(entry);
    }
  }
  std::uint64_t count = records.records;
  std::string url = page.request.redacted_url;
  write->done = [this, number, count, url](const Status& status) {
    if (status.is_ok()) return;
    --stats_.pages;
    stats_.records -= count;
    stats_.errors.push_back(PageError{number, url, status.message(), {}});
    spdlog::error("{}: page {}: {}", spec_.name, number, status.message());
  };
  last_written_ = number;
  ++stats_.pages;
  stats_.records += count;
  writer_->write(std::move(write));
  if (records.max_incremental &&
      (!max_incremental_ || bookmark_after(*records.max_incremental, *max_incremental_))) {
    max_incremental_ = records.max_incremental;
  }

  if (number >= pagination.max_pages && pagination.kind != PaginationKind::kNone) {
    spdlog::info("{}: stopped at the page cap ({} pages)", spec_.name, pagination.max_pages);
    return false;
  }
  switch (pagination.kind) {
    case PaginationKind::kNone:
      return false;
    case PaginationKind::kPage:
    case PaginationKind::kOffset: {
      if (!pagination.total_header.empty()) {
        std::string_view text = response.header(pagination.total_header);
        std::int64_t total;
        if (std::from_chars(text.data(), text.data() + text.size(), total).ec == std::errc())
          records.total = total;
      }
      if (records.total) total_ = records.total;
      if (pagination.page_size > 0) {
        if (static_cast<std::int64_t>(records.records) < pagination.page_size) return false;
        if (total_ && number * pagination.page_size >= *total_) return false;
      }
      return true;
    }
    case PaginationKind::kCursor: {
      if (!records.cursor || records.cursor->empty() || *records.cursor == cursor_) return false;
      cursor_ = *records.cursor;
      return true;
    }
    case PaginationKind::kNextLink: {
      std::string link = records.next_url.value_or(next_from_link_header(response.header("link")));
      if (link.empty()) return false;
      std::string resolved = resolve_url(page.request.url, link);
      if (resolved.empty() || !seen_links_.insert(resolved).second) return false;
      next_url_ = resolved;
      return true;
    }
  }
  return false;
}

void SourceRun::end() { ended_ = true; }

void SourceRun::finish() {
  // The caller drained the writer: every raw file of this run is durable.
  stats_.ended_at = utc_now();
  stats_.duration_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  if (stats_.errors.empty()) {
    stats_.status = "ok";
  } else if (stats_.pages > 0) {
    stats_.status = "partial";
  } else {
    stats_.status = stats_.robots_blocked > 0 ? "blocked" : "failed";
  }
  if (!stats_.errors.empty()) return;
  // A clean run: pages beyond this run's last one are from an earlier run.
  fs::path dir = run_.layout->raw_dir(run_.date, spec_.type);
  for (std::int64_t number = last_written_ + 1;; ++number) {
    std::error_code ec;
    if (!fs::remove(dir / page_file(spec_.name, number, ".json"), ec)) break;
    spdlog::info("{}: removed {} left by an earlier run", spec_.name,
                 page_file(spec_.name, number, ".json"));
  }
  const std::string* since = values_.find("since");
  if (max_incremental_ && !fetch_.incremental_field.empty() &&
      (!since || since->empty() || bookmark_after(*max_incremental_, *since))) {
    Bookmark bookmark{fetch_.incremental_field, *max_incremental_, run_.date.to_string(),
                      since ? *since : std::string()};
    if (Status s = save_bookmark(run_.layout->state_dir(), spec_.name, bookmark); !s.is_ok())
      spdlog::error("{}", s.message());
  }
}

}  // namespace haul::scrape
