#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <set>
#include <thread>
#include <vector>

#include "core/id.h"

namespace sg::core {
namespace {

TEST(OsRandom, WordsDoNotRepeatAcrossRefillsOrThreads) {
  OsRandom random;
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(random.next_u64());  // Many 32-word refills.
  std::vector<std::uint64_t> other(100);
  std::thread([&] {
    for (auto& word : other) word = random.next_u64();
  }).join();
  seen.insert(other.begin(), other.end());
  EXPECT_EQ(seen.size(), 1100u);
}

TEST(OsRandom, AForkedChildDoesNotReuseItsParentsUnreadWords) {
  OsRandom random;
  (void)random.next_u64();  // The parent's buffer now holds unread words.
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::uint64_t word = random.next_u64();
    const bool written = ::write(pipe_fds[1], &word, sizeof word) == sizeof word;
    ::_exit(written ? 0 : 1);
  }
  ::close(pipe_fds[1]);
  std::uint64_t child_word = 0;
  ASSERT_EQ(::read(pipe_fds[0], &child_word, sizeof child_word),
            static_cast<ssize_t>(sizeof child_word));
  ::close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_NE(random.next_u64(), child_word);
}

}  // namespace
}  // namespace sg::core
