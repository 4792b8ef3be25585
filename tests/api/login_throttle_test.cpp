#include "api/login_throttle.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "test_support.h"

namespace sg::api {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using testing::at;

struct LoginThrottleTest : ::testing::Test {
  core::ManualClock clock{at("2026-11-30T09:00:00Z")};
  LoginThrottle throttle{clock};

  // Fails `n` times and returns the wait the last failure started.
  seconds fail(int n, std::string_view user, std::string_view address = "192.0.2.1") {
    seconds last{0};
    for (int i = 0; i < n; ++i) last = throttle.failed(user, address);
    return last;
  }
};

TEST_F(LoginThrottleTest, AllowsFailuresBelowTheThreshold) {
  EXPECT_EQ(fail(4, "user.a"), seconds(0));
  EXPECT_EQ(throttle.wait("user.a", "192.0.2.1"), seconds(0));
}

TEST_F(LoginThrottleTest, FifthFailureStartsAOneMinuteWait) {
  EXPECT_EQ(fail(5, "user.a"), seconds(60));
  EXPECT_EQ(throttle.wait("user.a", "192.0.2.1"), seconds(60));
  // The same username from another address waits too: the count is the account's.
  EXPECT_EQ(throttle.wait("user.a", "198.51.100.7"), seconds(60));
  clock.advance(seconds(45));
  EXPECT_EQ(throttle.wait("user.a", "192.0.2.1"), seconds(15));
  clock.advance(seconds(15));
  EXPECT_EQ(throttle.wait("user.a", "192.0.2.1"), seconds(0));
}

TEST_F(LoginThrottleTest, RoundsTheWaitUpToWholeSeconds) {
  fail(5, "user.a");
  clock.advance(std::chrono::milliseconds(59500));
  EXPECT_EQ(throttle.wait("user.a", "192.0.2.1"), seconds(1));
}

TEST_F(LoginThrottleTest, WaitDoublesWithEachFurtherFailureUpToFifteenMinutes) {
  fail(4, "user.a");
  for (int expected : {60, 120, 240, 480, 900, 900, 900}) {
    EXPECT_EQ(throttle.failed("user.a", "192.0.2.1"), seconds(expected));
    clock.advance(seconds(expected));
    EXPECT_EQ(throttle.wait("user.a", "192.0.2.1"), seconds(0));
  }
}

TEST_F(LoginThrottleTest, AskingDoesNotCountOrExtendTheWait) {
  fail(5, "user.a");
  for (int i = 0; i < 100; ++i) EXPECT_EQ(throttle.wait("user.a", "192.0.2.1"), seconds(60));
  clock.advance(seconds(60));
  EXPECT_EQ(throttle.wait("user.a", "192.0.2.1"), seconds(0));
}

TEST_F(LoginThrottleTest, CountsUsernamesWhateverTheirCase) {
  fail(3, "User.A");
  EXPECT_EQ(fail(2, "user.a"), seconds(60));
  EXPECT_EQ(throttle.wait("USER.A", "192.0.2.9"), seconds(60));
}

TEST_F(LoginThrottleTest, SuccessForgetsTheAccountsFailures) {
  fail(5, "user.a");
  clock.advance(seconds(60));
  throttle.succeeded("user.a");
  EXPECT_EQ(fail(4, "user.a"), seconds(0));
  EXPECT_EQ(throttle.failed("user.a", "192.0.2.1"), seconds(60));
}

TEST_F(LoginThrottleTest, SuccessDoesNotForgetTheAddresssFailures) {
  // 29 failures spread over usernames, then a good sign-in from the same address: the
  // 30th failure still starts the address's wait.
  for (int i = 0; i < 29; ++i) throttle.failed("user." + std::to_string(i), "192.0.2.1");
  throttle.succeeded("user.0");
  EXPECT_EQ(throttle.failed("someone.else", "192.0.2.1"), seconds(60));
}

TEST_F(LoginThrottleTest, ForgetsFailuresAfterAQuietWindow) {
  fail(4, "user.a");
  clock.advance(minutes(15));
  EXPECT_EQ(fail(4, "user.a"), seconds(0));
}

TEST_F(LoginThrottleTest, TheWindowCountsFromTheEndOfTheWait) {
  fail(5, "user.a");  // Waits until 09:01.
  clock.advance(minutes(15));
  // 09:15 is 15 minutes after the last failure but only 14 after the wait ended: the
  // count stands, so the next failure waits twice as long.
  EXPECT_EQ(throttle.failed("user.a", "192.0.2.1"), seconds(120));
  clock.advance(seconds(120) + minutes(15));
  EXPECT_EQ(fail(4, "user.a"), seconds(0));
}

TEST_F(LoginThrottleTest, AddressThresholdAppliesAcrossUsernames) {
  for (int i = 0; i < 29; ++i) {
    EXPECT_EQ(throttle.failed("user." + std::to_string(i), "192.0.2.1"), seconds(0));
  }
  EXPECT_EQ(throttle.failed("user.29", "192.0.2.1"), seconds(60));
  EXPECT_EQ(throttle.wait("never.failed", "192.0.2.1"), seconds(60));
  EXPECT_EQ(throttle.wait("never.failed", "198.51.100.7"), seconds(0));
}

TEST_F(LoginThrottleTest, EvictsTheLeastRecentlyFailedKeyWhenFull) {
  LoginThrottle small(clock, {.account_failures = 2, .address_failures = 1000, .max_keys = 2});
  small.failed("a", "192.0.2.1");
  small.failed("b", "192.0.2.1");
  small.failed("c", "192.0.2.1");  // Table full: "a" goes.
  EXPECT_EQ(small.failed("b", "192.0.2.1"), seconds(60));
  EXPECT_EQ(small.failed("a", "192.0.2.1"), seconds(0));  // Counted afresh; "c" goes.
  EXPECT_EQ(small.wait("b", "192.0.2.2"), seconds(60));
}

TEST_F(LoginThrottleTest, CountsEveryFailureWhenCalledFromManyThreads) {
  LoginThrottle shared(clock, {.address_failures = 33});
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&shared, t] {
      for (int i = 0; i < 4; ++i) shared.failed("user." + std::to_string(t), "192.0.2.1");
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(shared.wait("user.0", "192.0.2.2"), seconds(0));
  EXPECT_EQ(shared.wait("nobody", "192.0.2.1"), seconds(0));
  EXPECT_EQ(shared.failed("nobody", "192.0.2.1"), seconds(60));  // The 33rd.
}

}  // namespace
}  // namespace sg::api
