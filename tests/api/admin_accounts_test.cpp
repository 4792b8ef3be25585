// Account administration over the API (issues 6 and 8): administrators add agencies and
// users, change and disable accounts and reset passwords; every user changes their own
// password. Each write is one ledger event that never holds a password.
#include <gtest/gtest.h>

#include "access/totp.h"
#include "api/app.h"
#include "api_client.h"
#include "test_support.h"

namespace sg::api {
namespace {

using nlohmann::json;
using testing::at;

using Session = testing::ApiSession;

struct AdminAccountsApi : ::testing::Test {
  testing::World w;
  std::unique_ptr<App> app;
  Session admin;

  void SetUp() override {
    w.clock.set(at("2026-12-01T10:00:00Z"));
    w.add_user("admin.one", domain::Role::kAdmin);
    w.add_user("manager.one", domain::Role::kManager);
    w.add_user("practitioner.one", domain::Role::kPractitioner);
    w.accounts.add_agency({"NCS", "Council", domain::AgencyKind::kChildrensServices}, "system:test")
        .value();
    w.accounts
        .add_user({"council.manager", "Test User", "NCS", domain::Role::kManager,
                   "correct horse battery", ""},
                  "system:test")
        .value();
    app = App::create({*w.store, w.ledger, w.accounts, w.clock, w.casework, w.reports}, {}).value();
    admin = login("admin.one");
  }

  Response send(const std::string& method, const std::string& target, const Session* s,
                const json& body = nullptr) {
    return app->handle(testing::api_request(method, target, s, body, ""));
  }

  Session login(const std::string& user, const std::string& password = "correct horse battery") {
    return testing::api_login(*app, user, password);
  }

  int sign_in_status(const std::string& user, const std::string& password) {
    return send("POST", "/api/v1/session", nullptr, {{"username", user}, {"password", password}})
        .status;
  }

  std::int64_t ledger_size() {
    auto last = w.store->begin(storage::TxMode::kRead).value()->ledger_last().value();
    return last ? last->seq : 0;
  }

  // The events after `from`, each with its stored payload.
  std::vector<std::pair<storage::LedgerRow, std::string>> events_after(std::int64_t from) {
    auto tx = w.store->begin(storage::TxMode::kRead).value();
    auto rows = tx->ledger_range(from + 1, 1000).value();
    auto payloads = tx->ledger_payloads(from + 1, 1000).value();
    std::vector<std::pair<storage::LedgerRow, std::string>> out;
    for (const auto& row : rows) {
      std::string payload;
      for (const auto& p : payloads) {
        if (p.seq == row.seq) payload = p.payload;
      }
      out.emplace_back(row, payload);
    }
    return out;
  }

  // Exactly one event since `from`, of `op`, by `actor`, naming `user_id`, whose payload
  // holds none of `secrets`.
  void expect_one_event(std::int64_t from, domain::Operation op, const std::string& actor,
                        const std::string& user_id, const std::vector<std::string>& secrets) {
    auto events = events_after(from);
    ASSERT_EQ(events.size(), 1u);
    const auto& [row, payload] = events[0];
    EXPECT_EQ(row.operation, op);
    EXPECT_EQ(row.actor, actor);
    EXPECT_EQ(row.reason, "account_admin");
    EXPECT_NE(std::find(row.record_ids.begin(), row.record_ids.end(), user_id),
              row.record_ids.end());
    EXPECT_FALSE(payload.empty());
    for (const auto& secret : secrets) {
      EXPECT_EQ(payload.find(secret), std::string::npos) << "the ledger holds a password";
    }
    EXPECT_EQ(payload.find("argon2"), std::string::npos) << "the ledger holds a password hash";
  }

  // Adds a practitioner in NFP; returns (user id, one-time password).
  std::pair<std::string, std::string> add_practitioner(const std::string& username) {
    auto r = send("POST", "/api/v1/users", &admin,
                  {{"username", username},
                   {"display_name", "New Starter"},
                   {"role", "practitioner"},
                   {"agency", "NFP"},
                   {"manager", "manager.one"}});
    EXPECT_EQ(r.status, 201) << r.body;
    auto body = json::parse(r.body);
    return {body["user"]["id"], body["password"]};
  }

