#include "util/bounded_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace haul {
namespace {

using namespace std::chrono_literals;

TEST(BoundedQueue, ItemsArriveInOrderAndTheProducerWaitsWhileItIsFull) {
  BoundedQueue<int> queue(2);
  std::atomic<int> pushed{0};
  std::thread producer([&] {
    for (int i = 0; i < 1000; ++i) {
      if (!queue.push(i)) {
        ADD_FAILURE() << "push refused before close";
        break;
      }
      ++pushed;
    }
    queue.close();
  });
  // Nobody pops yet: the producer stops at the capacity.
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(pushed.load(), 2);
  std::vector<int> seen;
  while (std::optional<int> item = queue.pop()) seen.push_back(*item);
  producer.join();
  ASSERT_EQ(seen.size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], i);
}

TEST(BoundedQueue, CloseReleasesAWaitingProducerAndLeftoversAreStillPopped) {
  BoundedQueue<int> queue(1);
  ASSERT_TRUE(queue.push(7));
  std::atomic<bool> refused{false};
  std::thread producer([&] { refused = !queue.push(8); });  // waits: the queue is full
  std::this_thread::sleep_for(20ms);
  queue.close();
  producer.join();
  EXPECT_TRUE(refused.load());
  EXPECT_EQ(queue.pop(), std::optional<int>(7));
  EXPECT_EQ(queue.pop(), std::nullopt);
  EXPECT_FALSE(queue.push(9));
}

TEST(BoundedQueue, CloseReleasesAWaitingConsumer) {
  BoundedQueue<int> queue(4);
  std::thread closer([&] {
    std::this_thread::sleep_for(20ms);
    queue.close();
  });
  EXPECT_EQ(queue.pop(), std::nullopt);
  closer.join();
}

}  // namespace
}  // namespace haul
