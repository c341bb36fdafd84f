#pragma once
// An output file that appears complete or not at all. Bytes go to a hidden
// temporary file in the same directory (".<name>.tmp-<pid>-<n>"); commit()
// flushes, fsyncs, renames it over the final name and fsyncs the directory.
// A process killed at any instant therefore leaves either the previous final
// file or the new one, never a torn one. Destroying an uncommitted AtomicFile
// removes its temporary; temporaries left by a killed process are swept by the
// next AtomicFile for the same path (their pid is gone) and by haul-cleanup.
//
// Writes are buffered; large files are synced in the background as they
// grow (io/background_sync.hpp), so commit() waits for the last stretch
// only. The file can be cut back to an earlier size, which is how a stage
// withdraws records it wrote from an input that later turned out to be
// broken as a whole.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "io/background_sync.hpp"
#include "util/status.hpp"

namespace haul::io {

class AtomicFile {
 public:
  // Creates parent directories as needed. Errors are ExitCode::kCantCreate.
  static Status open(const std::filesystem::path& final_path, std::unique_ptr<AtomicFile>& out);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  Status write(std::string_view bytes);
  // Bytes written so far (including the buffer).
  std::uint64_t size() const { return flushed_ + buffer_.size(); }
  // Discards everything written after the first `size` bytes.
  Status truncate(std::uint64_t size);
  // Makes everything written so far durable in the temporary (flush and
  // fsync) without publishing it, so a caller can check the bytes on disk
  // (haul-cleanup verifies an archive) before commit() renames them into place.
  Status sync();
  Status commit();

  const std::filesystem::path& final_path() const { return final_path_; }
  const std::filesystem::path& temp_path() const { return temp_path_; }

 private:
  AtomicFile(std::filesystem::path final_path, std::filesystem::path temp_path, int fd);
  Status flush();
  Status write_through(std::string_view bytes);  // unbuffered
  Status fail(std::string_view what, int err);

  std::filesystem::path final_path_;
  std::filesystem::path temp_path_;
  int fd_ = -1;
  std::uint64_t flushed_ = 0;
  std::uint64_t writeback_started_ = 0;
  std::uint64_t background_sync_started_ = 0;
  BackgroundSync background_sync_;
  std::string buffer_;
  bool committed_ = false;
  Status error_;  // sticky: the first write error fails commit()
};

// Writes `contents` to `path` atomically in one call.
Status write_file_atomically(const std::filesystem::path& path, std::string_view contents);

// The writer's pid when `file_name` is an AtomicFile temporary
// (".<name>.tmp-<pid>-<n>"), else 0.
long temporary_writer_pid(std::string_view file_name);

// Removes temporaries of `final_path` whose writing process no longer runs.
void sweep_stale_temporaries(const std::filesystem::path& final_path);

}  // namespace haul::io
