// Retention review (issue 6): review dates by policy group, the due list, retain with a reason,
// and erasure that blanks a record and its ledger payloads while the ledger still verifies.
#include "workflow/retention.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_support.h"

namespace sg::workflow {
namespace {

using domain::Role;
using nlohmann::json;
using testing::at;

core::Date d(const char* iso) { return core::Date::parse_iso(iso).value(); }

template <typename T>
core::Code code(const core::Result<T>& r) {
  return r.ok() ? core::Code::kOk : r.error().code;
}

struct RetentionTest : ::testing::Test {
  testing::World w;
  Retention retention{*w.store, w.ledger, w.clock, w.ids};
  Actor system{"system:test", Role::kAdmin, "", ""};
  Actor police_manager, second_manager, police_officer, council_manager;

  Actor make(const std::string& name, const std::string& agency, Role role) {
    auto u =
        w.accounts
            .add_user({name, "Test User", agency, role, "correct horse battery", ""}, "system:test")
            .value();
    return {u.id, u.role, u.agency_id, u.manager_id};
  }

  void SetUp() override {
    w.clock.set(at("2026-12-01T10:00:00Z"));
    w.accounts.add_agency({"NFP", "Police", domain::AgencyKind::kPolice}, "system:test").value();
    w.accounts.add_agency({"NCS", "Council", domain::AgencyKind::kChildrensServices}, "system:test")
        .value();
    police_manager = make("police.manager", "NFP", Role::kManager);
    second_manager = make("second.manager", "NFP", Role::kManager);
    police_officer = make("police.officer", "NFP", Role::kPractitioner);
    council_manager = make("council.manager", "NCS", Role::kManager);
  }

  IntakeResult record(const std::string& child, const std::string& narrative, bool suspect) {
    json c = {{"source_agency", "NFP"},
              {"channel", "phone"},
              {"received_at", core::format_rfc3339(w.clock.now())},
              {"narrative", narrative},
              {"children",
               {{{"ref", "c1"},
                 {"given_name", child},
                 {"family_name", "Example"},
                 {"date_of_birth", "2012-05-01"}}}}};
    if (suspect) {
      c["persons"] = {
          {{"ref", "p1"}, {"role", "suspect"}, {"given_name", "Sam"}, {"family_name", "Other"}}};
    }
    return w.casework.record_concern(system, c).value();
  }

  void close_nfa(const std::string& case_id) {
    auto decision = w.casework
                        .decide(police_manager, case_id,
                                {.kind = DecisionKind::kNoFurtherAction,
                                 .rationale = "Parents engaging; no further action.",
                                 .decided_on = core::london_date(w.clock.now()),
                                 .late_reason = "Decided at the review"})
                        .value();
    ASSERT_TRUE(w.casework.sign_off(second_manager, decision, SignOff::kApprove, "Agreed.").ok());
  }

  std::vector<std::string> due_ids(const Actor& a, const char* on) {
    std::vector<std::string> out;
    for (const auto& s : retention.due(a, d(on), 100).value()) out.push_back(s.record_id);
    return out;
  }

