#pragma once
// Scraping one source for one date: builds each page's request from the
// source's templates, pages through the API (page number, offset/limit,
// cursor or next link, up to the page cap), and writes every page with
// records to raw/D/<type>/<source>_NNN.json (NNN: the page's sequence number)
// as soon as it arrives in order.
//
// Page and offset pagination fetch up to politeness.concurrency pages ahead;
// pages past the end that were already requested are dropped unwritten.
// Cursor and next-link pagination are sequential by nature.
//
// A page whose body is unusable (not JSON, no records array) is saved to
// failed/D/<type>/<source>_NNN.body (secrets scrubbed) with the reason in
// meta; page/offset pagination go on with the next page (two unusable pages
// in a row end the source), the others stop cleanly. An HTTP failure after
// retries stops the source. Other sources are never affected.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "http/client.hpp"
#include "http/proxy_pool.hpp"
#include "http/response_cache.hpp"
#include "http/robots.hpp"
#include "io/data_layout.hpp"
#include "scrape/raw_writer.hpp"
#include "scrape/source_stats.hpp"
#include "source/request_template.hpp"
#include "source/source_catalog.hpp"

namespace haul::scrape {

struct RunSettings {
  Date date;
  const io::DataLayout* layout = nullptr;
  std::string scraped_at;
};

class SourceRun {
 public:
  SourceRun(const source::SourceSpec& spec, const RunSettings& run);

  // Builds the first request: a missing ${VAR} is a config error naming it.
  Status prepare();
  const source::SourceSpec& spec() const { return spec_; }
  // The first request as a person reads it (secrets redacted), for --dry-run.
  std::string describe_first_request() const;
  // The first request's URL as sent: its origin decides robots and host limits.
  const std::string& first_url() const { return first_.request.url; }

  // Fetching: rules may be null (robots off). start() submits the first
  // requests; the client's run() drives the rest, raw files go through the
  // writer; once the writer is drained, finish() saves the bookmark and drops
  // stale pages of an earlier run.
  void start(http::Client& client, RawWriter& writer, const http::RobotsRules* robots);
  void finish();
  const SourceStats& stats() const { return stats_; }

 private:
  struct Page {
    http::Request request;
    std::string cache_key;
    std::optional<http::CachedResponse> cached;
    std::optional<http::Response> response;
  };
  Status build_page(std::int64_t index, Page& page);
  void fill_window();
  void submit(std::int64_t index);
  void on_response(std::int64_t index, http::Response&& response);
  // Handles the page in order; false when the source ends with it.
  bool handle(std::int64_t index, Page& page);
  void fail_page(std::int64_t index, const Page& page, std::string reason,
                 std::string_view body_to_save);
  void end();

  const source::SourceSpec& spec_;
  const source::FetchSpec& fetch_;
  RunSettings run_;
  source::TemplateValues values_;
  http::RequestPolicy policy_;
  std::unique_ptr<http::RateLimiter> rate_;
  std::unique_ptr<http::ProxyPool> proxies_;
  http::ResponseCache cache_;
  Page first_;

  http::Client* client_ = nullptr;
  RawWriter* writer_ = nullptr;
  const http::RobotsRules* robots_ = nullptr;
  std::map<std::int64_t, Page> pages_;  // requested, not yet handled
  std::int64_t next_submit_ = 0;
  std::int64_t next_handle_ = 0;
  std::int64_t last_written_ = 0;  // NNN of the last raw file written
  bool ended_ = false;
  int unusable_in_a_row_ = 0;
  std::optional<std::int64_t> total_;
  std::string cursor_;    // for the next cursor request
  std::string next_url_;  // for the next next-link request
  std::set<std::string> seen_links_;
  std::optional<std::string> max_incremental_;
  std::chrono::steady_clock::time_point started_;
  SourceStats stats_;
};

}  // namespace haul::scrape
