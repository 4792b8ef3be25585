#include <gtest/gtest.h>

#include "api/app.h"
#include "api_client.h"
#include "test_support.h"

namespace sg::api {
namespace {

using nlohmann::json;
using testing::at;

using Session = testing::ApiSession;

struct CaseworkApi : ::testing::Test {
  testing::World w;
  std::unique_ptr<App> app;

  void SetUp() override {
    w.clock.set(at("2026-12-24T10:00:00Z"));
    w.add_user("mash.one", domain::Role::kMashCoordinator);
    w.add_user("manager.one", domain::Role::kManager);
    w.add_user("manager.two", domain::Role::kManager);
    w.add_user("admin.one", domain::Role::kAdmin);
    app = App::create({*w.store, w.ledger, w.accounts, w.clock, w.casework, w.reports}, {}).value();
  }

  Response send(const std::string& method, const std::string& target, const Session* s,
                const json& body = nullptr) {
    return app->handle(testing::api_request(method, target, s, body));
  }

  Session login(const std::string& user) { return testing::api_login(*app, user); }

  static json concern() {
    return {{"channel", "phone"},
            {"received_at", "2026-12-24T09:00:00Z"},
            {"narrative", "Seen getting into a silver car outside school."},
            {"children",
             {{{"ref", "c1"},
               {"given_name", "Amy"},
               {"family_name", "Example"},
               {"date_of_birth", "2012-05-01"}}}}};
  }
};

TEST_F(CaseworkApi, ConcernToAcceptedReferralJourney) {
  auto mash = login("mash.one");
  auto raised = send("POST", "/api/v1/concerns", &mash, concern());
  ASSERT_EQ(raised.status, 201) << raised.body;
  auto case_id = json::parse(raised.body)["case_ids"][0].get<std::string>();

  auto inbox = send("GET", "/api/v1/inbox?inbox=mash&kind=task", &mash);
  ASSERT_EQ(inbox.status, 200);
  auto items = json::parse(inbox.body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["subkind"], "referral_decision");
  EXPECT_EQ(items[0]["due"], "2026-12-29");
  EXPECT_EQ(items[0]["working_days_left"], 1) << "24 Dec to 29 Dec 2026";

  auto decided =
      send("POST", "/api/v1/cases/" + case_id + "/decisions", &mash,
           {{"kind", "accept"}, {"rationale", "Threshold met."}, {"decided_on", "2026-12-24"}});
  ASSERT_EQ(decided.status, 201) << decided.body;

  auto record = send("GET", "/api/v1/records/" + case_id, &mash);
  ASSERT_EQ(record.status, 200);
  EXPECT_EQ(json::parse(record.body)["body"]["stage"], "assessment");
  EXPECT_EQ(record.header("ETag").value_or(""), "\"3\"");

  auto before =
      send("GET", "/api/v1/records/" + case_id + "?as_of=2026-12-24T09%3A59%3A00Z", &mash);
  EXPECT_EQ(before.status, 404) << "the case did not exist before the concern was recorded";

  // A command made on a stale read conflicts visibly (If-Match) instead of overwriting.
  Request stale;
  stale.method = "POST";
  stale.path = stale.target = "/api/v1/cases/" + case_id + "/meetings";
  stale.headers = {{"host", "localhost"},
                   {"cookie", mash.cookie},
                   {"x-csrf-token", mash.csrf},
                   {"content-type", "application/json"},
                   {"if-match", "\"2\""}};
  stale.body = json{{"kind", "strategy_discussion"}, {"held_on", "2026-12-24"}}.dump();
  auto conflict = app->handle(stale);
  EXPECT_EQ(conflict.status, 412) << conflict.body;
  EXPECT_EQ(conflict.header("Content-Type").value_or(""), "application/problem+json");
  stale.headers.back().second = "\"3\"";
  EXPECT_EQ(app->handle(stale).status, 204) << "the current version goes through";
}

TEST_F(CaseworkApi, ListsCarryLabelsAndClosedWorkOnRequest) {
  auto mash = login("mash.one");
  auto raised = send("POST", "/api/v1/concerns", &mash, concern());
  auto case_id = json::parse(raised.body)["case_ids"][0].get<std::string>();
  auto inbox = json::parse(send("GET", "/api/v1/inbox?inbox=mash", &mash).body)["items"];
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0]["label"], "Amy Example");
  auto cases = json::parse(send("GET", "/api/v1/cases?status=open", &mash).body)["items"];
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0]["case_id"], case_id);
  EXPECT_EQ(cases[0]["label"], "Amy Example");
  EXPECT_EQ(json::parse(send("GET", "/api/v1/cases?status=sideways", &mash).body)["field"],
            "status");
  ASSERT_EQ(send("POST", "/api/v1/cases/" + case_id + "/decisions", &mash,
                 {{"kind", "accept"}, {"rationale", "Yes."}, {"decided_on", "2026-12-24"}})
                .status,
            201);
  auto open_only =
      json::parse(send("GET", "/api/v1/inbox?inbox=all&case_id=" + case_id, &mash).body)["items"];
  auto all = json::parse(
      send("GET", "/api/v1/inbox?inbox=all&status=all&case_id=" + case_id, &mash).body)["items"];
  EXPECT_EQ(open_only.size(), 1u) << "the assessment";
  EXPECT_EQ(all.size(), 2u) << "and the done referral decision";
  auto users = json::parse(send("GET", "/api/v1/users", &mash).body)["items"];
  EXPECT_EQ(users.size(), 4u);
  EXPECT_EQ(users[0]["display_name"], "Test User");
  EXPECT_FALSE(users[0].contains("password_hash"));
}

