#include "storage/sqlite/turn.h"

#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sg::storage::sqlite {
namespace {

constexpr std::uint32_t kAsleep = 0;
constexpr std::uint32_t kNext = 1;
constexpr std::uint32_t kGranted = 2;

// Raw futex calls on the waiter's state word. A wake may reach a waiter that has already
// seen its new state and left (its word then belongs to some later stack frame); the
// kernel treats that as a spurious wake-up, which every futex wait here, and in the C
// library, re-checks for.
void futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected) {
  ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAIT_PRIVATE, expected,
            nullptr, nullptr, 0);
}

void futex_wake(std::atomic<std::uint32_t>& word) {
  ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE_PRIVATE, 1, nullptr,
            nullptr, 0);
}

static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t));

}  // namespace

void Turn::lock() {
  Waiter me;
  {
    std::lock_guard guard(mutex_);
    if (!held_) {
      held_ = true;
      return;
    }
    me.state.store(head_ == nullptr ? kNext : kAsleep, std::memory_order_relaxed);
    (tail_ == nullptr ? head_ : tail_->next) = &me;
    tail_ = &me;
  }
  ++queued_;
  wait(me);
  --queued_;
}

void Turn::wait(Waiter& me) {
  using Clock = std::chrono::steady_clock;
  auto stop_spinning = Clock::now() + spin_for_;
  for (;;) {
    auto state = me.state.load(std::memory_order_acquire);
    if (state == kGranted) return;
    if (state == kNext) {
      if (Clock::now() < stop_spinning) {
        ::sched_yield();
        continue;
      }
      // The holder is taking long: sleep like the rest. The CAS fails only if the turn
      // arrived meanwhile.
      if (!me.state.compare_exchange_strong(state, kAsleep, std::memory_order_acquire)) continue;
      state = kAsleep;
    }
    futex_wait(me.state, state);
    if (me.state.load(std::memory_order_relaxed) == kNext) {
      stop_spinning = Clock::now() + spin_for_;
    }
  }
}

void Turn::unlock() {
  Waiter* next = nullptr;
  Waiter* after = nullptr;
  {
    std::lock_guard guard(mutex_);
    next = head_;
    if (next == nullptr) {
      held_ = false;
      return;
    }
    head_ = next->next;
    if (head_ == nullptr) tail_ = nullptr;
    after = head_;
  }
  // `after` stays queued until `next` hands the turn on, so it must be told to spin before
  // `next` is granted the turn; the futex wakes (system calls) come after the grant, so the
  // hand-over itself is one store.
  const bool wake_after = after != nullptr && after->state.exchange(kNext) == kAsleep;
  const bool wake_next = next->state.exchange(kGranted, std::memory_order_acq_rel) == kAsleep;
  if (wake_next) futex_wake(next->state);
  if (wake_after) futex_wake(after->state);
}

}  // namespace sg::storage::sqlite
