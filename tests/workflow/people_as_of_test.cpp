// A person as known at date D (issue 6): only what was recorded by D, each record as its
// version stood at D, with the match decisions then in force; need to know as it is today.
#include <gtest/gtest.h>

#include "test_support.h"
#include "workflow/casework.h"
#include "workflow/people.h"

namespace sg::workflow {
namespace {

using nlohmann::json;
using testing::at;

struct PeopleAsOf : ::testing::Test {
  testing::World w;
  resolve::OnlineMatcher matcher;
  People people{*w.store, w.ledger, w.clock, matcher};
  Actor mash, ncs, reviewer, admin;
  const core::Timestamp d = at("2026-12-01T12:00:00Z");

  void SetUp() override {
    w.clock.set(at("2026-12-01T10:00:00Z"));
    auto m = w.add_user("mash.one", domain::Role::kMashCoordinator);
    auto r = w.add_user("reviewer.one", domain::Role::kReviewer);
    auto a = w.add_user("admin.one", domain::Role::kAdmin);
    w.accounts
        .add_agency(
            {"NCS", "Northfield Children's Services", domain::AgencyKind::kChildrensServices},
            "system:test")
        .value();
    auto n = w.accounts
                 .add_user({"ncs.one", "Test User", "NCS", domain::Role::kMashCoordinator,
                            "correct horse battery", ""},
                           "system:test")
                 .value();
    w.share("NCS", "NFP");  // NFP sees NCS's records; NCS has no agreement to see NFP's.
    mash = {m.id, m.role, m.agency_id, ""};
    ncs = {n.id, n.role, n.agency_id, ""};
    reviewer = {r.id, r.role, r.agency_id, ""};
    admin = {a.id, a.role, a.agency_id, ""};
    w.casework.use_people(people);
  }

