#include "scrape/raw_writer.hpp"

#include <spdlog/spdlog.h>

#include "io/atomic_file.hpp"

namespace haul::scrape {

RawWriter::RawWriter(std::size_t threads, std::size_t max_pending)
    : pool_(threads, max_pending, [](RawWrite& job, std::size_t) {
        job.status = io::write_file_atomically(job.path, job.text);
        if (job.status.is_ok() && job.cache) {
          if (Status s = job.cache->store(job.cache_key, job.cache_url, job.cached); !s.is_ok()) {
            spdlog::warn("{}", s.message());  // a cache miss next time, nothing lost
          }
        }
      }) {}

void RawWriter::deliver() {
  std::unique_ptr<RawWrite> job = pool_.next();
  if (job->done) job->done(job->status);
}

void RawWriter::write(std::unique_ptr<RawWrite> job) {
  while (pool_.full()) deliver();
  pool_.submit(std::move(job));
}

void RawWriter::drain() {
  while (!pool_.empty()) deliver();
}

}  // namespace haul::scrape
