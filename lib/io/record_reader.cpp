#include "io/record_reader.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace haul::io {
namespace {

// How much of an oversized record is kept for the error report.
constexpr std::size_t kLargePrefixBytes = 4096;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A found byte for a message: fmt's {:?} aborts on a byte that is not UTF-8
// (a file starting with 0xFF took the stage down), so those are shown in hex.
std::string describe(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7F) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02X}", byte);
}

bool all_space(const char* begin, const char* end) {
  return std::all_of(begin, end, [](char c) { return is_space(c); });
}

}  // namespace

Status RecordReader::open(const std::filesystem::path& path, const Options& options,
                          std::unique_ptr<RecordReader>& out) {
  std::unique_ptr<ReadOnlyFile> file;
  if (Status s = ReadOnlyFile::open(path, file); !s.is_ok()) return s;
  ::posix_fadvise(file->fd(), 0, 0, POSIX_FADV_SEQUENTIAL);
  out.reset(new RecordReader(std::move(file), options));
  return Status::ok();
}

RecordReader::RecordReader(std::unique_ptr<ReadOnlyFile> file, const Options& options)
    : file_(std::move(file)), options_(options) {
  capacity_ = options_.block_bytes;
  buffer_.reset(new char[capacity_ + simdjson::SIMDJSON_PADDING]);
  std::memset(buffer_.get(), 0, capacity_ + simdjson::SIMDJSON_PADDING);
}

RecordReader::~RecordReader() = default;

void RecordReader::fail(std::string code, std::string message, std::uint64_t offset) {
  error_ = FileError{std::move(code), std::move(message), offset};
  done_ = true;
}

bool RecordReader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    base_offset_ += begin_;
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == capacity_) {
    // The record being read does not fit: grow, bounded by the record limit
    // (callers switch to counting-only mode before going past it).
    std::size_t grown = capacity_ * 2;
    auto bigger = std::make_unique<char[]>(grown + simdjson::SIMDJSON_PADDING);
    std::memcpy(bigger.get(), buffer_.get(), end_);
    buffer_ = std::move(bigger);
    capacity_ = grown;
  }
  for (;;) {
    ssize_t n = ::read(file_->fd(), buffer_.get() + end_, capacity_ - end_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      fail("read_error", fmt::format("read failed: {}", std::strerror(errno)), file_offset(end_));
      eof_ = true;
      return false;
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    end_ += static_cast<std::size_t>(n);
    std::memset(buffer_.get() + end_, 0, simdjson::SIMDJSON_PADDING);
    return true;
  }
}

bool RecordReader::skip_whitespace() {
  for (;;) {
    while (begin_ < end_ && is_space(buffer_[begin_])) {
      if (buffer_[begin_] == '\n') ++line_;
      ++begin_;
    }
    if (begin_ < end_) return true;
    if (!fill()) return false;
  }
}

bool RecordReader::detect_format() {
  format_known_ = true;
  if (!fill()) return false;
  if (end_ >= 3 && std::memcmp(buffer_.get(), "\xEF\xBB\xBF", 3) == 0) begin_ = 3;
  if (!skip_whitespace()) return false;  // empty or whitespace only
  char first = buffer_[begin_];
  if (first == '[') {
    format_ = FileFormat::kArray;
    ++begin_;
    return true;
  }
  if (first == '{') {
    format_ = FileFormat::kNdjson;
    return true;
  }
  fail("not_json",
       fmt::format("not JSON: expected '[' (array of records) or '{{' (NDJSON), found {}",
                   describe(first)),
       file_offset(begin_));
  return false;
}

bool RecordReader::next(RawRecord& record) {
  if (done_) return false;
  if (!format_known_ && !detect_format()) {
    done_ = true;
    return false;
  }
  bool got = format_ == FileFormat::kArray ? next_array(record) : next_ndjson(record);
  if (!got) done_ = true;
  return got;
}

