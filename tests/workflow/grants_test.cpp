// Access beyond one's own agency: case teams, restrictions, break-glass and revocation, as
// the casework services enforce them (the API matrix covers agreements by relationship).
#include "workflow/grants.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace sg::workflow {
namespace {

using domain::Role;
using nlohmann::json;
using testing::at;

struct GrantsTest : ::testing::Test {
  testing::World w;
  Actor system{"system:test", Role::kAdmin, "", ""};
  Actor police_manager, police_officer, council_worker, council_manager, auditor;
  std::string case_id, concern_id;

  Actor make(const std::string& name, const std::string& agency, Role role,
             const std::string& manager = "") {
    auto u = w.accounts
                 .add_user({name, "Test User", agency, role, "correct horse battery", manager},
                           "system:test")
                 .value();
    return {u.id, u.role, u.agency_id, u.manager_id};
  }

  void SetUp() override {
    w.clock.set(at("2026-12-01T10:00:00Z"));
    w.accounts.add_agency({"NFP", "Police", domain::AgencyKind::kPolice}, "system:test").value();
    w.accounts.add_agency({"NCS", "Council", domain::AgencyKind::kChildrensServices}, "system:test")
        .value();
    police_manager = make("police.manager", "NFP", Role::kManager);
    police_officer = make("police.officer", "NFP", Role::kPractitioner, "police.manager");
    council_worker = make("council.worker", "NCS", Role::kPractitioner);
    council_manager = make("council.manager", "NCS", Role::kManager);
    auditor = make("the.auditor", "NCS", Role::kAuditor);
    json concern = {{"source_agency", "NFP"},
                    {"channel", "phone"},
                    {"received_at", "2026-12-01T09:00:00Z"},
                    {"narrative", "Seen in a car with an older man."},
                    {"children",
                     {{{"ref", "c1"},
                       {"given_name", "Amy"},
                       {"family_name", "Example"},
                       {"date_of_birth", "2012-05-01"}}}}};
    auto r = w.casework.record_concern(system, concern).value();
    concern_id = r.concern_id;
    case_id = r.case_ids.at(0);
  }

  bool reads(const Actor& a, const std::string& id) {
    return w.casework.document(a, id, std::nullopt, "case_work").ok();
  }
};

TEST_F(GrantsTest, ACaseTeamOpensOneCaseOfAnotherAgencyAndRevocationClosesItAtOnce) {
  EXPECT_FALSE(reads(council_worker, case_id)) << "no agreement between the agencies";
  auto denied = w.casework.document(council_worker, case_id, std::nullopt, "case_work");
  EXPECT_EQ(denied.error().code, core::Code::kPermissionDenied);
  EXPECT_NE(denied.error().message.find("break glass"), std::string::npos);

  auto member = w.grants.add_to_case_team(police_manager, case_id, council_worker.user_id).value();
  EXPECT_TRUE(reads(council_worker, case_id));
  EXPECT_TRUE(reads(council_worker, concern_id)) << "the case's concerns come with it";
  auto cases = w.casework.cases(council_worker, {}).value();
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].case_id, case_id);
  auto again = w.grants.add_to_case_team(police_manager, case_id, council_worker.user_id).value();
  EXPECT_EQ(again.id, member.id) << "adding twice is one place on the team";

  EXPECT_EQ(
      w.grants.add_to_case_team(council_manager, case_id, council_manager.user_id).error().code,
      core::Code::kPermissionDenied)
      << "a manager cannot put themselves on a case they cannot see";

  ASSERT_TRUE(w.grants.revoke(police_manager, member.id, "left the case").ok());
  EXPECT_FALSE(reads(council_worker, case_id)) << "revoked: fails on the very next request";
  EXPECT_TRUE(w.casework.cases(council_worker, {}).value().empty());
  EXPECT_EQ(w.grants.revoke(police_manager, member.id, "again").error().code,
            core::Code::kFailedPrecondition);
}

