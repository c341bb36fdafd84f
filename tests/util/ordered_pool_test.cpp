#include "util/ordered_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <set>

namespace haul {
namespace {

struct Job {
  int id = 0;
  int result = 0;
  std::size_t worker = 0;
};

TEST(OrderedPool, ResultsComeBackInSubmissionOrderWhateverFinishesFirst) {
  std::atomic<int> running{0};
  std::atomic<int> max_running{0};
  OrderedPool<Job> pool(4, 6, [&](Job& job, std::size_t worker) {
    int now = ++running;
    int seen = max_running.load();
    while (now > seen && !max_running.compare_exchange_weak(seen, now)) {
    }
    // Later jobs are quicker, so they tend to finish before earlier ones.
    std::this_thread::sleep_for(std::chrono::microseconds(100 * (7 - job.id % 7)));
    job.result = job.id * job.id;
    job.worker = worker;
    --running;
  });
  std::vector<int> order;
  std::set<std::size_t> workers;
  for (int id = 0; id < 200; ++id) {
    while (pool.full()) {
      auto done = pool.next();
      order.push_back(done->result);
      workers.insert(done->worker);
    }
    auto job = std::make_unique<Job>();
    job->id = id;
    pool.submit(std::move(job));
  }
  while (auto done = pool.next()) {
    order.push_back(done->result);
    workers.insert(done->worker);
  }
  ASSERT_EQ(order.size(), 200u);
  for (int id = 0; id < 200; ++id) EXPECT_EQ(order[id], id * id);
  EXPECT_LE(max_running.load(), 4);
  EXPECT_GT(workers.size(), 1u);
  EXPECT_TRUE(pool.empty());
}

TEST(OrderedPool, NextOnAnEmptyPoolReturnsNull) {
  OrderedPool<Job> pool(1, 1, [](Job&, std::size_t) {});
  EXPECT_EQ(pool.next(), nullptr);
}

}  // namespace
}  // namespace haul
