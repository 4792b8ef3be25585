// The contextual safeguarding API: place and peer-group cases over HTTP, as the web app
// drives them (routes in src/api/context_routes.cpp).
#include <gtest/gtest.h>

#include "api/app.h"
#include "api_client.h"
#include "test_support.h"

namespace sg::api {
namespace {

using nlohmann::json;
using testing::at;

json at_takeaway(const std::string& given, const std::string& dob, const std::string& agency) {
  return {{"source_agency", agency},
          {"channel", "phone"},
          {"received_at", "2026-11-20T10:00:00Z"},
          {"narrative", "Seen at the takeaway late at night."},
          {"children",
           {{{"ref", "c1"},
             {"given_name", given},
             {"family_name", "Example"},
             {"date_of_birth", dob}}}},
          {"persons",
           {{{"ref", "p1"},
             {"role", "suspect"},
             {"given_name", "Sam"},
             {"family_name", "Suspect"},
             {"date_of_birth", "1990-01-01"}}}},
          {"locations",
           {{{"ref", "l1"},
             {"kind", "takeaway"},
             {"name", "Chicken Palace"},
             {"postcode", "NF1 2AB"}}}}};
}

struct ContextApi : ::testing::Test {
  testing::World w;
  network::LinkGraph graph;
  std::unique_ptr<App> app;
  std::string place, person, amy_case, beth_case, youth_case, prac_id;
  testing::ApiSession m1, m2, prac, youth, analyst;

  void SetUp() override {
    w.clock.set(at("2026-11-30T10:00:00Z"));
    w.casework.add_listener([this](const domain::Concern& c, const workflow::IntakeResult& r) {
      graph.add_concern(r.concern_id, r.agency_id, c);
    });
    w.add_user("manager.one", domain::Role::kManager);
    w.add_user("manager.two", domain::Role::kManager);
    prac_id =
        w.add_user("prac.one", domain::Role::kPractitioner, "correct horse battery", "manager.one")
            .id;
    w.add_user("analyst.one", domain::Role::kAnalyst);
    w.accounts
        .add_agency({"YTH", "Youth Service", domain::AgencyKind::kYouthService}, "system:test")
        .value();
    w.accounts
        .add_user({"youth.one", "Youth Worker", "YTH", domain::Role::kManager,
                   "correct horse battery", ""},
                  "system:test")
        .value();
    workflow::Actor system{"system:test", domain::Role::kMashCoordinator, "", ""};
    amy_case = w.casework.record_concern(system, at_takeaway("Amy", "2012-05-01", "NFP"))
                   .value()
                   .case_ids[0];
    beth_case = w.casework.record_concern(system, at_takeaway("Beth", "2011-03-02", "NFP"))
                    .value()
                    .case_ids[0];
    youth_case = w.casework.record_concern(system, at_takeaway("Cara", "2011-07-07", "YTH"))
                     .value()
                     .case_ids[0];
    Services services{*w.store, w.ledger, w.accounts, w.clock, w.casework, w.reports};
    services.network = &graph;
    services.grants = &w.grants;
    app = App::create(services, {}).value();
    graph.read([&](const network::GraphData& d) {
      for (const auto& e : d.entities) {
        if (e.kind == network::EntityKind::kLocation) place = e.id;
        if (e.kind == network::EntityKind::kPerson) person = e.id;
      }
      return 0;
    });
    m1 = testing::api_login(*app, "manager.one");
    m2 = testing::api_login(*app, "manager.two");
    prac = testing::api_login(*app, "prac.one");
    youth = testing::api_login(*app, "youth.one");
    analyst = testing::api_login(*app, "analyst.one");
  }

  Response send(const std::string& method, const std::string& target, const testing::ApiSession& s,
                const json& body = nullptr) {
    return app->handle(testing::api_request(method, target, &s, body));
  }

  std::string field_of(const Response& r) {
    auto body = json::parse(r.body, nullptr, false);
    return body.is_object() ? body.value("field", "") : "";
  }

