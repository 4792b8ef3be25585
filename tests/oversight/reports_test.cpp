// Each oversight report against a small world built through the real casework service, with
// the expected numbers worked out by hand beside each assertion.
#include "oversight/reports.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace sg::oversight {
namespace {

using nlohmann::json;
using testing::at;
using workflow::Actor;
using workflow::DecisionInput;
using workflow::DecisionKind;

core::Date d(const char* iso) { return core::Date::parse_iso(iso).value(); }

json child(const std::string& name, const char* dob, const char* sex = "F",
           const char* ethnicity = "white_british", const std::string& ref = "c1") {
  return {{"ref", ref},           {"given_name", name}, {"family_name", "Test"},
          {"date_of_birth", dob}, {"sex", sex},         {"ethnicity", ethnicity}};
}

json suspect(const std::string& ref, const char* pnc, const char* dob = "1995-01-01") {
  return {{"ref", ref}, {"role", "suspect"},    {"given_name", "Suspect"},
          {"sex", "M"}, {"date_of_birth", dob}, {"identifiers", {{"pnc_id", pnc}}}};
}

struct OversightTest : ::testing::Test {
  testing::World w;
  Oversight oversight{*w.store, w.ledger};
  Actor mash, p1, p2, m1, m2, reviewer, practitioner_only;

  void SetUp() override {
    // Every action happens "now"; the work itself is dated in the past.
    w.clock.set(at("2026-06-30T12:00:00Z"));
    auto c = w.add_user("mash.one", domain::Role::kMashCoordinator);
    auto a = w.add_user("manager.one", domain::Role::kManager);
    auto b = w.add_user("manager.two", domain::Role::kManager);
    auto x =
        w.add_user("prac.one", domain::Role::kPractitioner, "correct horse battery", "manager.one");
    auto y =
        w.add_user("prac.two", domain::Role::kPractitioner, "correct horse battery", "manager.two");
    auto r = w.add_user("review.one", domain::Role::kReviewer);
    w.accounts
        .add_agency(
            {"NCS", "Northfield Children's Services", domain::AgencyKind::kChildrensServices},
            "system:test")
        .value();
    w.share("NCS", "NFP");  // The MASH at NFP works NCS's cases.
    mash = {c.id, c.role, c.agency_id, ""};
    m1 = {a.id, a.role, a.agency_id, ""};
    m2 = {b.id, b.role, b.agency_id, ""};
    p1 = {x.id, x.role, x.agency_id, a.id};
    p2 = {y.id, y.role, y.agency_id, b.id};
    reviewer = {r.id, r.role, r.agency_id, ""};
    remit({"NFP", "NCS"});
  }

  // The reviewer's remit: these agencies' records, recorded in 2000–2026.
  void remit(std::vector<std::string> agencies) {
    w.grants
        .set_reviewer_scope({"system:test", domain::Role::kAdmin, "", ""}, reviewer.user_id,
                            agencies, d("2000-01-01"), d("2026-12-31"))
        .value();
  }

  std::string record(const char* received_at, json children, json persons = json::array(),
                     const char* agency = nullptr) {
    json doc = {{"channel", "phone"},
                {"received_at", received_at},
                {"narrative", "Concern raised."},
                {"children", children},
                {"persons", persons}};
    if (agency) doc["source_agency"] = agency;
    auto r = w.casework.record_concern(mash, doc);
    EXPECT_TRUE(r.ok()) << r.error().message << " " << r.error().field;
    return r.value().case_ids.at(0);
  }

  void decide(const Actor& who, const std::string& case_id, DecisionKind kind, const char* on,
              const char* late_reason = "") {
    DecisionInput input{.kind = kind,
                        .rationale = "Reasoned decision.",
                        .decided_on = d(on),
                        .late_reason = late_reason};
    auto id = w.casework.decide(who, case_id, input);
    ASSERT_TRUE(id.ok()) << id.error().message << " " << id.error().field;
    if (kind == DecisionKind::kNoFurtherAction || kind == DecisionKind::kClose) {
      // Signed off by the manager who did not propose it.
      const Actor& signer = who.user_id == m1.user_id ? m2 : m1;
      ASSERT_TRUE(w.casework.sign_off(signer, *id, workflow::SignOff::kApprove, "Agreed.").ok());
    }
  }

