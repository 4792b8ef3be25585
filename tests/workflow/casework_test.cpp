#include "workflow/casework.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace sg::workflow {
namespace {

using nlohmann::json;
using testing::at;

core::Date d(const char* iso) { return core::Date::parse_iso(iso).value(); }

struct CaseworkTest : ::testing::Test {
  testing::World w;
  Casework casework{*w.store, w.ledger, w.clock, w.ids};
  Actor mash, practitioner, manager, other_manager, reviewer;

  void SetUp() override {
    w.clock.set(at("2026-12-24T10:00:00Z"));
    auto m1 = w.add_user("manager.one", domain::Role::kManager);
    auto m2 = w.add_user("manager.two", domain::Role::kManager);
    auto p =
        w.add_user("prac.one", domain::Role::kPractitioner, "correct horse battery", "manager.one");
    auto c = w.add_user("mash.one", domain::Role::kMashCoordinator);
    auto r = w.add_user("review.one", domain::Role::kReviewer);
    mash = {c.id, c.role, c.agency_id, ""};
    practitioner = {p.id, p.role, p.agency_id, m1.id};
    manager = {m1.id, m1.role, m1.agency_id, ""};
    other_manager = {m2.id, m2.role, m2.agency_id, ""};
    reviewer = {r.id, r.role, r.agency_id, ""};
    // The independent reviewer's remit: this agency's records of 2026.
    w.grants
        .set_reviewer_scope({"system:test", domain::Role::kAdmin, "", ""}, r.id, {"NFP"},
                            core::Date::from_ymd(2026, 1, 1).value(),
                            core::Date::from_ymd(2026, 12, 31).value())
        .value();
  }

  json concern(const char* received_at, json child = nullptr, json extra = json::object()) {
    if (child.is_null()) {
      child = {{"ref", "c1"},
               {"given_name", "Amy"},
               {"family_name", "Example"},
               {"date_of_birth", "2012-05-01"}};
    }
    json doc = {{"channel", "phone"},
                {"received_at", received_at},
                {"narrative", "School reports concern."},
                {"children", {child}}};
    for (const auto& [k, v] : extra.items()) doc[k] = v;
    return doc;
  }

  json body(const std::string& id) {
    return casework.document(manager, id, std::nullopt, "case_work").value()["body"];
  }

  std::vector<storage::WorkItem> items(storage::WorkQuery q) {
    return casework.inbox(manager, q).value();
  }
};

TEST_F(CaseworkTest, ConcernOnChristmasEveHasReferralDecisionDueTuesday) {
  auto r = casework.record_concern(mash, concern("2026-12-24T09:30:00Z")).value();
  ASSERT_EQ(r.new_case_ids.size(), 1u);
  auto tasks = items({.inbox = "mash", .kind = "task"});
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].subkind, "referral_decision");
  EXPECT_EQ(tasks[0].due, d("2026-12-29"));
  EXPECT_EQ(body(r.case_ids[0])["regime"], "working_together_2013");
}

TEST_F(CaseworkTest, ListenersHearEachCommittedConcernOnce) {
  std::vector<std::string> heard;
  casework.add_listener([&](const domain::Concern& c, const IntakeResult& r) {
    heard.push_back(r.concern_id + ":" + c.children.at(0).given_name);
  });
  auto r = casework.record_concern(mash, concern("2026-12-24T09:30:00Z")).value();
  ASSERT_EQ(heard, std::vector<std::string>{r.concern_id + ":Amy"});
  // A concern that fails validation commits nothing, so nobody hears of it.
  EXPECT_FALSE(casework.record_concern(mash, concern("2027-01-01T00:00:00Z")).ok());
  auto imported =
      casework
          .import_concerns(mash, {concern("2026-12-01T09:00:00Z"), concern("2026-12-02T09:00:00Z")},
                           "two.ndjson")
          .value();
  ASSERT_EQ(heard.size(), 3u);
  EXPECT_EQ(heard[2], imported[1].concern_id + ":Amy");
}

