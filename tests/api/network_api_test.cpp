#include <gtest/gtest.h>

#include "api/app.h"
#include "api_client.h"
#include "test_support.h"
#include "workflow/network_alerts.h"

namespace sg::api {
namespace {

using nlohmann::json;
using testing::at;

using Session = testing::ApiSession;

// A concern recorded by `agency` about children seen in the car `plate`.
json sighting(const std::string& agency, const std::vector<std::string>& kids,
              const std::string& plate) {
  json doc = {{"source_agency", agency},
              {"channel", "phone"},
              {"received_at", "2026-11-20T09:00:00Z"},
              {"narrative", "Seen getting into a car."},
              {"children", json::array()},
              {"persons", json::array()},
              {"vehicles", {{{"ref", "v1"}, {"registration", plate}}}},
              {"phones", json::array()},
              {"online_accounts", json::array()},
              {"locations", json::array()},
              {"links", json::array()},
              {"events", json::array()},
              {"indicators", json::array()}};
  for (std::size_t i = 0; i < kids.size(); ++i) {
    auto ref = "c" + std::to_string(i + 1);
    doc["children"].push_back({{"ref", ref},
                               {"given_name", kids[i]},
                               {"family_name", "Example"},
                               {"date_of_birth", "2012-05-01"}});
    doc["links"].push_back({{"type", "child_seen_in_vehicle"},
                            {"from", ref},
                            {"to", "v1"},
                            {"date", "2026-11-19"},
                            {"confidence", "confirmed"}});
  }
  return doc;
}

struct NetworkApi : ::testing::Test {
  testing::World w;
  network::LinkGraph graph;
  workflow::NetworkAlerts alerts{*w.store, w.ledger, w.clock, w.ids, graph};
  std::unique_ptr<App> app;
  std::string police_car, health_car;

  void SetUp() override {
    w.clock.set(at("2026-11-30T10:00:00Z"));
    w.add_user("analyst.police", domain::Role::kAnalyst);
    w.add_user("prac.police", domain::Role::kPractitioner);
    w.accounts
        .add_agency({"NHS-NF", "Northfield Health", domain::AgencyKind::kHealth}, "system:test")
        .value();
    alerts.attach(w.casework);
    workflow::Actor system{"system:test", domain::Role::kMashCoordinator, "", ""};
    for (const auto& doc :
         {sighting("NFP", {"Amy", "Bea"}, "AB12 CDE"), sighting("NHS-NF", {"Cat"}, "XY34 ZZZ")}) {
      auto recorded = w.casework.record_concern(system, doc);
      ASSERT_TRUE(recorded.ok()) << recorded.error().message << " " << recorded.error().field;
    }
    Services services{*w.store, w.ledger, w.accounts, w.clock, w.casework, w.reports};
    services.network = &graph;
    app = App::create(services, {}).value();
    graph.read([&](const network::GraphData& d) {
      for (const auto& e : d.entities) {
        if (e.label == "AB12 CDE") police_car = e.id;
        if (e.label == "XY34 ZZZ") health_car = e.id;
      }
      return 0;
    });
  }

  Response get(const std::string& target, const Session* s) {
    Request r;
    r.method = "GET";
    r.target = target;
    auto q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) r.query = target.substr(q + 1);
    r.headers = {{"host", "localhost"}};
    if (s) r.headers.emplace_back("cookie", s->cookie);
    return app->handle(r);
  }

  Session login(const std::string& user) { return testing::api_login(*app, user); }

