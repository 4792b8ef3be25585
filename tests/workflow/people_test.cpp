#include "workflow/people.h"

#include <gtest/gtest.h>

#include "test_support.h"
#include "workflow/casework.h"

namespace sg::workflow {
namespace {

using nlohmann::json;
using testing::at;

struct PeopleTest : ::testing::Test {
  testing::World w;
  resolve::OnlineMatcher matcher;
  People people{*w.store, w.ledger, w.clock, matcher};
  Actor mash, analyst, practitioner;

  void SetUp() override {
    w.clock.set(at("2026-12-24T10:00:00Z"));
    auto c = w.add_user("mash.one", domain::Role::kMashCoordinator);
    auto a = w.add_user("analyst.one", domain::Role::kAnalyst);
    auto p = w.add_user("prac.one", domain::Role::kPractitioner);
    w.accounts
        .add_agency(
            {"NCS", "Northfield Children's Services", domain::AgencyKind::kChildrensServices},
            "system:test")
        .value();
    w.share("NCS", "NFP");  // The MASH agreement: NFP sees NCS's records.
    mash = {c.id, c.role, c.agency_id, ""};
    analyst = {a.id, a.role, a.agency_id, ""};
    practitioner = {p.id, p.role, p.agency_id, ""};
    w.casework.use_people(people);
  }

