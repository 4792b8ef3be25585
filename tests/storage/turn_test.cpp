#include "storage/sqlite/turn.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace sg::storage::sqlite {
namespace {

using namespace std::chrono_literals;

// `thread_count` threads taking the turn `times` times each, holding it for `hold` (busy, as
// a short transaction would).
void contend(Turn& turn, std::int64_t& counter, bool& overlapped, int times = 20000,
             std::chrono::microseconds hold = 0us, int thread_count = 4) {
  int holders = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < times; ++i) {
        turn.lock();
        if (++holders != 1) overlapped = true;
        ++counter;
        const auto until = std::chrono::steady_clock::now() + hold;
        while (std::chrono::steady_clock::now() < until) {
        }
        --holders;
        turn.unlock();
      }
    });
  }
  for (auto& thread : threads) thread.join();
}

TEST(Turn, AllowsOneHolderAtATime) {
  Turn turn;
  std::int64_t counter = 0;  // Not atomic: only the holder touches it.
  bool overlapped = false;
  contend(turn, counter, overlapped);
  EXPECT_FALSE(overlapped);
  EXPECT_EQ(counter, 4 * 20000);
}

TEST(Turn, AHundredWaitersAllGetTheirTurn) {
  Turn turn;
  std::int64_t counter = 0;
  bool overlapped = false;
  contend(turn, counter, overlapped, 300, 2us, 100);
  EXPECT_FALSE(overlapped);
  EXPECT_EQ(counter, 100 * 300);
}

TEST(Turn, LongHoldsWithManyWaitersStillHandTheTurnOn) {
  // Holds over the spinning threshold: every waiter sleeps, and each hand-over wakes one.
  Turn turn(1us);
  std::int64_t counter = 0;
  bool overlapped = false;
  contend(turn, counter, overlapped, 200, 20us, 16);
  EXPECT_FALSE(overlapped);
  EXPECT_EQ(counter, 16 * 200);
  EXPECT_GE(turn.typical_hold(), 1us);
}

TEST(Turn, WaitersSpinWhileHoldsAreShort) {
  Turn turn(1ms);
  std::int64_t counter = 0;
  bool overlapped = false;
  // Holds of 20 µs: four threads are sure to meet, and a waiter's patience (a few holds)
  // outlasts the hold ahead of it unless the holder loses its core meanwhile; on a heavily
  // loaded machine that can happen to every wait of a round, so allow a few rounds.
  for (int round = 0; round < 20 && turn.spun() == 0; ++round) {
    contend(turn, counter, overlapped, 2000, 20us);
  }
  EXPECT_FALSE(overlapped);
  EXPECT_LT(turn.typical_hold(), 1ms);
  EXPECT_GT(turn.spun(), 0u);
}

TEST(Turn, WaitersSleepOnceHoldsAreLong) {
  Turn turn(1ms);
  for (int i = 0; i < 40; ++i) {
    turn.lock();
    std::this_thread::sleep_for(3ms);
    turn.unlock();
  }
  EXPECT_GT(turn.typical_hold(), 1ms);
  // A contended lock now waits asleep, and still gets the turn.
  turn.lock();
  std::thread waiter([&] {
    turn.lock();
    turn.unlock();
  });
  std::this_thread::sleep_for(5ms);
  turn.unlock();
  waiter.join();
  EXPECT_EQ(turn.spun(), 0u);
}

}  // namespace
}  // namespace sg::storage::sqlite
