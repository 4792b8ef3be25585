#include "storage/sqlite/turn.h"

#include <sched.h>

#include <algorithm>

namespace sg::storage::sqlite {

std::int64_t Turn::now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void Turn::lock() {
  if (mutex_.try_lock()) {
    acquired_at_ns_ = now_ns();
    return;
  }
  const auto typical = typical_hold_ns_.load(std::memory_order_relaxed);
  const int ahead = waiting_.fetch_add(1, std::memory_order_relaxed);
  if (typical < spin_below_ns_) {
    // Short holds: stay awake and retry, giving the core to anything else runnable, for
    // about as long as the holds of those already waiting should take (at most 1 ms).
    const auto patience =
        std::min<std::int64_t>(2 * std::max<std::int64_t>(typical, 1000) * (ahead + 1), 1'000'000);
    const auto give_up = now_ns() + patience;
    do {
      ::sched_yield();
      if (mutex_.try_lock()) {
        acquired_at_ns_ = now_ns();
        waiting_.fetch_sub(1, std::memory_order_relaxed);
        spun_.fetch_add(1, std::memory_order_relaxed);
        return;
      }
    } while (now_ns() < give_up);
  }
  mutex_.lock();
  acquired_at_ns_ = now_ns();
  waiting_.fetch_sub(1, std::memory_order_relaxed);
}

void Turn::unlock() {
  const auto held = now_ns() - acquired_at_ns_;
  // A moving average over roughly the last eight holds; only the holder writes it.
  const auto typical = typical_hold_ns_.load(std::memory_order_relaxed);
  typical_hold_ns_.store(typical + (held - typical) / 8, std::memory_order_relaxed);
  mutex_.unlock();
}

}  // namespace sg::storage::sqlite
