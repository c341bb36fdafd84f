#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>

#include "util/process_liveness.hpp"

namespace haul::io {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kBufferBytes = 1 << 20;
// Write-back is started every this many bytes, so the final fsync() waits for
// the last stretch only instead of the whole file.
constexpr std::uint64_t kWritebackBytes = 8u << 20;
// ... and made durable in the background every this many (io/BackgroundSync):
// 16 MB left enrich's commit waiting 20-30 ms for its 1 GB, 64 MB up to 90 ms.
constexpr std::uint64_t kBackgroundSyncBytes = 16u << 20;

std::string temp_prefix(const fs::path& final_path) {
  return fmt::format(".{}.tmp-", final_path.filename().string());
}

void fsync_directory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

long temporary_writer_pid(std::string_view file_name) {
  const auto marker = file_name.rfind(".tmp-");
  if (file_name.empty() || file_name[0] != '.' || marker == std::string_view::npos || marker == 0) {
    return 0;
  }
  const std::string rest(file_name.substr(marker + 5));
  char* end = nullptr;
  const long pid = std::strtol(rest.c_str(), &end, 10);
  if (end == rest.c_str() || *end != '-' || pid <= 0) return 0;
  const char* counter = end + 1;
  if (*counter == '\0') return 0;
  for (const char* c = counter; *c; ++c) {
    if (*c < '0' || *c > '9') return 0;
  }
  return pid;
}

void sweep_stale_temporaries(const fs::path& final_path) {
  std::error_code ec;
  fs::path dir = final_path.parent_path().empty() ? fs::path(".") : final_path.parent_path();
  std::string prefix = temp_prefix(final_path);
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    pid_t pid = static_cast<pid_t>(std::strtol(name.c_str() + prefix.size(), nullptr, 10));
    if (!process_alive(pid)) fs::remove(entry.path(), ec);
  }
}

namespace {

// Removes every temporary in `dir` left by a process that is gone, once per
// directory per process: a stage writing thousands of files into one
// directory (scrape's pages) must not rescan it for each of them.
void sweep_directory_once(const fs::path& dir) {
  static std::mutex mutex;
  static std::set<std::string> swept;
  {
    std::lock_guard lock(mutex);
    if (!swept.insert(dir.string()).second) return;
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const long pid = temporary_writer_pid(entry.path().filename().string());
    if (pid > 0 && !process_alive(static_cast<pid_t>(pid))) fs::remove(entry.path(), ec);
  }
}

}  // namespace

Status AtomicFile::open(const fs::path& final_path, std::unique_ptr<AtomicFile>& out) {
  std::error_code ec;
  fs::path dir = final_path.parent_path();
  if (!dir.empty()) {
    fs::create_directories(dir, ec);
    if (ec) {
      return Status::error(ExitCode::kCantCreate, fmt::format("cannot create directory {}: {}",
                                                              dir.string(), ec.message()));
    }
  }
  sweep_directory_once(dir.empty() ? fs::path(".") : dir);
  static std::atomic<unsigned> counter{0};
  fs::path temp = final_path.parent_path() /
                  fmt::format("{}{}-{}", temp_prefix(final_path), ::getpid(), counter++);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::error(ExitCode::kCantCreate,
                         fmt::format("cannot create {}: {}", temp.string(), std::strerror(errno)));
  }
  out.reset(new AtomicFile(final_path, std::move(temp), fd));
  return Status::ok();
}

AtomicFile::AtomicFile(fs::path final_path, fs::path temp_path, int fd)
    : final_path_(std::move(final_path)),
      temp_path_(std::move(temp_path)),
      fd_(fd),
      background_sync_(fd) {
  buffer_.reserve(kBufferBytes);
}

AtomicFile::~AtomicFile() {
  background_sync_.wait();
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_path_.c_str());
}

Status AtomicFile::fail(std::string_view what, int err) {
  if (error_.is_ok()) {
    error_ = Status::error(
        ExitCode::kCantCreate,
        fmt::format("cannot {} {}: {}", what, final_path_.string(), std::strerror(err)));
  }
  return error_;
}

Status AtomicFile::flush() {
  if (Status s = write_through(buffer_); !s.is_ok()) return s;
  buffer_.clear();
  return Status::ok();
}

Status AtomicFile::write_through(std::string_view bytes) {
  if (!error_.is_ok()) return error_;
  const char* data = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write", errno);
    }
    data += n;
    left -= static_cast<std::size_t>(n);
    flushed_ += static_cast<std::uint64_t>(n);
  }
  if (flushed_ - writeback_started_ >= kWritebackBytes) {
    ::sync_file_range(fd_, static_cast<off_t>(writeback_started_),
                      static_cast<off_t>(flushed_ - writeback_started_), SYNC_FILE_RANGE_WRITE);
    writeback_started_ = flushed_;
  }
  if (flushed_ - background_sync_started_ >= kBackgroundSyncBytes && background_sync_.start()) {
    background_sync_started_ = flushed_;
  }
  return Status::ok();
}

Status AtomicFile::write(std::string_view bytes) {
  if (!error_.is_ok()) return error_;
  if (buffer_.size() + bytes.size() > kBufferBytes) {
    if (Status s = flush(); !s.is_ok()) return s;
  }
  if (bytes.size() >= kBufferBytes) return write_through(bytes);
  buffer_.append(bytes);
  return Status::ok();
}

Status AtomicFile::truncate(std::uint64_t size) {
  if (!error_.is_ok()) return error_;
  if (size >= flushed_) {
    buffer_.resize(static_cast<std::size_t>(size - flushed_));
    return Status::ok();
  }
  buffer_.clear();
  if (int err = background_sync_.wait(); err != 0) return fail("fsync", err);
  if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return fail("truncate", errno);
  if (::lseek(fd_, static_cast<off_t>(size), SEEK_SET) < 0) return fail("seek in", errno);
  flushed_ = size;
  writeback_started_ = std::min(writeback_started_, size);
  background_sync_started_ = std::min(background_sync_started_, size);
  return Status::ok();
}

Status AtomicFile::sync() {
  if (Status s = flush(); !s.is_ok()) return s;
  if (int err = background_sync_.wait(); err != 0) return fail("fsync", err);
  if (::fsync(fd_) != 0) return fail("fsync", errno);
  return Status::ok();
}

Status AtomicFile::commit() {
  if (Status s = sync(); !s.is_ok()) return s;
  if (::close(fd_) != 0) {
    fd_ = -1;
    return fail("close", errno);
  }
  fd_ = -1;
  if (::rename(temp_path_.c_str(), final_path_.c_str()) != 0) return fail("rename into", errno);
  committed_ = true;
  fsync_directory(final_path_.parent_path().empty() ? fs::path(".") : final_path_.parent_path());
  return Status::ok();
}

Status write_file_atomically(const fs::path& path, std::string_view contents) {
  std::unique_ptr<AtomicFile> file;
  if (Status s = AtomicFile::open(path, file); !s.is_ok()) return s;
  if (Status s = file->write(contents); !s.is_ok()) return s;
  return file->commit();
}

}  // namespace haul::io