  static json child(const char* given, const char* family, const char* dob) {
    json c = {{"ref", "c1"}, {"given_name", given}, {"family_name", family}};
    if (dob) c["date_of_birth"] = dob;
    return c;
  }
  static json concern(const char* received_at, json child, const char* agency = "NFP",
                      json persons = json::array()) {
    return {{"channel", "phone"},         {"source_agency", agency},
            {"received_at", received_at}, {"narrative", "School reports concern."},
            {"children", {child}},        {"persons", persons}};
  }
  std::vector<storage::WorkItem> alerts(const char* rule) {
    return w.casework.inbox(mash, {.kind = "alert", .subkind = std::string(rule)}).value();
  }
  std::vector<storage::LedgerRow> ledger() {
    auto tx = w.store->begin(storage::TxMode::kRead).value();
    return tx->ledger_range(1, 100000).value();
  }
};

TEST_F(PeopleTest, AMisspeltRepeatConcernAboutTheSameChildRaisesTheSevenDayAlert) {
  auto first = w.casework
                   .record_concern(mash, concern("2026-12-21T09:00:00Z",
                                                 child("Mohammed", "Khan", "2012-05-01")))
                   .value();
  auto second = w.casework
                    .record_concern(mash, concern("2026-12-23T09:00:00Z",
                                                  child("Muhammad", "Kahn", "01/05/2012"), "NCS"))
                    .value();
  auto raised = alerts("repeat_concern_7_days");
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(second.alert_ids.size(), 1u);
  // Case lookup follows the same child: the repeat joins the open case.
  EXPECT_TRUE(second.new_case_ids.empty());
  EXPECT_EQ(second.case_ids, first.case_ids);
  EXPECT_EQ(matcher.entity_of(person_record_id(second.concern_id, "c1")),
            person_record_id(first.concern_id, "c1"));
}

TEST_F(PeopleTest, WithoutTheMatcherOnlyExactIdentityRaisesTheAlert) {
  Casework exact{*w.store, w.ledger, w.clock, w.ids};
  exact
      .record_concern(mash,
                      concern("2026-12-21T09:00:00Z", child("Mohammed", "Khan", "2012-05-01")))
      .value();
  auto second = exact
                    .record_concern(mash, concern("2026-12-23T09:00:00Z",
                                                  child("Muhammad", "Kahn", "2012-05-01")))
                    .value();
  EXPECT_TRUE(second.alert_ids.empty());
  EXPECT_EQ(second.new_case_ids.size(), 1u);
}

TEST_F(PeopleTest, ADifferentChildWithTheSameFamilyNameIsNotTheSameChild) {
  w.casework
      .record_concern(mash, concern("2026-12-21T09:00:00Z", child("Amy", "Example", "2012-05-01")))
      .value();
  auto second = w.casework
                    .record_concern(mash, concern("2026-12-23T09:00:00Z",
                                                  child("Ben", "Example", "2015-11-20")))
                    .value();
  EXPECT_TRUE(second.alert_ids.empty());
  EXPECT_EQ(second.new_case_ids.size(), 1u);
}

TEST_F(PeopleTest, ASuspectNamedTwiceAboutOneChildSpeltTwoWaysIsNotLinkedToTwoChildren) {
  json suspect = {{{"ref", "p1"},
                   {"role", "suspect"},
                   {"given_name", "Darren"},
                   {"family_name", "Cole"},
                   {"date_of_birth", "1990-02-03"}}};
  w.casework
      .record_concern(mash, concern("2026-10-01T09:00:00Z", child("Aisha", "Begum", "2011-07-07"),
                                    "NFP", suspect))
      .value();
  w.casework
      .record_concern(mash, concern("2026-12-01T09:00:00Z", child("Ayesha", "Begum", "2011-07-07"),
                                    "NCS", suspect))
      .value();
  EXPECT_TRUE(alerts("person_linked_to_children").empty());
  // A second, different child does link him to two children.
  w.casework
      .record_concern(mash, concern("2026-12-20T09:00:00Z", child("Jade", "Walker", "2010-01-09"),
                                    "NFP", suspect))
      .value();
  EXPECT_EQ(alerts("person_linked_to_children").size(), 1u);
}

TEST_F(PeopleTest, KnownToListsOtherAgenciesRecordsOfTheSameChildWithExplanations) {
  auto first = w.casework
                   .record_concern(mash, concern("2026-11-01T09:00:00Z",
                                                 child("Mohammed", "Khan", "2012-05-01"), "NCS"))
                   .value();
  auto second = w.casework
                    .record_concern(mash, concern("2026-12-23T09:00:00Z",
                                                  child("Mohamed", "Khan", "2012-05-01"), "NFP"))
                    .value();
  auto known = people.known_to(mash, second.concern_id).value();
  ASSERT_EQ(known.size(), 1u);
  EXPECT_EQ(known[0].ref, "c1");
  ASSERT_EQ(known[0].matches.size(), 1u);
  EXPECT_EQ(known[0].matches[0].record_id, person_record_id(first.concern_id, "c1"));
  EXPECT_GE(known[0].matches[0].probability, 0.95);
  EXPECT_FALSE(known[0].matches[0].explanation.terms.empty());
  auto j = known_to_json(known);
  EXPECT_EQ(j[0]["known_to"], 1);
  EXPECT_EQ(j[0]["matches"][0]["explanation"]["record_id_r"],
            person_record_id(first.concern_id, "c1"));
}

TEST_F(PeopleTest, KnownToShowsNothingOfAnAgencyWhoseAgreementIsRevoked) {
  auto first = w.casework
                   .record_concern(mash, concern("2026-11-01T09:00:00Z",
                                                 child("Mohammed", "Khan", "2012-05-01"), "NCS"))
                   .value();
  auto second = w.casework
                    .record_concern(mash, concern("2026-12-23T09:00:00Z",
                                                  child("Mohamed", "Khan", "2012-05-01"), "NFP"))
                    .value();
  ASSERT_EQ(people.known_to(mash, second.concern_id).value()[0].matches.size(), 1u);
  Actor system{"system:test", domain::Role::kAdmin, "", ""};
  for (const auto& g : w.grants.sharing(system, false).value()) {
    ASSERT_TRUE(w.grants.revoke(system, g.id, "agreement ended").ok());
  }
  auto known = people.known_to(mash, second.concern_id).value();
  EXPECT_TRUE(known[0].matches.empty()) << "no agreement: the other agency's record is not shown";
  // Asked by the other agency's record id, the person still shows only the own agency's.
  auto entity = people.entity(mash, person_record_id(first.concern_id, "c1")).value();
  ASSERT_EQ(entity["records"].size(), 1u);
  EXPECT_EQ(entity["records"][0]["concern_id"], second.concern_id);
}

TEST_F(PeopleTest, LookupIsAConsultationAndOnlyForCaseworkRoles) {
  w.casework
      .record_concern(mash, concern("2026-11-01T09:00:00Z", child("Amy", "Example", "2012-05-01")))
      .value();
  resolve::PersonRecord q;
  q.given_name = "Amy";
  q.family_name = "Exampel";
  q.date_of_birth = "2012-05-01";
  auto before = ledger().size();
  auto found = people.lookup(practitioner, q).value();
  ASSERT_EQ(found.size(), 1u);
  auto rows = ledger();
  ASSERT_EQ(rows.size(), before + 1);
  EXPECT_EQ(rows.back().operation, domain::Operation::kConsultation);
  EXPECT_EQ(rows.back().record_ids, std::vector<std::string>{found[0].record_id});
  Actor admin{"u", domain::Role::kAdmin, "", ""};
  EXPECT_EQ(people.lookup(admin, q).error().code, core::Code::kPermissionDenied);
}

TEST_F(PeopleTest, PossibleMatchesAreQueuedAndDecisionsOverrideTheModelAndCanBeUndone) {
  auto first =
      w.casework
          .record_concern(mash, concern("2026-11-01T09:00:00Z", child("Amy", "Example", nullptr)))
          .value();
  auto second = w.casework
                    .record_concern(mash, concern("2026-12-23T09:00:00Z",
                                                  child("Amy", "Example", nullptr), "NCS"))
                    .value();
  std::string l = person_record_id(first.concern_id, "c1");
  std::string r = person_record_id(second.concern_id, "c1");
  EXPECT_NE(matcher.entity_of(r), l);  // Names alone: not certain.

  auto queue = people.queue(analyst, "open", 50).value();
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].record_l, l);
  EXPECT_EQ(queue[0].record_r, r);
  auto view = people.pair(analyst, queue[0].pair_id).value();
  EXPECT_EQ(view.version, 0);
  EXPECT_EQ(view.explanation.record_l, l);