  std::string field_of(const Response& r) { return json::parse(r.body).value("field", ""); }
};

TEST_F(AdminAccountsApi, AnAddedUserSignsInWithTheOneTimePasswordShownOnce) {
  auto before = ledger_size();
  auto r = send("POST", "/api/v1/users", &admin,
                {{"username", "new.starter"},
                 {"display_name", "New Starter"},
                 {"role", "practitioner"},
                 {"agency", "NFP"},
                 {"manager", "manager.one"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header("Cache-Control").value_or(""), "no-store");
  auto body = json::parse(r.body);
  std::string password = body["password"];
  EXPECT_GE(password.size(), 12u);
  EXPECT_EQ(body["user"]["role"], "practitioner");
  EXPECT_EQ(body["user"]["agency"]["code"], "NFP");
  EXPECT_EQ(body["user"]["manager"]["username"], "manager.one");
  EXPECT_EQ(body["user"]["active"], true);
  expect_one_event(before, domain::Operation::kCollection, admin.user_id, body["user"]["id"],
                   {password});

  auto starter = login("new.starter", password);
  EXPECT_EQ(send("GET", "/api/v1/me", &starter).status, 200);
  // The password is never shown again: not in the account list.
  auto list = send("GET", "/api/v1/accounts", &admin);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(password), std::string::npos);
  EXPECT_EQ(list.body.find("argon2"), std::string::npos);
  bool listed = false;
  auto accounts = json::parse(list.body);
  for (const auto& a : accounts["items"]) {
    if (a["username"] == "new.starter") listed = a["active"] == true;
  }
  EXPECT_TRUE(listed);
}

TEST_F(AdminAccountsApi, AOneTimePasswordServesOnlyToChooseYourOwn) {
  auto [id, password] = add_practitioner("new.starter");
  auto starter = login("new.starter", password);
  auto me = send("GET", "/api/v1/me", &starter);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(json::parse(me.body)["user"]["must_change_password"], true);
  auto refused = send("GET", "/api/v1/inbox", &starter);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(field_of(refused), "password");
  ASSERT_EQ(send("POST", "/api/v1/session/password", &starter,
                 {{"current_password", password}, {"new_password", "my own long passphrase"}})
                .status,
            204);
  EXPECT_EQ(json::parse(send("GET", "/api/v1/me", &starter).body)["user"]["must_change_password"],
            false);
  EXPECT_EQ(send("GET", "/api/v1/inbox", &starter).status, 200);
  // A password the user chose is not one-time, however old it gets.
  w.clock.set(at("2027-03-01T10:00:00Z"));
  EXPECT_EQ(sign_in_status("new.starter", "my own long passphrase"), 200);
}

TEST_F(AdminAccountsApi, AnUnusedOneTimePasswordExpiresAfterAWeek) {
  auto [id, password] = add_practitioner("new.starter");
  w.clock.set(at("2026-12-08T09:59:00Z"));
  EXPECT_EQ(sign_in_status("new.starter", password), 200);
  w.clock.set(at("2026-12-08T10:01:00Z"));
  EXPECT_EQ(sign_in_status("new.starter", password), 401);
  // A reset issues a fresh one (the administrator signs in again: a week has passed).
  admin = login("admin.one");
  auto r = send("POST", "/api/v1/users/new.starter/password", &admin, json::object());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(sign_in_status("new.starter", json::parse(r.body)["password"]), 200);
}

TEST_F(AdminAccountsApi, AnAdminAddsAnAgencyAsOneCollection) {
  auto before = ledger_size();
  auto r = send("POST", "/api/v1/agencies", &admin,
                {{"code", "NHS-N"}, {"name", "Northfield Health"}, {"kind", "health"}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto id = json::parse(r.body)["id"].get<std::string>();
  expect_one_event(before, domain::Operation::kCollection, admin.user_id, id, {});
  auto again = send("POST", "/api/v1/agencies", &admin, {{"code", "NHS-N"}, {"name", "Again"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(field_of(again), "code");
  auto bad = send("POST", "/api/v1/agencies", &admin,
                  {{"code", "NEW"}, {"name", "New"}, {"kind", "bakery"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(field_of(bad), "kind");
  EXPECT_EQ(ledger_size(), before + 1);
}

TEST_F(AdminAccountsApi, DisablingEndsTheUsersLiveSessionAtOnce) {
  auto practitioner = login("practitioner.one");
  auto second = login("practitioner.one");
  ASSERT_EQ(send("GET", "/api/v1/me", &practitioner).status, 200);
  auto before = ledger_size();
  auto r = send("PATCH", "/api/v1/users/practitioner.one", &admin, {{"disabled", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["user"]["active"], false);
  expect_one_event(before, domain::Operation::kAlteration, admin.user_id, practitioner.user_id, {});
  EXPECT_EQ(send("GET", "/api/v1/me", &practitioner).status, 401);
  EXPECT_EQ(send("GET", "/api/v1/me", &second).status, 401);
  EXPECT_EQ(sign_in_status("practitioner.one", "correct horse battery"), 401);
  // Enabled again, the account signs in; the ended sessions stay ended.
  ASSERT_EQ(send("PATCH", "/api/v1/users/practitioner.one", &admin, {{"disabled", false}}).status,
            200);
  EXPECT_EQ(send("GET", "/api/v1/me", &practitioner).status, 401);
  EXPECT_EQ(sign_in_status("practitioner.one", "correct horse battery"), 200);
}

TEST_F(AdminAccountsApi, AnAdminChangesRoleManagerAndName) {
  add_practitioner("new.starter");
  auto before = ledger_size();
  auto r = send("PATCH", "/api/v1/users/new.starter", &admin,
                {{"role", "analyst"}, {"display_name", "Renamed Starter"}, {"manager", nullptr}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto user = json::parse(r.body)["user"];
  EXPECT_EQ(user["role"], "analyst");
  EXPECT_EQ(user["display_name"], "Renamed Starter");
  EXPECT_TRUE(user["manager"].is_null());
  EXPECT_EQ(events_after(before).size(), 1u);
  auto starter_session =
      w.store->begin(storage::TxMode::kRead).value()->user_by_username("new.starter").value();
  EXPECT_EQ(starter_session.role, domain::Role::kAnalyst);
  EXPECT_TRUE(starter_session.manager_id.empty());
}

TEST_F(AdminAccountsApi, ResetEndsSessionsAndTheOldPasswordFails) {
  auto practitioner = login("practitioner.one");
  auto before = ledger_size();
  auto r = send("POST", "/api/v1/users/practitioner.one/password", &admin, json::object());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Cache-Control").value_or(""), "no-store");
  std::string fresh = json::parse(r.body)["password"];
  expect_one_event(before, domain::Operation::kAlteration, admin.user_id, practitioner.user_id,
                   {fresh, "correct horse battery"});
  EXPECT_EQ(send("GET", "/api/v1/me", &practitioner).status, 401);
  EXPECT_EQ(sign_in_status("practitioner.one", "correct horse battery"), 401);
  EXPECT_EQ(sign_in_status("practitioner.one", fresh), 200);
  EXPECT_EQ(send("POST", "/api/v1/users/nobody.here/password", &admin, json::object()).status, 404);
}

TEST_F(AdminAccountsApi, UsersChangeTheirOwnPasswordAndTheirOtherSessionsEnd) {
  auto here = login("practitioner.one");
  auto elsewhere = login("practitioner.one");
  auto before = ledger_size();
  auto wrong =
      send("POST", "/api/v1/session/password", &here,
           {{"current_password", "not my password"}, {"new_password", "a much longer passphrase"}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(field_of(wrong), "current_password");
  EXPECT_EQ(wrong.body.find("not my password"), std::string::npos);
  auto short_one = send("POST", "/api/v1/session/password", &here,
                        {{"current_password", "correct horse battery"}, {"new_password", "short"}});
  EXPECT_EQ(short_one.status, 400);
  EXPECT_EQ(field_of(short_one), "new_password");
  auto same = send(
      "POST", "/api/v1/session/password", &here,
      {{"current_password", "correct horse battery"}, {"new_password", "correct horse battery"}});
  EXPECT_EQ(same.status, 400);
  EXPECT_EQ(field_of(same), "new_password");
  EXPECT_EQ(ledger_size(), before) << "refusals change nothing";
  EXPECT_EQ(send("GET", "/api/v1/me", &elsewhere).status, 200);

  // ASVS V6.2.9: a 64-character passphrase is accepted, with no composition rules.
  std::string passphrase(64, 'p');
  auto ok = send("POST", "/api/v1/session/password", &here,
                 {{"current_password", "correct horse battery"}, {"new_password", passphrase}});
  ASSERT_EQ(ok.status, 204) << ok.body;
  expect_one_event(before, domain::Operation::kAlteration, here.user_id, here.user_id,
                   {passphrase, "correct horse battery"});
  EXPECT_EQ(send("GET", "/api/v1/me", &here).status, 200) << "this session continues";
  EXPECT_EQ(send("GET", "/api/v1/me", &elsewhere).status, 401) << "the other one ends";
  EXPECT_EQ(sign_in_status("practitioner.one", "correct horse battery"), 401);
  EXPECT_EQ(sign_in_status("practitioner.one", passphrase), 200);
}

TEST_F(AdminAccountsApi, WrongCurrentPasswordsAreThrottledLikeSignIns) {
  auto here = login("practitioner.one");
  int last = 0;
  for (int i = 0; i < 6; ++i) {
    last = send("POST", "/api/v1/session/password", &here,
                {{"current_password", "guess number " + std::to_string(i)},
                 {"new_password", "a much longer passphrase"}})
               .status;
  }
  EXPECT_EQ(last, 429);
}

TEST_F(AdminAccountsApi, BadInputIsRefusedNamingTheField) {
  auto before = ledger_size();
  auto add = [&](json body) { return send("POST", "/api/v1/users", &admin, body); };
  json good = {{"username", "new.starter"},
               {"display_name", "New Starter"},
               {"role", "practitioner"},
               {"agency", "NFP"}};
  auto with = [&](const std::string& key, json value) {
    json b = good;
    b[key] = value;
    return b;
  };
  struct Case {
    json body;
    int status;
    std::string field;
  };
  std::vector<Case> cases = {
      {with("role", "overlord"), 400, "role"},
      {with("agency", "NOPE"), 400, "agency"},
      {with("username", "No Spaces Allowed"), 400, "username"},
      {with("manager", "nobody.here"), 400, "manager"},
      {with("manager", "council.manager"), 400, "manager"},  // Another agency.
      {with("manager", 7), 400, "manager"},
      {with("username", "practitioner.one"), 409, "username"},
  };
  for (const auto& c : cases) {
    auto r = add(c.body);
    EXPECT_EQ(r.status, c.status) << c.body.dump() << " → " << r.body;
    EXPECT_EQ(field_of(r), c.field) << c.body.dump();
    EXPECT_EQ(r.header("Content-Type").value_or(""), "application/problem+json");
  }
  auto patch = [&](const std::string& user, json body) {
    return send("PATCH", "/api/v1/users/" + user, &admin, body);
  };
  auto r = patch("practitioner.one", {{"role", "overlord"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "role");
  r = patch("practitioner.one", {{"disabled", "yes"}});
  EXPECT_EQ(field_of(r), "disabled");
  r = patch("practitioner.one", {{"manager", "council.manager"}});
  EXPECT_EQ(field_of(r), "manager");
  r = patch("practitioner.one", {{"manager", "practitioner.one"}});
  EXPECT_EQ(field_of(r), "manager");
  r = patch("practitioner.one", json::object());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "body");
  r = patch("nobody.here", {{"role", "analyst"}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(field_of(r), "username");
  EXPECT_EQ(ledger_size(), before) << "nothing refused was written";
}

TEST_F(AdminAccountsApi, TheLastAdminCannotDisableOrDemoteThemselves) {
  auto r = send("PATCH", "/api/v1/users/admin.one", &admin, {{"disabled", true}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(field_of(r), "disabled");
  r = send("PATCH", "/api/v1/users/admin.one", &admin, {{"role", "practitioner"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(field_of(r), "role");
  EXPECT_EQ(send("GET", "/api/v1/me", &admin).status, 200);
  // With a second admin, the first may step down (but still not disable themselves).
  ASSERT_EQ(send("PATCH", "/api/v1/users/manager.one", &admin, {{"role", "admin"}}).status, 200);
  EXPECT_EQ(send("PATCH", "/api/v1/users/admin.one", &admin, {{"disabled", true}}).status, 409);
  EXPECT_EQ(send("PATCH", "/api/v1/users/admin.one", &admin, {{"role", "auditor"}}).status, 200);
}

TEST_F(AdminAccountsApi, OnlyAdminsManageAccountsAndAdminsSeeNoCaseContent) {
  auto manager = login("manager.one");
  auto before = ledger_size();
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/api/v1/accounts"},
           {"POST", "/api/v1/users"},
           {"POST", "/api/v1/agencies"},
           {"PATCH", "/api/v1/users/practitioner.one"},
           {"POST", "/api/v1/users/practitioner.one/password"}}) {
    auto r = send(method, target, &manager, {{"disabled", true}});
    EXPECT_EQ(r.status, 403) << method << " " << target;
  }
  EXPECT_EQ(ledger_size(), before);
  auto practitioner = login("practitioner.one");
  EXPECT_EQ(send("GET", "/api/v1/me", &practitioner).status, 200);
  // Administrators manage accounts, not casework.
  EXPECT_EQ(send("GET", "/api/v1/cases", &admin).status, 403);
  EXPECT_EQ(send("GET", "/api/v1/inbox", &admin).status, 403);
  EXPECT_EQ(send("GET", "/api/v1/search/concerns?q=park", &admin).status, 403);
  // Signed out, nothing.
  EXPECT_EQ(send("GET", "/api/v1/accounts", nullptr).status, 401);
  EXPECT_EQ(send("POST", "/api/v1/session/password", nullptr, json::object()).status, 401);
}

TEST_F(AdminAccountsApi, TheAccountListSaysWhoHasASecondFactorAndNeverTheSecret) {
  auto practitioner = login("practitioner.one");
  auto started =
      send("POST", "/api/v1/session/second-factor/enrolment", &practitioner, json::object());
  ASSERT_EQ(started.status, 201) << started.body;
  std::string secret = json::parse(started.body)["secret"];
  auto has_factor = [&](const std::string& username) {
    auto list = send("GET", "/api/v1/accounts", &admin);
    EXPECT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(list.body.find(secret), std::string::npos);
    auto body = json::parse(list.body);
    for (const auto& a : body["items"]) {
      if (a["username"] == username) return a["second_factor"].get<bool>();
    }
    ADD_FAILURE() << "no account " << username;
    return false;
  };
  EXPECT_FALSE(has_factor("practitioner.one")) << "started, not in force";
  auto raw = access::from_base32(secret).value();
  auto confirmed = send("POST", "/api/v1/session/second-factor/enrolment/confirmation",
                        &practitioner, {{"code", access::totp_code(raw, w.clock.now()).value()}});
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_TRUE(has_factor("practitioner.one"));
  EXPECT_FALSE(has_factor("manager.one"));
  // A single account in a response says so too.
  auto changed =
      send("PATCH", "/api/v1/users/practitioner.one", &admin, {{"display_name", "Pat Two"}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_TRUE(json::parse(changed.body)["user"]["second_factor"].get<bool>());
  ASSERT_EQ(send("DELETE", "/api/v1/users/practitioner.one/second-factor", &admin).status, 204);
  EXPECT_FALSE(has_factor("practitioner.one"));
}

}  // namespace
}  // namespace sg::api
