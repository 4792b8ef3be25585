// The lock that gives write transactions their turn on the one writer connection.
//
// Group commit hands the connection from one transaction to the next thousands of times a
// second. With an ordinary mutex each hand-over wakes a sleeping thread, and on a small
// (virtual) machine the connection then sits idle until the scheduler runs it: measured at
// 15,000 ledger events/s with 16 writers where a yielding spin lock reached 18,600 (see
// docs/benchmarks.md). A Turn keeps the next thread in line awake: it spins, yielding the
// core to anything else runnable, so the hand-over is one store it sees at once. Everyone
// behind it sleeps, and is woken to take the spinner's place as the queue moves, while the
// holder is still working. Waiters are served first come, first served, so a steady stream
// of new writers cannot starve one that is waiting.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace sg::storage::sqlite {

class Turn {
 public:
  // `spin_for` bounds how long the next in line spins before it sleeps too: long enough to
  // cover a typical write transaction, short enough that a long one (a bulk import) costs
  // only that much of a core.
  explicit Turn(std::chrono::microseconds spin_for = std::chrono::microseconds(200))
      : spin_for_(spin_for) {}
  Turn(const Turn&) = delete;
  Turn& operator=(const Turn&) = delete;

  // Blocks until the calling thread holds the turn. Not recursive.
  void lock();
  // REQUIRES: the calling thread holds the turn. Hands it to the longest waiter, if any.
  void unlock();

  // For tests: threads queued in lock() right now.
  int queued() const { return queued_.load(); }

 private:
  struct Waiter {
    // kAsleep: waits on the futex; kNext: first in line, spinning; kGranted: holds the turn.
    std::atomic<std::uint32_t> state;
    Waiter* next = nullptr;
  };
  void wait(Waiter& me);

  const std::chrono::microseconds spin_for_;
  std::mutex mutex_;  // Guards held_ and the queue; held only for a few instructions.
  bool held_ = false;
  Waiter* head_ = nullptr;
  Waiter* tail_ = nullptr;
  std::atomic<int> queued_{0};
};

}  // namespace sg::storage::sqlite