TEST_F(CaseworkTest, EachChildGetsTheirOwnCase) {
  auto doc = concern("2026-12-24T09:00:00Z");
  doc["children"].push_back({{"ref", "c2"},
                             {"given_name", "Ben"},
                             {"family_name", "Example"},
                             {"date_of_birth", "2014-02-02"}});
  auto r = casework.record_concern(mash, doc).value();
  EXPECT_EQ(r.case_ids.size(), 2u);
  EXPECT_NE(r.case_ids[0], r.case_ids[1]);
}

TEST_F(CaseworkTest, AConcernAboutAChildWithAnOpenCaseJoinsIt) {
  auto first = casework.record_concern(mash, concern("2026-12-01T09:00:00Z")).value();
  auto second = casework.record_concern(mash, concern("2026-12-20T09:00:00Z")).value();
  EXPECT_TRUE(second.new_case_ids.empty());
  EXPECT_EQ(second.case_ids, first.case_ids);
  EXPECT_EQ(body(first.case_ids[0])["concerns"].size(), 2u);
}

TEST_F(CaseworkTest, RejectsBadConcernsNamingTheField) {
  auto future = casework.record_concern(mash, concern("2027-01-01T00:00:00Z"));
  EXPECT_EQ(future.error().field, "received_at");
  auto impossible = concern("2026-12-01T09:00:00Z");
  impossible["children"][0]["date_of_birth"] = "2026-02-30";
  EXPECT_EQ(casework.record_concern(mash, impossible).error().field, "children/0/date_of_birth");
  auto unknown_indicator = concern(
      "2026-12-01T09:00:00Z", nullptr,
      {{"indicators", {{{"code", "made_up"}, {"child", "c1"}, {"observed_on", "2026-11-01"}}}}});
  EXPECT_EQ(casework.record_concern(mash, unknown_indicator).error().field, "indicators/0/code");
  auto bad_enum = concern("2026-12-01T09:00:00Z");
  bad_enum["channel"] = "carrier_pigeon";
  EXPECT_EQ(casework.record_concern(mash, bad_enum).error().field, "channel");
  auto huge = concern("2026-12-01T09:00:00Z");
  huge["narrative"] = std::string(30000, 'x');
  EXPECT_EQ(casework.record_concern(mash, huge).error().field, "narrative");
  auto broken = concern("2026-12-01T09:00:00Z");
  broken["narrative"] = "bad \xC3";
  EXPECT_EQ(casework.record_concern(mash, broken).error().field, "narrative");
  // Nothing was half-written.
  EXPECT_TRUE(items({.inbox = "mash"}).empty());
}

TEST_F(CaseworkTest, ReviewersMayReadButNotRaiseConcerns) {
  auto r = casework.record_concern(reviewer, concern("2026-12-01T09:00:00Z"));
  EXPECT_EQ(r.error().code, core::Code::kPermissionDenied);
}

TEST_F(CaseworkTest, AcceptingOpensTheAssessmentWith45WorkingDays) {
  auto r = casework.record_concern(mash, concern("2026-12-24T09:00:00Z")).value();
  auto id = casework.decide(mash, r.case_ids[0],
                            {.kind = DecisionKind::kAccept,
                             .rationale = "Threshold met for assessment.",
                             .decided_on = d("2026-12-24"),
                             .assignee_id = practitioner.user_id});
  ASSERT_TRUE(id.ok()) << id.error().to_string();
  EXPECT_EQ(body(r.case_ids[0])["stage"], "assessment");
  auto tasks = items({.inbox = "user:" + practitioner.user_id});
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].subkind, "assessment");
  // 45 working days after 24 Dec 2026, skipping 25, 28 Dec and 1 Jan 2027.
  EXPECT_EQ(tasks[0].due, d("2027-03-02"));
  EXPECT_TRUE(items({.inbox = "mash", .kind = "task"}).empty()) << "referral decision done";
}