void RecordReader::hand_out(RawRecord& record, std::size_t from, std::size_t to,
                            std::uint64_t line) {
  record.bytes = std::string_view(buffer_.get() + from, to - from);
  record.index = index_++;
  record.offset = file_offset(from);
  record.line = line;
  record.size = to - from;
  record.too_large = false;
}

void RecordReader::start_large(std::size_t from, std::size_t to) {
  large_offset_ = file_offset(from);
  large_prefix_.assign(buffer_.get() + from, std::min(to - from, kLargePrefixBytes));
  large_size_ = to - from;
}

void RecordReader::hand_out_large(RawRecord& record, std::uint64_t line) {
  record.bytes = large_prefix_;
  record.index = index_++;
  record.offset = large_offset_;
  record.line = line;
  record.size = large_size_;
  record.too_large = true;
}

bool RecordReader::next_ndjson(RawRecord& record) {
  std::size_t scanned = begin_;  // [begin_, scanned) holds no newline
  bool large = false;
  bool large_blank = false;  // the over-limit line so far is only whitespace
  bool large_cr = false;     // and its last byte so far is '\r'
  std::uint64_t line = line_;
  for (;;) {
    auto* nl = static_cast<const char*>(std::memchr(buffer_.get() + scanned, '\n', end_ - scanned));
    std::size_t stop = end_;
    if (nl) {
      stop = static_cast<std::size_t>(nl - buffer_.get());
    } else if (!eof_) {
      // The line continues past the buffer. Beyond the limit only its start
      // is kept and the rest is counted, so memory stays bounded.
      // A trailing '\r' may be half of the CRLF that ends a line of exactly
      // the limit, so it does not count yet.
      std::size_t so_far = end_ - begin_;
      if (so_far > 0 && buffer_[end_ - 1] == '\r') --so_far;
      if (!large && so_far > options_.max_record_bytes) {
        large = true;
        large_blank = all_space(buffer_.get() + begin_, buffer_.get() + end_);
        large_cr = buffer_[end_ - 1] == '\r';
        start_large(begin_, end_);
        begin_ = end_;
      } else if (large) {
        large_blank = large_blank && all_space(buffer_.get() + begin_, buffer_.get() + end_);
        if (end_ > begin_) large_cr = buffer_[end_ - 1] == '\r';
        large_size_ += end_ - begin_;
        begin_ = end_;
      }
      std::size_t kept = end_ - begin_;
      if (fill()) {
        scanned = kept;  // fill() moved [begin_, end_) to the buffer's start
        continue;
      }
      if (error_) return false;
      stop = end_;
    }
    std::size_t next_begin = nl ? stop + 1 : stop;
    ++line_;
    if (large && large_blank && all_space(buffer_.get() + begin_, buffer_.get() + stop)) {
      // A blank line is skipped however long it is, as when it fits a block.
      if (!nl) return false;
      large = false;
      begin_ = next_begin;
      scanned = begin_;
      line = line_;
      continue;
    }
    if (large) {
      // The size excludes a CRLF's '\r', as for a line that fit a block.
      if (stop > begin_) large_cr = buffer_[stop - 1] == '\r';
      large_size_ += stop - begin_;
      if (large_cr) --large_size_;
      begin_ = next_begin;
      hand_out_large(record, line);
      return true;
    }
    std::size_t line_end = stop;
    if (line_end > begin_ && buffer_[line_end - 1] == '\r') --line_end;
    bool blank = true;
    for (std::size_t i = begin_; i < line_end && blank; ++i) blank = is_space(buffer_[i]);
    if (blank) {
      if (!nl) return false;  // end of file
      begin_ = next_begin;
      scanned = begin_;
      line = line_;
      continue;
    }
    if (line_end - begin_ > options_.max_record_bytes) {
      start_large(begin_, line_end);
      large_size_ = line_end - begin_;
      begin_ = next_begin;
      hand_out_large(record, line);
      return true;
    }
    hand_out(record, begin_, line_end, line);
    begin_ = next_begin;
    return true;
  }
}

