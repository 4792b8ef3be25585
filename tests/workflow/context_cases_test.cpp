#include "workflow/context_cases.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace sg::workflow {
namespace {

using nlohmann::json;
using testing::at;

core::Date d(const char* iso) { return core::Date::parse_iso(iso).value(); }

// A concern about one child seen at the Chicken Palace takeaway, recorded by `agency`.
json at_takeaway(const std::string& given, const std::string& dob,
                 const std::string& agency = "NFP") {
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

struct ContextCasesTest : ::testing::Test {
  testing::World w;
  network::LinkGraph graph;
  ContextCases contexts{*w.store, w.ledger, w.clock, w.casework, &graph};
  Actor mash, practitioner, manager, other_manager, outsider;
  Actor system{"system:test", domain::Role::kAdmin, "", ""};
  std::string amy_case, beth_case, youth_case;

  void SetUp() override {
    w.clock.set(at("2026-11-30T10:00:00Z"));
    w.casework.add_listener([this](const domain::Concern& c, const IntakeResult& r) {
      graph.add_concern(r.concern_id, r.agency_id, c);
    });
    auto m1 = w.add_user("manager.one", domain::Role::kManager);
    auto m2 = w.add_user("manager.two", domain::Role::kManager);
    auto p =
        w.add_user("prac.one", domain::Role::kPractitioner, "correct horse battery", "manager.one");
    auto c = w.add_user("mash.one", domain::Role::kMashCoordinator);
    mash = {c.id, c.role, c.agency_id, ""};
    practitioner = {p.id, p.role, p.agency_id, m1.id};
    manager = {m1.id, m1.role, m1.agency_id, ""};
    other_manager = {m2.id, m2.role, m2.agency_id, ""};
    // A youth service with no sharing agreement with the police.
    w.accounts
        .add_agency({"YTH", "Youth Service", domain::AgencyKind::kYouthService}, "system:test")
        .value();
    auto y = w.accounts
                 .add_user({"youth.one", "Youth Worker", "YTH", domain::Role::kManager,
                            "correct horse battery", ""},
                           "system:test")
                 .value();
    outsider = {y.id, y.role, y.agency_id, ""};
    amy_case =
        w.casework.record_concern(mash, at_takeaway("Amy", "2012-05-01")).value().case_ids[0];
    beth_case =
        w.casework.record_concern(mash, at_takeaway("Beth", "2011-03-02")).value().case_ids[0];
    youth_case = w.casework.record_concern(mash, at_takeaway("Cara", "2011-07-07", "YTH"))
                     .value()
                     .case_ids[0];
  }

  std::string entity_of(network::EntityKind kind) {
    return graph.read([&](const network::GraphData& data) {
      for (const auto& e : data.entities) {
        if (e.kind == kind) return e.id;
      }
      return std::string();
    });
  }
  std::string place() { return entity_of(network::EntityKind::kLocation); }

  std::string open_place(const Actor& who) {
    return contexts
        .open(who, {.kind = ContextKind::kPlace,
                    .title = "Chicken Palace",
                    .place_entity_id = place(),
                    .children = {{amy_case, "seen there at night"}, {beth_case, "seen there"}}})
        .value();
  }

  json view(const std::string& id, const Actor& who) {
    return contexts.get(who, id, std::nullopt, "case_work").value();
  }

  // Ledger events naming `id` that are not consultations.
  std::size_t writes_naming(const std::string& id) {
    auto rows = w.store->begin(storage::TxMode::kRead).value()->ledger_for_record(id, 1000).value();
    return std::count_if(rows.begin(), rows.end(), [](const storage::LedgerRow& r) {
      return r.operation != domain::Operation::kConsultation;
    });
  }

  json case_body(const std::string& id) {
    return json::parse(w.store->begin(storage::TxMode::kRead).value()->record(id).value().body);
  }
};

TEST_F(ContextCasesTest, DraftFromAPlaceOffersThePlaceAndTheChildrenTheUserMaySee) {
  auto draft = contexts.draft_from_place(manager, place()).value();
  EXPECT_EQ(draft.label, "Chicken Palace");
  EXPECT_EQ(draft.detail, "takeaway");
  std::set<std::string> cases;
  for (const auto& c : draft.children) cases.insert(c.case_id);
  // Cara's concern is the youth service's, which the police may not see: not even counted.
  EXPECT_EQ(cases, (std::set<std::string>{amy_case, beth_case}));
  // Shared with the police, Cara's case joins the draft.
  w.share("YTH", "NFP");
  draft = contexts.draft_from_place(manager, place()).value();
  EXPECT_EQ(draft.children.size(), 3u);
}

TEST_F(ContextCasesTest, OpeningAPlaceCaseLinksChildrenAndNotesItOnTheirCases) {
  auto id = open_place(manager);
  auto doc = view(id, manager);
  EXPECT_EQ(doc["body"]["context_kind"], "place");
  EXPECT_EQ(doc["body"]["place"]["label"], "Chicken Palace");
  EXPECT_EQ(doc["body"]["status"], "open");
  EXPECT_EQ(doc["marking"], "OFFICIAL-SENSITIVE");
  ASSERT_EQ(doc["children"].size(), 2u);
  EXPECT_EQ(doc["children"][0]["label"], "Amy Example");
  EXPECT_EQ(doc["children"][0]["reason"], "seen there at night");
  // Each child's own case shows the link (by id only: no place name leaks onto it).
  auto events = case_body(amy_case)["events"];
  ASSERT_EQ(events.back()["kind"], "context_linked");
  EXPECT_EQ(events.back()["context_id"], id);
  EXPECT_EQ(events.back().dump().find("Chicken"), std::string::npos);
  // One ledger event for the whole write, naming the context and both children's cases.
  EXPECT_EQ(writes_naming(id), 1u);
  auto rows =
      w.store->begin(storage::TxMode::kRead).value()->ledger_for_record(amy_case, 1000).value();
  EXPECT_EQ(rows.back().record_ids.size(), 3u);
}

TEST_F(ContextCasesTest, BadInputIsRefusedNamingTheField) {
  auto field = [](const auto& r) { return r.ok() ? std::string("ok") : r.error().field; };
  OpenContext in{.kind = ContextKind::kPlace, .title = "Somewhere"};
  in.place_entity_id = "location-0000000000000000";
  EXPECT_EQ(field(contexts.open(manager, in)), "place_entity_id");
  in.place_entity_id = entity_of(network::EntityKind::kPerson);  // A person is not a place.
  auto r = contexts.open(manager, in);
  EXPECT_EQ(field(r), "place_entity_id");
  EXPECT_NE(r.error().message.find("not a place"), std::string::npos);
  in.place_entity_id = place();
  in.title = " ";
  EXPECT_EQ(field(contexts.open(manager, in)), "title");
  // A peer group is two or more children.
  OpenContext group{.kind = ContextKind::kPeerGroup, .title = "Park group"};
  group.children = {{amy_case, "friends"}};
  EXPECT_EQ(field(contexts.open(manager, group)), "children");
  // A child whose case the user may not see is refused exactly like one that does not exist.
  group.children = {{amy_case, "friends"}, {youth_case, "friends"}};
  auto hidden = contexts.open(manager, group);
  group.children = {{amy_case, "friends"}, {"no-such-case", "friends"}};
  auto missing = contexts.open(manager, group);
  EXPECT_EQ(field(hidden), "children/1/case_id");
  EXPECT_EQ(field(missing), "children/1/case_id");
  EXPECT_EQ(hidden.error().message, missing.error().message);
  group.children = {{amy_case, "friends"}, {beth_case, ""}};
  EXPECT_EQ(field(contexts.open(manager, group)), "children/1/reason");
  group.children = {{amy_case, "friends"}, {amy_case, "again"}};
  EXPECT_EQ(field(contexts.open(manager, group)), "children/1/case_id");
  // Nothing was written by any of them.
  EXPECT_TRUE(contexts.list(manager, "").value().empty());
}

TEST_F(ContextCasesTest, AnUnsharedAgencyCannotSeeOrFindTheContextCase) {
  auto id = open_place(manager);
  EXPECT_EQ(contexts.get(outsider, id, std::nullopt, "case_work").error().code,
            core::Code::kPermissionDenied);
  EXPECT_TRUE(contexts.list(outsider, "").value().empty());
  EXPECT_EQ(contexts.add_child(outsider, id, {youth_case, "seen there"}).code(),
            core::Code::kPermissionDenied);
  // A sharing agreement in the casework category opens it to them...
  w.share("NFP", "YTH");
  EXPECT_EQ(contexts.list(outsider, "").value().size(), 1u);
  auto doc = view(id, outsider);
  EXPECT_EQ(doc["body"]["title"], "Chicken Palace");
}

TEST_F(ContextCasesTest, ACaseTeamPlaceOpensItToOneUserOfAnotherAgency) {
  auto id = open_place(manager);
  w.grants.add_to_case_team(manager, id, outsider.user_id).value();
  auto doc = view(id, outsider);
  // The youth worker sees the context, but not the names of children whose cases they may
  // not see.
  for (const auto& c : doc["children"]) {
    EXPECT_EQ(c["visible"], false);
    EXPECT_EQ(c["label"], "");
  }
}

TEST_F(ContextCasesTest, ChildrenAreAddedAndRemovedWithReasonsAndTheHistoryKept) {
  OpenContext group{.kind = ContextKind::kPeerGroup, .title = "Park group"};
  group.children = {{amy_case, "friends"}, {beth_case, "friends"}};
  auto id = contexts.open(manager, group).value();
  EXPECT_EQ(contexts.remove_child(manager, id, beth_case, "").error().field, "reason");
  ASSERT_TRUE(contexts.remove_child(manager, id, beth_case, "moved away").ok());
  EXPECT_EQ(contexts.remove_child(manager, id, beth_case, "again").code(), core::Code::kNotFound);
  EXPECT_EQ(case_body(beth_case)["events"].back()["kind"], "context_unlinked");
  auto doc = view(id, manager);
  EXPECT_EQ(doc["body"]["children"][1]["status"], "removed");
  EXPECT_EQ(doc["body"]["children"][1]["removed_reason"], "moved away");
  EXPECT_EQ(contexts.list(manager, "open").value().at(0).children, 1);
  // Linked again later: a new entry, the old one stays.
  ASSERT_TRUE(contexts.add_child(manager, id, {beth_case, "back in the group"}).ok());
  EXPECT_EQ(contexts.add_child(manager, id, {beth_case, "twice"}).error().field, "case_id");
  EXPECT_EQ(view(id, manager)["body"]["children"].size(), 3u);
  // open + remove + add: one ledger event each.
  EXPECT_EQ(writes_naming(id), 3u);
}

TEST_F(ContextCasesTest, TheAssessmentRecordsRiskWithAReason) {
  auto id = open_place(manager);
  EXPECT_EQ(contexts.assess(practitioner, id, {"Known hot spot", "extreme", "why"}).error().field,
            "risk_level");
  EXPECT_EQ(contexts.assess(practitioner, id, {"Known hot spot", "high", ""}).error().field,
            "risk_reason");
  ASSERT_TRUE(contexts
                  .assess(practitioner, id,
                          {"Children seen late; adults buy them food", "high",
                           "three children, two missing episodes"})
                  .ok());
  auto doc = view(id, manager);
  EXPECT_EQ(doc["body"]["assessment"]["risk_level"], "high");
  EXPECT_EQ(contexts.list(manager, "").value().at(0).risk_level, "high");
}

TEST_F(ContextCasesTest, AnInterventionIsATaskInItsOwnersWorkAndEscalatesWhenOverdue) {
  auto id = open_place(manager);
  EXPECT_EQ(contexts.add_intervention(manager, id, {"Visit", practitioner.user_id, d("2026-11-01")})
                .error()
                .field,
            "due");
  EXPECT_EQ(
      contexts.add_intervention(manager, id, {"Visit", "nobody", d("2026-12-04")}).error().field,
      "owner_id");
  // The youth worker has no need to know the context case: they would never see the task.
  EXPECT_EQ(contexts.add_intervention(manager, id, {"Visit", outsider.user_id, d("2026-12-04")})
                .error()
                .field,
            "owner_id");
  auto task = contexts
                  .add_intervention(
                      manager, id,
                      {"Licensing visit with the police", practitioner.user_id, d("2026-12-04")})
                  .value();
  auto mine = w.casework.inbox(practitioner, {.inbox = "user:" + practitioner.user_id}).value();
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].id, task);
  EXPECT_EQ(mine[0].subkind, kContextInterventionTask);
  EXPECT_EQ(mine[0].case_id, id);
  EXPECT_EQ(mine[0].label, "Chicken Palace");
  // Past its due date, the daily escalation sends it to the owner's manager.
  w.clock.set(at("2026-12-09T10:00:00Z"));
  // The three children's referral decisions are overdue too; they go to the managers' inbox.
  EXPECT_EQ(w.casework.escalate_overdue(system).value(), 4);
  auto escalations =
      w.casework.inbox(manager, {.inbox = "user:" + manager.user_id, .kind = "escalation"}).value();
  ASSERT_EQ(escalations.size(), 1u);
  EXPECT_EQ(escalations[0].case_id, id);
  // Done late, with a reason, like any task.
  EXPECT_EQ(w.casework.complete_task(practitioner, task, d("2026-12-09"), "").error().field,
            "late_reason");
  ASSERT_TRUE(w.casework.complete_task(practitioner, task, d("2026-12-09"), "visit moved").ok());
  EXPECT_EQ(view(id, manager)["interventions"][0]["status"], "done");
}

