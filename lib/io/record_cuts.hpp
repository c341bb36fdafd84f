#pragma once
// Where one pass over a file found its records, block by block, so that a
// later pass over the same file reads the same blocks without finding the
// records again: each block's bytes come back with a pread or two, and the
// NDJSON and array rules (CRLF, blank and over-long lines, the array's
// commas) stay in RecordReader alone. haul-enrich's second pass spent ~0.2 s
// of CPU a 660 MB file scanning and copying what its first pass had cut.
//
// The file must be the one the cuts were taken from: one that became shorter
// is an error (75: run again); the caller checks its identity at the end, as
// for any pass.

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "io/read_only_file.hpp"
#include "io/record_block.hpp"
#include "util/ordered_pool.hpp"
#include "util/position_table.hpp"
#include "util/status.hpp"

namespace haul::io {

class RecordCuts {
 public:
  // Records `block`'s cuts: called with each block of a for_each_block()
  // pass, in file order (from its consume()).
  void keep(const RecordBlock& block);
  std::size_t blocks() const { return block_ends_.size(); }

  // Block `block` as keep() saw it: the same records (index, offset, line,
  // size, too_large) with the same bytes, followed by simdjson padding.
  // Separators between records are read too (a gap over 4 KiB starts a
  // new read), so input_bytes() may exceed the first pass's.
  Status read_block(int fd, std::size_t block, RecordBlock& out) const;

 private:
  // 24 bytes a record, kept for the whole pass: a record over the limit, or
  // one whose size needs more than 32 bits, has its sizes kept aside.
  struct Cut {
    std::uint64_t offset = 0;
    std::uint64_t line = 0;
    std::uint32_t size = 0;  // unless `aside`
    bool aside = false;
  };
  static_assert(sizeof(Cut) == 24);
  struct Sizes {
    std::uint64_t size = 0;  // the record's full size
    std::uint64_t kept = 0;  // bytes handed out: `size`, or an over-long record's start
    bool too_large = false;
  };
  Sizes sizes_of(std::uint64_t index, const Cut& cut) const;
  PositionTable<Cut> cuts_;                         // by record index
  std::unordered_map<std::uint64_t, Sizes> aside_;  // by record index
  std::vector<std::uint64_t> block_ends_;           // one past each block's last record index
};

// for_each_block's second pass: the blocks `cuts` kept of `input`, each
// read again by the worker that works on it, and consumed as for_each_block
// does.
template <typename Block>
Status for_each_cut_block(const std::filesystem::path& input, const RecordCuts& cuts,
                          std::size_t threads, const std::function<void(Block&, std::size_t)>& work,
                          const std::function<void(Block&)>& consume);

// Implementation details below.
template <typename Block>
Status for_each_cut_block(const std::filesystem::path& input, const RecordCuts& cuts,
                          std::size_t threads, const std::function<void(Block&, std::size_t)>& work,
                          const std::function<void(Block&)>& consume) {
  std::unique_ptr<ReadOnlyFile> file;
  if (Status s = ReadOnlyFile::open(input, file); !s.is_ok()) return s;
  // Each worker reads its own block: nothing is found in the bytes, so the
  // read needs no thread of its own, and a handoff fewer keeps the workers
  // fed (on two cores a reader thread woke late behind the workers and the
  // writer waited for it ~0.2 s a pass).
  struct Job {
    std::size_t cut;
    Block block;
    Status read;
  };
  OrderedPool<Job> pool(threads, 2 * threads + 2, [&](Job& job, std::size_t worker) {
    job.read = cuts.read_block(file->fd(), job.cut, job.block);
    if (job.read.is_ok()) work(job.block, worker);
  });
  Status failed;
  auto drain_one = [&] {
    std::unique_ptr<Job> done = pool.next();
    if (!failed.is_ok()) return;  // nothing after a block that could not be read
    if (!done->read.is_ok()) {
      failed = Status::error(done->read.code(),
                             fmt::format("{}: {}", input.string(), done->read.message()));
      return;
    }
    consume(done->block);
  };
  for (std::size_t i = 0; i < cuts.blocks() && failed.is_ok(); ++i) {
    while (pool.full()) drain_one();
    auto job = std::make_unique<Job>();
    job->cut = i;
    // Allocated here, where consume() frees it: the buffers then come from
    // one arena and are reused, where each worker's own arena faulted in
    // fresh pages for them.
    job->block.bytes.reserve(RecordBlock::kBufferBytes);
    pool.submit(std::move(job));
  }
  while (!pool.empty()) drain_one();
  return failed;
}

}  // namespace haul::io
