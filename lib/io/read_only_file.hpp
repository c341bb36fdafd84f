#pragma once
// An input file open for reading, closed when it goes. Opening is where an
// input's "cannot open" error (74, naming the file) is made, for every
// reader of records.

#include <filesystem>
#include <memory>

#include "util/status.hpp"

namespace haul::io {

class ReadOnlyFile {
 public:
  // Fails with ExitCode::kIoError naming `path` and why.
  static Status open(const std::filesystem::path& path, std::unique_ptr<ReadOnlyFile>& out);
  ~ReadOnlyFile();
  ReadOnlyFile(const ReadOnlyFile&) = delete;
  ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;
  int fd() const { return fd_; }

 private:
  explicit ReadOnlyFile(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace haul::io