  std::string task_of(const std::string& case_id, const char* subkind) {
    auto items =
        w.casework
            .inbox(m1, {.kind = "task", .case_id = case_id, .subkind = subkind, .open_only = false})
            .value();
    EXPECT_EQ(items.size(), 1u);
    return items.at(0).id;
  }

  void meeting(const std::string& case_id, workflow::Meeting kind, const char* on) {
    ASSERT_TRUE(w.casework.record_meeting(p1, case_id, kind, d(on), "Held.", "Late.").ok());
  }

  Report run(ReportKind kind, const char* from = "2026-03-01", const char* to = "2026-03-31",
             const char* agency = "", const std::string& team = "") {
    auto r = oversight.run(reviewer, kind, from, to, agency, team);
    EXPECT_TRUE(r.ok()) << r.error().message << " " << r.error().field;
    return r.value();
  }

  // The timeliness world (March 2026; 2 March is a Monday):
  //  A  NFP  received Mon 2 Mar; accepted Tue 3 Mar by p1 (team m1); assessment done 10 Mar.
  //  B  NFP  received Mon 2 Mar; accepted Thu 5 Mar by p2 (team m2), late; assessment open.
  //  C  NFP  received Wed 4 Mar; NFA the same day by p1, signed off by m2.
  //  D  NCS  received Fri 6 Mar (due Mon 9); stepped down Tue 10 Mar by p2, late.
  //  E  NFP  received Mon 1 Dec 2025; accepted that day by p1; assessment done 12 Mar, late.
  struct Cases {
    std::string a, b, c, d, e;
  };
  Cases timeliness_world() {
    Cases k;
    k.a = record("2026-03-02T09:00:00Z", {child("Ann", "2012-01-01")});
    k.b = record("2026-03-02T10:00:00Z", {child("Bea", "2015-01-01")});
    k.c = record("2026-03-04T10:00:00Z", {child("Cat", "2010-05-05")});
    k.d = record("2026-03-06T10:00:00Z", {child("Dot", "2013-02-02")}, json::array(), "NCS");
    k.e = record("2025-12-01T10:00:00Z", {child("Eve", "2011-07-07")});
    decide(p1, k.a, DecisionKind::kAccept, "2026-03-03");
    decide(p2, k.b, DecisionKind::kAccept, "2026-03-05", "Backlog.");
    decide(p1, k.c, DecisionKind::kNoFurtherAction, "2026-03-04");
    decide(p2, k.d, DecisionKind::kStepDown, "2026-03-10", "Backlog.");
    decide(p1, k.e, DecisionKind::kAccept, "2025-12-01");
    EXPECT_TRUE(w.casework.complete_task(p1, task_of(k.a, "assessment"), d("2026-03-10"), "").ok());
    EXPECT_TRUE(
        w.casework.complete_task(p1, task_of(k.e, "assessment"), d("2026-03-12"), "Complex.").ok());
    return k;
  }
};

std::vector<json> row_where(const Table& t, std::size_t column, const json& value) {
  for (const auto& row : t.rows) {
    if (row.at(column) == value) return row;
  }
  ADD_FAILURE() << "no row with " << value.dump();
  return {};
}

TEST_F(OversightTest, TimelinessSharesAndNearestRankDelaysPerAgencyAndTeam) {
  timeliness_world();
  auto report = run(ReportKind::kTimeliness);
  const auto& t = report.tables.at(0);
  ASSERT_EQ(t.rows.size(), 5u);  // all, NCS, NFP, team m1, team m2.
  // All: referral decisions A (1 working day: Mon→Tue), B (3: Mon→Thu), C (0), D (2: Fri→Tue).
  // In time A, C: 2 of 4 = 50.0%. Sorted 0,1,2,3: median rank ceil(0.5*4)=2 → 1; p90 rank
  // ceil(0.9*4)=4 → 3. Assessments done in March: A (3→10 Mar = 5), E (1 Dec→12 Mar = 20 in
  // Dec + 21 in Jan + 20 in Feb + 9 in Mar = 70, due after 45): 1 of 2 = 50.0%; median rank 1
  // → 5; p90 rank ceil(1.8)=2 → 70.
  EXPECT_EQ(t.rows[0], (std::vector<json>{"all", "", "", 4, 2, 50.0, 1, 3, 2, 1, 50.0, 5, 70}));
  // NCS: D alone (2 working days, late); no assessments.
  EXPECT_EQ(t.rows[1], (std::vector<json>{"agency", "NCS", "", 1, 0, 0.0, 2, 2, 0, 0, nullptr,
                                          nullptr, nullptr}));
  // NFP: A, B, C: delays 0,1,3, two in time = 66.7%; median rank 2 → 1; p90 rank 3 → 3.
  EXPECT_EQ(t.rows[2],
            (std::vector<json>{"agency", "NFP", "", 3, 2, 66.7, 1, 3, 2, 1, 50.0, 5, 70}));
  // Team m1 (p1's decisions A, C; p1's assessments A, E): delays 0,1 → 100.0%, median rank
  // 1 → 0, p90 rank 2 → 1.
  EXPECT_EQ(row_where(t, 2, m1.user_id),
            (std::vector<json>{"team", "", m1.user_id, 2, 2, 100.0, 0, 1, 2, 1, 50.0, 5, 70}));
  // Team m2 (p2's B, D): delays 3 and 2, both late; median rank 1 → 2; p90 rank 2 → 3.
  EXPECT_EQ(row_where(t, 2, m2.user_id), (std::vector<json>{"team", "", m2.user_id, 2, 0, 0.0, 2, 3,
                                                            0, 0, nullptr, nullptr, nullptr}));
}

TEST_F(OversightTest, TimelinessFiltersByAgencyTeamAndPeriod) {
  timeliness_world();
  // Agency NCS: only D is left, so the "all" row is D's.
  auto ncs = run(ReportKind::kTimeliness, "2026-03-01", "2026-03-31", "NCS");
  EXPECT_EQ(ncs.tables[0].rows[0],
            (std::vector<json>{"all", "", "", 1, 0, 0.0, 2, 2, 0, 0, nullptr, nullptr, nullptr}));
  // Team m1 by username: A and C (2 of 2 in time), assessments A and E.
  auto team = run(ReportKind::kTimeliness, "2026-03-01", "2026-03-31", "", "manager.one");
  EXPECT_EQ(team.tables[0].rows[0],
            (std::vector<json>{"all", "", "", 2, 2, 100.0, 0, 1, 2, 1, 50.0, 5, 70}));
  // December 2025: E's referral decision alone, made the day it came in (0 days, in time).
  auto december = run(ReportKind::kTimeliness, "2025-12-01", "2025-12-31");
  EXPECT_EQ(december.tables[0].rows[0],
            (std::vector<json>{"all", "", "", 1, 1, 100.0, 0, 0, 0, 0, nullptr, nullptr, nullptr}));
}

TEST_F(OversightTest, OutcomesGiveNfaAndClosureRates) {
  timeliness_world();
  auto t = run(ReportKind::kOutcomes).tables.at(0);
  ASSERT_EQ(t.rows.size(), 5u);
  // Referral decisions in March: A accept, B accept, C nfa, D step_down → 4; NFA 1/4 = 25.0%,
  // step down 1/4 = 25.0%. Cases open at some time in March: A, B, C, D and E (opened Dec,
  // still open) = 5; closed in March: C (nfa) and D (step_down) = 2 → 40.0%.
  EXPECT_EQ(t.rows[0],
            (std::vector<json>{"all", "", "", 4, 2, 1, 1, 0, 25.0, 25.0, 5, 2, 40.0, 1, 1, 0}));
  // NCS: D only: 1 step down (100.0%); 1 case, closed (100.0%).
  EXPECT_EQ(t.rows[1], (std::vector<json>{"agency", "NCS", "", 1, 0, 0, 1, 0, 0.0, 100.0, 1, 1,
                                          100.0, 0, 1, 0}));
  // NFP: A, B, C: NFA 1/3 = 33.3%; cases A, B, C, E with C closed: 1/4 = 25.0%.
  EXPECT_EQ(t.rows[2], (std::vector<json>{"agency", "NFP", "", 3, 2, 1, 0, 0, 33.3, 0.0, 4, 1, 25.0,
                                          1, 0, 0}));
  // Team m1: decisions A, C (p1) → NFA 1/2 = 50.0%; cases A, E (assignee p1) and C (closed by
  // p1's decision) → 1 closed of 3 = 33.3%.
  EXPECT_EQ(row_where(t, 2, m1.user_id), (std::vector<json>{"team", "", m1.user_id, 2, 1, 1, 0, 0,
                                                            50.0, 0.0, 3, 1, 33.3, 1, 0, 0}));
  // Team m2: decisions B, D (p2) → step down 1/2 = 50.0%; cases B, D → 1 closed of 2 = 50.0%.
  EXPECT_EQ(row_where(t, 2, m2.user_id), (std::vector<json>{"team", "", m2.user_id, 2, 1, 0, 1, 0,
                                                            0.0, 50.0, 2, 1, 50.0, 0, 1, 0}));
}

TEST_F(OversightTest, ReportsDrawOnlyOnWhatTheReaderHasANeedToKnow) {
  timeliness_world();
  EXPECT_EQ(run(ReportKind::kOutcomes).tables.at(0).rows[0][3], 4) << "NFP's 3 and NCS's 1";
  remit({"NFP"});
  auto t = run(ReportKind::kOutcomes).tables.at(0);
  EXPECT_EQ(t.rows[0][3], 3) << "a reviewer whose remit is NFP sees NFP's decisions only";
  for (const auto& row : t.rows) {
    if (row[1] == "NCS") {
      EXPECT_EQ(row[3], 0) << "nothing of NCS is counted";
    }
  }
  // A manager sees their own agency and what is shared with it; auditors the whole.
  Actor auditor = [&] {
    auto u = w.add_user("audit.one", domain::Role::kAuditor);
    return Actor{u.id, u.role, u.agency_id, ""};
  }();
  auto whole = oversight.run(auditor, ReportKind::kOutcomes, "2026-03-01", "2026-03-31", "", "");
  EXPECT_EQ(whole.value().tables.at(0).rows[0][3], 4);
}

TEST_F(OversightTest, RepeatConcernsListChildrenWithThreeIn12MonthsAndNoAction) {
  // R1: three concerns in 12 months, each closed with NFA or left undecided: listed.
  auto r1 = record("2025-06-10T09:00:00Z", {child("Rae", "2012-03-03")});
  decide(p1, r1, DecisionKind::kNoFurtherAction, "2025-06-11");
  auto r1b = record("2025-11-10T09:00:00Z", {child("Rae", "2012-03-03")});
  decide(p1, r1b, DecisionKind::kNoFurtherAction, "2025-11-11");
  auto r1c = record("2026-03-05T09:00:00Z", {child("Rae", "2012-03-03")});
  // R2: three concerns but the referral was accepted (an assessment): not listed.
  auto r2 = record("2026-01-05T09:00:00Z", {child("Roo", "2013-04-04")});
  decide(p1, r2, DecisionKind::kAccept, "2026-01-06");
  record("2026-02-05T09:00:00Z", {child("Roo", "2013-04-04")});
  record("2026-03-10T09:00:00Z", {child("Roo", "2013-04-04")});
  // R3: three concerns, but only two within 12 months of the one in March: not listed.
  record("2024-12-01T09:00:00Z", {child("Rex", "2011-05-05")});
  record("2025-06-01T09:00:00Z", {child("Rex", "2011-05-05")});
  record("2026-03-20T09:00:00Z", {child("Rex", "2011-05-05")});
  // R4: three concerns, none of them in the period: not listed.
  record("2026-02-01T09:00:00Z", {child("Ria", "2010-06-06")});
  record("2026-02-10T09:00:00Z", {child("Ria", "2010-06-06")});
  record("2026-02-20T09:00:00Z", {child("Ria", "2010-06-06")});

  auto report = run(ReportKind::kRepeatConcerns);
  const auto& t = report.tables.at(0);
  ASSERT_EQ(t.rows.size(), 1u);
  // R1: 10 Jun 2025, 10 Nov 2025, 5 Mar 2026 are all within 365 days of 5 Mar 2026 → 3; two of
  // its three cases closed NFA; the third is open. Child id = R1's first case.
  std::vector<std::string> ids = {r1, r1b, r1c};
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(t.rows[0], (std::vector<json>{r1, ids[0] + " " + ids[1] + " " + ids[2], 3, "2025-06-10",
                                          "2026-03-05", "NFP", 2, "yes"}));
  // A list names what it shows: the cases and concerns go into the ledger event.
  EXPECT_EQ(report.record_ids.size(), 6u);
  // Filtered to an agency that recorded none of R1's concerns: nobody.
  EXPECT_TRUE(
      run(ReportKind::kRepeatConcerns, "2026-03-01", "2026-03-31", "NCS").tables[0].rows.empty());
}

TEST_F(OversightTest, SuspectsNamedAboutSeveralChildrenWithNoInvestigation) {
  // S1 named about K1 and K2, no strategy discussion: listed.
  record("2026-03-02T09:00:00Z", {child("Kay", "2012-01-01")}, {suspect("p1", "26/0000001A")});
  auto k2 =
      record("2026-03-09T09:00:00Z", {child("Kim", "2012-02-02")}, {suspect("p7", "26/0000001A")});
  // S2 named about K3 and K4, and K3's case had a strategy discussion: investigated.
  auto k3 =
      record("2026-03-03T09:00:00Z", {child("Kit", "2012-03-03")}, {suspect("p1", "26/0000002B")});
  record("2026-03-04T09:00:00Z", {child("Kev", "2012-04-04")}, {suspect("p1", "26/0000002B")});
  decide(p1, k3, DecisionKind::kAccept, "2026-03-04");
  meeting(k3, workflow::Meeting::kStrategyDiscussion, "2026-03-06");
  // S3 named twice about the same child: one child.
  record("2026-03-05T09:00:00Z", {child("Kia", "2012-05-05")}, {suspect("p1", "26/0000003C")});
  record("2026-03-06T09:00:00Z", {child("Kia", "2012-05-05")}, {suspect("p1", "26/0000003C")});
  // An unidentified man ("Mo") named about two children cannot be matched across concerns.
  json mo = {{"ref", "p1"}, {"role", "suspect"}, {"nickname", "Mo"}};
  record("2026-03-07T09:00:00Z", {child("Kai", "2012-06-06")}, {mo});
  record("2026-03-08T09:00:00Z", {child("Koa", "2012-07-07")}, {mo});

  auto report = run(ReportKind::kSuspects);
  const auto& t = report.tables.at(0);
  ASSERT_EQ(t.rows.size(), 1u);
  auto concerns = report.record_ids;  // S1's two concerns.
  ASSERT_EQ(concerns.size(), 2u);
  auto case_doc = w.casework.document(m1, k2, std::nullopt, "case_work").value();
  std::string latest_concern = case_doc["body"]["concerns"][0];
  // Named in 2 concerns about 2 children, first 2 Mar, last 9 Mar; shown by the latest
  // record of them ("<concern>/p7"), never by name or identifier.
  EXPECT_EQ(t.rows[0][0], latest_concern + "/p7");
  EXPECT_EQ(t.rows[0][1], 2);
  EXPECT_EQ(t.rows[0][2], 2);
  EXPECT_EQ(t.rows[0][3], "2026-03-02");
  EXPECT_EQ(t.rows[0][4], "2026-03-09");
  EXPECT_EQ(t.rows[0][5], "NFP");
  EXPECT_EQ(t.rows[0][6], concerns[0] + " " + concerns[1]);
}

TEST_F(OversightTest, DemographicsSuppressSmallCountsAndTheTotalsThatWouldGiveThemAway) {
  // Victims on 10 Mar 2026: 13-15 (born 2012-01-01, aged 14): 7 girls and 2 boys; 10-12 (born
  // 2015-01-01, aged 11): 6 girls and 5 boys; 16-17 (born 2009-06-01, aged 16): 5 girls.
  auto group = [&](const char* prefix, int n, const char* dob, const char* sex,
                   const char* ethnicity) {
    json children = json::array();
    for (int i = 0; i < n; ++i) {
      children.push_back(child(std::string(prefix) + std::to_string(i), dob, sex, ethnicity,
                               "c" + std::to_string(i)));
    }
    return children;
  };
  record("2026-03-10T09:00:00Z", group("Ga", 7, "2012-01-01", "F", "white_british"));
  record(
      "2026-03-10T09:00:00Z", group("Ba", 2, "2012-01-01", "M", "asian_pakistani"),
      {suspect("s1", "26/0000011A"), suspect("s2", "26/0000012B"), suspect("s3", "26/0000013C")});
  record("2026-03-10T09:00:00Z", group("Gb", 6, "2015-01-01", "F", "white_british"));
  record("2026-03-10T09:00:00Z", group("Bb", 5, "2015-01-01", "M", "white_british"));
  record("2026-03-10T09:00:00Z", group("Gc", 5, "2009-06-01", "F", "white_british"));
  // Outside the period: not counted.
  record("2026-04-01T09:00:00Z", group("Late", 1, "2012-01-01", "F", "white_british"));

  auto report = run(ReportKind::kDemographics);
  const auto& t = report.tables.at(0);
  auto rows = [&](const char* population, const char* breakdown) {
    std::map<std::string, std::vector<json>> out;
    for (const auto& r : t.rows) {
      if (r[0] == population && r[1] == breakdown) {
        out[r[2].get<std::string>()] = std::vector<json>(r.begin() + 3, r.end());
      }
    }
    return out;
  };
  using V = std::vector<json>;
  // Victims by age band x sex (female, male, unknown, total):
  //          F   M  U  T
  //   10-12  6   5  0  11
  //   13-15  7   2  0  9
  //   16-17  5   0  0  5
  //   total  18  7  0  25
  // Primary: 13-15/M = 2 → "<5". Rows are checked before columns, each pass in reading order:
  //  pass 1: row 13-15 has one hidden (2) → hide its smallest non-zero other part, F=7.
  //          column F has one hidden (7) → hide its smallest non-zero, 16-17/F=5.
  //          column M has one hidden (2) → hide 10-12/M=5.
  //  pass 2: row 10-12 has one hidden (M=5) → hide F=6.
  //          row 16-17 has one hidden (F=5) and no other non-zero part → hide its total 5.
  //          the totals column has one hidden (5) → hide its smallest non-zero part, 13-15's 9.
  //  pass 3: every line has 0 or >= 2 hidden. The column totals 18, 7, 0, 25 stay shown.
  auto age = rows("victims", "age_band");
  EXPECT_EQ(age["0-9"], (V{0, 0, 0, 0}));
  EXPECT_EQ(age["10-12"], (V{"[c]", "[c]", 0, 11}));
  EXPECT_EQ(age["13-15"], (V{"[c]", "<5", 0, "[c]"}));
  EXPECT_EQ(age["16-17"], (V{"[c]", 0, 0, "[c]"}));
  EXPECT_EQ(age["18+"], (V{0, 0, 0, 0}));
  EXPECT_EQ(age["total"], (V{18, 7, 0, 25}));
  // Victims by ethnicity: white_british F 18, M 5 (total 23); asian_pakistani M 2 (total 2).
  // Primary: asian_pakistani M=2 and its total 2. Column M then has one hidden → hide
  // white_british M=5; the totals column has one hidden → hide white_british's 23.
  auto ethnicity = rows("victims", "ethnicity");
  EXPECT_EQ(ethnicity["white_british"], (V{18, "[c]", 0, "[c]"}));
  EXPECT_EQ(ethnicity["asian_pakistani"], (V{0, "<5", 0, "<5"}));
  EXPECT_EQ(ethnicity["not_recorded"], (V{0, 0, 0, 0}));
  EXPECT_EQ(ethnicity["total"], (V{18, 7, 0, 25}));
  // Suspects: three men born 1995-01-01 (31 on 10 Mar 2026), ethnicity not recorded: 3 is
  // under 5 everywhere it appears, totals included, so every line has two hidden entries.
  auto suspects_age = rows("suspects", "age_band");
  EXPECT_EQ(suspects_age["25-34"], (V{0, "<5", 0, "<5"}));
  EXPECT_EQ(suspects_age["total"], (V{0, "<5", 0, "<5"}));
  EXPECT_EQ(rows("suspects", "ethnicity")["not_recorded"], (V{0, "<5", 0, "<5"}));
}

TEST_F(OversightTest, AnnexAListsContactsReferralsAssessmentsEnquiriesAndPlans) {
  auto k = timeliness_world();
  meeting(k.a, workflow::Meeting::kStrategyDiscussion, "2026-03-12");
  meeting(k.a, workflow::Meeting::kInitialConference, "2026-03-20");
  auto report = run(ReportKind::kAnnexA);
  ASSERT_EQ(report.tables.size(), 5u);
  std::map<std::string, const Table*> lists;
  for (const auto& t : report.tables) lists[t.name] = &t;
  // Columns 0-5 are the child's: id, gender, ethnicity, date of birth, age on 31 Mar 2026,
  // disability (not recorded).
  // List 1: the four concerns received in March (E's came in December), one row per child.
  const auto& contacts = *lists.at("contacts");
  ASSERT_EQ(contacts.rows.size(), 4u);
  EXPECT_EQ(contacts.rows[0][0], k.a);
  EXPECT_EQ(std::vector<json>(contacts.rows[0].begin() + 1, contacts.rows[0].begin() + 6),
            (std::vector<json>{"Female", "white_british", "2012-01-01", 14, nullptr}));
  EXPECT_EQ(contacts.rows[0][7], "2026-03-02");
  EXPECT_EQ(contacts.rows[0][8], "Police");
  EXPECT_EQ(contacts.rows[3][8], "LA services");  // D came from children's services.
  // List 3: cases opened in March: A, B (No), C (NFA: Yes), D (step down: Yes).
  const auto& referrals = *lists.at("referrals");
  ASSERT_EQ(referrals.rows.size(), 4u);
  std::map<std::string, json> nfa;
  for (const auto& r : referrals.rows) nfa[r[6].get<std::string>()] = r[9];
  EXPECT_EQ(nfa[k.a], "No");
  EXPECT_EQ(nfa[k.b], "No");
  EXPECT_EQ(nfa[k.c], "Yes");
  EXPECT_EQ(nfa[k.d], "Yes");
  // List 4: assessments running in March: E (from 1 Dec, done 12 Mar), A (3-10 Mar), B (open).
  const auto& assessments = *lists.at("assessments");
  ASSERT_EQ(assessments.rows.size(), 3u);
  EXPECT_EQ(assessments.rows[0][7], "2025-12-01");
  EXPECT_EQ(assessments.rows[0][8], "2026-03-12");
  EXPECT_EQ(assessments.rows[2][8], nullptr);  // B's is not finished.
  EXPECT_EQ(assessments.rows[2][10], p2.user_id);
  // List 5: A's strategy discussion on 12 Mar, an initial conference followed on 20 Mar.
  const auto& s47 = *lists.at("section_47");
  ASSERT_EQ(s47.rows.size(), 1u);
  EXPECT_EQ(std::vector<json>(s47.rows[0].begin() + 6, s47.rows[0].end()),
            (std::vector<json>{k.a + "/strategy/1", "2026-03-12", nullptr, "Yes", "2026-03-20", 0,
                               0, m1.user_id, p1.user_id}));
  // List 7: A's plan from 20 Mar, no review yet, still running, no earlier plans.
  const auto& plans = *lists.at("plans");
  ASSERT_EQ(plans.rows.size(), 1u);
  EXPECT_EQ(std::vector<json>(plans.rows[0].begin() + 6, plans.rows[0].end()),
            (std::vector<json>{k.a + "/plan/1", "2026-03-20", nullptr, nullptr, nullptr, 0,
                               m1.user_id, p1.user_id}));
}

TEST_F(OversightTest, EachRunIsOneConsultationAndAggregatesNameNoRecords) {
  timeliness_world();
  auto before = w.store->begin(storage::TxMode::kRead).value()->ledger_last().value()->seq;
  run(ReportKind::kOutcomes);
  auto tx = w.store->begin(storage::TxMode::kRead).value();
  auto last = tx->ledger_last().value().value();
  EXPECT_EQ(last.seq, before + 1);
  EXPECT_EQ(last.operation, domain::Operation::kConsultation);
  EXPECT_EQ(last.reason, "oversight_report");
  EXPECT_EQ(last.actor, reviewer.user_id);
  EXPECT_TRUE(last.record_ids.empty());
}

TEST_F(OversightTest, RefusesRolesWithoutOversightAndBadParametersNamingTheField) {
  auto denied = oversight.run(p1, ReportKind::kTimeliness, "2026-03-01", "2026-03-31", "", "");
  EXPECT_EQ(denied.error().code, core::Code::kPermissionDenied);
  EXPECT_TRUE(oversight.run(m1, ReportKind::kTimeliness, "2026-03-01", "2026-03-31", "", "").ok());
  auto field = [&](const char* from, const char* to, const char* agency, const char* team) {
    auto r = oversight.run(reviewer, ReportKind::kTimeliness, from, to, agency, team);
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string() : r.error().field;
  };
  EXPECT_EQ(field("2026-03-31", "2026-03-01", "", ""), "from");  // from after to.
  EXPECT_EQ(field("2026-03-01", "2026-02-30", "", ""), "to");    // No such day.
  EXPECT_EQ(field("", "2026-03-31", "", ""), "from");
  EXPECT_EQ(field("2026-03-01", "2026-03-31", "XYZ", ""), "agency");
  EXPECT_EQ(field("2026-03-01", "2026-03-31", "", "prac.one"), "team");  // Not a manager.
  EXPECT_EQ(parse_report("nonsense").error().field, "report");
}

TEST_F(OversightTest, CsvHasTheTableColumnsAndNamesTheTableChoices) {
  timeliness_world();
  auto report = run(ReportKind::kTimeliness, "2026-03-01", "2026-03-31", "NCS");
  auto csv = to_csv(report, "").value();
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")),
            "scope,agency,team,referral_decisions,referral_decisions_in_time,"
            "referral_in_time_percent,referral_median_working_days,referral_p90_working_days,"
            "assessments,assessments_in_time,assessment_in_time_percent,"
            "assessment_median_working_days,assessment_p90_working_days");
  EXPECT_NE(csv.find("\r\nall,,,1,0,0.0,2,2,0,0,,,\r\n"), std::string::npos);
  EXPECT_EQ(to_csv(report, "nope").error().field, "table");
  auto json_form = to_json(report);
  EXPECT_EQ(json_form["tables"]["timeliness"]["rows"][0]["referral_p90_working_days"], 2);
}

}  // namespace
}  // namespace sg::oversight
