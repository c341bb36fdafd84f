#pragma once
// Runs jobs on worker threads and hands them back in the order they were
// submitted, with at most `max_in_flight` outstanding so memory stays
// bounded however large the input. Stages use it to spread per-record work
// over the cores while writing outputs in input order, which keeps outputs
// byte-identical whatever the thread count.
//
// Used by one producer thread: submit() and next() must not be called
// concurrently. `work(job, worker_index)` runs on the workers; it must not
// throw (an escaping exception terminates the process, as in any thread).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace haul {

// Worker threads a stage uses by default: the cores, at most 8.
inline std::size_t default_worker_threads() {
  const std::size_t cores = std::thread::hardware_concurrency();
  return cores < 1 ? 1 : cores > 8 ? 8 : cores;
}

template <typename Job>
class OrderedPool {
 public:
  using Work = std::function<void(Job& job, std::size_t worker_index)>;

  OrderedPool(std::size_t threads, std::size_t max_in_flight, Work work)
      : max_in_flight_(max_in_flight < threads ? threads : max_in_flight), work_(std::move(work)) {
    for (std::size_t i = 0; i < threads; ++i) {
      workers_.emplace_back([this, i] { run_worker(i); });
    }
  }

  ~OrderedPool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_ready_.notify_all();
    for (auto& worker : workers_) worker.join();
  }

  OrderedPool(const OrderedPool&) = delete;
  OrderedPool& operator=(const OrderedPool&) = delete;

  bool full() const { return in_flight_.size() >= max_in_flight_; }
  bool empty() const { return in_flight_.empty(); }

  // Queues a job. The caller must take results with next() while full().
  void submit(std::unique_ptr<Job> job) {
    auto slot = std::make_shared<Slot>();
    slot->job = std::move(job);
    {
      std::lock_guard lock(mutex_);
      in_flight_.push_back(slot);
      pending_.push_back(slot);
    }
    work_ready_.notify_one();
  }

  // The oldest submitted job once it is finished (waits for it); nullptr
  // when nothing is outstanding.
  std::unique_ptr<Job> next() {
    std::unique_lock lock(mutex_);
    if (in_flight_.empty()) return nullptr;
    auto slot = in_flight_.front();
    job_done_.wait(lock, [&] { return slot->done; });
    in_flight_.pop_front();
    return std::move(slot->job);
  }

 private:
  struct Slot {
    std::unique_ptr<Job> job;
    bool done = false;
  };

  void run_worker(std::size_t index) {
    for (;;) {
      std::shared_ptr<Slot> slot;
      {
        std::unique_lock lock(mutex_);
        work_ready_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
        if (pending_.empty()) return;
        slot = pending_.front();
        pending_.pop_front();
      }
      work_(*slot->job, index);
      {
        std::lock_guard lock(mutex_);
        slot->done = true;
      }
      job_done_.notify_all();
    }
  }

  const std::size_t max_in_flight_;
  Work work_;
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable job_done_;
  std::deque<std::shared_ptr<Slot>> in_flight_;  // submission order
  std::deque<std::shared_ptr<Slot>> pending_;    // not yet picked by a worker
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace haul