TEST_F(ContextCasesTest, ClosureNeedsASecondManagersSignOff) {
  auto id = open_place(manager);
  auto task =
      contexts.add_intervention(manager, id, {"Patrols", practitioner.user_id, d("2026-12-20")})
          .value();
  EXPECT_EQ(contexts.propose_closure(manager, id, "", d("2026-11-30")).error().field, "rationale");
  auto decision =
      contexts.propose_closure(manager, id, "No sightings for three months", d("2026-11-30"))
          .value();
  EXPECT_EQ(contexts.propose_closure(manager, id, "again", d("2026-11-30")).error().code,
            core::Code::kFailedPrecondition);
  // The sign-off waits in the managers' inbox.
  auto waiting = w.casework.inbox(other_manager, {.inbox = "managers", .kind = "sign_off"}).value();
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].subkind, kContextClosure);
  // Not by the proposer, not by a practitioner.
  EXPECT_EQ(contexts.sign_off(manager, decision, SignOff::kApprove, "").code(),
            core::Code::kPermissionDenied);
  EXPECT_EQ(contexts.sign_off(practitioner, decision, SignOff::kApprove, "").code(),
            core::Code::kPermissionDenied);
  ASSERT_TRUE(contexts.sign_off(other_manager, decision, SignOff::kApprove, "agreed").ok());
  auto doc = view(id, manager);
  EXPECT_EQ(doc["body"]["status"], "closed");
  EXPECT_EQ(doc["decisions"][0]["sign_off"]["by"], other_manager.user_id);
  EXPECT_EQ(doc["interventions"][0]["status"], "cancelled");
  EXPECT_EQ(doc["body"]["events"].back()["kind"], "closed");
  EXPECT_EQ(contexts.add_child(manager, id, {youth_case, "x"}).code(),
            core::Code::kFailedPrecondition);
  EXPECT_TRUE(contexts.list(manager, "open").value().empty());
  EXPECT_EQ(contexts.list(manager, "closed").value().size(), 1u);
  (void)task;
}

