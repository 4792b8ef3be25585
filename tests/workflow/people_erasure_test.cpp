// Erasure reaches the person matcher of a running server (issue 6, docs/retention.md): once a
// concern is erased under retention review, its children and persons are matched to nothing.
#include <gtest/gtest.h>

#include "test_support.h"
#include "workflow/people.h"
#include "workflow/retention.h"

namespace sg::workflow {
namespace {

using domain::Role;
using nlohmann::json;
using testing::at;

struct PeopleErasureTest : ::testing::Test {
  testing::World w;
  resolve::OnlineMatcher matcher;
  People people{*w.store, w.ledger, w.clock, matcher};
  Retention retention{*w.store, w.ledger, w.clock, w.ids};
  Actor system{"system:test", Role::kAdmin, "", ""};
  Actor manager, mash, analyst;

  void SetUp() override {
    w.clock.set(at("2026-12-01T10:00:00Z"));
    auto m = w.add_user("police.manager", Role::kManager);
    auto c = w.add_user("mash.one", Role::kMashCoordinator);
    auto a = w.add_user("analyst.one", Role::kAnalyst);
    w.accounts.add_agency({"NCS", "Council", domain::AgencyKind::kChildrensServices}, "system:test")
        .value();
    w.share("NCS", "NFP");
    manager = {m.id, m.role, m.agency_id, ""};
    mash = {c.id, c.role, c.agency_id, ""};
    analyst = {a.id, a.role, a.agency_id, ""};
    w.casework.use_people(people);
    // As cli::Runtime::start_people wires it.
    retention.on_erased([this](const std::vector<std::string>& ids) {
      for (const auto& id : ids) people.forget_concern(id);
    });
  }

  IntakeResult record(const char* agency, const char* given, const char* family, const char* dob) {
    json child = {{"ref", "c1"}, {"given_name", given}, {"family_name", family}};
    if (dob) child["date_of_birth"] = dob;
    json c = {{"source_agency", agency},
              {"channel", "phone"},
              {"received_at", core::format_rfc3339(w.clock.now())},
              {"narrative", "School reports concern."},
              {"children", {child}}};
    return w.casework.record_concern(system, c).value();
  }

