// A second factor at sign-in through the API (OWASP ASVS 5.0 V6.3.3, V6.4.4, V6.5): enrolment,
// the code step of sign-in, throttling, replay, recovery codes, expiry, removal, an
// administrator's reset and the requirement that keeps an account without one to enrolling.
#include <gtest/gtest.h>

#include <cctype>

#include "access/totp.h"
#include "api/app.h"
#include "api_client.h"
#include "test_support.h"

namespace sg::api {
namespace {

using nlohmann::json;
using testing::api_login;
using testing::api_request;
using testing::ApiSession;

constexpr const char* kPassword = "correct horse battery";

struct Enrolled {
  std::string secret;  // Raw bytes, as the app holds them.
  std::vector<std::string> recovery_codes;
};

class SecondFactorApi : public ::testing::Test {
 protected:
  void SetUp() override {
    w.add_user("admin.one", domain::Role::kAdmin);
    w.add_user("prac.one", domain::Role::kPractitioner);
    strict.use_second_factor_key(w.second_factor_key);
    app = App::create({*w.store, w.ledger, strict, w.clock, w.casework, w.reports}, {}).value();
  }

  Response send(const std::string& method, const std::string& target, const ApiSession* s,
                const json& body = nullptr) {
    return app->handle(api_request(method, target, s, body, ""));
  }
  Response password(const std::string& user, const std::string& pw = kPassword) {
    return send("POST", "/api/v1/session", nullptr, {{"username", user}, {"password", pw}});
  }
  Response code_step(const std::string& token, const std::string& code) {
    return send("POST", "/api/v1/session/second-factor", nullptr,
                {{"second_factor_token", token}, {"code", code}});
  }
  std::string code_now(const std::string& secret) {
    return access::totp_code(secret, w.clock.now()).value();
  }
  // The next 30-second step, so that a fresh code is not a replay of the last one.
  void next_step() { w.clock.advance(std::chrono::seconds(30)); }
  ApiSession session_of(const Response& r) {
    auto cookie = std::string(r.header("Set-Cookie").value_or(""));
    auto body = json::parse(r.body);
    return {cookie.substr(0, cookie.find(';')), body["csrf_token"], body["user"]["id"]};
  }
  std::size_t ledger_events(const std::string& user_id) {
    return w.store->begin(storage::TxMode::kRead)
        .value()
        ->ledger_for_record(user_id, 1000)
        .value()
        .size();
  }
  Enrolled enrol(const ApiSession& s) {
    auto started = send("POST", "/api/v1/session/second-factor/enrolment", &s, json::object());
    EXPECT_EQ(started.status, 201) << started.body;
    auto body = json::parse(started.body);
    Enrolled out;
    out.secret = access::from_base32(body["secret"].get<std::string>()).value();
    auto confirmed = send("POST", "/api/v1/session/second-factor/enrolment/confirmation", &s,
                          {{"code", code_now(out.secret)}});
    EXPECT_EQ(confirmed.status, 200) << confirmed.body;
    auto codes = json::parse(confirmed.body);
    for (const auto& c : codes["recovery_codes"]) {
      out.recovery_codes.push_back(c.get<std::string>());
    }
    return out;
  }
  // The password step for an account with a second factor: the token the code step needs.
  std::string pending_token(const std::string& user) {
    auto first = password(user);
    EXPECT_EQ(first.status, 202) << first.body;
    return json::parse(first.body).value("second_factor_token", "");
  }
  // Signs in with the password and then `code`; returns the second response.
  Response sign_in(const std::string& user, const std::string& code) {
    return code_step(pending_token(user), code);
  }