bool RecordReader::next_array(RawRecord& record) {
  if (!skip_whitespace()) {
    if (!error_) {
      fail("truncated", "truncated: the array is not closed (missing ']')", file_offset(end_));
    }
    return false;
  }
  char c = buffer_[begin_];
  if (array_state_ == ArrayState::kAfterValue) {
    if (c == ',') {
      ++begin_;
      array_state_ = ArrayState::kAfterComma;
      if (!skip_whitespace()) {
        if (!error_) fail("truncated", "truncated after ','", file_offset(end_));
        return false;
      }
      c = buffer_[begin_];
    } else if (c != ']') {
      fail("malformed_array",
           fmt::format("malformed array: expected ',' or ']' between records, found {}",
                       describe(c)),
           file_offset(begin_));
      return false;
    }
  }
  if (c == ']') {
    if (array_state_ == ArrayState::kAfterComma) {
      fail("malformed_array", "malformed array: ',' before ']'", file_offset(begin_));
      return false;
    }
    ++begin_;
    if (skip_whitespace()) {
      fail("malformed_array", "data after the end of the array", file_offset(begin_));
    }
    return false;
  }
  if (c == ',' || c == '}') {
    // "[,1]", "[1,,2]" or "[1,}": scanned as a value, the character would end
    // an empty one and a record that is not in the file would be handed out.
    fail("malformed_array",
         fmt::format("malformed array: {} where a record should be", describe(c)),
         file_offset(begin_));
    return false;
  }
  return scan_array_value(record);
}

// Finds the end of the value starting at begin_ by tracking strings and
// bracket depth; the value's own validity is checked later by the parser.
bool RecordReader::scan_array_value(RawRecord& record) {
  std::uint64_t line = line_;
  std::size_t pos = begin_;
  int depth = 0;
  bool in_string = false;
  bool escape = false;
  bool large = false;
  for (;;) {
    const char* buf = buffer_.get();
    std::size_t value_end = 0;
    bool ended = false;
    while (pos < end_) {
      char c = buf[pos];
      if (in_string) {
        if (escape) {
          escape = false;
        } else if (c == '\\') {
          escape = true;
        } else if (c == '"') {
          in_string = false;
          if (depth == 0) {
            value_end = pos + 1;
            ended = true;
            break;
          }
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (depth == 0) {  // closes the records array: a bare scalar ended
          value_end = pos;
          ended = true;
          break;
        }
        if (--depth == 0) {
          value_end = pos + 1;
          ended = true;
          break;
        }
      } else if (depth == 0 && (c == ',' || is_space(c))) {
        value_end = pos;
        ended = true;
        break;
      }
      if (c == '\n') ++line_;
      ++pos;
    }
    if (ended) {
      array_state_ = ArrayState::kAfterValue;
      if (large) {
        large_size_ += value_end - begin_;
        begin_ = value_end;
        hand_out_large(record, line);
        return true;
      }
      if (value_end - begin_ > options_.max_record_bytes) {
        start_large(begin_, value_end);
        begin_ = value_end;
        hand_out_large(record, line);
        return true;
      }
      hand_out(record, begin_, value_end, line);
      begin_ = value_end;
      return true;
    }
    // Need more bytes for this value.
    if (!large && pos - begin_ > options_.max_record_bytes) {
      large = true;
      start_large(begin_, pos);
      begin_ = pos;
    } else if (large) {
      large_size_ += pos - begin_;
      begin_ = pos;
    }
    std::size_t scanned = pos - begin_;
    if (!fill()) {
      if (!error_) {
        fail("truncated",
             fmt::format("truncated: record {} starting at byte {} is not complete", index_,
                         large ? large_offset_ : file_offset(begin_)),
             file_offset(end_));
      }
      return false;
    }
    pos = begin_ + scanned;
  }
}

}  // namespace haul::io
