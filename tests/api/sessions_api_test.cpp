// Sessions over the API (OWASP ASVS 5.0 V7.2.4, V7.4.5, V7.5.2): users list and end their own
// sessions, administrators end a user's or everyone's without touching the accounts, and a
// sign-in ends the session whose cookie came with it. Chosen passwords meet the blocklists
// (V6.2.4, V6.2.11) with a 400 naming the field.
#include <gtest/gtest.h>

#include "access/crypto.h"
#include "api/app.h"
#include "api_client.h"
#include "test_support.h"

namespace sg::api {
namespace {

using nlohmann::json;
using testing::at;

using Session = testing::ApiSession;

struct SessionsApi : ::testing::Test {
  testing::World w;
  std::unique_ptr<App> app;

  void SetUp() override {
    w.clock.set(at("2026-12-01T10:00:00Z"));
    w.add_user("admin.one", domain::Role::kAdmin);
    w.add_user("practitioner.one", domain::Role::kPractitioner);
    w.add_user("manager.one", domain::Role::kManager);
    app = App::create({*w.store, w.ledger, w.accounts, w.clock, w.casework, w.reports}, {}).value();
  }

  Response send(const std::string& method, const std::string& target, const Session* s,
                const json& body = nullptr) {
    return app->handle(testing::api_request(method, target, s, body, ""));
  }

  Session login(const std::string& user) { return testing::api_login(*app, user); }

  std::vector<json> sessions_of(const Session& s) {
    auto res = send("GET", "/api/v1/me/sessions", &s);
    EXPECT_EQ(res.status, 200) << res.body;
    auto body = json::parse(res.body);
    return {body["items"].begin(), body["items"].end()};
  }

  // The session cookie's token.
  static std::string token_of(const Session& s) { return s.cookie.substr(s.cookie.find('=') + 1); }