  std::size_t hits(const std::string& word) {
    auto tx = w.store->begin(storage::TxMode::kRead).value();
    return tx->search_concerns({word}, 10).value().size();
  }
};

TEST(RetentionPolicyTest, TheShippedPolicyParsesAndPutsEachRecordInItsFirstMatchingGroup) {
  const auto& p = RetentionPolicy::shipped();
  EXPECT_EQ(p.version(), 1);
  json suspect = {{"persons", {{{"role", "suspect"}}}}};
  json plain = {{"persons", {{{"role", "relative"}}}}};
  EXPECT_EQ(p.group_for("concern", suspect)->id, "concern_naming_suspect");
  EXPECT_EQ(p.group_for("concern", plain)->id, "other_concerns");
  json plan = {
      {"status", "closed"}, {"outcome", "nfa"}, {"events", {{{"kind", "initial_conference"}}}}};
  EXPECT_EQ(p.group_for("case", plan)->id, "child_protection_plan") << "first match wins";
  json nfa = {{"status", "closed"}, {"outcome", "nfa"}, {"events", json::array()}};
  EXPECT_EQ(p.group_for("case", nfa)->id, "closed_no_further_action");
  EXPECT_EQ(p.group_for("case", json::object())->id, "other_casework");
  EXPECT_EQ(p.group_for("task", json::object()), nullptr) << "tasks go with their case";
}

TEST(RetentionPolicyTest, ErrorsNameTheField) {
  auto field = [](const char* text) { return RetentionPolicy::parse(text).error().field; };
  EXPECT_EQ(field(R"({"id":"p","version":1,"effective_from":"2026-01-01","groups":[]})"),
            "/groups");
  EXPECT_EQ(field(R"({"id":"p","version":0,"effective_from":"2026-01-01","groups":[]})"),
            "/version");
  const char* base = R"({"id":"p","version":1,"effective_from":"2026-01-01","groups":[{"id":"g",)"
                     R"("description":"x","kinds":["case"],)";
  EXPECT_EQ(field((std::string(base) + R"("review_after_years":0}]})").c_str()),
            "/groups/0/review_after_years");
  EXPECT_EQ(
      field((std::string(base) + R"("when":{"colour":"red"},"review_after_years":6}]})").c_str()),
      "/groups/0/when/colour");
  EXPECT_EQ(field(R"({"id":"p","version":1,"effective_from":"2026-01-01","groups":[{"id":"g",)"
                  R"("description":"x","kinds":[],"review_after_years":6}]})"),
            "/groups/0/kinds");
  EXPECT_EQ(field(R"({"id":"p","version":1,"effective_from":"2026-01-01","groups":[{"id":"g",)"
                  R"("description":"x","kinds":["case"],"review_after_years":6},{"id":"g",)"
                  R"("description":"y","kinds":["concern"],"review_after_years":6}]})"),
            "/groups/1/id");
}

TEST_F(RetentionTest, ReviewDatesFollowTheGroupAndTheLastActivity) {
  auto with_suspect = record("Amy", "Seen with an older man near the takeaway.", true);
  w.clock.set(at("2027-03-10T12:00:00Z"));
  auto plain = record("Bea", "Missing overnight from home.", false);
  w.clock.set(at("2027-05-20T12:00:00Z"));
  close_nfa(plain.case_ids.at(0));

  // By hand: a concern naming a suspect, 10 years after 1 Dec 2026; its open case (other
  // casework), 6 years. The plain concern joined a case last changed on 20 May 2027 (the
  // NFA), so its last activity is then: 6 years on.
  auto s = retention.status(police_manager, with_suspect.concern_id).value();
  EXPECT_EQ(s.group, "concern_naming_suspect");
  EXPECT_EQ(s.review_on, d("2036-12-01"));
  s = retention.status(police_manager, with_suspect.case_ids.at(0)).value();
  EXPECT_EQ(s.group, "other_casework");
  EXPECT_EQ(s.review_on, d("2032-12-01"));
  s = retention.status(police_manager, plain.concern_id).value();
  EXPECT_EQ(s.group, "other_concerns");
  EXPECT_EQ(s.last_activity_on, d("2027-05-20"));
  EXPECT_EQ(s.review_on, d("2033-05-20"));
  s = retention.status(police_manager, plain.case_ids.at(0)).value();
  EXPECT_EQ(s.group, "closed_no_further_action");
  EXPECT_EQ(s.review_on, d("2033-05-20"));
}

TEST_F(RetentionTest, TheDueListHoldsWhatFallsDueByTheDateEarliestFirst) {
  auto a = record("Amy", "Seen with an older man near the takeaway.", true);
  EXPECT_TRUE(due_ids(police_manager, "2032-11-30").empty());
  EXPECT_EQ(due_ids(police_manager, "2032-12-01"), std::vector<std::string>{a.case_ids.at(0)});
  EXPECT_EQ(due_ids(police_manager, "2036-12-01"),
            (std::vector<std::string>{a.case_ids.at(0), a.concern_id}));
  EXPECT_EQ(retention.due(police_manager, d("2040-01-01"), 1).value().size(), 1u);
}

TEST_F(RetentionTest, RetainNeedsAReasonAndMovesTheReviewDate) {
  auto a = record("Amy", "Seen with an older man near the takeaway.", true);
  w.clock.set(at("2036-12-02T10:00:00Z"));
  ASSERT_EQ(due_ids(police_manager, "2036-12-02").size(), 2u);
  auto no_reason = retention.decide(police_manager, a.concern_id, {.reason = "  "});
  EXPECT_EQ(no_reason.error().field, "reason");
  auto too_far = retention.decide(
      police_manager, a.concern_id,
      {.reason = "Linked to an open investigation", .next_review_on = d("2047-01-01")});
  EXPECT_EQ(too_far.error().field, "next_review_on");

  auto kept =
      retention
          .decide(police_manager, a.concern_id,
                  {.reason = "Linked to an open investigation", .next_review_on = d("2039-12-02")})
          .value();
  EXPECT_EQ(kept.review_on, d("2039-12-02"));
  EXPECT_EQ(due_ids(police_manager, "2036-12-02"), std::vector<std::string>{a.case_ids.at(0)});
  // The decision is a versioned record, and ledgered as an alteration naming the record.
  auto tx = w.store->begin(storage::TxMode::kRead).value();
  auto row = tx->retention_review(a.concern_id).value().value();
  EXPECT_EQ(row.decision, "retain");
  auto decision = tx->record(row.decision_id).value();
  EXPECT_EQ(decision.kind, "retention_decision");
  EXPECT_EQ(json::parse(decision.body)["reason"], "Linked to an open investigation");
  auto last = tx->ledger_last().value().value();
  EXPECT_EQ(last.operation, domain::Operation::kAlteration);
  EXPECT_EQ(last.reason, "retention_review");
  tx.reset();

  // A second retain is the decision record's next version.
  retention.decide(police_manager, a.concern_id, {.reason = "Still linked"}).value();
  tx = w.store->begin(storage::TxMode::kRead).value();
  EXPECT_EQ(tx->record(row.decision_id).value().version, 2);
  EXPECT_EQ(tx->retention_review(a.concern_id).value()->review_on, d("2046-12-02"));
}

TEST_F(RetentionTest, EraseBlanksTheRecordAndItsLedgerPayloadsAndTheLedgerStillVerifies) {
  auto a = record("Amy", "Seen with an older man near the zebracrossing.", true);
  // Consult it, so a consultation event names it too.
  ASSERT_TRUE(w.casework.document(police_officer, a.concern_id, std::nullopt, "case_work").ok());
  ASSERT_EQ(hits("zebracrossing"), 1u);

  auto early = retention.decide(police_manager, a.concern_id,
                                {.disposal = Disposal::kErase, .reason = "Review: no value"});
  EXPECT_EQ(code(early), core::Code::kFailedPrecondition) << "not due until 2036";

  std::vector<std::vector<std::string>> told;  // What the in-memory copies are told.
  retention.on_erased([&](const std::vector<std::string>& ids) { told.push_back(ids); });
  w.clock.set(at("2036-12-02T10:00:00Z"));
  EXPECT_EQ(
      retention.decide(police_manager, a.concern_id, {.disposal = Disposal::kErase}).error().field,
      "reason");
  EXPECT_TRUE(told.empty()) << "nothing was erased";
  auto erased = retention.decide(
      police_manager, a.concern_id,
      {.disposal = Disposal::kErase, .reason = "MoPI review: no continuing policing purpose"});
  ASSERT_TRUE(erased.ok()) << erased.error().to_string();
  ASSERT_EQ(told.size(), 1u);
  EXPECT_NE(std::find(told[0].begin(), told[0].end(), a.concern_id), told[0].end());

  // Reads back as erased: not found now, nor as it was known in 2026, nor by search.
  EXPECT_EQ(code(w.casework.document(police_officer, a.concern_id, std::nullopt, "case_work")),
            core::Code::kNotFound);
  EXPECT_EQ(code(w.casework.document(police_officer, a.concern_id, at("2027-01-01T00:00:00Z"),
                                     "case_work")),
            core::Code::kNotFound);
  EXPECT_EQ(hits("zebracrossing"), 0u);
  auto status = retention.status(police_manager, a.concern_id);
  EXPECT_EQ(code(status), core::Code::kNotFound);
  EXPECT_NE(status.error().message.find("erased"), std::string::npos);
  EXPECT_EQ(due_ids(police_manager, "2036-12-02"), std::vector<std::string>{a.case_ids.at(0)});

  // Every version is kept, blank; the file no longer holds the narrative.
  auto tx = w.store->begin(storage::TxMode::kRead).value();
  auto events = tx->ledger_for_record(a.concern_id, 100).value();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().operation, domain::Operation::kErasure);
  auto payload = tx->ledger_payloads(events.back().seq, 1).value().at(0);
  EXPECT_EQ(payload.payload.find("zebracrossing"), std::string::npos);
  for (const auto& e : events) {
    if (e.operation == domain::Operation::kErasure) continue;
    auto p = tx->ledger_payloads(e.seq, 1).value();
    if (!p.empty() && p[0].seq == e.seq) {
      EXPECT_EQ(p[0].payload, "") << "event " << e.seq;
    }
  }
  tx.reset();
  auto report = audit::verify(*w.store).value();
  EXPECT_TRUE(report.intact()) << report.problem;
  EXPECT_GT(report.payloads_erased, 0);