TEST_F(CaseworkApi, ReviewersSeeWhoSawAndDidWhatToARecord) {
  auto reviewer_user = w.add_user("reviewer.one", domain::Role::kReviewer);
  w.grants
      .set_reviewer_scope({"system:test", domain::Role::kAdmin, "", ""}, reviewer_user.id, {"NFP"},
                          core::Date::from_ymd(2026, 1, 1).value(),
                          core::Date::from_ymd(2026, 12, 31).value())
      .value();
  auto mash = login("mash.one");
  auto raised = send("POST", "/api/v1/concerns", &mash, concern());
  auto case_id = json::parse(raised.body)["case_ids"][0].get<std::string>();
  ASSERT_EQ(send("GET", "/api/v1/records/" + case_id, &mash).status, 200);
  EXPECT_EQ(send("GET", "/api/v1/records/" + case_id + "/ledger", &mash).status, 403);
  auto reviewer = login("reviewer.one");
  auto trail = send("GET", "/api/v1/records/" + case_id + "/ledger", &reviewer);
  ASSERT_EQ(trail.status, 200) << trail.body;
  auto items = json::parse(trail.body)["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["operation"], "collection");
  EXPECT_EQ(items[1]["operation"], "consultation") << "the MASH coordinator's read";
  EXPECT_EQ(items[1]["actor_role"], "mash_coordinator");
  EXPECT_FALSE(items[1]["actor_name"].get<std::string>().empty());
  auto again =
      json::parse(send("GET", "/api/v1/records/" + case_id + "/ledger", &reviewer).body)["items"];
  EXPECT_EQ(again.size(), 3u) << "the reviewer's own look is on the record too";
  EXPECT_EQ(again[2]["reason"], "audit_review");
}

TEST_F(CaseworkApi, SearchFindsNarrativesAndLogsWhoLookedForWhat) {
  auto mash = login("mash.one");
  auto raised = send("POST", "/api/v1/concerns", &mash, concern());
  ASSERT_EQ(raised.status, 201);
  auto case_id = json::parse(raised.body)["case_ids"][0].get<std::string>();
  auto concern_id = json::parse(raised.body)["concern_id"].get<std::string>();

  auto found = send("GET", "/api/v1/search/concerns?q=Silver+sch", &mash);
  ASSERT_EQ(found.status, 200) << found.body;
  auto items = json::parse(found.body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["concern_id"], concern_id);
  EXPECT_EQ(items[0]["case_ids"], json::array({case_id}));
  EXPECT_EQ(items[0]["received_at"], "2026-12-24T09:00:00Z");
  std::vector<std::string> matched;
  for (const auto& segment : items[0]["snippet"]) {
    if (segment["match"]) matched.push_back(segment["text"]);
  }
  EXPECT_EQ(matched, (std::vector<std::string>{"silver", "school"}));

  auto tx = w.store->begin(storage::TxMode::kRead).value();
  auto last = tx->ledger_last().value().value();
  EXPECT_EQ(last.operation, domain::Operation::kConsultation);
  EXPECT_EQ(last.reason, "search");
  EXPECT_EQ(last.record_ids, std::vector<std::string>{concern_id});
  EXPECT_TRUE(
      json::parse(send("GET", "/api/v1/search/concerns?q=blue", &mash).body)["items"].empty());

  auto field_of = [&](const std::string& target, const Session* s) {
    auto r = send("GET", target, s);
    EXPECT_EQ(r.status, 400) << target;
    return json::parse(r.body).value("field", "");
  };
  EXPECT_EQ(field_of("/api/v1/search/concerns?q=%20%2B%2B", &mash), "q");
  EXPECT_EQ(field_of("/api/v1/search/concerns?q=%C3%28", &mash), "q") << "broken UTF-8";
  EXPECT_EQ(field_of("/api/v1/search/concerns?q=" + std::string(201, 'a'), &mash), "q");
  EXPECT_EQ(field_of("/api/v1/search/concerns?q=car&limit=0", &mash), "limit");
  auto admin = login("admin.one");
  EXPECT_EQ(send("GET", "/api/v1/search/concerns?q=car", &admin).status, 403)
      << "administrators never see case content";
}

TEST_F(CaseworkApi, BadConcernIsA400NamingTheField) {
  auto mash = login("mash.one");
  auto doc = concern();
  doc["children"][0]["date_of_birth"] = "2026-02-30";
  auto r = send("POST", "/api/v1/concerns", &mash, doc);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.header("Content-Type").value_or(""), "application/problem+json");
  EXPECT_EQ(json::parse(r.body)["field"], "children/0/date_of_birth");
  EXPECT_EQ(r.body.find("Amy"), std::string::npos) << "no personal data in errors";
}

