#include "workflow/matched_identity.h"

#include <gtest/gtest.h>

#include "network/graph.h"
#include "test_support.h"
#include "workflow/casework.h"

namespace sg::workflow {
namespace {

using nlohmann::json;
using testing::at;

TEST(MatchedPersonIdentity, TheGraphJoinsOneChildSpeltTwoWaysIntoOneNode) {
  testing::World w;
  w.clock.set(at("2026-12-24T10:00:00Z"));
  auto c = w.add_user("mash.one", domain::Role::kMashCoordinator);
  w.accounts
      .add_agency({"NCS", "Northfield Children's Services", domain::AgencyKind::kChildrensServices},
                  "system:test")
      .value();
  Actor mash{c.id, c.role, c.agency_id, ""};
  resolve::OnlineMatcher matcher;
  People people{*w.store, w.ledger, w.clock, matcher};
  w.casework.use_people(people);
  auto concern = [](const char* received, const char* agency, json child) {
    return json{{"channel", "phone"},
                {"source_agency", agency},
                {"received_at", received},
                {"narrative", "Seen in a car."},
                {"children", {child}}};
  };
  w.casework
      .record_concern(mash, concern("2026-12-21T09:00:00Z", "NFP",
                                    {{"ref", "c1"},
                                     {"given_name", "Mohammed"},
                                     {"family_name", "Khan"},
                                     {"date_of_birth", "2012-05-01"}}))
      .value();
  w.casework
      .record_concern(mash, concern("2026-12-23T09:00:00Z", "NCS",
                                    {{"ref", "c1"},
                                     {"given_name", "Muhammad"},
                                     {"family_name", "Kahn"},
                                     {"date_of_birth", "01/05/2012"}}))
      .value();

  auto children = [&](std::shared_ptr<const network::PersonIdentity> identity) {
    network::LinkGraph graph(identity);
    EXPECT_TRUE(graph.load(*w.store, w.clock.now()).ok());
    return graph.read([](const network::GraphData& g) {
      std::size_t persons = 0;
      for (const auto& e : g.entities) persons += e.kind == network::EntityKind::kPerson;
      return persons;
    });
  };
  EXPECT_EQ(children(std::make_shared<network::ExactPersonIdentity>()), 2u)
      << "exact identity keeps the two spellings apart";
  EXPECT_EQ(children(std::make_shared<MatchedPersonIdentity>(people)), 1u)
      << "the matcher's entity is one node";
}

}  // namespace
}  // namespace sg::workflow
