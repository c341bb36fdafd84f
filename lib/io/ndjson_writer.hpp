#pragma once
// Writes records as newline-delimited JSON to an AtomicFile: one compact JSON
// value per line. Counts lines, and can withdraw everything written since a
// mark (used when an input file turns out to be broken as a whole).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

#include "io/atomic_file.hpp"

namespace haul::io {

class NdjsonWriter {
 public:
  struct Mark {
    std::uint64_t bytes = 0;
    std::uint64_t records = 0;
  };

  static Status open(const std::filesystem::path& path, std::unique_ptr<NdjsonWriter>& out);

  // `json` must be one compact JSON value without a newline.
  Status write(std::string_view json);
  // `lines` is `count` records, each already followed by '\n'.
  Status write_lines(std::string_view lines, std::uint64_t count);
  std::uint64_t records() const { return records_; }

  Mark mark() const { return Mark{file_->size(), records_}; }
  Status rollback(const Mark& mark);
  Status commit() { return file_->commit(); }
  const std::filesystem::path& path() const { return file_->final_path(); }

 private:
  explicit NdjsonWriter(std::unique_ptr<AtomicFile> file) : file_(std::move(file)) {}
  std::unique_ptr<AtomicFile> file_;
  std::uint64_t records_ = 0;
};

}  // namespace haul::io