TEST_F(ContextCasesTest, ARefusedClosureLeavesItOpenForAnotherProposal) {
  auto id = open_place(manager);
  auto decision = contexts.propose_closure(manager, id, "Quiet now", d("2026-11-30")).value();
  EXPECT_EQ(contexts.sign_off(other_manager, decision, SignOff::kRefuse, "").error().field, "note");
  ASSERT_TRUE(
      contexts.sign_off(other_manager, decision, SignOff::kRefuse, "sightings last week").ok());
  EXPECT_EQ(view(id, manager)["body"]["status"], "open");
  EXPECT_TRUE(contexts.propose_closure(manager, id, "Quiet for a month", d("2026-11-30")).ok());
}

TEST_F(ContextCasesTest, ItIsShownAsItStoodAtAnEarlierTime) {
  auto id = open_place(manager);
  auto opened = w.clock.now();
  w.clock.set(at("2026-11-30T11:00:00Z"));
  ASSERT_TRUE(contexts.assess(manager, id, {"Hot spot", "medium", "two sightings"}).ok());
  auto then = contexts.get(manager, id, opened, "case_work").value();
  EXPECT_TRUE(then["body"]["assessment"].is_null());
  EXPECT_EQ(then["version"], 1);
  EXPECT_EQ(view(id, manager)["version"], 2);
  // A stale version is a conflict, not an overwrite.
  EXPECT_EQ(contexts.assess(manager, id, {"x", "low", "y"}, 1).code(), core::Code::kAborted);
}

TEST_F(ContextCasesTest, ReadingAnOfficialSensitiveContextNeedsAReason) {
  auto id = open_place(manager);
  EXPECT_EQ(contexts.get(manager, id, std::nullopt, "").error().field, "reason");
}

}  // namespace
}  // namespace sg::workflow
