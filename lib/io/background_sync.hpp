#pragma once
// Makes a file's bytes durable on a thread of its own while its writer goes on
// writing. On a virtual disk fsync() is where the host's cache is flushed, and
// its cost grows with the bytes written since the last flush: an AtomicFile
// of a gigabyte that syncs only at commit() waits 0.3-0.5 s there. Syncing
// every few tens of megabytes in the background leaves commit() the last
// stretch only. Durability itself still comes from commit()'s own fsync();
// this class only moves work off the writer's path.
//
// At most one fdatasync() runs at a time; start() while one runs does
// nothing. The first error any of them returns is kept for wait(), because
// Linux reports a write-back error to one fsync() of a file description only:
// swallowing it here would let the final fsync() succeed over lost bytes.
// Not thread-safe: one writer thread calls start() and wait().

#include <atomic>
#include <thread>

namespace haul::io {

class BackgroundSync {
 public:
  explicit BackgroundSync(int fd) : fd_(fd) {}
  ~BackgroundSync() { wait(); }
  BackgroundSync(const BackgroundSync&) = delete;
  BackgroundSync& operator=(const BackgroundSync&) = delete;

  // Starts an fdatasync() of the file unless one is running; returns whether
  // it started one (false also when no thread could be created).
  bool start();
  // Waits for a running fdatasync(); returns the first errno any of them
  // gave, 0 if none failed. Call before the fd is truncated or closed.
  int wait();

 private:
  int fd_;
  std::thread thread_;
  std::atomic<bool> running_{false};
  int first_error_ = 0;  // written by the thread, read after join()
};

}  // namespace haul::io
