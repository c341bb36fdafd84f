#pragma once
// Writes raw files (and the response-cache entries that depend on them) on
// worker threads, so the HTTP event loop never waits for fsync: with the
// file contract's temp + fsync + rename per page, the disk would otherwise
// cap the fetch rate. At most `max_pending` writes are queued; beyond that
// write() waits for the oldest (backpressure instead of unbounded memory).
//
// Each write's outcome is handed back on the calling thread, in submission
// order, by write() or drain(); drain() returns once every write is durable,
// which is when a source may save its bookmark.

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/response_cache.hpp"
#include "util/ordered_pool.hpp"
#include "util/status.hpp"

namespace haul::scrape {

struct RawWrite {
  std::filesystem::path path;
  std::string text;
  // Stored after the raw file is durable, if set.
  const http::ResponseCache* cache = nullptr;
  std::string cache_key, cache_url;
  http::CachedResponse cached;
  std::function<void(const Status&)> done;  // called on the submitting thread
  Status status;                            // filled in by the worker
};

class RawWriter {
 public:
  explicit RawWriter(std::size_t threads = 4, std::size_t max_pending = 64);
  void write(std::unique_ptr<RawWrite> job);
  void drain();

 private:
  void deliver();
  OrderedPool<RawWrite> pool_;
};

}  // namespace haul::scrape
