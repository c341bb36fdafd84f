#include "io/background_sync.hpp"

#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace haul::io {

bool BackgroundSync::start() {
  if (running_.load(std::memory_order_acquire)) return false;
  if (thread_.joinable()) thread_.join();
  running_.store(true, std::memory_order_relaxed);
  try {
    thread_ = std::thread([this] {
      if (::fdatasync(fd_) != 0 && first_error_ == 0) first_error_ = errno;
      running_.store(false, std::memory_order_release);
    });
  } catch (const std::system_error&) {
    running_.store(false, std::memory_order_relaxed);
    return false;
  }
  return true;
}

int BackgroundSync::wait() {
  if (thread_.joinable()) thread_.join();
  return first_error_;
}

}  // namespace haul::io