  // Opens the place case from the network draft, as the "Open a place case" button does.
  std::string open_from_draft() {
    auto draft = send("GET", "/api/v1/network/places/" + place + "/context-draft", m1);
    EXPECT_EQ(draft.status, 200) << draft.body;
    auto d = json::parse(draft.body);
    json children = json::array();
    for (const auto& c : d["children"]) {
      children.push_back({{"case_id", c["case_id"]}, {"reason", "seen at the takeaway"}});
    }
    auto r = send("POST", "/api/v1/contexts", m1,
                  {{"kind", "place"},
                   {"title", d["place"]["label"]},
                   {"place_entity_id", d["place"]["entity_id"]},
                   {"children", children}});
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body).value("id", "");
  }
};

TEST_F(ContextApi, APlaceCaseOpensFromTheNetworkWithTheChildrenTheUserMaySee) {
  auto draft = send("GET", "/api/v1/network/places/" + place + "/context-draft", m1);
  ASSERT_EQ(draft.status, 200) << draft.body;
  auto d = json::parse(draft.body);
  EXPECT_EQ(d["place"]["label"], "Chicken Palace");
  EXPECT_EQ(d["place"]["detail"], "takeaway");
  EXPECT_EQ(d["children"].size(), 2u);  // Cara's record is the youth service's.
  auto id = open_from_draft();
  auto r = send("GET", "/api/v1/contexts/" + id, m1);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("ETag").value_or(""), "\"1\"");
  auto doc = json::parse(r.body);
  EXPECT_EQ(doc["body"]["place"]["entity_id"], place);
  EXPECT_EQ(doc["children"].size(), 2u);
  auto list = json::parse(send("GET", "/api/v1/contexts", m1).body);
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["children"], 2);
  EXPECT_EQ(list["items"][0]["kind"], "place");
}

