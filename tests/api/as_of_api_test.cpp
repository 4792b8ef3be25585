// "As known at date D" over HTTP (issue 6): GET /api/v1/persons/{id}?as_of= and the link
// graph's ?as_of=. A concern recorded after D and a correction made after D show now and not
// at D; a future or malformed as_of is a 400 naming the field; need to know still applies.
#include <gtest/gtest.h>

#include "api/app.h"
#include "api_client.h"
#include "test_support.h"
#include "workflow/matched_identity.h"
#include "workflow/network_alerts.h"

namespace sg::api {
namespace {

using nlohmann::json;
using testing::at;

using Session = testing::ApiSession;

constexpr const char* kD = "2026-12-01T12:00:00Z";
// As the server writes times back.
const std::string kDOut = core::format_rfc3339(at(kD));

// A concern recorded by `agency` about `child` (born `dob`) seen in the car `plate`.
json sighting(const std::string& agency, const std::string& child, const std::string& dob,
              const std::string& plate) {
  return {{"source_agency", agency},
          {"channel", "phone"},
          {"received_at", "2026-11-30T09:00:00Z"},
          {"narrative", "Seen getting into a car."},
          {"children",
           {{{"ref", "c1"},
             {"given_name", child},
             {"family_name", "Example"},
             {"date_of_birth", dob}}}},
          {"vehicles", {{{"ref", "v1"}, {"registration", plate}}}},
          {"links",
           {{{"type", "child_seen_in_vehicle"},
             {"from", "c1"},
             {"to", "v1"},
             {"date", "2026-11-29"},
             {"confidence", "confirmed"}}}}};
}

// The server's wiring (cli/runtime.cpp): people first, then the graph resolved by them.
struct AsOfApi : ::testing::Test {
  testing::World w;
  resolve::OnlineMatcher matcher;
  workflow::People people{*w.store, w.ledger, w.clock, matcher};
  network::LinkGraph graph{std::make_shared<workflow::MatchedPersonIdentity>(people)};
  std::unique_ptr<App> app;
  std::string amy_early, bea_late, amy_health;

  void SetUp() override {
    w.clock.set(at("2026-12-01T10:00:00Z"));
    w.add_user("analyst.one", domain::Role::kAnalyst);
    w.add_user("reviewer.one", domain::Role::kReviewer);
    w.add_user("prac.one", domain::Role::kPractitioner);
    w.accounts
        .add_agency({"NHS-NF", "Northfield Health", domain::AgencyKind::kHealth}, "system:test")
        .value();
    w.casework.use_people(people);
    workflow::Actor system{"system:test", domain::Role::kMashCoordinator, "", ""};
    auto record = [&](const json& doc) {
      auto r = w.casework.record_concern(system, doc);
      EXPECT_TRUE(r.ok()) << r.error().message << " " << r.error().field;
      return r.ok() ? r->concern_id : std::string();
    };
    amy_early = record(sighting("NFP", "Amy", "2012-05-01", "AB12 CDE"));
    // The health trust's record of the same car: NFP has no agreement to see it.
    amy_health = record(sighting("NHS-NF", "Cat", "2011-03-02", "AB12 CDE"));
    // After D: another child in the same car, and a correction of the first concern that
    // adds a second car.
    w.clock.set(at("2026-12-02T09:00:00Z"));
    bea_late = record(sighting("NFP", "Bea", "2013-07-04", "AB12 CDE"));
    auto tx = w.store->begin(storage::TxMode::kWrite).value();
    auto v = tx->record(amy_early).value();
    auto body = json::parse(v.body);
    body["vehicles"].push_back({{"ref", "v2"}, {"registration", "ZZ99 ZZZ"}});
    body["links"].push_back({{"type", "child_seen_in_vehicle"},
                             {"from", "c1"},
                             {"to", "v2"},
                             {"date", "2026-11-29"},
                             {"confidence", "probable"}});
    v.body = body.dump();
    v.recorded_at = w.clock.now();
    ASSERT_TRUE(tx->put_record(v, 1).ok());
    std::string payload = body.dump();
    ASSERT_TRUE(w.ledger
                    .append(*tx, {.actor = "system:test",
                                  .operation = domain::Operation::kAlteration,
                                  .reason = "case_work",
                                  .record_ids = {amy_early},
                                  .payload = payload})
                    .ok());
    ASSERT_TRUE(tx->commit().ok());
    // The server loads the graph at start, after every concern and correction.
    ASSERT_TRUE(graph.load(*w.store, w.clock.now()).ok());
    Services services{*w.store, w.ledger, w.accounts, w.clock, w.casework, w.reports};
    services.people = &people;
    services.network = &graph;
    app = App::create(services, {}).value();
  }