TEST_F(CaseworkTest, Pre2013ConcernUsesInitialAssessmentOfTenWorkingDays) {
  w.clock.set(at("2010-06-07T12:00:00Z"));
  auto r =
      casework
          .record_concern(mash, concern("2010-06-07T09:00:00Z", {{"ref", "c1"},
                                                                 {"given_name", "Cara"},
                                                                 {"family_name", "Past"},
                                                                 {"date_of_birth", "1998-01-01"}}))
          .value();
  auto referral = items({.inbox = "mash", .kind = "task"});
  ASSERT_EQ(referral.size(), 1u);
  EXPECT_FALSE(referral[0].due.has_value()) << "no referral-decision timescale before 2013";
  ASSERT_TRUE(casework
                  .decide(mash, r.case_ids[0],
                          {.kind = DecisionKind::kAccept,
                           .rationale = "Initial assessment needed.",
                           .decided_on = d("2010-06-07"),
                           .assignee_id = practitioner.user_id})
                  .ok());
  auto tasks = items({.inbox = "user:" + practitioner.user_id});
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].subkind, "initial_assessment");
  EXPECT_EQ(tasks[0].due, d("2010-06-21"));
  EXPECT_EQ(body(r.case_ids[0])["regime"], "pre_2013");
}

TEST_F(CaseworkTest, DecidingLateNeedsAReason) {
  auto r = casework.record_concern(mash, concern("2026-12-24T09:00:00Z")).value();
  w.clock.set(at("2026-12-31T10:00:00Z"));
  auto late = casework.decide(
      mash, r.case_ids[0],
      {.kind = DecisionKind::kAccept, .rationale = "Accepted.", .decided_on = d("2026-12-31")});
  EXPECT_EQ(late.error().field, "late_reason");
  auto explained = casework.decide(mash, r.case_ids[0],
                                   {.kind = DecisionKind::kAccept,
                                    .rationale = "Accepted.",
                                    .decided_on = d("2026-12-31"),
                                    .late_reason = "MASH closed over Christmas; backlog"});
  ASSERT_TRUE(explained.ok()) << explained.error().to_string();
  auto tasks = casework.inbox(manager, {.kind = "task", .open_only = false}).value();
  bool found = false;
  for (const auto& t : tasks) {
    if (t.subkind != "referral_decision") continue;
    found = true;
    auto task = body(t.id);
    EXPECT_EQ(task["late_reason"], "MASH closed over Christmas; backlog");
    EXPECT_EQ(task["working_days_late"], 2);  // Due 29 Dec; done 31 Dec.
  }
  EXPECT_TRUE(found);
}

TEST_F(CaseworkTest, NfaNeedsSignOffByAnotherManager) {
  auto r = casework.record_concern(manager, concern("2026-12-24T09:00:00Z")).value();
  auto decision = casework
                      .decide(manager, r.case_ids[0],
                              {.kind = DecisionKind::kNoFurtherAction,
                               .rationale = "Parents engaging; no further action.",
                               .decided_on = d("2026-12-24")})
                      .value();
  EXPECT_EQ(body(r.case_ids[0])["status"], "open") << "NFA waits for sign-off";
  // The proposer cannot sign off their own decision.
  auto self = casework.sign_off(manager, decision, SignOff::kApprove, "");
  EXPECT_EQ(self.code(), core::Code::kPermissionDenied);
  // A practitioner cannot sign off at all.
  auto wrong_role = casework.sign_off(practitioner, decision, SignOff::kApprove, "");
  EXPECT_EQ(wrong_role.code(), core::Code::kPermissionDenied);
  ASSERT_TRUE(casework.sign_off(other_manager, decision, SignOff::kApprove, "Agreed.").ok());
  auto kase = body(r.case_ids[0]);
  EXPECT_EQ(kase["status"], "closed");
  EXPECT_EQ(kase["outcome"], "nfa");
  EXPECT_EQ(body(decision)["sign_off"]["by"], other_manager.user_id);
  EXPECT_EQ(casework.sign_off(other_manager, decision, SignOff::kApprove, "").code(),
            core::Code::kFailedPrecondition);
}