  static json concern(const char* agency, const char* given, const char* dob) {
    json child = {{"ref", "c1"}, {"given_name", given}, {"family_name", "Example"}};
    if (dob) child["date_of_birth"] = dob;
    return {{"channel", "phone"},
            {"source_agency", agency},
            {"received_at", "2026-11-30T09:00:00Z"},
            {"narrative", "Seen getting into a silver car outside school."},
            {"children", {child}}};
  }
  std::string record(const json& doc) {
    auto r = w.casework.record_concern(mash, doc);
    EXPECT_TRUE(r.ok()) << r.error().message << " " << r.error().field;
    return r.ok() ? r->concern_id : "";
  }
  // A correction: a new version of a stored concern, ledgered as an alteration.
  void correct(const std::string& concern_id, const std::function<void(json&)>& change) {
    auto tx = w.store->begin(storage::TxMode::kWrite).value();
    auto v = tx->record(concern_id).value();
    auto body = json::parse(v.body);
    change(body);
    v.body = body.dump();
    v.recorded_at = w.clock.now();
    auto put = tx->put_record(v, v.version);
    ASSERT_TRUE(put.ok()) << put.error().message;
    auto stored = *put;
    std::string payload = body.dump();
    w.ledger
        .append(*tx, {.actor = mash.user_id,
                      .operation = domain::Operation::kAlteration,
                      .reason = "case_work",
                      .record_ids = {concern_id},
                      .payload = payload})
        .value();
    ASSERT_TRUE(tx->commit().ok());
    ASSERT_EQ(stored.version, v.version + 1);
  }
  static std::vector<std::string> record_ids(const json& entity) {
    std::vector<std::string> out;
    for (const auto& r : entity["records"]) out.push_back(r["record_id"]);
    return out;
  }
  static const json* find(const json& entity, const std::string& record_id) {
    for (const auto& r : entity["records"]) {
      if (r["record_id"] == record_id) return &r;
    }
    return nullptr;
  }
};

TEST_F(PeopleAsOf, ShowsOnlyRecordsRecordedByThenEachAsItsVersionStoodThen) {
  auto a = record(concern("NCS", "Amy", "2012-05-01"));
  w.clock.set(at("2026-12-01T10:05:00Z"));
  auto b = record(concern("NFP", "Aimee", "2012-05-01"));
  // After D: a third agency record of the same child, and a correction of the first.
  w.clock.set(at("2026-12-02T09:00:00Z"));
  auto c = record(concern("NFP", "Amy", "2012-05-01"));
  correct(a, [](json& body) { body["children"][0]["nickname"] = "Ames"; });
  std::string ra = person_record_id(a, "c1"), rb = person_record_id(b, "c1"),
              rc = person_record_id(c, "c1");

  auto now = people.entity(mash, ra);
  ASSERT_TRUE(now.ok()) << now.error().message;
  EXPECT_EQ(record_ids(*now), (std::vector<std::string>{ra, rb, rc}));
  EXPECT_EQ((*find(*now, ra))["person"].value("nickname", ""), "Ames");

  auto then = people.entity_as_of(mash, ra, d);
  ASSERT_TRUE(then.ok()) << then.error().message;
  EXPECT_EQ((*then)["as_of"], core::format_rfc3339(d));
  EXPECT_EQ(record_ids(*then), (std::vector<std::string>{ra, rb}));
  const json& first = *find(*then, ra);
  EXPECT_EQ(first["version"], 1);
  EXPECT_FALSE(first["person"].contains("nickname"));
  EXPECT_EQ(first["person"]["given_name"], "Amy");
  EXPECT_FALSE((*find(*then, rb))["explanation"].is_null());

  // Asked by the record made after D, the person is found by today's entity's earliest
  // record known then; before anything was recorded, nobody is known.
  auto by_later = people.entity_as_of(mash, rc, d);
  ASSERT_TRUE(by_later.ok());
  EXPECT_EQ(record_ids(*by_later), (std::vector<std::string>{ra, rb}));
  auto before = people.entity_as_of(mash, ra, at("2026-12-01T09:00:00Z"));
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.error().code, core::Code::kNotFound);
}

TEST_F(PeopleAsOf, AMatchDecisionMadeAfterDIsNotInForceAtD) {
  // No date of birth: the two records are only a possible match, queued for review.
  auto a = record(concern("NCS", "Amy", nullptr));
  auto b = record(concern("NFP", "Amy", nullptr));
  std::string ra = person_record_id(a, "c1"), rb = person_record_id(b, "c1");
  auto analyst_user = w.add_user("analyst.one", domain::Role::kAnalyst);
  Actor analyst{analyst_user.id, analyst_user.role, analyst_user.agency_id, ""};
  auto queue = people.queue(analyst, "open", 10).value();
  ASSERT_EQ(queue.size(), 1u);
  w.clock.set(at("2026-12-03T09:00:00Z"));
  ASSERT_TRUE(people.decide(analyst, queue[0].pair_id, resolve::Verdict::kSame, "", 0).ok());
  w.clock.set(at("2026-12-03T11:00:00Z"));

  EXPECT_EQ(record_ids(people.entity(mash, ra).value()), (std::vector<std::string>{ra, rb}));
  auto then = people.entity_as_of(mash, ra, d).value();
  EXPECT_EQ(record_ids(then), (std::vector<std::string>{ra}));
  EXPECT_TRUE(then["decisions"].empty());
  // Asked after the decision, the past view has it in force, with when it was recorded.
  auto later = people.entity_as_of(mash, ra, at("2026-12-03T10:00:00Z")).value();
  EXPECT_EQ(record_ids(later), (std::vector<std::string>{ra, rb}));
  ASSERT_EQ(later["decisions"].size(), 1u);
  EXPECT_EQ(later["decisions"][0]["verdict"], "same");
  EXPECT_EQ(later["decisions"][0]["recorded_at"], core::format_rfc3339(at("2026-12-03T09:00:00Z")));
  // An undo is a new version: before it the verdict stood, after it the model decides again.
  w.clock.set(at("2026-12-04T09:00:00Z"));
  ASSERT_TRUE(people.undo(analyst, queue[0].pair_id, 1).ok());
  w.clock.set(at("2026-12-04T11:00:00Z"));
  EXPECT_EQ(record_ids(people.entity_as_of(mash, ra, at("2026-12-03T10:00:00Z")).value()),
            (std::vector<std::string>{ra, rb}));
  EXPECT_EQ(record_ids(people.entity_as_of(mash, ra, at("2026-12-04T10:00:00Z")).value()),
            (std::vector<std::string>{ra}));
}

TEST_F(PeopleAsOf, NeedToKnowIsTodaysGrantsAndTheReviewersRemit) {
  auto a = record(concern("NCS", "Amy", "2012-05-01"));
  w.clock.set(at("2026-12-01T10:05:00Z"));
  auto b = record(concern("NFP", "Aimee", "2012-05-01"));
  std::string ra = person_record_id(a, "c1"), rb = person_record_id(b, "c1");
  w.clock.set(at("2026-12-02T09:00:00Z"));

  // NCS has no agreement to see NFP's records, then or now.
  EXPECT_EQ(record_ids(people.entity_as_of(ncs, ra, d).value()), (std::vector<std::string>{ra}));
  // Asked by the NFP record, NCS still sees only its own record of the person (as today).
  EXPECT_EQ(record_ids(people.entity_as_of(ncs, rb, d).value()), (std::vector<std::string>{ra}));
  // Administrators never see case content, past or present.
  EXPECT_EQ(people.entity_as_of(admin, ra, d).error().code, core::Code::kPermissionDenied);

  // A reviewer sees what their remit covers: NCS only, records first recorded 1–30 Nov.
  Actor system{"system:test", domain::Role::kAdmin, "", ""};
  ASSERT_TRUE(w.grants
                  .set_reviewer_scope(system, reviewer.user_id, {"NCS", "NFP"},
                                      core::Date::parse_iso("2026-12-01").value(),
                                      core::Date::parse_iso("2026-12-31").value())
                  .ok());
  EXPECT_EQ(record_ids(people.entity_as_of(reviewer, ra, d).value()),
            (std::vector<std::string>{ra, rb}));
  ASSERT_TRUE(w.grants
                  .set_reviewer_scope(system, reviewer.user_id, {"NCS"},
                                      core::Date::parse_iso("2026-11-01").value(),
                                      core::Date::parse_iso("2026-11-30").value())
                  .ok());
  auto outside = people.entity_as_of(reviewer, ra, d);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code, core::Code::kNotFound);
}

TEST_F(PeopleAsOf, AFutureDateIsRefusedAndEveryPastReadIsALedgerConsultationNotingIt) {
  auto a = record(concern("NCS", "Amy", "2012-05-01"));
  std::string ra = person_record_id(a, "c1");
  auto future = people.entity_as_of(mash, ra, at("2026-12-01T10:00:01Z"));
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.error().code, core::Code::kInvalidArgument);
  EXPECT_EQ(future.error().field, "as_of");

  w.clock.set(at("2026-12-02T09:00:00Z"));
  ASSERT_TRUE(people.entity_as_of(mash, ra, d).ok());
  auto tx = w.store->begin(storage::TxMode::kRead).value();
  auto last = tx->ledger_last().value().value();
  EXPECT_EQ(last.operation, domain::Operation::kConsultation);
  EXPECT_EQ(last.actor, mash.user_id);
  EXPECT_EQ(last.record_ids, (std::vector<std::string>{ra}));
  auto payload = json::parse(tx->ledger_payloads(last.seq, 1).value().at(0).payload);
  EXPECT_EQ(payload["as_of"], core::format_rfc3339(d));
}

}  // namespace
}  // namespace sg::workflow