  testing::World w;
  // The requirement is on, as a server's configuration has it unless turned off.
  access::Accounts strict{*w.store, w.ledger, w.clock, w.ids};
  std::unique_ptr<App> app;
};

TEST_F(SecondFactorApi, AnAccountWithoutOneIsKeptToEnrolmentWhileRequired) {
  auto s = api_login(*app, "prac.one");
  auto me = json::parse(send("GET", "/api/v1/me", &s).body);
  EXPECT_TRUE(me["user"]["must_enrol_second_factor"]);
  EXPECT_FALSE(me["user"]["second_factor"]);
  auto refused = send("GET", "/api/v1/users", &s);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(json::parse(refused.body)["field"], "second_factor");
  EXPECT_EQ(send("GET", "/api/v1/cases", &s).status, 403);
  enrol(s);
  me = json::parse(send("GET", "/api/v1/me", &s).body);
  EXPECT_FALSE(me["user"]["must_enrol_second_factor"]);
  EXPECT_TRUE(me["user"]["second_factor"]);
  EXPECT_EQ(send("GET", "/api/v1/users", &s).status, 200);
}

TEST_F(SecondFactorApi, WithTheRequirementOffAPasswordAloneSignsInAndNothingIsKept) {
  auto relaxed =
      App::create({*w.store, w.ledger, w.accounts, w.clock, w.casework, w.reports}, {}).value();
  auto s = api_login(*relaxed, "prac.one");
  EXPECT_EQ(relaxed->handle(api_request("GET", "/api/v1/users", &s, nullptr, "")).status, 200);
}

TEST_F(SecondFactorApi, EnrolThenSignInNeedsTheCodeAndEachChangeIsOneLedgerEvent) {
  auto s = api_login(*app, "prac.one");
  auto before = ledger_events(s.user_id);
  auto started = send("POST", "/api/v1/session/second-factor/enrolment", &s, json::object());
  ASSERT_EQ(started.status, 201) << started.body;
  EXPECT_EQ(ledger_events(s.user_id), before + 1);
  auto body = json::parse(started.body);
  auto secret = access::from_base32(body["secret"].get<std::string>()).value();
  EXPECT_EQ(secret.size(), 20u);
  EXPECT_TRUE(
      body["otpauth_uri"].get<std::string>().starts_with("otpauth://totp/Safeguard:prac.one?"));
  // A wrong first code does not put it in force, and names the field.
  auto wrong = send("POST", "/api/v1/session/second-factor/enrolment/confirmation", &s,
                    {{"code", "000000"}});
  if (code_now(secret) != "000000") {
    EXPECT_EQ(wrong.status, 400);
    EXPECT_EQ(json::parse(wrong.body)["field"], "code");
  }
  auto confirmed = send("POST", "/api/v1/session/second-factor/enrolment/confirmation", &s,
                        {{"code", code_now(secret)}});
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(json::parse(confirmed.body)["recovery_codes"].size(), 10u);
  EXPECT_EQ(ledger_events(s.user_id), before + 2);
  ASSERT_EQ(send("DELETE", "/api/v1/session", &s).status, 204);

  // The right password alone now opens no session.
  auto first = password("prac.one");
  ASSERT_EQ(first.status, 202) << first.body;
  EXPECT_FALSE(first.header("Set-Cookie").has_value());
  auto pending = json::parse(first.body);
  EXPECT_EQ(pending["expires_in"], 300);
  EXPECT_EQ(first.body.find("csrf_token"), std::string::npos);
  next_step();
  auto second = code_step(pending["second_factor_token"], code_now(secret));
  ASSERT_EQ(second.status, 200) << second.body;
  auto signed_in = session_of(second);
  EXPECT_EQ(send("GET", "/api/v1/users", &signed_in).status, 200);
  EXPECT_EQ(ledger_events(s.user_id), before + 2) << "signing in is logged, not ledgered";
}

TEST_F(SecondFactorApi, WrongCodesReadLikeAnExpiredSignInAndAreThrottledLikeWrongPasswords) {
  auto s = api_login(*app, "prac.one");
  auto factor = enrol(s);
  next_step();
  std::string token = pending_token("prac.one");
  std::string right = code_now(factor.secret);
  std::string wrong = right == "123456" ? "654321" : "123456";
  auto refused = code_step(token, wrong);
  ASSERT_EQ(refused.status, 401);
  auto unknown = code_step(std::string(64, 'a'), right);
  ASSERT_EQ(unknown.status, 401);
  EXPECT_EQ(json::parse(refused.body)["detail"], json::parse(unknown.body)["detail"]);
  EXPECT_EQ(refused.body.find(wrong), std::string::npos) << "the code is not echoed";
  // The throttle's count for the username includes the wrong code: the fifth failure (here
  // three more wrong codes and a wrong password) starts the wait.
  EXPECT_EQ(code_step(token, wrong).status, 401);
  EXPECT_EQ(password("prac.one", "not the password at all").status, 401);
  EXPECT_EQ(code_step(token, wrong).status, 401);
  auto fifth = code_step(token, wrong);
  EXPECT_EQ(fifth.status, 429);
  EXPECT_TRUE(fifth.header("Retry-After").has_value());
  // While the wait runs even the right code is refused; afterwards it works.
  EXPECT_EQ(code_step(token, right).status, 429);
  w.clock.advance(std::chrono::seconds(61));
  auto ok = code_step(pending_token("prac.one"), code_now(factor.secret));
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST_F(SecondFactorApi, ACodeIsNotAcceptedTwice) {
  auto s = api_login(*app, "prac.one");
  auto factor = enrol(s);
  // The code that confirmed enrolment has been used.
  EXPECT_EQ(sign_in("prac.one", code_now(factor.secret)).status, 401);
  next_step();
  auto code = code_now(factor.secret);
  EXPECT_EQ(sign_in("prac.one", code).status, 200);
  EXPECT_EQ(sign_in("prac.one", code).status, 401) << "the same step again";
  // Nor is the previous step's code, once a newer one was accepted.
  next_step();
  auto older = access::totp_code(factor.secret, w.clock.now() - std::chrono::seconds(30)).value();
  EXPECT_EQ(sign_in("prac.one", older).status, 401);
  EXPECT_EQ(sign_in("prac.one", code_now(factor.secret)).status, 200);
}

TEST_F(SecondFactorApi, ARecoveryCodeWorksOnceInAnySpelling) {
  auto s = api_login(*app, "prac.one");
  auto factor = enrol(s);
  ASSERT_EQ(factor.recovery_codes.size(), 10u);
  std::string code = factor.recovery_codes[3];
  std::string lower;
  for (char c : code) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(sign_in("prac.one", lower).status, 200);
  EXPECT_EQ(sign_in("prac.one", code).status, 401) << "used up";
  EXPECT_EQ(sign_in("prac.one", factor.recovery_codes[4]).status, 200);
}

TEST_F(SecondFactorApi, APendingSignInExpiresAfterFiveMinutesAndIsSingleUse) {
  auto s = api_login(*app, "prac.one");
  auto factor = enrol(s);
  next_step();
  std::string token = pending_token("prac.one");
  w.clock.advance(std::chrono::minutes(5));
  EXPECT_EQ(code_step(token, code_now(factor.secret)).status, 401) << "expired";

  token = pending_token("prac.one");
  ASSERT_EQ(code_step(token, code_now(factor.secret)).status, 200);
  next_step();
  EXPECT_EQ(code_step(token, code_now(factor.secret)).status, 401) << "used";
}

TEST_F(SecondFactorApi, AnAdministratorsResetEndsTheUsersSessionsAndTheyEnrolAgain) {
  auto user = api_login(*app, "prac.one");
  enrol(user);
  auto admin = api_login(*app, "admin.one");
  enrol(admin);
  auto before = ledger_events(user.user_id);
  // Only administrators may reset another's factor.
  EXPECT_EQ(send("DELETE", "/api/v1/users/admin.one/second-factor", &user).status, 403);
  EXPECT_EQ(send("DELETE", "/api/v1/users/nobody/second-factor", &admin).status, 404);
  auto reset = send("DELETE", "/api/v1/users/prac.one/second-factor", &admin);
  ASSERT_EQ(reset.status, 204) << reset.body;
  EXPECT_EQ(ledger_events(user.user_id), before + 1);
  EXPECT_EQ(send("GET", "/api/v1/me", &user).status, 401) << "their session ended";
  EXPECT_EQ(send("DELETE", "/api/v1/users/prac.one/second-factor", &admin).status, 409);
  // A password alone signs them in again, kept to enrolling a new factor.
  auto back = api_login(*app, "prac.one");
  EXPECT_EQ(send("GET", "/api/v1/users", &back).status, 403);
  enrol(back);
  EXPECT_EQ(send("GET", "/api/v1/users", &back).status, 200);
}

TEST_F(SecondFactorApi, RemovingOnesOwnNeedsThePasswordAndACode) {
  auto s = api_login(*app, "prac.one");
  auto factor = enrol(s);
  next_step();
  auto other = sign_in("prac.one", code_now(factor.secret));
  ASSERT_EQ(other.status, 200);
  auto elsewhere = session_of(other);
  next_step();
  auto before = ledger_events(s.user_id);
  auto no_password =
      send("POST", "/api/v1/session/second-factor/removal", &s,
           {{"current_password", "wrong password!"}, {"code", code_now(factor.secret)}});
  EXPECT_EQ(no_password.status, 400);
  EXPECT_EQ(json::parse(no_password.body)["field"], "current_password");
  auto no_code = send("POST", "/api/v1/session/second-factor/removal", &s,
                      {{"current_password", kPassword}, {"code", "12"}});
  EXPECT_EQ(no_code.status, 400);
  EXPECT_EQ(json::parse(no_code.body)["field"], "code");
  EXPECT_EQ(ledger_events(s.user_id), before);
  auto removed = send("POST", "/api/v1/session/second-factor/removal", &s,
                      {{"current_password", kPassword}, {"code", code_now(factor.secret)}});
  ASSERT_EQ(removed.status, 204) << removed.body;
  EXPECT_EQ(ledger_events(s.user_id), before + 1);
  EXPECT_EQ(send("GET", "/api/v1/me", &elsewhere).status, 401) << "other sessions end";
  EXPECT_EQ(send("GET", "/api/v1/me", &s).status, 200) << "this one continues";
  // Required, so this session is kept to enrolling a new one; a password alone signs in.
  EXPECT_EQ(send("GET", "/api/v1/users", &s).status, 403);
  EXPECT_EQ(password("prac.one").status, 200);
}

TEST_F(SecondFactorApi, WithAnotherKeyTheCodeStepIs503WithoutDetailsAndUsesNothingUp) {
  auto s = api_login(*app, "prac.one");
  auto factor = enrol(s);
  // The server started again with another key file: the old one was lost, or the
  // configuration names the wrong file.
  auto other_key = access::SecondFactorKey::generate();
  access::Accounts restarted{*w.store, w.ledger, w.clock, w.ids};
  restarted.use_second_factor_key(other_key);
  auto other_app =
      App::create({*w.store, w.ledger, restarted, w.clock, w.casework, w.reports}, {}).value();
  next_step();
  auto first = other_app->handle(api_request(
      "POST", "/api/v1/session", nullptr, {{"username", "prac.one"}, {"password", kPassword}}, ""));
  ASSERT_EQ(first.status, 202) << first.body;
  std::string token = json::parse(first.body)["second_factor_token"];
  auto code = code_now(factor.secret);
  auto refused =
      other_app->handle(api_request("POST", "/api/v1/session/second-factor", nullptr,
                                    {{"second_factor_token", token}, {"code", code}}, ""));
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.header("Content-Type").value_or(""), "application/problem+json");
  EXPECT_FALSE(refused.header("Set-Cookie").has_value());
  EXPECT_EQ(json::parse(refused.body)["field"], "second_factor");
  for (const auto& id : {w.second_factor_key.id(), other_key.id()}) {
    EXPECT_EQ(refused.body.find(id), std::string::npos);
  }
  EXPECT_EQ(refused.body.find(code), std::string::npos);
  // With the right key back, the same token and code sign in: nothing was used up.
  auto signed_in = code_step(token, code);
  EXPECT_EQ(signed_in.status, 200) << signed_in.body;
}

TEST_F(SecondFactorApi, WithoutAKeyNothingCanBeSetUpAnd503SaysSo) {
  access::Accounts keyless{*w.store, w.ledger, w.clock, w.ids};
  auto bare =
      App::create({*w.store, w.ledger, keyless, w.clock, w.casework, w.reports}, {}).value();
  auto s = api_login(*bare, "prac.one");
  auto r = bare->handle(
      api_request("POST", "/api/v1/session/second-factor/enrolment", &s, json::object(), ""));
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(json::parse(r.body)["field"], "second_factor");
}

}  // namespace
}  // namespace sg::api