TEST_F(CaseworkTest, RefusedNfaKeepsTheCaseOpenAndNeedsANote) {
  auto r = casework.record_concern(mash, concern("2026-12-24T09:00:00Z")).value();
  auto decision = casework
                      .decide(practitioner, r.case_ids[0],
                              {.kind = DecisionKind::kNoFurtherAction,
                               .rationale = "No concerns found.",
                               .decided_on = d("2026-12-24")})
                      .value();
  auto sign_offs = items({.inbox = "user:" + manager.user_id, .kind = "sign_off"});
  ASSERT_EQ(sign_offs.size(), 1u) << "the proposer's manager gets the sign-off";
  EXPECT_EQ(casework.sign_off(manager, decision, SignOff::kRefuse, " ").error().field, "note");
  ASSERT_TRUE(
      casework.sign_off(manager, decision, SignOff::kRefuse, "Third concern; assess.").ok());
  EXPECT_EQ(body(r.case_ids[0])["status"], "open");
  EXPECT_EQ(body(decision)["status"], "refused");
}

TEST_F(CaseworkTest, StrategyDiscussionSetsTheInitialConferenceDeadline) {
  auto r = casework.record_concern(mash, concern("2026-12-24T09:00:00Z")).value();
  ASSERT_TRUE(casework
                  .decide(mash, r.case_ids[0],
                          {.kind = DecisionKind::kAccept,
                           .rationale = "Accept.",
                           .decided_on = d("2026-12-24"),
                           .assignee_id = practitioner.user_id})
                  .ok());
  EXPECT_EQ(casework
                .record_meeting(practitioner, r.case_ids[0], Meeting::kInitialConference,
                                d("2026-12-24"), "", "")
                .code(),
            core::Code::kFailedPrecondition);
  ASSERT_TRUE(casework
                  .record_meeting(practitioner, r.case_ids[0], Meeting::kStrategyDiscussion,
                                  d("2026-12-24"), "Police and CSC agreed s47.", "")
                  .ok());
  auto conf = items({.kind = "task", .subkind = "initial_conference"});
  ASSERT_EQ(conf.size(), 1u);
  EXPECT_EQ(conf[0].due, d("2027-01-19"));  // 15 working days after 24 Dec 2026.
  w.clock.set(at("2027-01-15T10:00:00Z"));
  ASSERT_TRUE(casework
                  .record_meeting(practitioner, r.case_ids[0], Meeting::kInitialConference,
                                  d("2027-01-15"), "Child protection plan.", "")
                  .ok());
  auto review = items({.kind = "task", .subkind = "first_review_conference"});
  ASSERT_EQ(review.size(), 1u);
  EXPECT_EQ(review[0].due, d("2027-04-15"));
  EXPECT_EQ(body(r.case_ids[0])["stage"], "plan");
}

TEST_F(CaseworkTest, OverdueTasksEscalateToTheOwnersManagerOnce) {
  auto r = casework.record_concern(mash, concern("2026-12-24T09:00:00Z")).value();
  ASSERT_TRUE(casework
                  .decide(mash, r.case_ids[0],
                          {.kind = DecisionKind::kAccept,
                           .rationale = "Accept.",
                           .decided_on = d("2026-12-24"),
                           .assignee_id = practitioner.user_id})
                  .ok());
  w.clock.set(at("2027-03-02T10:00:00Z"));  // Due today: not yet overdue.
  EXPECT_EQ(casework.escalate_overdue(manager).value(), 0);
  w.clock.set(at("2027-03-04T10:00:00Z"));
  EXPECT_EQ(casework.escalate_overdue(manager).value(), 1);
  EXPECT_EQ(casework.escalate_overdue(manager).value(), 0) << "escalated once";
  auto escalations = items({.inbox = "user:" + manager.user_id, .kind = "escalation"});
  ASSERT_EQ(escalations.size(), 1u);
  auto esc = body(escalations[0].id);
  EXPECT_EQ(esc["working_days_overdue"], 2);
  EXPECT_EQ(esc["task"], "assessment");
  EXPECT_EQ(casework.escalate_overdue(practitioner).error().code, core::Code::kPermissionDenied);
  // Acknowledging needs a note.
  EXPECT_EQ(casework.acknowledge(manager, escalations[0].id, "").error().field, "note");
  ASSERT_TRUE(casework.acknowledge(manager, escalations[0].id, "Spoke to worker; due Fri.").ok());
  EXPECT_TRUE(items({.inbox = "user:" + manager.user_id, .kind = "escalation"}).empty());
}

