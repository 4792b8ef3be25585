// POST /api/v1/session under password guessing: failures per username and per address
// lead to 429 with Retry-After, checked before the password, and the owner gets back in.
#include <gtest/gtest.h>

#include "api/app.h"
#include "test_support.h"

namespace sg::api {
namespace {

using nlohmann::json;
using testing::at;

constexpr const char* kRight = "correct horse battery";
constexpr const char* kWrong = "incorrect horse battery";
constexpr const char* kOffice = "192.0.2.10";

struct LoginThrottleApi : ::testing::Test {
  testing::World w;
  std::unique_ptr<App> app;

  void SetUp() override {
    w.clock.set(at("2026-12-24T10:00:00Z"));
    w.add_user("mash.one", domain::Role::kMashCoordinator);
    w.add_user("manager.one", domain::Role::kManager);
    app = App::create({*w.store, w.ledger, w.accounts, w.clock, w.casework, w.reports}, {}).value();
  }

  Response sign_in(const std::string& username, const std::string& password,
                   const std::string& address = kOffice) {
    Request r;
    r.method = "POST";
    r.target = r.path = "/api/v1/session";
    r.headers = {{"host", "localhost"}, {"content-type", "application/json"}};
    r.body = json{{"username", username}, {"password", password}}.dump();
    r.remote_address = address;
    return app->handle(r);
  }

  // Fails `n` times and returns the last answer.
  Response fail(int n, const std::string& username, const std::string& address = kOffice) {
    Response last;
    for (int i = 0; i < n; ++i) last = sign_in(username, kWrong, address);
    return last;
  }
};

void expect_throttled(const Response& r, std::string_view retry_after) {
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(r.header("Content-Type").value_or(""), "application/problem+json");
  EXPECT_EQ(r.header("Retry-After").value_or(""), retry_after);
  EXPECT_EQ(json::parse(r.body)["status"], 429);
}

TEST_F(LoginThrottleApi, FifthWrongPasswordAnswers429WithRetryAfter) {
  for (int i = 0; i < 4; ++i) EXPECT_EQ(sign_in("mash.one", kWrong).status, 401);
  expect_throttled(sign_in("mash.one", kWrong), "60");
  expect_throttled(sign_in("mash.one", kWrong), "60");
}

TEST_F(LoginThrottleApi, RightPasswordIsRefusedWhileThrottled) {
  fail(5, "mash.one");
  w.clock.advance(std::chrono::seconds(20));
  auto r = sign_in("mash.one", kRight);
  expect_throttled(r, "40");
  EXPECT_FALSE(r.header("Set-Cookie").has_value());
  // From another address too: the count is the account's.
  expect_throttled(sign_in("mash.one", kRight, "198.51.100.7"), "40");
}

TEST_F(LoginThrottleApi, RightPasswordWorksAfterTheWaitAndResetsTheCount) {
  fail(5, "mash.one");
  w.clock.advance(std::chrono::seconds(60));
  auto r = sign_in("mash.one", kRight);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.header("Set-Cookie").has_value());
  // The count starts again from nothing: four more failures are plain 401s.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(sign_in("mash.one", kWrong).status, 401);
  expect_throttled(sign_in("mash.one", kWrong), "60");
}

TEST_F(LoginThrottleApi, DelayDoublesForFurtherFailuresAndIsNeverPermanent) {
  fail(5, "mash.one");
  for (auto wait : {60, 120, 240, 480, 900}) {
    w.clock.advance(std::chrono::seconds(wait));
    expect_throttled(sign_in("mash.one", kWrong), std::to_string(std::min(2 * wait, 900)));
  }
  w.clock.advance(std::chrono::seconds(900));
  EXPECT_EQ(sign_in("mash.one", kRight).status, 200);
}

TEST_F(LoginThrottleApi, OneAccountsFailuresDoNotLockOthersUntilTheAddressThreshold) {
  fail(5, "mash.one");
  EXPECT_EQ(sign_in("manager.one", kRight).status, 200);
  // 30 failures from one address, whichever usernames, throttle the address.
  for (int i = 5; i < 29; ++i) {
    EXPECT_EQ(sign_in("guess." + std::to_string(i), kWrong).status, 401);
  }
  expect_throttled(sign_in("guess.29", kWrong), "60");
  expect_throttled(sign_in("manager.one", kRight), "60");
  // Colleagues elsewhere are unaffected.
  EXPECT_EQ(sign_in("manager.one", kRight, "198.51.100.7").status, 200);
}

TEST_F(LoginThrottleApi, UnknownUsernamesAreThrottledTheSameWay) {
  auto known = fail(5, "mash.one", "192.0.2.1");
  auto unknown = fail(5, "no.such.user", "192.0.2.2");
  expect_throttled(unknown, "60");
  EXPECT_EQ(unknown.body, known.body);
  auto refused_known = sign_in("mash.one", kRight, "192.0.2.1");
  auto refused_unknown = sign_in("no.such.user", kRight, "192.0.2.2");
  EXPECT_EQ(refused_unknown.status, refused_known.status);
  EXPECT_EQ(refused_unknown.body, refused_known.body);
  EXPECT_EQ(refused_unknown.header("Retry-After"), refused_known.header("Retry-After"));
}

TEST_F(LoginThrottleApi, UsernamesAreCountedWhateverTheirCase) {
  fail(3, "MASH.ONE");
  fail(1, "Mash.One");
  expect_throttled(sign_in("mash.one", kWrong), "60");
}

TEST_F(LoginThrottleApi, OpenApiDocumentsThe429) {
  const auto& responses = app->openapi()["paths"]["/api/v1/session"]["post"]["responses"];
  EXPECT_TRUE(responses.contains("429")) << responses.dump();
}

}  // namespace
}  // namespace sg::api
