// The retention review API: managers list reviews due and decide them; practitioners are
// refused; a manager sees and decides only what they have a need to know (issue 6).
#include <gtest/gtest.h>

#include "api/app.h"
#include "api_client.h"
#include "test_support.h"
#include "workflow/retention.h"

namespace sg::api {
namespace {

using nlohmann::json;
using testing::at;

using Session = testing::ApiSession;

struct RetentionApi : ::testing::Test {
  testing::World w;
  workflow::Retention retention{*w.store, w.ledger, w.clock, w.ids};
  std::unique_ptr<App> app;
  std::string concern_id, case_id;

  void SetUp() override {
    w.clock.set(at("2026-12-01T10:00:00Z"));
    w.add_user("manager.one", domain::Role::kManager);
    w.add_user("practitioner.one", domain::Role::kPractitioner);
    w.accounts.add_agency({"NCS", "Council", domain::AgencyKind::kChildrensServices}, "system:test")
        .value();
    w.accounts
        .add_user({"council.manager", "Test User", "NCS", domain::Role::kManager,
                   "correct horse battery", ""},
                  "system:test")
        .value();
    workflow::Actor system{"system:test", domain::Role::kAdmin, "", ""};
    json c = {{"source_agency", "NFP"},
              {"channel", "phone"},
              {"received_at", "2026-12-01T09:00:00Z"},
              {"narrative", "Seen with an older man near the quarrygate."},
              {"children", {{{"ref", "c1"}, {"given_name", "Amy"}, {"family_name", "Example"}}}},
              {"persons", {{{"ref", "p1"}, {"role", "suspect"}, {"given_name", "Sam"}}}}};
    auto r = w.casework.record_concern(system, c).value();
    concern_id = r.concern_id;
    case_id = r.case_ids.at(0);
    Services services{*w.store, w.ledger, w.accounts, w.clock, w.casework, w.reports};
    services.retention = &retention;
    app = App::create(services, {}).value();
  }

  Response send(const std::string& method, const std::string& target, const Session* s,
                const json& body = nullptr) {
    return app->handle(testing::api_request(method, target, s, body));
  }

  Session login(const std::string& user) { return testing::api_login(*app, user); }

  std::vector<std::string> due(const Session& s, const std::string& on) {
    auto r = send("GET", "/api/v1/retention/due?on=" + on, &s);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    auto body = json::parse(r.body);
    for (const auto& item : body["items"]) ids.push_back(item["record_id"]);
    return ids;
  }
};

TEST_F(RetentionApi, AManagerListsReviewsDueWithoutPersonalData) {
  auto manager = login("manager.one");
  EXPECT_TRUE(due(manager, "2032-11-30").empty());
  auto r = send("GET", "/api/v1/retention/due?on=2036-12-01", &manager);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.find("Amy"), std::string::npos);
  EXPECT_EQ(r.body.find("quarrygate"), std::string::npos);
  auto items = json::parse(r.body)["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["record_id"], case_id);
  EXPECT_EQ(items[0]["review_on"], "2032-12-01");
  EXPECT_EQ(items[1]["group"], "concern_naming_suspect");
  EXPECT_EQ(items[1]["review_on"], "2036-12-01");
  EXPECT_EQ(send("GET", "/api/v1/retention/due?on=someday", &manager).status, 400);
  EXPECT_EQ(send("GET", "/api/v1/retention/policy", &manager).status, 200);
}

TEST_F(RetentionApi, RetainNeedsAReasonAndEraseRemovesTheRecord) {
  w.clock.set(at("2036-12-02T10:00:00Z"));
  auto manager = login("manager.one");
  auto path = "/api/v1/retention/" + concern_id + "/decision";
  auto missing = send("POST", path, &manager, {{"decision", "retain"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(json::parse(missing.body)["field"], "reason");
  EXPECT_EQ(send("POST", path, &manager, {{"decision", "shred"}, {"reason", "x"}}).status, 400);

  auto kept = send("POST", path, &manager,
                   {{"decision", "retain"},
                    {"reason", "Linked to an open investigation"},
                    {"next_review_on", "2038-01-01"}});
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(json::parse(kept.body)["review_on"], "2038-01-01");
  EXPECT_EQ(json::parse(kept.body)["last_decision"]["decision"], "retain");
  EXPECT_EQ(due(manager, "2036-12-02"), std::vector<std::string>{case_id});

  w.clock.set(at("2038-01-02T10:00:00Z"));
  manager = login("manager.one");  // Sessions time out over a year.
  auto erased = send("POST", path, &manager,
                     {{"decision", "erase"}, {"reason", "No continuing policing purpose"}});
  ASSERT_EQ(erased.status, 200) << erased.body;
  auto read = send("GET", "/api/v1/records/" + concern_id + "?reason=case_work", &manager);
  EXPECT_EQ(read.status, 404);
  EXPECT_EQ(send("POST", path, &manager, {{"decision", "erase"}, {"reason", "again"}}).status, 404);
  EXPECT_TRUE(audit::verify(*w.store).value().intact());
}

TEST_F(RetentionApi, APractitionerIsRefusedAndAManagerWithoutNeedToKnowSeesNothing) {
  auto practitioner = login("practitioner.one");
  EXPECT_EQ(send("GET", "/api/v1/retention/due?on=2040-01-01", &practitioner).status, 403);
  EXPECT_EQ(send("POST", "/api/v1/retention/" + concern_id + "/decision", &practitioner,
                 {{"decision", "retain"}, {"reason", "Keep"}})
                .status,
            403);
  auto council = login("council.manager");
  EXPECT_TRUE(due(council, "2040-01-01").empty());
  EXPECT_EQ(send("POST", "/api/v1/retention/" + concern_id + "/decision", &council,
                 {{"decision", "retain"}, {"reason", "Keep"}})
                .status,
            403);
}

}  // namespace
}  // namespace sg::api