  std::int64_t consultations() {
    auto tx = w.store->begin(storage::TxMode::kRead).value();
    std::int64_t n = 0;
    for (const auto& row : tx->ledger_range(1, 100000).value()) {
      if (row.reason == "network_analysis") ++n;
    }
    return n;
  }
};

TEST_F(NetworkApi, AnalystsQueryWhatTheirAgencyRecordedAndEachQueryIsLedgered) {
  auto analyst = login("analyst.police");
  auto before = consultations();
  auto r = get("/api/v1/network/hot-spots", &analyst);
  ASSERT_EQ(r.status, 200) << r.body;
  auto spots = json::parse(r.body)["hot_spots"];
  ASSERT_EQ(spots.size(), 1u);  // The health trust's car is not the police's to see.
  EXPECT_EQ(spots[0]["entity"]["id"], police_car);
  EXPECT_EQ(spots[0]["children"], 2);
  EXPECT_EQ(consultations(), before + 1);

  auto hood = get("/api/v1/network/neighbourhood?entity=" + police_car + "&k=1", &analyst);
  ASSERT_EQ(hood.status, 200) << hood.body;
  EXPECT_EQ(json::parse(hood.body)["children"].size(), 2u);
  EXPECT_EQ(get("/api/v1/network/communities", &analyst).status, 200);
  EXPECT_EQ(get("/api/v1/network/key-players", &analyst).status, 200);
  EXPECT_EQ(get("/api/v1/network/entities/" + police_car, &analyst).status, 200);
  EXPECT_EQ(consultations(), before + 5);
}

TEST_F(NetworkApi, AnalystsFindNetworkAlertsInTheirInbox) {
  workflow::Actor system{"system:test", domain::Role::kMashCoordinator, "", ""};
  ASSERT_TRUE(w.casework.record_concern(system, sighting("NFP", {"Dee"}, "AB12 CDE")).ok())
      << "a third child in the same car";
  auto analyst = login("analyst.police");
  auto r = get("/api/v1/inbox?inbox=analysts&kind=alert", &analyst);
  ASSERT_EQ(r.status, 200) << r.body;
  auto items = json::parse(r.body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["inbox"], "analysts");
}

TEST_F(NetworkApi, OtherRolesAreRefused) {
  auto prac = login("prac.police");
  EXPECT_EQ(get("/api/v1/network/communities", &prac).status, 403);
  EXPECT_EQ(get("/api/v1/network/communities", nullptr).status, 401);
}

TEST_F(NetworkApi, HiddenEntitiesAreIndistinguishableFromUnknownOnes) {
  auto analyst = login("analyst.police");
  auto hidden = get("/api/v1/network/entities/" + health_car, &analyst);
  auto unknown = get("/api/v1/network/entities/vehicle-0000000000000000", &analyst);
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(unknown.status, 404);
  auto a = json::parse(hidden.body), b = json::parse(unknown.body);
  a.erase("instance");
  b.erase("instance");
  EXPECT_EQ(a, b);
  auto path = get("/api/v1/network/path?from=" + police_car + "&to=" + health_car, &analyst);
  EXPECT_EQ(path.status, 404);
  EXPECT_EQ(json::parse(path.body)["field"], "to");
}

TEST_F(NetworkApi, AbsurdParametersAre400NamingTheField) {
  auto analyst = login("analyst.police");
  auto field = [&](const std::string& target) {
    auto r = get(target, &analyst);
    EXPECT_EQ(r.status, 400) << target;
    return json::parse(r.body).value("field", "");
  };
  EXPECT_EQ(field("/api/v1/network/neighbourhood?entity=" + police_car + "&k=99"), "k");
  EXPECT_EQ(field("/api/v1/network/neighbourhood?entity=" + police_car + "&k=-1"), "k");
  EXPECT_EQ(field("/api/v1/network/hot-spots?since=2026-12-01&until=2026-01-01"), "until");
  EXPECT_EQ(field("/api/v1/network/hot-spots?since=0001-01-01"), "since");
  EXPECT_EQ(field("/api/v1/network/communities?limit=100000"), "limit");
  EXPECT_EQ(field("/api/v1/network/path?from=" + police_car), "to");
  EXPECT_EQ(field("/api/v1/network/export?format=pdf"), "format");
}

TEST_F(NetworkApi, ExportsAndTheOpenApiDocument) {
  auto analyst = login("analyst.police");
  auto graphml = get("/api/v1/network/export?format=graphml", &analyst);
  ASSERT_EQ(graphml.status, 200);
  EXPECT_EQ(graphml.body.rfind("<?xml", 0), 0u);
  EXPECT_EQ(graphml.body.find("XY34"), std::string::npos);
  auto links = get("/api/v1/network/export?format=i2&part=links", &analyst);
  ASSERT_EQ(links.status, 200);
  EXPECT_EQ(links.body.rfind("Link ID,", 0), 0u);
  const auto& paths = app->openapi()["paths"];
  for (const char* p :
       {"/api/v1/network/communities", "/api/v1/network/key-players", "/api/v1/network/hot-spots",
        "/api/v1/network/path", "/api/v1/network/neighbourhood", "/api/v1/network/entities/{id}",
        "/api/v1/network/export"}) {
    EXPECT_TRUE(paths.contains(p)) << p;
  }
}

}  // namespace
}  // namespace sg::api