TEST_F(GrantsTest, ARestrictedCaseIsOpenOnlyToThoseItNames) {
  EXPECT_TRUE(reads(police_officer, case_id));
  auto named = w.grants.restrict(police_manager, case_id, {}, "a colleague's child").value();
  ASSERT_EQ(named.size(), 1u) << "the restricting manager is always named";
  EXPECT_EQ(named[0].grantee, "user:" + police_manager.user_id);
  EXPECT_FALSE(reads(police_officer, case_id)) << "own agency is not enough";
  EXPECT_FALSE(reads(police_officer, concern_id)) << "nor for the case's concern";
  EXPECT_TRUE(reads(police_manager, case_id));

  // Naming the manager's team opens it to their direct reports.
  w.grants.restrict(police_manager, case_id, {"team:" + police_manager.user_id}, "team work")
      .value();
  EXPECT_TRUE(reads(police_officer, case_id));
  EXPECT_EQ(w.grants.restrict(police_manager, case_id, {"someone"}, "x").error().field,
            "grantees/0");

  ASSERT_TRUE(w.grants.lift_restriction(police_manager, case_id, "no longer needed").ok());
  EXPECT_EQ(w.grants.lift_restriction(police_manager, case_id, "again").error().code,
            core::Code::kNotFound);
}

TEST_F(GrantsTest, BreakGlassNeedsAReasonTellsTheAuditorsAndExpires) {
  EXPECT_EQ(w.grants.break_glass(council_worker, case_id, "urgent").error().field, "reason")
      << "a reason of at least 20 characters";
  auto g =
      w.grants.break_glass(council_worker, case_id, "Child missing tonight; police not reachable")
          .value();
  EXPECT_TRUE(reads(council_worker, case_id));
  auto consulted = w.casework.document(council_worker, case_id, std::nullopt, "case_work");
  ASSERT_TRUE(consulted.ok());

  // The auditors' inbox has the notice; caseworkers' inboxes do not.
  auto notices = w.casework.inbox(auditor, {.inbox = "auditors"}).value();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].subkind, "break_glass");
  auto notice = w.casework.document(auditor, notices[0].id, std::nullopt, "audit_review").value();
  EXPECT_EQ(notice["body"]["user_id"], council_worker.user_id);
  EXPECT_EQ(notice["body"]["record_id"], case_id);
  EXPECT_EQ(w.casework.inbox(auditor, {}).value().size(), 1u) << "auditors see only theirs";
  EXPECT_TRUE(w.casework.inbox(police_manager, {.inbox = "auditors"}).error().code ==
              core::Code::kPermissionDenied);
  EXPECT_FALSE(w.casework.document(auditor, case_id, std::nullopt, "audit_review").ok())
      << "auditors never see case content";
  ASSERT_TRUE(w.casework.acknowledge(auditor, notices[0].id, "Checked with the manager").ok());

  w.clock.advance(Grants::kBreakGlassFor + std::chrono::minutes(1));
  EXPECT_FALSE(reads(council_worker, case_id)) << "break-glass lapses after its time";
  EXPECT_EQ(g.grantee, council_worker.user_id);
}

TEST_F(GrantsTest, SharingAgreementsAreValidatedAndOnlyAdministratorsMakeThem) {
  Actor admin = make("the.admin", "NCS", Role::kAdmin);
  EXPECT_EQ(w.grants.add_sharing(police_manager, {"NFP", "NCS", {"concerns"}, "x"}).error().code,
            core::Code::kPermissionDenied);
  EXPECT_EQ(w.grants.add_sharing(admin, {"NFP", "NCS", {"gossip"}, "x"}).error().field,
            "categories/0");
  EXPECT_EQ(w.grants.add_sharing(admin, {"NFP", "NFP", {"concerns"}, "x"}).error().field,
            "recipient");
  EXPECT_EQ(w.grants.add_sharing(admin, {"XXX", "NCS", {"concerns"}, "x"}).error().field,
            "provider");
  EXPECT_FALSE(reads(council_worker, concern_id));
  ASSERT_TRUE(w.grants.add_sharing(admin, {"NFP", "NCS", {"concerns"}, "MASH ISA"}).ok());
  EXPECT_TRUE(reads(council_worker, concern_id)) << "concerns are shared";
  EXPECT_FALSE(reads(council_worker, case_id)) << "casework is not";
  EXPECT_FALSE(reads(admin, concern_id)) << "administrators never see case content";
}

}  // namespace
}  // namespace sg::workflow