  EXPECT_EQ(code(retention.decide(police_manager, a.concern_id,
                                  {.disposal = Disposal::kErase, .reason = "again"})),
            core::Code::kNotFound);
}

TEST_F(RetentionTest, AnOpenCaseIsNeverErasedAndAClosedOneTakesItsTasksWithIt) {
  auto a = record("Amy", "Seen with an older man.", false);
  const auto& case_id = a.case_ids.at(0);
  w.clock.set(at("2033-01-01T10:00:00Z"));
  EXPECT_EQ(code(retention.decide(police_manager, case_id,
                                  {.disposal = Disposal::kErase, .reason = "Review: no value"})),
            core::Code::kFailedPrecondition);
  close_nfa(case_id);
  w.clock.set(at("2039-01-02T10:00:00Z"));
  auto tx = w.store->begin(storage::TxMode::kRead).value();
  auto tasks = tx->work_items({.case_id = case_id, .open_only = false}).value();
  ASSERT_FALSE(tasks.empty());
  tx.reset();
  ASSERT_TRUE(retention
                  .decide(police_manager, case_id,
                          {.disposal = Disposal::kErase, .reason = "Review: no value"})
                  .ok());
  tx = w.store->begin(storage::TxMode::kRead).value();
  EXPECT_EQ(code(tx->record(case_id)), core::Code::kNotFound);
  for (const auto& t : tasks) EXPECT_EQ(code(tx->record(t.id)), core::Code::kNotFound);
  EXPECT_EQ(tx->case_summary(case_id).value().label, "");
  tx.reset();
  EXPECT_TRUE(audit::verify(*w.store).value().intact());
}

TEST_F(RetentionTest, OnlyManagersWithANeedToKnowSeeOrDecide) {
  auto a = record("Amy", "Seen with an older man.", true);
  w.clock.set(at("2036-12-02T10:00:00Z"));
  EXPECT_TRUE(due_ids(council_manager, "2036-12-02").empty()) << "another agency's records";
  EXPECT_EQ(code(retention.decide(council_manager, a.concern_id, {.reason = "Keep"})),
            core::Code::kPermissionDenied);
  EXPECT_EQ(code(retention.due(police_officer, d("2036-12-02"), 10)),
            core::Code::kPermissionDenied);
  EXPECT_EQ(code(retention.decide(police_officer, a.concern_id, {.reason = "Keep"})),
            core::Code::kPermissionDenied);
  w.share("NFP", "NCS");
  EXPECT_EQ(due_ids(council_manager, "2036-12-02").size(), 2u) << "a sharing agreement opens it";
}

}  // namespace
}  // namespace sg::workflow