  std::int64_t ledger_size() {
    auto last = w.store->begin(storage::TxMode::kRead).value()->ledger_last().value();
    return last ? last->seq : 0;
  }
};

std::string field_of(const Response& r) { return json::parse(r.body).value("field", ""); }

TEST_F(SessionsApi, UsersListTheirSessionsWithoutTokensOrAddresses) {
  auto desk = login("practitioner.one");
  w.clock.advance(std::chrono::minutes(3));
  auto phone = login("practitioner.one");
  login("manager.one");
  auto res = send("GET", "/api/v1/me/sessions", &phone);
  ASSERT_EQ(res.status, 200) << res.body;
  for (const auto& s : {desk, phone}) {
    EXPECT_EQ(res.body.find(token_of(s)), std::string::npos);
    EXPECT_EQ(res.body.find(access::token_hash(token_of(s))), std::string::npos);
    EXPECT_EQ(res.body.find(s.csrf), std::string::npos);
  }
  auto items = json::parse(res.body)["items"];
  ASSERT_EQ(items.size(), 2u) << "only the caller's own";
  EXPECT_EQ(items[0]["created_at"], "2026-12-01T10:00:00.000000Z");
  EXPECT_EQ(items[0]["current"], false);
  EXPECT_EQ(items[1]["created_at"], "2026-12-01T10:03:00.000000Z");
  EXPECT_EQ(items[1]["current"], true);
  EXPECT_EQ(items[1]["last_active_at"], "2026-12-01T10:03:00.000000Z");
  for (const auto& item : items) {
    EXPECT_EQ(item.size(), 4u) << "id, created_at, last_active_at, current: no address";
    EXPECT_EQ(item["id"].get<std::string>().size(), 32u);
  }
}

TEST_F(SessionsApi, EndingAnotherOfYourSessionsSignsItOutAtOnceAndIsLedgered) {
  auto desk = login("practitioner.one");
  auto phone = login("practitioner.one");
  std::string id;
  for (const auto& item : sessions_of(desk)) {
    if (!item["current"].get<bool>()) id = item["id"];
  }
  ASSERT_EQ(id.size(), 32u);
  auto before = ledger_size();
  auto res = send("DELETE", "/api/v1/me/sessions/" + id, &desk);
  ASSERT_EQ(res.status, 204) << res.body;
  EXPECT_FALSE(res.header("Set-Cookie").has_value()) << "this session's cookie stays";
  EXPECT_EQ(send("GET", "/api/v1/me", &phone).status, 401);
  EXPECT_EQ(send("GET", "/api/v1/me", &desk).status, 200);
  EXPECT_EQ(ledger_size(), before + 1);
  auto again = send("DELETE", "/api/v1/me/sessions/" + id, &desk);
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(field_of(again), "id");
}

TEST_F(SessionsApi, EndingThisSessionSignsOutAndClearsTheCookie) {
  auto desk = login("practitioner.one");
  auto id = sessions_of(desk)[0]["id"].get<std::string>();
  auto res = send("DELETE", "/api/v1/me/sessions/" + id, &desk);
  ASSERT_EQ(res.status, 204) << res.body;
  auto cookie = std::string(res.header("Set-Cookie").value_or(""));
  EXPECT_NE(cookie.find("__Host-sg_session=;"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Max-Age=0"), std::string::npos) << cookie;
  EXPECT_EQ(send("GET", "/api/v1/me", &desk).status, 401);
}

TEST_F(SessionsApi, AnotherUsersSessionCannotBeEndedByItsIdAndCsrfIsNeeded) {
  auto mine = login("practitioner.one");
  auto theirs = login("manager.one");
  auto their_id = sessions_of(theirs)[0]["id"].get<std::string>();
  auto res = send("DELETE", "/api/v1/me/sessions/" + their_id, &mine);
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(send("GET", "/api/v1/me", &theirs).status, 200);
  Session forged = theirs;
  forged.csrf = std::string(64, '0');
  auto no_csrf = send("DELETE", "/api/v1/me/sessions/" + their_id, &forged);
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(field_of(no_csrf), "x-csrf-token");
  EXPECT_EQ(send("GET", "/api/v1/me", &theirs).status, 200);
}

TEST_F(SessionsApi, EndingYourOtherSessionsKeepsThisOne) {
  auto a = login("practitioner.one");
  auto b = login("practitioner.one");
  auto c = login("practitioner.one");
  auto res = send("DELETE", "/api/v1/me/sessions", &c);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(json::parse(res.body)["ended"], 2);
  EXPECT_EQ(send("GET", "/api/v1/me", &a).status, 401);
  EXPECT_EQ(send("GET", "/api/v1/me", &b).status, 401);
  EXPECT_EQ(send("GET", "/api/v1/me", &c).status, 200);
}

TEST_F(SessionsApi, AdministratorsEndAUsersSessionsAndTheAccountStaysUsable) {
  auto admin = login("admin.one");
  auto a = login("practitioner.one");
  auto b = login("practitioner.one");
  auto other = login("manager.one");
  auto before = ledger_size();
  auto res = send("DELETE", "/api/v1/users/practitioner.one/sessions", &admin);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(json::parse(res.body)["ended"], 2);
  EXPECT_EQ(ledger_size(), before + 1);
  EXPECT_EQ(send("GET", "/api/v1/me", &a).status, 401);
  EXPECT_EQ(send("GET", "/api/v1/me", &b).status, 401);
  EXPECT_EQ(send("GET", "/api/v1/me", &other).status, 200);
  auto accounts = json::parse(send("GET", "/api/v1/accounts", &admin).body)["items"];
  for (const auto& account : accounts) EXPECT_EQ(account["active"], true);
  login("practitioner.one");  // Same password, same account.
  auto unknown = send("DELETE", "/api/v1/users/nobody.here/sessions", &admin);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(field_of(unknown), "username");
}

TEST_F(SessionsApi, OnlyAdministratorsEndOthersSessions) {
  auto manager = login("manager.one");
  auto victim = login("practitioner.one");
  EXPECT_EQ(send("DELETE", "/api/v1/users/practitioner.one/sessions", &manager).status, 403);
  EXPECT_EQ(send("DELETE", "/api/v1/sessions", &manager).status, 403);
  EXPECT_EQ(send("GET", "/api/v1/me", &victim).status, 200);
}

TEST_F(SessionsApi, AdministratorsEndEveryonesSessionsButTheirOwn) {
  auto admin = login("admin.one");
  auto a = login("practitioner.one");
  auto b = login("manager.one");
  auto res = send("DELETE", "/api/v1/sessions", &admin);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(json::parse(res.body)["ended"], 2) << "users signed out";
  EXPECT_EQ(send("GET", "/api/v1/me", &a).status, 401);
  EXPECT_EQ(send("GET", "/api/v1/me", &b).status, 401);
  EXPECT_EQ(send("GET", "/api/v1/me", &admin).status, 200);
}

TEST_F(SessionsApi, SignInEndsTheSessionWhoseCookieCameWithIt) {
  auto old = login("practitioner.one");
  auto res = app->handle(testing::api_request(
      "POST", "/api/v1/session", &old,
      {{"username", "manager.one"}, {"password", "correct horse battery"}}, ""));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(send("GET", "/api/v1/me", &old).status, 401) << "the old cookie's session ended";
  auto cookie = std::string(res.header("Set-Cookie").value_or(""));
  Session fresh{cookie.substr(0, cookie.find(';')), json::parse(res.body)["csrf_token"], ""};
  EXPECT_NE(fresh.cookie, old.cookie);
  EXPECT_EQ(send("GET", "/api/v1/me", &fresh).status, 200);
  // A failed sign-in ends nothing.
  auto failed = app->handle(
      testing::api_request("POST", "/api/v1/session", &fresh,
                           {{"username", "manager.one"}, {"password", "not the password"}}, ""));
  EXPECT_EQ(failed.status, 401);
  EXPECT_EQ(send("GET", "/api/v1/me", &fresh).status, 200);
}

TEST_F(SessionsApi, ACommonOrContextPasswordIsRefusedNamingTheFieldWithoutEchoingIt) {
  auto s = login("practitioner.one");
  for (const char* fresh : {"Password1234", "Practitioner-2026", "northfield police 1"}) {
    auto res = send("POST", "/api/v1/session/password", &s,
                    {{"current_password", "correct horse battery"}, {"new_password", fresh}});
    EXPECT_EQ(res.status, 400) << fresh;
    EXPECT_EQ(field_of(res), "new_password") << fresh;
    EXPECT_EQ(res.body.find(fresh), std::string::npos);
  }
}

TEST_F(SessionsApi, TheOpenApiDocumentDescribesTheSessionRoutes) {
  const auto& doc = app->openapi();
  EXPECT_TRUE(doc["paths"]["/api/v1/me/sessions"].contains("get"));
  EXPECT_TRUE(doc["paths"]["/api/v1/me/sessions"].contains("delete"));
  EXPECT_TRUE(doc["paths"]["/api/v1/me/sessions/{id}"].contains("delete"));
  EXPECT_TRUE(doc["paths"]["/api/v1/users/{username}/sessions"].contains("delete"));
  EXPECT_TRUE(doc["paths"]["/api/v1/sessions"].contains("delete"));
  EXPECT_TRUE(doc["components"]["schemas"].contains("SessionList"));
  EXPECT_TRUE(doc["components"]["schemas"].contains("SessionsEnded"));
}

}  // namespace
}  // namespace sg::api