TEST_F(CaseworkTest, AlertTwoConcernsWithinSevenDays) {
  casework.record_concern(mash, concern("2026-12-10T09:00:00Z")).value();
  auto quiet = casework.record_concern(mash, concern("2026-12-18T09:00:00Z")).value();
  EXPECT_TRUE(quiet.alert_ids.empty()) << "8 days apart";
  auto r = casework.record_concern(mash, concern("2026-12-22T09:00:00Z")).value();
  // The third concern this year also raises the no-strategy-discussion alert.
  ASSERT_EQ(r.alert_ids.size(), 2u);
  auto alert = body(r.alert_ids[0]);
  EXPECT_EQ(alert["rule"], "repeat_concern_7_days");
  EXPECT_EQ(alert["inbox"], "mash");
  EXPECT_EQ(alert["concern_ids"].size(), 2u);
  auto again = casework.record_concern(mash, concern("2026-12-23T09:00:00Z")).value();
  for (const auto& id : again.alert_ids) {
    EXPECT_NE(body(id)["rule"], "repeat_concern_7_days") << "one open alert per rule and child";
  }
}

TEST_F(CaseworkTest, AlertThreeConcernsInAYearWithoutStrategyDiscussion) {
  casework.record_concern(mash, concern("2026-02-01T09:00:00Z")).value();
  casework.record_concern(mash, concern("2026-06-01T09:00:00Z")).value();
  auto r = casework.record_concern(mash, concern("2026-11-01T09:00:00Z")).value();
  ASSERT_EQ(r.alert_ids.size(), 1u);
  EXPECT_EQ(body(r.alert_ids[0])["rule"], "repeat_concern_no_strategy");
  EXPECT_EQ(body(r.alert_ids[0])["inbox"], "managers");
}

TEST_F(CaseworkTest, NoThreeConcernAlertWhenAStrategyDiscussionWasHeld) {
  auto first = casework.record_concern(mash, concern("2026-02-01T09:00:00Z")).value();
  w.clock.set(at("2026-02-02T10:00:00Z"));
  ASSERT_TRUE(casework
                  .decide(mash, first.case_ids[0],
                          {.kind = DecisionKind::kAccept,
                           .rationale = "Accept.",
                           .decided_on = d("2026-02-02")})
                  .ok());
  ASSERT_TRUE(casework
                  .record_meeting(mash, first.case_ids[0], Meeting::kStrategyDiscussion,
                                  d("2026-02-02"), "", "")
                  .ok());
  w.clock.set(at("2026-12-24T10:00:00Z"));
  casework.record_concern(mash, concern("2026-06-01T09:00:00Z")).value();
  auto r = casework.record_concern(mash, concern("2026-11-01T09:00:00Z")).value();
  EXPECT_TRUE(r.alert_ids.empty());
}

TEST_F(CaseworkTest, AlertSamePersonSuspectedAroundTwoChildren) {
  json suspect = {{"ref", "s1"},
                  {"role", "suspect"},
                  {"given_name", "Karl"},
                  {"family_name", "Driver"},
                  {"date_of_birth", "1985-03-03"}};
  casework.record_concern(mash, concern("2026-12-01T09:00:00Z", nullptr, {{"persons", {suspect}}}))
      .value();
  suspect["role"] = "associate";
  auto r = casework
               .record_concern(mash, concern("2026-12-20T09:00:00Z",
                                             {{"ref", "c1"},
                                              {"given_name", "Dana"},
                                              {"family_name", "Other"},
                                              {"date_of_birth", "2011-01-01"}},
                                             {{"persons", {suspect}}}))
               .value();
  ASSERT_EQ(r.alert_ids.size(), 1u);
  auto alert = body(r.alert_ids[0]);
  EXPECT_EQ(alert["rule"], "person_linked_to_children");
  EXPECT_EQ(alert["concern_ids"].size(), 2u);
}

