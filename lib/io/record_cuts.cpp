#include "io/record_cuts.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

namespace haul::io {
namespace {

// Separators longer than this between two records (a long blank line, say)
// are not read: the records on either side are read apart.
constexpr std::uint64_t kMaxGapBytes = 4096;

// Reads exactly `size` bytes at `offset`; a file that ends sooner has changed.
Status read_exactly(int fd, char* into, std::uint64_t size, std::uint64_t offset) {
  while (size > 0) {
    const ssize_t got = ::pread(fd, into, size, static_cast<off_t>(offset));
    if (got < 0) {
      if (errno == EINTR) continue;
      return Status::error(ExitCode::kIoError,
                           fmt::format("read failed at byte {}: {}", offset, std::strerror(errno)));
    }
    if (got == 0) {
      return Status::error(
          ExitCode::kTempFail,
          fmt::format("ends at byte {}: it changed while being read; run again", offset));
    }
    into += got;
    size -= static_cast<std::uint64_t>(got);
    offset += static_cast<std::uint64_t>(got);
  }
  return Status::ok();
}

}  // namespace

void RecordCuts::keep(const RecordBlock& block) {
  if (block.records.empty()) return;
  cuts_.grow_to(block.records.back().index + 1);
  for (const RawRecord& raw : block.records) {
    Cut& cut = cuts_[raw.index];
    cut.offset = raw.offset;
    cut.line = raw.line;
    cut.aside = raw.too_large || raw.size > std::numeric_limits<std::uint32_t>::max();
    cut.size = cut.aside ? 0 : static_cast<std::uint32_t>(raw.size);
    if (cut.aside) aside_[raw.index] = {raw.size, raw.bytes.size(), raw.too_large};
  }
  block_ends_.push_back(block.records.back().index + 1);
}

RecordCuts::Sizes RecordCuts::sizes_of(std::uint64_t index, const Cut& cut) const {
  if (cut.aside) return aside_.at(index);
  return {cut.size, cut.size, false};
}

Status RecordCuts::read_block(int fd, std::size_t block, RecordBlock& out) const {
  const std::uint64_t first = block == 0 ? 0 : block_ends_[block - 1];
  const std::uint64_t end = block_ends_[block];
  // What to read, in order: runs of adjacent records in one read each, an
  // over-long record's start on its own.
  struct Read {
    std::uint64_t offset, size, first, end;  // file bytes; records [first, end)
  };
  std::vector<Read> reads;
  std::uint64_t total = 0;
  for (std::uint64_t i = first; i < end;) {
    const Cut& cut = cuts_[i];
    Read read{cut.offset, sizes_of(i, cut).kept, i, i + 1};
    if (!cut.aside) {
      while (read.end < end) {
        const Cut& next = cuts_[read.end];
        const std::uint64_t run_end = read.offset + read.size;
        if (next.aside || next.offset < run_end || next.offset - run_end > kMaxGapBytes) break;
        read.size = next.offset + next.size - read.offset;
        ++read.end;
      }
    }
    total += read.size;
    reads.push_back(read);
    i = read.end;
  }
  out.bytes.reserve(
      std::max<std::size_t>(total + simdjson::SIMDJSON_PADDING, RecordBlock::kBufferBytes));
  out.bytes.resize(total + simdjson::SIMDJSON_PADDING);
  out.records.resize(end - first);
  std::uint64_t at = 0;
  for (const Read& read : reads) {
    if (Status s = read_exactly(fd, out.bytes.data() + at, read.size, read.offset); !s.is_ok()) {
      return s;
    }
    for (std::uint64_t i = read.first; i < read.end; ++i) {
      const Cut& cut = cuts_[i];
      const Sizes sizes = sizes_of(i, cut);
      RawRecord& raw = out.records[i - first];
      raw.bytes = std::string_view(out.bytes.data() + at + (cut.offset - read.offset), sizes.kept);
      raw.index = i;
      raw.offset = cut.offset;
      raw.line = cut.line;
      raw.size = sizes.size;
      raw.too_large = sizes.too_large;
    }
    at += read.size;
  }
  return Status::ok();
}

}  // namespace haul::io
