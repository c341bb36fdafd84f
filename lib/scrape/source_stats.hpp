#pragma once
// What scraping one source came to, as meta.json reports it (one object per
// source in data/raw/D/<type>/meta.json): requests (every attempt), bytes,
// status-code counts, retries, records, pages, errors and timings.
//
// meta.json is written atomically after the raw files. A run of some sources
// (--source) keeps the entries of the others from an earlier run.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "http/request.hpp"
#include "util/date.hpp"
#include "util/status.hpp"

namespace haul::scrape {

struct PageError {
  std::int64_t page = 0;
  std::string url;  // redacted
  std::string reason;
  std::string body_file;  // the failed body, relative to the data root, if saved
};

struct SourceStats {
  std::string status = "ok";  // ok, partial (some pages failed), failed, blocked
  std::uint64_t requests = 0;
  std::uint64_t bytes = 0;
  std::map<std::string, std::uint64_t> status_codes;  // "200": n, "network_error": n
  std::uint64_t retries = 0;
  std::uint64_t records = 0;
  std::uint64_t pages = 0;         // raw files written
  std::uint64_t not_modified = 0;  // 304s answered from the cache
  std::uint64_t robots_blocked = 0;
  std::vector<PageError> errors;
  std::string started_at, ended_at;
  double duration_s = 0;
  double request_seconds = 0;  // summed time of all attempts

  void count(const http::Response& response);
  bool failed() const { return status == "failed" || status == "blocked"; }
  std::string to_json() const;
};

// What dir/meta.json says of each source's last run; empty when there is
// no meta.json or it cannot be read.
struct SourceOutcome {
  std::string status;  // as SourceStats::status
  std::uint64_t records = 0;
};
std::map<std::string, SourceOutcome> read_source_outcomes(const std::filesystem::path& dir);

// Writes dir/meta.json with `sources` (name -> stats), keeping other
// sources' entries of an existing meta.json.
Status write_meta(const std::filesystem::path& dir, const Date& date, const std::string& type,
                  const std::map<std::string, std::string>& source_json);

}  // namespace haul::scrape
