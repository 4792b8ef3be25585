#include "network/access.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace sg::network {
namespace {

TEST(NetworkAccess, AnalystsManagersAndReviewersMayQuery) {
  for (auto role : domain::kAllRoles) {
    Viewer v{"u1", role, "A1"};
    bool expected = role == domain::Role::kAnalyst || role == domain::Role::kManager ||
                    role == domain::Role::kReviewer;
    EXPECT_EQ(require_query(v).ok(), expected) << domain::role_name(role);
  }
  EXPECT_TRUE(require_query({"system:cli", domain::Role::kPractitioner, ""}).ok());
}

TEST(NetworkAccess, ViewersSeeTheirOwnAgencysRecordsUntilSharingAgreementsExist) {
  Viewer analyst{"u1", domain::Role::kAnalyst, "A1"};
  EXPECT_TRUE(may_see_agency(analyst, "A1"));
  EXPECT_FALSE(may_see_agency(analyst, "A2"));
  EXPECT_TRUE(may_see_agency({"system:cli", domain::Role::kAnalyst, ""}, "A2"));

  LinkGraph graph;
  auto doc = nlohmann::json{{"channel", "phone"},
                            {"received_at", "2026-01-01T10:00:00Z"},
                            {"narrative", "n"},
                            {"children", {{{"ref", "c1"}, {"given_name", "A"}}}},
                            {"persons", nlohmann::json::array()},
                            {"vehicles", nlohmann::json::array()},
                            {"phones", nlohmann::json::array()},
                            {"online_accounts", nlohmann::json::array()},
                            {"locations", nlohmann::json::array()},
                            {"links", nlohmann::json::array()},
                            {"events", nlohmann::json::array()},
                            {"indicators", nlohmann::json::array()}};
  auto concern = domain::parse_concern(doc, testing::at("2026-12-01T00:00:00Z")).value();
  graph.add_concern("C1", "A1", concern);
  graph.add_concern("C2", "A2", concern);
  auto scope = scope_for(graph, analyst, {});
  EXPECT_FALSE(scope.all_agencies);
  EXPECT_EQ(scope.agencies, std::set<std::string>{"A1"});
  EXPECT_TRUE(scope_for(graph, {"system:cli", domain::Role::kAnalyst, ""}, {}).all_agencies);
}

TEST(NetworkAccess, EachQueryIsOneConsultationInTheLedger) {
  testing::World w;
  auto before = w.store->begin(storage::TxMode::kRead).value()->ledger_last().value();
  Viewer analyst{"u1", domain::Role::kAnalyst, "A1"};
  nlohmann::json report = {
      {"links", {{{"evidence", {{{"concern_id", "C2"}}, {{"concern_id", "C1"}}}}}}}};
  auto records = evidence_records(report);
  ASSERT_TRUE(
      record_consultation(*w.store, w.ledger, analyst, "path", {{"from", "x"}}, records).ok());
  auto tx = w.store->begin(storage::TxMode::kRead).value();
  auto last = tx->ledger_last().value();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->seq, (before ? before->seq : 0) + 1);
  EXPECT_EQ(last->operation, domain::Operation::kConsultation);
  EXPECT_EQ(last->reason, "network_analysis");
  EXPECT_EQ(last->actor, "u1");
  EXPECT_EQ(last->record_ids, (std::vector<std::string>{"C1", "C2"}));
}

}  // namespace
}  // namespace sg::network
