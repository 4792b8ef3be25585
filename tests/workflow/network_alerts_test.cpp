#include "workflow/network_alerts.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace sg::workflow {
namespace {

using nlohmann::json;
using testing::at;

// A concern about one child seen in the car AB12 CDE.
json sighting(int child) {
  auto ref = "c1";
  return {{"source_agency", "NFP"},
          {"channel", "phone"},
          {"received_at", "2026-11-2" + std::to_string(child) + "T10:00:00Z"},
          {"narrative", "Seen getting into a silver car."},
          {"children",
           {{{"ref", ref},
             {"given_name", "Child" + std::string(1, static_cast<char>('A' + child))},
             {"family_name", "Example"},
             {"date_of_birth", "2012-05-01"}}}},
          {"persons", json::array()},
          {"vehicles", {{{"ref", "v1"}, {"registration", "AB12 CDE"}}}},
          {"phones", json::array()},
          {"online_accounts", json::array()},
          {"locations", json::array()},
          {"links",
           {{{"type", "child_seen_in_vehicle"},
             {"from", ref},
             {"to", "v1"},
             {"confidence", "confirmed"}}}},
          {"events", json::array()},
          {"indicators", json::array()}};
}

struct NetworkAlertsTest : ::testing::Test {
  testing::World w;
  network::LinkGraph graph;
  NetworkAlerts alerts{*w.store, w.ledger, w.clock, w.ids, graph, 3};
  Actor mash;

  void SetUp() override {
    auto m = w.add_user("mash.one", domain::Role::kMashCoordinator);
    mash = {m.id, m.role, m.agency_id, ""};
    alerts.attach(w.casework);
  }

  std::vector<storage::WorkItem> network_alerts() {
    auto tx = w.store->begin(storage::TxMode::kRead).value();
    return tx
        ->work_items({.inbox = std::string(kAnalystsInbox),
                      .kind = "alert",
                      .subkind = std::string(kNetworkAlertRule),
                      .open_only = false})
        .value();
  }
};

TEST_F(NetworkAlertsTest, AVehicleLinkedToThreeChildrenRaisesOneAnalystAlert) {
  w.casework.record_concern(mash, sighting(1)).value();
  w.casework.record_concern(mash, sighting(2)).value();
  EXPECT_TRUE(network_alerts().empty());
  w.casework.record_concern(mash, sighting(3)).value();
  auto items = network_alerts();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].label, "AB12 CDE");
  EXPECT_EQ(items[0].subject_key.rfind("vehicle-", 0), 0u);
  auto record = w.store->begin(storage::TxMode::kRead).value()->record(items[0].id).value();
  auto body = json::parse(record.body);
  EXPECT_EQ(body["child_entity_ids"].size(), 3u);
  EXPECT_EQ(body["concern_ids"].size(), 3u);
  // Recorded under the agency of the concern that raised it.
  EXPECT_EQ(record.agency_id, mash.agency_id);
  EXPECT_EQ(items[0].agency_id, mash.agency_id);
  // A fourth child does not raise a second alert for the same car.
  w.casework.record_concern(mash, sighting(4)).value();
  EXPECT_EQ(network_alerts().size(), 1u);
}

TEST_F(NetworkAlertsTest, TheGraphStaysCurrentAndRebuildsFromTheStore) {
  w.casework.record_concern(mash, sighting(1)).value();
  w.casework.record_concern(mash, sighting(2)).value();
  network::LinkGraph rebuilt;
  ASSERT_TRUE(rebuilt.load(*w.store, w.clock.now()).ok());
  auto count = [](const network::LinkGraph& g) {
    return g.read([](const network::GraphData& d) {
      return std::make_pair(d.entities.size(), d.links.size());
    });
  };
  EXPECT_EQ(count(rebuilt), count(graph));
  EXPECT_EQ(count(graph).first, 3u);  // Two children and the car.
}

}  // namespace
}  // namespace sg::workflow
