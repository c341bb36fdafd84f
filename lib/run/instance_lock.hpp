#pragma once
// One instance per (stage, date, type): an flock(2) on
// data/state/locks/<stage>.<date>.<type>.lock. The kernel drops the lock when
// the process dies, however it dies, so a killed run never blocks the next
// one. The file keeps the holder's pid so the refusal can name it.

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
  ~InstanceLock();
  InstanceLock(const InstanceLock&) = delete;
  InstanceLock& operator=(const InstanceLock&) = delete;

 private:
  explicit InstanceLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace haul::run
