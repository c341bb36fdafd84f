#pragma once
// How haul-scrape fetches one source: the request templates (see
// request_template.hpp), where the records are in a response, how to page,
// and how politely and persistently to ask. Declared per source in
// config/sources.json, on top of a preset's defaults (source_presets.hpp):
//
//   {"name": "dealer", "type": "vehicles", "preset": "generic",
//    "url": "https://api.example.com/cars?page={page}&since={since}",
//    "headers": {"Authorization": "Bearer ${DEALER_TOKEN}"},
//    "records": "/data/items",
//    "pagination": {"type": "page", "first": 1, "page_size": 50, "max_pages": 200},
//    "politeness": {"concurrency": 2, "host_concurrency": 2, "min_delay_s": 0.5,
//                   "jitter_s": 0.2, "requests_per_second": 2, "robots": true},
//    "retry": {"max_retries": 4, "base_delay_s": 0.5, "max_delay_s": 30,
//              "max_total_s": 120, "retry_after_cap_s": 120},
//    "incremental": {"field": "updated_at", "start": "2026-01-01"}}
//
// A source without a url is not fetched: its raw files arrive by other means
// (a file drop), and only its type and mapping matter.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "http/retry_policy.hpp"

namespace haul::source {

enum class PaginationKind { kNone, kPage, kOffset, kCursor, kNextLink };

struct Pagination {
  PaginationKind kind = PaginationKind::kNone;
  std::int64_t first = 1;      // page: the first page number; offset: the first offset
  std::int64_t page_size = 0;  // records per full page ({limit}); 0: unknown
  std::int64_t max_pages = 100;
  std::string total_pointer;   // body field holding the total record count
  std::string total_header;    // or a response header holding it
  std::string cursor_pointer;  // cursor: body field holding the next cursor
  std::string next_pointer;    // next_link: body field holding the next URL (else Link: rel=next)
};

struct Politeness {
  int concurrency = 1;             // this source's requests in flight (pages fetched ahead)
  int host_concurrency = 4;        // requests in flight to its host (strictest source wins)
  double min_delay_s = 0;          // between request starts on its host
  double jitter_s = 0;             // a random extra delay in [0, jitter]
  double requests_per_second = 0;  // this source's rate limit; 0: none
  bool robots = true;              // honour robots.txt (and its Crawl-delay)
};

struct FetchSpec {
  std::string preset;
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;                                         // a template, usually compact JSON
  std::vector<std::pair<std::string, std::string>> params;  // extra {name} values
  std::string records_pointer;  // JSON Pointer; "" is the whole document. An object is one record
  Pagination pagination;
  Politeness politeness;
  http::RetryPolicy retry;
  double connect_timeout_s = 10;
  double timeout_s = 60;
  std::uint64_t max_response_bytes = 64u << 20;
  std::vector<std::string> proxies;  // rotated; a failing one is banned for proxy_ban_s
  double proxy_ban_s = 300;
  bool conditional = true;        // GET: ETag / Last-Modified revalidation with a response cache
  std::string ca_bundle;          // a CA file for TLS verification (never a switch to turn it off)
  std::string incremental_field;  // the bookmark: the largest value seen, as {since}
  std::string incremental_start;  // {since} before any bookmark exists

  bool fetchable() const { return !url.empty(); }
};

// Settings for the whole scrape run: the top-level "scrape" object.
struct ScrapeSettings {
  std::string user_agent = "haul-scrape/" HAUL_VERSION;
  std::string contact;   // appended as "(+contact)": whom a site owner can write to
  int concurrency = 16;  // requests in flight overall
  std::string ca_bundle;

  std::string full_user_agent() const {
    return contact.empty() ? user_agent : user_agent + " (+" + contact + ")";
  }
};

const char* pagination_name(PaginationKind kind);

}  // namespace haul::source
