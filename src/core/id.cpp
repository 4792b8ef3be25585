#include "core/id.h"

#include <pthread.h>
#include <sys/random.h>

#include <cstdio>

namespace sg::core {

std::uint64_t SeededRandom::next_u64() {
  std::lock_guard lock(mutex_);
  return engine_();
}

namespace {

// Each thread draws 256 bytes from the kernel at a time: one system call per 32 words
// instead of one per word (a ledger event used three or four). The words are the kernel's,
// unchanged. A forked child must not reuse its parent's unread words, so fork empties the
// buffer of the thread that forks (the only thread the child has).
struct OsWords {
  std::array<std::uint64_t, 32> words{};
  std::size_t next = 32;
};
thread_local OsWords os_words;

void forget_os_words_after_fork() { os_words.next = os_words.words.size(); }

}  // namespace

std::uint64_t OsRandom::next_u64() {
  static const bool registered = [] {
    return pthread_atfork(nullptr, nullptr, forget_os_words_after_fork) == 0;
  }();
  (void)registered;
  auto& buffer = os_words;
  if (buffer.next == buffer.words.size()) {
    auto* bytes = reinterpret_cast<unsigned char*>(buffer.words.data());
    const std::size_t size = sizeof buffer.words;
    std::size_t got = 0;
    while (got < size) {
      ssize_t n = getrandom(bytes + got, size - got, 0);
      if (n > 0) got += static_cast<std::size_t>(n);
    }
    buffer.next = 0;
  }
  return buffer.words[buffer.next++];
}

std::string IdGenerator::next() {
  auto ms = static_cast<std::uint64_t>(to_micros(clock_.now()) / 1000);
  std::uint64_t rand_a, rand_b = random_.next_u64();
  {
    std::lock_guard lock(mutex_);
    if (ms > last_ms_) {
      last_ms_ = ms;
      counter_ = static_cast<std::uint32_t>(random_.next_u64() & 0x7ff);  // leave headroom
    } else {
      // Same millisecond (or the clock stepped back): keep the order by counting on.
      ++counter_;
      if (counter_ > 0xfff) {
        ++last_ms_;
        counter_ = 0;
      }
      ms = last_ms_;
    }
    rand_a = counter_;
  }
  std::uint64_t hi = (ms << 16) | (0x7ull << 12) | (rand_a & 0xfff);
  std::uint64_t lo = (rand_b & 0x3fffffffffffffffull) | 0x8000000000000000ull;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
                static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffull));
  return buf;
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace sg::core