TEST_F(ContextApi, BadInputGetsAProblemNamingTheField) {
  auto post = [&](const json& body) { return send("POST", "/api/v1/contexts", m1, body); };
  auto r = post({{"kind", "street"}, {"title", "x"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "kind");
  EXPECT_EQ(r.header("Content-Type").value_or(""), "application/problem+json");
  r = post({{"kind", "place"}, {"title", "x"}, {"place_entity_id", "location-ffffffffffffffff"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "place_entity_id");
  r = post({{"kind", "place"}, {"title", "x"}, {"place_entity_id", person}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "place_entity_id");
  r = post({{"kind", "peer_group"},
            {"title", "Park group"},
            {"children",
             {{{"case_id", amy_case}, {"reason", "friends"}},
              {{"case_id", youth_case}, {"reason", "friends"}}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "children/1/case_id");
  r = post({{"kind", "peer_group"},
            {"title", "Park group"},
            {"children",
             {{{"case_id", amy_case}, {"reason", "friends"}},
              {{"case_id", beth_case}, {"reason", ""}}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "children/1/reason");
  auto id = open_from_draft();
  r = send("POST", "/api/v1/contexts/" + id + "/children", m1,
           {{"case_id", amy_case}, {"reason", "again"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(field_of(r), "case_id");
  r = send("POST", "/api/v1/contexts/" + id + "/children/" + amy_case + "/removal", m1,
           {{"reason", ""}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "reason");
  r = send("POST", "/api/v1/contexts/" + id + "/interventions", m1,
           {{"description", "Visit"}, {"owner_id", prac_id}, {"due", "31/12/2026"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "due");
  r = send("POST", "/api/v1/contexts/" + id + "/assessments", m1,
           {{"summary", "Hot spot"}, {"risk_level", "severe"}, {"risk_reason", "x"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "risk_level");
  // No personal data in an error body.
  EXPECT_EQ(r.body.find("Amy"), std::string::npos);
}

TEST_F(ContextApi, AnUnsharedAgencysUserCannotSeeOrFindIt) {
  auto id = open_from_draft();
  EXPECT_EQ(send("GET", "/api/v1/contexts/" + id, youth).status, 403);
  auto list = json::parse(send("GET", "/api/v1/contexts?status=all", youth).body);
  EXPECT_TRUE(list["items"].empty());
  // Nor through the generic record route.
  EXPECT_EQ(send("GET", "/api/v1/records/" + id, youth).status, 403);
  // The police analyst reads casework of their agency, but may not open one.
  EXPECT_EQ(send("GET", "/api/v1/contexts/" + id, analyst).status, 200);
  EXPECT_EQ(send("POST", "/api/v1/contexts", analyst, {{"kind", "school"}, {"title", "x"}}).status,
            403);
  // Put on the case team, the youth worker sees it.
  auto r = send("POST", "/api/v1/cases/" + id + "/team", m1, {{"user_id", youth.user_id}});
  ASSERT_LT(r.status, 300) << r.body;
  EXPECT_EQ(send("GET", "/api/v1/contexts/" + id, youth).status, 200);
}

TEST_F(ContextApi, InterventionsSitInTheOwnersWorkAndClosureNeedsAnotherManager) {
  auto id = open_from_draft();
  w.clock.set(at("2026-11-30T10:05:00Z"));
  auto r = send("POST", "/api/v1/contexts/" + id + "/interventions", m1,
                {{"description", "Licensing visit"}, {"owner_id", prac_id}, {"due", "2026-12-04"}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto task = json::parse(r.body)["id"].get<std::string>();
  auto mine = json::parse(send("GET", "/api/v1/inbox?inbox=mine", prac).body)["items"];
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0]["id"], task);
  EXPECT_EQ(mine[0]["subkind"], "context_intervention");
  EXPECT_EQ(mine[0]["case_id"], id);
  // A stale If-Match is refused.
  auto stale = testing::api_request(
      "POST", "/api/v1/contexts/" + id + "/assessments", &m1,
      {{"summary", "Hot spot"}, {"risk_level", "high"}, {"risk_reason", "three children"}});
  stale.headers.emplace_back("if-match", "\"1\"");
  EXPECT_EQ(app->handle(stale).status, 412);
  r = send("POST", "/api/v1/contexts/" + id + "/closure", m1,
           {{"rationale", "No sightings since October"}, {"decided_on", "2026-11-30"}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto decision = json::parse(r.body)["id"].get<std::string>();
  auto path = "/api/v1/context-decisions/" + decision + "/sign-off";
  EXPECT_EQ(send("POST", path, prac, {{"verdict", "approve"}}).status, 403);
  EXPECT_EQ(send("POST", path, m1, {{"verdict", "approve"}}).status, 403);
  EXPECT_EQ(send("POST", path, m2, {{"verdict", "approve"}, {"note", "agreed"}}).status, 204);
  auto doc = json::parse(send("GET", "/api/v1/contexts/" + id, m1).body);
  EXPECT_EQ(doc["body"]["status"], "closed");
  EXPECT_EQ(doc["interventions"][0]["status"], "cancelled");
  // As it stood before closing.
  EXPECT_EQ(send("GET", "/api/v1/contexts/" + id + "?as_of=2026-11-30T09:59:59Z", m1).status,
            404);  // Not yet recorded then.
  auto opened =
      json::parse(send("GET", "/api/v1/contexts/" + id + "?as_of=2026-11-30T10:02:00Z", m1).body);
  EXPECT_EQ(opened["body"]["status"], "open");
  EXPECT_EQ(send("POST", "/api/v1/contexts/" + id + "/children", m1,
                 {{"case_id", youth_case}, {"reason", "x"}})
                .status,
            409);
}

TEST_F(ContextApi, TheOpenApiDocumentDescribesTheRoutes) {
  auto doc = app->openapi();
  EXPECT_TRUE(doc["paths"].contains("/api/v1/contexts"));
  EXPECT_TRUE(doc["paths"].contains("/api/v1/contexts/{id}/interventions"));
  EXPECT_TRUE(doc["components"]["schemas"].contains("OpenContextRequest"));
}

}  // namespace
}  // namespace sg::api