  EXPECT_EQ(people.queue(practitioner, "open", 50).error().code, core::Code::kPermissionDenied);
  EXPECT_EQ(people.queue(analyst, "maybe", 50).error().code, core::Code::kInvalidArgument);

  auto v1 =
      people.decide(analyst, queue[0].pair_id, resolve::Verdict::kSame, "school confirmed", 0);
  ASSERT_TRUE(v1.ok()) << v1.error().to_string();
  EXPECT_EQ(matcher.entity_of(r), l);
  EXPECT_EQ(ledger().back().operation, domain::Operation::kCombination);
  EXPECT_TRUE(people.queue(analyst, "open", 50).value().empty());
  EXPECT_EQ(people.queue(analyst, "same", 50).value().size(), 1u);
  // A decision on a stale read conflicts.
  EXPECT_EQ(
      people.decide(analyst, queue[0].pair_id, resolve::Verdict::kDifferent, "", 0).error().code,
      core::Code::kAborted);

  ASSERT_TRUE(people.undo(analyst, queue[0].pair_id, *v1).ok());
  EXPECT_NE(matcher.entity_of(r), l);
  EXPECT_EQ(ledger().back().operation, domain::Operation::kCombination);
  EXPECT_EQ(people.queue(analyst, "open", 50).value().size(), 1u);
  EXPECT_EQ(people.undo(analyst, queue[0].pair_id, std::nullopt).error().code,
            core::Code::kFailedPrecondition);
  EXPECT_EQ(people.decide(analyst, "nope", resolve::Verdict::kSame, "", std::nullopt).error().code,
            core::Code::kNotFound);
}

TEST_F(PeopleTest, RebuildsEntitiesAndDecisionsFromTheStore) {
  auto first =
      w.casework
          .record_concern(mash, concern("2026-11-01T09:00:00Z", child("Amy", "Example", nullptr)))
          .value();
  auto second = w.casework
                    .record_concern(mash, concern("2026-12-23T09:00:00Z",
                                                  child("Amy", "Example", nullptr), "NCS"))
                    .value();
  auto pair = people.queue(analyst, "open", 50).value().at(0);
  people.decide(analyst, pair.pair_id, resolve::Verdict::kSame, "", std::nullopt).value();

  resolve::OnlineMatcher fresh_matcher;
  People fresh{*w.store, w.ledger, w.clock, fresh_matcher};
  ASSERT_TRUE(fresh.rebuild().ok());
  EXPECT_EQ(fresh_matcher.size(), 2u);
  EXPECT_EQ(fresh_matcher.entity_of(person_record_id(second.concern_id, "c1")),
            person_record_id(first.concern_id, "c1"));
  auto entity = fresh.entity(mash, person_record_id(second.concern_id, "c1")).value();
  EXPECT_EQ(entity["records"].size(), 2u);
  EXPECT_EQ(entity["records"][1]["person"]["given_name"], "Amy");
}

}  // namespace
}  // namespace sg::workflow
