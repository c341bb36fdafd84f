#pragma once
// Streams the records of one input file, which is either a top-level JSON
// array of records or newline-delimited JSON (one record per line), in
// bounded memory: the file is read in blocks and only the record being handed
// out (up to max_record_bytes) is held, so a 2 GB file needs megabytes, not
// gigabytes. The reader only finds record boundaries; parsing each record is
// the caller's job (simdjson DOM, on the exact bytes handed out).
//
// Errors are split by blast radius. A record that is not valid JSON is the
// caller's problem for that record only. A file that is not JSON at all, or
// whose array is truncated or malformed between records, is broken as a whole:
// next() returns false and file_error() says why and at which byte.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "io/read_only_file.hpp"
#include "util/status.hpp"

namespace haul::io {

enum class FileFormat { kEmpty, kArray, kNdjson };

struct RawRecord {
  // The record's text. Unless too_large, simdjson::SIMDJSON_PADDING readable
  // bytes follow it, so it can be parsed in place. Valid until the next next().
  std::string_view bytes;
  std::uint64_t index = 0;   // 0-based position among the file's records
  std::uint64_t offset = 0;  // byte offset in the file
  std::uint64_t line = 0;    // 1-based line the record starts on
  std::uint64_t size = 0;    // full size; larger than bytes.size() when too_large
  bool too_large = false;    // over max_record_bytes: `bytes` is only its start
};

struct FileError {
  std::string code;  // "not_json", "truncated", "malformed_array", "read_error"
  std::string message;
  std::uint64_t offset = 0;
};

class RecordReader {
 public:
  struct Options {
    std::size_t max_record_bytes = 64u << 20;
    std::size_t block_bytes = 1u << 20;
  };

  // Fails with ExitCode::kIoError when the file cannot be opened.
  static Status open(const std::filesystem::path& path, const Options& options,
                     std::unique_ptr<RecordReader>& out);
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  // The next record; false at the end of the file or when it is broken.
  bool next(RawRecord& record);
  // Known after the first next() call.
  FileFormat format() const { return format_; }
  const std::optional<FileError>& file_error() const { return error_; }

 private:
  RecordReader(std::unique_ptr<ReadOnlyFile> file, const Options& options);
  bool detect_format();
  bool next_ndjson(RawRecord& record);
  bool next_array(RawRecord& record);
  bool scan_array_value(RawRecord& record);
  bool skip_whitespace();
  // Reads more bytes, keeping [begin_, end_); false at end of file.
  bool fill();
  void fail(std::string code, std::string message, std::uint64_t offset);
  std::uint64_t file_offset(std::size_t buffer_pos) const { return base_offset_ + buffer_pos; }
  void start_large(std::size_t from, std::size_t to);
  void hand_out(RawRecord& record, std::size_t from, std::size_t to, std::uint64_t line);
  void hand_out_large(RawRecord& record, std::uint64_t line);

  std::unique_ptr<ReadOnlyFile> file_;
  Options options_;
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::uint64_t base_offset_ = 0;  // file offset of buffer_[0]
  bool eof_ = false;
  bool done_ = false;
  FileFormat format_ = FileFormat::kEmpty;
  bool format_known_ = false;
  std::optional<FileError> error_;
  std::uint64_t index_ = 0;
  std::uint64_t line_ = 1;

  enum class ArrayState { kFirst, kAfterValue, kAfterComma };
  ArrayState array_state_ = ArrayState::kFirst;

  // A record over the limit: its start is kept, the rest only counted.
  std::string large_prefix_;
  std::uint64_t large_size_ = 0;
  std::uint64_t large_offset_ = 0;
};

}  // namespace haul::io
