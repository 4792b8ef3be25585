// The lock that gives write transactions their turn on the one writer connection.
//
// Group commit hands the connection from one transaction to the next thousands of times a
// second. With an ordinary mutex a waiter sleeps, and each hand-over to a sleeping thread
// leaves the connection idle until the scheduler runs it: on this project's 2-core virtual
// machines that capped ledger appends at 15,000 events/s with 16 writers (docs/benchmarks.md).
// When transactions are short, a waiter does better to stay awake and retry, yielding the
// core to anything else runnable, so it takes the turn the moment it is free. When they are
// long (a concern's intake, an import), spinning only burns CPU that other requests need, so
// a Turn learns how long the turn is typically held and spins only when that is short.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace sg::storage::sqlite {

class Turn {
 public:
  // Waiters spin while the typical hold is under `spin_below`, for about as long as the
  // holds of the threads already waiting should take.
  explicit Turn(std::chrono::microseconds spin_below = std::chrono::microseconds(100))
      : spin_below_ns_(std::chrono::nanoseconds(spin_below).count()) {}
  Turn(const Turn&) = delete;
  Turn& operator=(const Turn&) = delete;

  // Blocks until the calling thread holds the turn. Not recursive.
  void lock();
  // REQUIRES: the calling thread holds the turn.
  void unlock();

  // For tests and metrics: the typical (moving average) time the turn is held, and how many
  // lock() calls had to wait by spinning rather than sleeping.
  std::chrono::nanoseconds typical_hold() const {
    return std::chrono::nanoseconds(typical_hold_ns_.load(std::memory_order_relaxed));
  }
  std::uint64_t spun() const { return spun_.load(std::memory_order_relaxed); }

 private:
  static std::int64_t now_ns();

  const std::int64_t spin_below_ns_;
  std::mutex mutex_;
  std::int64_t acquired_at_ns_ = 0;  // Guarded by mutex_.
  std::atomic<std::int64_t> typical_hold_ns_{0};
  std::atomic<int> waiting_{0};  // Threads in lock() that did not get the turn at once.
  std::atomic<std::uint64_t> spun_{0};
};

}  // namespace sg::storage::sqlite
