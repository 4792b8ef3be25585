#include "storage/sqlite/turn.h"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace sg::storage::sqlite {
namespace {

using namespace std::chrono_literals;

void wait_until_queued(const Turn& turn, int n) {
  while (turn.queued() < n) std::this_thread::sleep_for(100us);
}

TEST(Turn, AllowsOneHolderAtATime) {
  Turn turn;
  std::int64_t counter = 0;  // Not atomic: only the holder touches it.
  int holders = 0;
  bool overlapped = false;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        turn.lock();
        if (++holders != 1) overlapped = true;
        ++counter;
        --holders;
        turn.unlock();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_FALSE(overlapped);
  EXPECT_EQ(counter, 8 * 20000);
}

TEST(Turn, ServesWaitersInTheOrderTheyArrived) {
  Turn turn;
  turn.lock();
  std::mutex order_mutex;
  std::vector<int> order;
  std::vector<std::thread> threads;
  for (int t = 0; t < 5; ++t) {
    threads.emplace_back([&, t] {
      turn.lock();
      {
        std::lock_guard guard(order_mutex);
        order.push_back(t);
      }
      turn.unlock();
    });
    wait_until_queued(turn, t + 1);  // Thread t is queued before thread t + 1 starts.
  }
  turn.unlock();
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(Turn, WaitersStillGetTheTurnAfterALongHold) {
  // A hold far longer than the spin: the next in line goes to sleep and must be woken.
  Turn turn(std::chrono::microseconds(50));
  turn.lock();
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      turn.lock();
      ++done;
      turn.unlock();
    });
  }
  wait_until_queued(turn, 3);
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(done.load(), 0);
  turn.unlock();
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(done.load(), 3);
  // Free again: an uncontended lock does not wait.
  turn.lock();
  turn.unlock();
}

}  // namespace
}  // namespace sg::storage::sqlite
