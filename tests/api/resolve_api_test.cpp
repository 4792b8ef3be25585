#include <gtest/gtest.h>

#include "api/app.h"
#include "api_client.h"
#include "test_support.h"

namespace sg::api {
namespace {

using nlohmann::json;
using testing::at;

using Session = testing::ApiSession;

struct ResolveApi : ::testing::Test {
  testing::World w;
  resolve::OnlineMatcher matcher;
  workflow::People people{*w.store, w.ledger, w.clock, matcher};
  std::unique_ptr<App> app;

  void SetUp() override {
    w.clock.set(at("2026-12-24T10:00:00Z"));
    w.add_user("mash.one", domain::Role::kMashCoordinator);
    w.add_user("analyst.one", domain::Role::kAnalyst);
    w.add_user("admin.one", domain::Role::kAdmin);
    w.accounts
        .add_agency(
            {"NCS", "Northfield Children's Services", domain::AgencyKind::kChildrensServices},
            "system:test")
        .value();
    w.share("NCS", "NFP");  // The MASH agreement: NFP sees NCS's records.
    w.casework.use_people(people);
    Services services{*w.store, w.ledger, w.accounts, w.clock, w.casework, w.reports};
    services.people = &people;
    app = App::create(services, {}).value();
  }

  Response send(const std::string& method, const std::string& target, const Session* s,
                const json& body = nullptr, const std::string& if_match = "") {
    auto r = testing::api_request(method, target, s, body);
    if (!if_match.empty()) r.headers.emplace_back("if-match", if_match);
    return app->handle(r);
  }

  Session login(const std::string& user) { return testing::api_login(*app, user); }

  static json concern(const char* agency, const char* given, const char* dob) {
    json child = {{"ref", "c1"}, {"given_name", given}, {"family_name", "Example"}};
    if (dob) child["date_of_birth"] = dob;
    return {{"channel", "phone"},
            {"source_agency", agency},
            {"received_at", "2026-12-24T09:00:00Z"},
            {"narrative", "Seen getting into a silver car outside school."},
            {"children", {child}}};
  }
};

TEST_F(ResolveApi, ARecordedConcernSaysWhichOtherAgenciesKnowTheChild) {
  auto mash = login("mash.one");
  ASSERT_EQ(send("POST", "/api/v1/concerns", &mash, concern("NCS", "Amy", "2012-05-01")).status,
            201);
  auto r = send("POST", "/api/v1/concerns", &mash, concern("NFP", "Aimee", "2012-05-01"));
  ASSERT_EQ(r.status, 201) << r.body;
  auto people_json = json::parse(r.body)["people"];
  ASSERT_EQ(people_json.size(), 1u);
  EXPECT_EQ(people_json[0]["ref"], "c1");
  EXPECT_EQ(people_json[0]["known_to"], 1);
  EXPECT_EQ(people_json[0]["matches"][0]["explanation"]["terms"].size(),
            matcher
                .explain(people_json[0]["record_id"].get<std::string>(),
                         people_json[0]["matches"][0]["record_id"].get<std::string>())
                ->terms.size());

  // The entity shows both agencies' records.
  auto entity =
      send("GET", "/api/v1/persons/" + people_json[0]["entity_id"].get<std::string>(), &mash);
  ASSERT_EQ(entity.status, 200) << entity.body;
  EXPECT_EQ(json::parse(entity.body)["records"].size(), 2u);
  EXPECT_EQ(send("GET", "/api/v1/persons/nobody", &mash).status, 404);
}

TEST_F(ResolveApi, AsYouTypeMatchingNeedsANameAndACaseworkRole) {
  auto mash = login("mash.one");
  ASSERT_EQ(send("POST", "/api/v1/concerns", &mash, concern("NCS", "Amy", "2012-05-01")).status,
            201);
  auto r = send("GET",
                "/api/v1/persons/match?given_name=Amy&family_name=Exampel&date_of_birth=2012-05-01",
                &mash);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["matches"].size(), 1u);

  auto bad = send("GET", "/api/v1/persons/match?date_of_birth=2012-05-01", &mash);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["field"], "family_name");
  bad = send("GET", "/api/v1/persons/match?family_name=Example&date_of_birth=31-31-31", &mash);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["field"], "date_of_birth");
  EXPECT_EQ(bad.body.find("31-31-31"), std::string::npos);

  auto admin = login("admin.one");
  EXPECT_EQ(send("GET", "/api/v1/persons/match?family_name=Example", &admin).status, 403);
}

TEST_F(ResolveApi, AnAnalystDecidesAQueuedPairWithIfMatchAndCanUndoIt) {
  auto mash = login("mash.one");
  send("POST", "/api/v1/concerns", &mash, concern("NCS", "Amy", nullptr));
  send("POST", "/api/v1/concerns", &mash, concern("NFP", "Amy", nullptr));
  auto analyst = login("analyst.one");
  EXPECT_EQ(send("GET", "/api/v1/review-queue", &mash).status, 403);
  auto queue = send("GET", "/api/v1/review-queue?status=open", &analyst);
  ASSERT_EQ(queue.status, 200) << queue.body;
  auto items = json::parse(queue.body)["items"];
  ASSERT_EQ(items.size(), 1u);
  std::string id = items[0]["pair_id"];
  EXPECT_EQ(send("GET", "/api/v1/review-queue?status=maybe", &analyst).status, 400);
  EXPECT_EQ(send("GET", "/api/v1/review-queue?limit=0", &analyst).status, 400);

  auto pair = send("GET", "/api/v1/review-queue/" + id, &analyst);
  ASSERT_EQ(pair.status, 200);
  EXPECT_EQ(pair.header("ETag"), "\"0\"");
  EXPECT_FALSE(json::parse(pair.body)["explanation"]["terms"].empty());

  std::string path = "/api/v1/review-queue/" + id;
  EXPECT_EQ(send("POST", path + "/decision", &analyst, {{"verdict", "maybe"}}, "\"0\"").status,
            400);
  EXPECT_EQ(send("POST", path + "/decision", &analyst, {{"verdict", "same"}}, "\"7\"").status, 412);
  auto decided = send("POST", path + "/decision", &analyst,
                      {{"verdict", "same"}, {"note", "school confirmed"}}, "\"0\"");
  ASSERT_EQ(decided.status, 200) << decided.body;
  EXPECT_EQ(decided.header("ETag"), "\"1\"");
  EXPECT_EQ(json::parse(send("GET", path, &analyst).body)["status"], "same");

  EXPECT_EQ(send("POST", path + "/undo", &analyst, nullptr, "\"0\"").status, 412);
  auto undone = send("POST", path + "/undo", &analyst, nullptr, "\"1\"");
  ASSERT_EQ(undone.status, 200) << undone.body;
  EXPECT_EQ(send("POST", path + "/undo", &analyst, nullptr, "\"2\"").status, 409);
  EXPECT_EQ(send("GET", "/api/v1/review-queue/nope", &analyst).status, 404);
}

TEST_F(ResolveApi, RoutesAreInTheOpenApiDocument) {
  const auto& paths = app->openapi()["paths"];
  for (const char* p :
       {"/api/v1/persons/match", "/api/v1/persons/{entity_id}", "/api/v1/review-queue",
        "/api/v1/review-queue/{pair_id}", "/api/v1/review-queue/{pair_id}/decision",
        "/api/v1/review-queue/{pair_id}/undo"}) {
    EXPECT_TRUE(paths.contains(p)) << p;
  }
}

}  // namespace
}  // namespace sg::api
