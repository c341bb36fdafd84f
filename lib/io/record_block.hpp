#pragma once
// Records read from one file in blocks of about a megabyte, each block
// processed on a worker thread and handed back in file order. Stages that
// make a pass over a large NDJSON file use it so the per-record work is
// spread over the cores while outputs stay in input order (byte-identical
// whatever the thread count) and memory stays bounded by the blocks in
// flight.

#include <simdjson.h>

#include <cstddef>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "io/record_reader.hpp"
#include "util/bounded_queue.hpp"
#include "util/ordered_pool.hpp"
#include "util/status.hpp"

namespace haul::io {

// A block of records, copied out of the reader's buffer, each followed by
// simdjson padding once sealed so it can be parsed in place. Stages derive
// their batch type from it and add their outputs.
struct RecordBlock {
  static constexpr std::size_t kBlockBytes = 1u << 20;  // a block is sealed once this full
  // What every block's `bytes` reserves, whichever pass fills it: buffers of
  // one size are reused as blocks come and go, where sizes that vary left the
  // allocator fresh memory to fault in (~10 µs a page on a VM).
  static constexpr std::size_t kBufferBytes = kBlockBytes + (kBlockBytes >> 2);
  std::string bytes;  // the records back to back, then simdjson padding
  std::vector<RawRecord> records;

  void add(const RawRecord& raw);
  // Points the records at `bytes` once it no longer grows.
  void seal();
  std::size_t input_bytes() const;
};

// Reads `input` (NDJSON or an array) and calls work(block, worker_index) on
// `threads` workers, then consume(block) on the calling thread in file
// order. `Block` derives from RecordBlock. A file broken as a whole is a
// data error (65) naming it, the byte and why, after the records before the
// break were consumed.
template <typename Block>
Status for_each_block(const std::filesystem::path& input, std::size_t max_record_bytes,
                      std::size_t threads, const std::function<void(Block&, std::size_t)>& work,
                      const std::function<void(Block&)>& consume);

// Implementation details below.
Status open_block_reader(const std::filesystem::path& input, std::size_t max_record_bytes,
                         std::unique_ptr<RecordReader>& reader);
Status reader_outcome(const std::filesystem::path& input, const RecordReader& reader);

template <typename Block>
Status for_each_block(const std::filesystem::path& input, std::size_t max_record_bytes,
                      std::size_t threads, const std::function<void(Block&, std::size_t)>& work,
                      const std::function<void(Block&)>& consume) {
  std::unique_ptr<RecordReader> reader;
  if (Status s = open_block_reader(input, max_record_bytes, reader); !s.is_ok()) return s;
  // Blocks are cut from the input on a thread of their own, so the calling
  // thread's consume() runs while the next blocks are cut: doing both, it was
  // the busiest thread of haul-enrich and kept the workers waiting.
  BoundedQueue<std::unique_ptr<Block>> cut(2);
  std::exception_ptr cut_failure;  // rethrown on the calling thread, as before the cutter
  std::thread cutter([&] {
    try {
      auto block = std::make_unique<Block>();
      RawRecord raw;
      bool more = true;
      while (more) {
        more = reader->next(raw);
        if (more) block->add(raw);
        if (!block->records.empty() && (!more || block->bytes.size() >= RecordBlock::kBlockBytes)) {
          block->seal();
          if (!cut.push(std::move(block))) return;  // the caller stopped
          block = std::make_unique<Block>();
        }
      }
    } catch (...) {
      cut_failure = std::current_exception();
    }
    cut.close();
  });
  {
    // However this scope ends (consume() may throw), the cutter is released
    // and joined; normally it has closed the queue itself by then.
    struct JoinCutter {
      BoundedQueue<std::unique_ptr<Block>>& queue;
      std::thread& thread;
      ~JoinCutter() {
        queue.close();
        thread.join();
      }
    } join_cutter{cut, cutter};
    OrderedPool<Block> pool(threads, 2 * threads + 2, work);
    auto drain_one = [&] {
      std::unique_ptr<Block> done = pool.next();
      consume(*done);
    };
    while (std::optional<std::unique_ptr<Block>> block = cut.pop()) {
      while (pool.full()) drain_one();
      pool.submit(std::move(*block));
    }
    while (!pool.empty()) drain_one();
  }
  if (cut_failure) std::rethrow_exception(cut_failure);
  return reader_outcome(input, *reader);
}

}  // namespace haul::io