  static resolve::PersonRecord amy() {
    resolve::PersonRecord p;
    p.id = "query";
    p.agency_id = "NCS";
    p.given_name = "Amy";
    p.family_name = "Example";
    p.date_of_birth = "2012-05-01";
    return p;
  }
};

TEST_F(PeopleErasureTest, AnErasedConcernsChildIsNoLongerProposedAsAMatchForANewConcern) {
  auto erased = record("NFP", "Amy", "Example", "2012-05-01");
  auto kept = record("NCS", "Ben", "Other", "2010-01-01");
  const std::string amy_record = person_record_id(erased.concern_id, "c1");
  const std::string ben_record = person_record_id(kept.concern_id, "c1");
  const std::string amy_key = "name:amy|example|2012-05-01";
  ASSERT_EQ(people.same_person(amy(), amy_key).entity_id, amy_record);
  ASSERT_EQ(people.entity_of_key(amy_key), amy_record);
  ASSERT_EQ(matcher.size(), 2u);

  w.clock.set(at("2033-01-02T10:00:00Z"));  // Six years on: the concern's review is due.
  ASSERT_TRUE(retention
                  .decide(manager, erased.concern_id,
                          {.disposal = Disposal::kErase, .reason = "MoPI review: no purpose"})
                  .ok());

  // At once, without a restart: the record is matched to nothing and no key leads to it.
  EXPECT_EQ(matcher.size(), 1u);
  EXPECT_FALSE(matcher.entity_of(amy_record).has_value());
  EXPECT_EQ(people.entity_of_key(amy_key), "");
  auto same = people.same_person(amy(), amy_key);
  EXPECT_EQ(same.entity_id, "");
  EXPECT_TRUE(same.possible.empty());
  EXPECT_EQ(same.subject_keys, std::vector<std::string>{amy_key});
  for (const auto& m : matcher.match(amy(), 0.0)) EXPECT_NE(m.record_id, amy_record);
  EXPECT_EQ(people.entity(mash, amy_record).error().code, core::Code::kNotFound);

  // A new concern about the same child starts a person of its own.
  auto again = record("NCS", "Amy", "Example", "2012-05-01");
  const std::string again_record = person_record_id(again.concern_id, "c1");
  EXPECT_EQ(matcher.entity_of(again_record), again_record);
  EXPECT_EQ(people.entity_of_key(amy_key), again_record);
  auto known = people.known_to(mash, again.concern_id);
  ASSERT_TRUE(known.ok()) << known.error().to_string();
  ASSERT_EQ(known->size(), 1u);
  EXPECT_TRUE(known->at(0).matches.empty());
  EXPECT_TRUE(known->at(0).possible.empty());

  // The other concern's child is untouched.
  EXPECT_EQ(matcher.entity_of(ben_record), ben_record);
}

TEST_F(PeopleErasureTest, ASubjectKeyOtherConcernsHoldLeadsToTheEarliestOfThemAfterAnErasure) {
  auto first = record("NFP", "Amy", "Example", "2012-05-01");
  auto second = record("NCS", "Amy", "Example", "2012-05-01");
  const std::string amy_key = "name:amy|example|2012-05-01";
  const std::string second_record = person_record_id(second.concern_id, "c1");
  ASSERT_EQ(people.entity_of_key(amy_key), matcher.entity_of(second_record));

  people.forget_concern(first.concern_id);
  EXPECT_EQ(people.entity_of_key(amy_key), second_record);
  EXPECT_EQ(matcher.entity(second_record)->record_ids, std::vector<std::string>{second_record});
  // Ids that are not concerns the matcher holds (a case, a decision) change nothing.
  people.forget_concern(second.case_ids.at(0));
  people.forget_concern("no-such-record");
  EXPECT_EQ(matcher.size(), 1u);
}

TEST_F(PeopleErasureTest, APairQueuedForReviewLeavesTheQueueWhenOneSideIsErased) {
  auto erased = record("NFP", "Amy", "Example", nullptr);
  record("NCS", "Amy", "Example", nullptr);  // Names alone: a possible match, queued.
  auto queued = people.queue(analyst, "open", 50).value();
  ASSERT_EQ(queued.size(), 1u);

  w.clock.set(at("2033-01-02T10:00:00Z"));
  ASSERT_TRUE(retention
                  .decide(manager, erased.concern_id,
                          {.disposal = Disposal::kErase, .reason = "MoPI review: no purpose"})
                  .ok());
  EXPECT_TRUE(people.queue(analyst, "open", 50).value().empty());
  EXPECT_TRUE(people.queue(analyst, "all", 50).value().empty());
  EXPECT_EQ(people.decide(analyst, queued[0].pair_id, resolve::Verdict::kSame, "", 0).error().code,
            core::Code::kNotFound);
  EXPECT_EQ(people.pair(analyst, queued[0].pair_id).error().code, core::Code::kNotFound);
}

TEST_F(PeopleErasureTest, AnAnalystsDecisionOnAnErasedPersonIsErasedWithIt) {
  auto erased = record("NFP", "Amy", "Example", nullptr);
  record("NCS", "Amy", "Example", nullptr);
  auto queued = people.queue(analyst, "open", 50).value();
  ASSERT_EQ(queued.size(), 1u);
  const std::string pair_id = queued[0].pair_id;
  // The analyst's note may say anything about the people: it is personal data.
  ASSERT_TRUE(people
                  .decide(analyst, pair_id, resolve::Verdict::kDifferent,
                          "different school, different family", 0)
                  .ok());

  w.clock.set(at("2033-01-02T10:00:00Z"));
  ASSERT_TRUE(retention
                  .decide(manager, erased.concern_id,
                          {.disposal = Disposal::kErase, .reason = "MoPI review: no purpose"})
                  .ok());
  auto tx = w.store->begin(storage::TxMode::kRead).value();
  EXPECT_EQ(tx->review_pair(pair_id).error().code, core::Code::kNotFound);
  EXPECT_EQ(tx->record(pair_id).error().code, core::Code::kNotFound);
  // The decision's ledger event stays, with its payload (and so the note) erased.
  auto events = tx->ledger_for_record(pair_id, 10).value();
  int decisions = 0;
  for (const auto& event : events) {
    if (event.operation != domain::Operation::kCombination) continue;
    ++decisions;
    auto payload = tx->ledger_payloads(event.seq, 1).value();
    ASSERT_EQ(payload.size(), 1u);
    EXPECT_NE(payload[0].erased_by, 0);
    EXPECT_EQ(payload[0].payload.find("different school"), std::string::npos);
  }
  EXPECT_EQ(decisions, 1);
}

}  // namespace
}  // namespace sg::workflow