TEST_F(CaseworkApi, AdminSeesNoCaseContent) {
  auto mash = login("mash.one");
  auto raised = send("POST", "/api/v1/concerns", &mash, concern());
  auto case_id = json::parse(raised.body)["case_ids"][0].get<std::string>();
  auto admin = login("admin.one");
  EXPECT_EQ(send("GET", "/api/v1/records/" + case_id, &admin).status, 403);
  EXPECT_EQ(send("GET", "/api/v1/inbox?inbox=mash", &admin).status, 403);
  EXPECT_EQ(send("POST", "/api/v1/concerns", &admin, concern()).status, 403);
}

TEST_F(CaseworkApi, NfaSignedOffBySecondManagerOnly) {
  auto m1 = login("manager.one");
  auto raised = send("POST", "/api/v1/concerns", &m1, concern());
  auto case_id = json::parse(raised.body)["case_ids"][0].get<std::string>();
  auto proposed = send("POST", "/api/v1/cases/" + case_id + "/decisions", &m1,
                       {{"kind", "nfa"}, {"rationale", "No risk."}, {"decided_on", "2026-12-24"}});
  ASSERT_EQ(proposed.status, 201);
  auto decision = json::parse(proposed.body)["id"].get<std::string>();
  auto self =
      send("POST", "/api/v1/decisions/" + decision + "/sign-off", &m1, {{"verdict", "approve"}});
  EXPECT_EQ(self.status, 403);
  auto m2 = login("manager.two");
  auto bad =
      send("POST", "/api/v1/decisions/" + decision + "/sign-off", &m2, {{"verdict", "maybe"}});
  EXPECT_EQ(json::parse(bad.body)["field"], "verdict");
  EXPECT_EQ(send("POST", "/api/v1/decisions/" + decision + "/sign-off", &m2,
                 {{"verdict", "approve"}, {"note", "Agreed"}})
                .status,
            204);
  auto kase = send("GET", "/api/v1/records/" + case_id, &m2);
  EXPECT_EQ(json::parse(kase.body)["body"]["status"], "closed");
}

TEST_F(CaseworkApi, ScreeningReturnsContributingIndicators) {
  auto mash = login("mash.one");
  auto doc = concern();
  doc["indicators"] = {{{"code", "S_DISCLOSURE"}, {"child", "c1"}, {"observed_on", "2026-12-23"}}};
  auto raised = send("POST", "/api/v1/concerns", &mash, doc);
  auto case_id = json::parse(raised.body)["case_ids"][0].get<std::string>();
  auto s = send("POST", "/api/v1/cases/" + case_id + "/screenings", &mash, json::object());
  ASSERT_EQ(s.status, 201) << s.body;
  auto body = json::parse(s.body);
  EXPECT_EQ(body["final_level"], "significant");
  EXPECT_EQ(body["contributions"][0]["code"], "S_DISCLOSURE");
  auto no_reason = send("POST", "/api/v1/cases/" + case_id + "/screenings", &mash,
                        {{"override", {{"level", "mild"}}}});
  EXPECT_EQ(json::parse(no_reason.body)["field"], "override/reason");
}

}  // namespace
}  // namespace sg::api
