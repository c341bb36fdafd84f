#pragma once
// Records read from one file in blocks of about a megabyte, each block
// processed on a worker thread and handed back in file order. Stages that
// make a pass over a large NDJSON file use it so the per-record work is
// spread over the cores while outputs stay in input order (byte-identical
// whatever the thread count) and memory stays bounded by the blocks in
// flight.

#include <simdjson.h>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "io/record_reader.hpp"
#include "util/ordered_pool.hpp"
#include "util/status.hpp"

namespace haul::io {

// A block of records, copied out of the reader's buffer, each followed by
// simdjson padding once sealed so it can be parsed in place. Stages derive
// their batch type from it and add their outputs.
struct RecordBlock {
  static constexpr std::size_t kBlockBytes = 1u << 20;  // a block is sealed once this full
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
  {
    OrderedPool<Block> pool(threads, 2 * threads + 2, work);
    auto drain_one = [&] {
      std::unique_ptr<Block> done = pool.next();
      consume(*done);
    };
    auto block = std::make_unique<Block>();
    RawRecord raw;
    bool more = true;
    while (more) {
      more = reader->next(raw);
      if (more) block->add(raw);
      if (!block->records.empty() && (!more || block->bytes.size() >= RecordBlock::kBlockBytes)) {
        block->seal();
        while (pool.full()) drain_one();
        pool.submit(std::move(block));
        block = std::make_unique<Block>();
      }
    }
    while (!pool.empty()) drain_one();
  }
  return reader_outcome(input, *reader);
}

}  // namespace haul::io
