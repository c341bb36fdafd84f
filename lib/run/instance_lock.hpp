#pragma once
// One instance per (stage, date, type): an flock(2) on
// data/state/locks/<stage>.<date>.<type>.lock. The kernel drops the lock when
// the process dies, however it dies, so a killed run never blocks the next
// one. The file keeps the holder's pid so the refusal can name it.
//
// Lock files may be removed (haul-cleanup releases those nobody holds): a
// remover takes the lock first and unlinks the file while holding it, and
// acquire() checks after locking that its file is still the one at the path,
// starting over otherwise, so two runs can never hold locks on two different
// files of the same name.

#include <filesystem>
#include <memory>
#include <string>

#include "util/status.hpp"

namespace haul::run {

class InstanceLock {
 public:
  // kTempFail with "another haul-<stage> (pid N) is running for D/<type>" when
  // held; kCantCreate when the lock file cannot be created.
  static Status acquire(const std::filesystem::path& locks_dir, const std::string& stage,
                        const std::string& date, const std::string& type,
                        std::unique_ptr<InstanceLock>& out);
  // The lock file of a partition.
  static std::filesystem::path path_for(const std::filesystem::path& locks_dir,
                                        const std::string& stage, const std::string& date,
                                        const std::string& type);
  // True when a live process holds the lock on `path` (false when the file
  // does not exist).
  static bool held(const std::filesystem::path& path);
  // Removes `path` if nobody holds its lock (taking the lock to be sure);
  // `removed` says whether it did. A held lock is left alone and is not an
  // error; an unlink failure is (kCantCreate).
  static Status remove_if_free(const std::filesystem::path& path, bool& removed);
  ~InstanceLock();
  InstanceLock(const InstanceLock&) = delete;
  InstanceLock& operator=(const InstanceLock&) = delete;

 private:
  explicit InstanceLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace haul::run