TEST_F(CaseworkTest, AlertTwoMissingEpisodesWithinThirtyDays) {
  auto missing = [](const char* date) {
    return json{{"events", {{{"kind", "missing_episode"}, {"date", date}, {"child", "c1"}}}}};
  };
  casework.record_concern(mash, concern("2026-11-02T09:00:00Z", nullptr, missing("2026-11-01")))
      .value();
  auto r =
      casework.record_concern(mash, concern("2026-11-25T09:00:00Z", nullptr, missing("2026-11-24")))
          .value();
  std::vector<std::string> rules;
  for (const auto& id : r.alert_ids) rules.push_back(body(id)["rule"]);
  EXPECT_NE(std::find(rules.begin(), rules.end(), "repeat_missing"), rules.end());
}

TEST_F(CaseworkTest, ScreeningUsesEveryConcernsIndicatorsAndRecordsTheResult) {
  auto ind = [](const char* code, const char* on) {
    return json{{"code", code}, {"child", "c1"}, {"observed_on", on}};
  };
  casework
      .record_concern(mash,
                      concern("2026-10-01T09:00:00Z", nullptr,
                              {{"indicators", {ind("S_CONTROLLING_RELATIONSHIP", "2026-09-30")}}}))
      .value();
  auto r = casework
               .record_concern(mash, concern("2026-12-01T09:00:00Z", nullptr,
                                             {{"indicators",
                                               {ind("S_FOUND_AT_ADULT_ADDRESS", "2026-11-30"),
                                                ind("M_SUBSTANCE_USE", "2026-11-30")}}}))
               .value();
  auto s = casework.screen(practitioner, r.case_ids[0], std::nullopt).value();
  EXPECT_EQ(s.score, 11);
  EXPECT_EQ(s.final_level, "moderate");
  auto over = casework.screen(practitioner, r.case_ids[0], Override{"significant", ""});
  EXPECT_EQ(over.error().field, "override/reason");
  auto overridden =
      casework
          .screen(practitioner, r.case_ids[0],
                  Override{"significant", "Seen getting into cars outside school daily."})
          .value();
  EXPECT_EQ(overridden.final_level, "significant");
  auto kase = body(r.case_ids[0]);
  ASSERT_EQ(kase["screenings"].size(), 2u);
  EXPECT_EQ(kase["screenings"][1]["override"]["level"], "significant");
  EXPECT_EQ(kase["screenings"][0]["contributions"].size(), 3u);
}

TEST_F(CaseworkTest, EveryOperationWritesOneLedgerEventAndTheChainHolds) {
  auto before = audit::verify(*w.store).value().events;
  auto r = casework.record_concern(mash, concern("2026-12-24T09:00:00Z")).value();
  auto after_intake = audit::verify(*w.store).value().events;
  EXPECT_EQ(after_intake, before + 1);
  casework.document(reviewer, r.case_ids[0], std::nullopt, "review").value();
  auto report = audit::verify(*w.store).value();
  EXPECT_EQ(report.events, after_intake + 1) << "a consultation is logged";
  EXPECT_TRUE(report.intact());
}

TEST_F(CaseworkTest, CaseAsKnownAtAPastTime) {
  auto r = casework.record_concern(mash, concern("2026-12-24T09:00:00Z")).value();
  w.clock.set(at("2026-12-24T12:00:00Z"));
  ASSERT_TRUE(casework
                  .decide(mash, r.case_ids[0],
                          {.kind = DecisionKind::kAccept,
                           .rationale = "Accept.",
                           .decided_on = d("2026-12-24")})
                  .ok());
  auto then =
      casework.document(reviewer, r.case_ids[0], at("2026-12-24T11:00:00Z"), "review").value();
  EXPECT_EQ(then["body"]["stage"], "referral_decision");
  auto now = casework.document(reviewer, r.case_ids[0], std::nullopt, "review").value();
  EXPECT_EQ(now["body"]["stage"], "assessment");
}

}  // namespace
}  // namespace sg::workflow
