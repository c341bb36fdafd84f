#include "run/instance_lock.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace haul::run {

Status InstanceLock::acquire(const std::filesystem::path& locks_dir, const std::string& stage,
                             const std::string& date, const std::string& type,
                             std::unique_ptr<InstanceLock>& out) {
  std::error_code ec;
  std::filesystem::create_directories(locks_dir, ec);
  auto path = path_for(locks_dir, stage, date, type);
  int fd = -1;
  for (;;) {
    fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      return Status::error(ExitCode::kCantCreate, fmt::format("cannot create lock file {}: {}",
                                                              path.string(), std::strerror(errno)));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int err = errno;
      char holder[32] = {};
      ssize_t n = ::pread(fd, holder, sizeof holder - 1, 0);
      ::close(fd);
      if (err != EWOULDBLOCK) {
        return Status::error(ExitCode::kCantCreate,
                             fmt::format("cannot lock {}: {}", path.string(), std::strerror(err)));
      }
      std::string pid = n > 0 ? std::string(holder, strnlen(holder, static_cast<size_t>(n))) : "?";
      while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
      return Status::error(ExitCode::kTempFail,
                           fmt::format("another haul-{} (pid {}) is running for {}/{}; try later",
                                       stage, pid, date, type));
    }
    // If a remover unlinked the file between our open and our flock, the
    // lock is on an orphan: start over on the file now at the path.
    struct stat locked {}, current {};
    if (::fstat(fd, &locked) == 0 && ::stat(path.c_str(), &current) == 0 &&
        locked.st_dev == current.st_dev && locked.st_ino == current.st_ino) {
      break;
    }
    ::close(fd);
  }
  std::string pid = fmt::format("{}\n", ::getpid());
  if (::ftruncate(fd, 0) == 0) {
    [[maybe_unused]] ssize_t written = ::pwrite(fd, pid.data(), pid.size(), 0);
  }
  out.reset(new InstanceLock(fd));
  return Status::ok();
}

std::filesystem::path InstanceLock::path_for(const std::filesystem::path& locks_dir,
                                             const std::string& stage, const std::string& date,
                                             const std::string& type) {
  return locks_dir / fmt::format("{}.{}.{}.lock", stage, date, type);
}

bool InstanceLock::held(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool busy = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  return busy;
}

Status InstanceLock::remove_if_free(const std::filesystem::path& path, bool& removed) {
  removed = false;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::ok();  // already gone
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Status::ok();
  }
  Status status;
  if (::unlink(path.c_str()) == 0) {
    removed = true;
  } else if (errno != ENOENT) {
    status = Status::error(ExitCode::kCantCreate, fmt::format("cannot remove lock file {}: {}",
                                                              path.string(), std::strerror(errno)));
  }
  ::close(fd);  // releases the lock on the now nameless file
  return status;
}

InstanceLock::~InstanceLock() { ::close(fd_); }

}  // namespace haul::run