  Response get(const std::string& target, const Session& s) {
    return app->handle(testing::api_request("GET", target, &s));
  }
  Session login(const std::string& user) { return testing::api_login(*app, user); }

  std::string last_payload() {
    auto tx = w.store->begin(storage::TxMode::kRead).value();
    auto last = tx->ledger_last().value().value();
    return tx->ledger_payloads(last.seq, 1).value().at(0).payload;
  }
};

TEST_F(AsOfApi, APersonAsKnownAtDHasNeitherTheLaterRecordNorTheLaterCorrection) {
  auto analyst = login("analyst.one");
  std::string amy = amy_early + ":c1";
  auto now = get("/api/v1/persons/" + amy, analyst);
  ASSERT_EQ(now.status, 200) << now.body;
  auto then = get("/api/v1/persons/" + amy + "?as_of=" + kD, analyst);
  ASSERT_EQ(then.status, 200) << then.body;
  auto body = json::parse(then.body);
  EXPECT_EQ(body["as_of"], kDOut);
  ASSERT_EQ(body["records"].size(), 1u);
  EXPECT_EQ(body["records"][0]["version"], 1);
  EXPECT_EQ(body["records"][0]["recorded_at"], core::format_rfc3339(at("2026-12-01T10:00:00Z")));
  EXPECT_EQ(last_payload(), json({{"entity_id", amy}, {"as_of", kDOut}}).dump());

  // The child recorded after D was not known at D at all.
  auto bea = "/api/v1/persons/" + bea_late + ":c1";
  EXPECT_EQ(get(bea, analyst).status, 200);
  EXPECT_EQ(get(bea + "?as_of=" + kD, analyst).status, 404);
}

TEST_F(AsOfApi, TheLinkChartAsKnownAtDHasNeitherTheLaterConcernNorTheLaterCorrection) {
  auto analyst = login("analyst.one");
  std::string car = testing::entity_labelled(graph, "AB12 CDE"),
              second_car = testing::entity_labelled(graph, "ZZ99 ZZZ");
  ASSERT_FALSE(car.empty());
  ASSERT_FALSE(second_car.empty());

  auto now = get("/api/v1/network/entities/" + car, analyst);
  ASSERT_EQ(now.status, 200) << now.body;
  // Cat is the health trust's: NFP's analyst sees her neither then nor now. The correction
  // named the second car beside the first (co-occurrence).
  auto links_now = json::parse(now.body)["links"];
  EXPECT_EQ(testing::link_labels(links_now),
            (std::set<std::string>{"Amy Example", "Bea Example", "ZZ99 ZZZ"}));
  auto then = get("/api/v1/network/entities/" + car + "?as_of=" + kD, analyst);
  ASSERT_EQ(then.status, 200) << then.body;
  auto body = json::parse(then.body);
  EXPECT_EQ(body["as_of"], kDOut);
  EXPECT_EQ(testing::link_labels(body["links"]), (std::set<std::string>{"Amy Example"}));
  // A person node has the same id in the past graph as in today's (resolved entities).
  std::string amy_node;
  for (const auto& l : links_now) {
    if (l["other"]["label"] == "Amy Example") amy_node = l["other"]["id"];
  }
  EXPECT_EQ(body["links"][0]["other"]["id"], amy_node);
  for (const auto& evidence : body["links"][0]["evidence"]) {
    EXPECT_EQ(evidence["concern_id"], amy_early);
  }

  // The second car came with the correction after D.
  EXPECT_EQ(get("/api/v1/network/entities/" + second_car, analyst).status, 200);
  EXPECT_EQ(get("/api/v1/network/entities/" + second_car + "?as_of=" + kD, analyst).status, 404);

  auto hood_now = get("/api/v1/network/neighbourhood?entity=" + car + "&k=1", analyst);
  ASSERT_EQ(hood_now.status, 200);
  EXPECT_EQ(json::parse(hood_now.body)["children"].size(), 2u);
  auto hood_then = get("/api/v1/network/neighbourhood?entity=" + car + "&k=1&as_of=" + kD, analyst);
  ASSERT_EQ(hood_then.status, 200) << hood_then.body;
  EXPECT_EQ(json::parse(hood_then.body)["children"].size(), 1u);
  // The consultation notes which past was read, and only what it showed.
  auto payload = json::parse(last_payload());
  EXPECT_EQ(payload["query"], "neighbourhood");
  EXPECT_EQ(payload["parameters"]["as_of"], kDOut);
  auto tx = w.store->begin(storage::TxMode::kRead).value();
  EXPECT_EQ(tx->ledger_last().value()->record_ids, (std::vector<std::string>{amy_early}));
}

TEST_F(AsOfApi, AFutureOrMalformedAsOfIs400NamingTheField) {
  auto analyst = login("analyst.one");
  std::string car = testing::entity_labelled(graph, "AB12 CDE");
  for (const char* bad : {"2026-12-02T09:00:01Z", "yesterday", "2026-13-01T00:00:00Z"}) {
    for (const auto& target : {"/api/v1/persons/" + amy_early + ":c1?as_of=" + bad,
                               "/api/v1/network/neighbourhood?entity=" + car + "&as_of=" + bad,
                               "/api/v1/network/entities/" + car + "?as_of=" + bad,
                               "/api/v1/network/export?format=graphml&as_of=" + std::string(bad)}) {
      auto r = get(target, analyst);
      EXPECT_EQ(r.status, 400) << target;
      EXPECT_EQ(r.header("Content-Type"), "application/problem+json") << target;
      EXPECT_EQ(json::parse(r.body)["field"], "as_of") << target;
    }
  }
}

TEST_F(AsOfApi, NeedToKnowStillAppliesToPastReads) {
  std::string car = testing::entity_labelled(graph, "AB12 CDE");
  // Practitioners do not query the link graph, past or present.
  auto prac = login("prac.one");
  EXPECT_EQ(get("/api/v1/network/entities/" + car + "?as_of=" + kD, prac).status, 403);
  // NFP's analyst never sees the health trust's child, in the past either.
  auto analyst = login("analyst.one");
  EXPECT_EQ(get("/api/v1/persons/" + amy_health + ":c1?as_of=" + kD, analyst).status, 404);
  auto export_then = get("/api/v1/network/export?format=ftm&as_of=" + std::string(kD), analyst);
  ASSERT_EQ(export_then.status, 200);
  EXPECT_EQ(export_then.body.find("Cat"), std::string::npos);
  EXPECT_NE(export_then.body.find("Amy"), std::string::npos);
  EXPECT_EQ(export_then.body.find("Bea"), std::string::npos);

  // A reviewer without a remit sees nothing; with one for NHS-NF, the health record only.
  auto reviewer = login("reviewer.one");
  EXPECT_EQ(get("/api/v1/persons/" + amy_early + ":c1?as_of=" + kD, reviewer).status, 404);
  auto tx = w.store->begin(storage::TxMode::kRead).value();
  auto reviewer_id = tx->user_by_username("reviewer.one").value().id;
  tx.reset();
  workflow::Actor system{"system:test", domain::Role::kAdmin, "", ""};
  ASSERT_TRUE(w.grants
                  .set_reviewer_scope(system, reviewer_id, {"NHS-NF"},
                                      core::Date::parse_iso("2026-11-01").value(),
                                      core::Date::parse_iso("2026-12-31").value())
                  .ok());
  EXPECT_EQ(get("/api/v1/persons/" + amy_health + ":c1?as_of=" + kD, reviewer).status, 200);
  auto chart = get("/api/v1/network/entities/" + car + "?as_of=" + kD, reviewer);
  ASSERT_EQ(chart.status, 200) << chart.body;
  EXPECT_EQ(testing::link_labels(json::parse(chart.body)["links"]),
            (std::set<std::string>{"Cat Example"}));
}

}  // namespace
}  // namespace sg::api
