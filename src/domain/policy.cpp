#include "domain/policy.h"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace sg::domain {
namespace {

using F = Function;
using B = Basis;

// THE POLICY. One row per role: the functions it may perform, the grounds on which it may
// read case content (tried in this order), and whether it is read-only. Administrators manage
// accounts and agreements and never see case content; auditors read the ledger, never case
// content; independent reviewers read what their remit covers and change nothing.
struct RoleRow {
  Role role;
  std::vector<Function> functions;
  std::vector<Basis> read_bases;
  bool read_only;
};

const std::vector<RoleRow>& table() {
  static const std::vector<Basis> kNeedToKnow = {B::kOwnAgency, B::kSharingAgreement, B::kCaseTeam,
                                                 B::kBreakGlass};
  static const std::vector<RoleRow> kTable = {
      {Role::kPractitioner,
       {F::kRaiseConcern, F::kReadCasework, F::kProposeDecision, F::kRecordMeeting,
        F::kCompleteTask, F::kScreenRisk, F::kSearch, F::kBreakGlass, F::kReadDirectory},
       kNeedToKnow,
       false},
      {Role::kManager,
       {F::kRaiseConcern, F::kReadCasework, F::kProposeDecision, F::kSignOff, F::kRecordMeeting,
        F::kCompleteTask, F::kScreenRisk, F::kAcknowledgeAlert, F::kRunEscalation, F::kReadLedger,
        F::kReviewMatches, F::kReadOversight, F::kQueryNetwork, F::kSearch, F::kManageCaseTeam,
        F::kRestrictRecord, F::kBreakGlass, F::kReadDirectory, F::kReviewRetention},
       kNeedToKnow,
       false},
      {Role::kMashCoordinator,
       {F::kRaiseConcern, F::kReadCasework, F::kProposeDecision, F::kRecordMeeting,
        F::kCompleteTask, F::kScreenRisk, F::kAcknowledgeAlert, F::kImport, F::kSearch,
        F::kManageCaseTeam, F::kBreakGlass, F::kReadDirectory},
       kNeedToKnow,
       false},
      {Role::kAnalyst,
       {F::kReadCasework, F::kImport, F::kReviewMatches, F::kQueryNetwork, F::kSearch,
        F::kBreakGlass, F::kReadDirectory},
       kNeedToKnow,
       false},
      {Role::kReviewer,
       {F::kReadCasework, F::kReadLedger, F::kReadOversight, F::kQueryNetwork, F::kSearch,
        F::kReadDirectory},
       {B::kReviewerScope},
       true},
      {Role::kAuditor,
       {F::kReadLedger, F::kReadOversight, F::kAuditLedger, F::kAcknowledgeAudit,
        F::kReadDirectory},
       {},
       true},
      {Role::kAdmin,
       {F::kRunEscalation, F::kManageSharing, F::kManageAccounts, F::kReadDirectory},
       {},
       false},
  };
  return kTable;
}

const RoleRow& row(Role role) {
  for (const auto& r : table()) {
    if (r.role == role) return r;
  }
  return table().back();  // Unreachable: every role has a row (policy_test checks).
}

bool contains(const std::vector<std::string>& ids, const std::set<std::string>& set) {
  return std::any_of(ids.begin(), ids.end(), [&](const auto& id) { return set.contains(id); });
}

// The restriction on the record itself or on any of its cases, if any.
const Restriction* restriction_of(const Grants& g, const RecordFacts& r) {
  if (g.restrictions.empty()) return nullptr;
  if (auto it = g.restrictions.find(r.record_id); it != g.restrictions.end()) return &it->second;
  for (const auto& c : r.case_ids) {
    if (auto it = g.restrictions.find(c); it != g.restrictions.end()) return &it->second;
  }
  return nullptr;
}

bool named(const Grants& g, const Restriction& r) {
  if (r.grantees.contains("user:" + g.user_id)) return true;
  // A team is a manager and their direct reports (users.manager_id).
  if (r.grantees.contains("team:" + g.user_id)) return true;
  return !g.manager_id.empty() && r.grantees.contains("team:" + g.manager_id);
}

bool holds(const Grants& g, const RecordFacts& r, Basis basis) {
  switch (basis) {
    case B::kOwnAgency:
      return !g.agency_id.empty() && g.agency_id == r.agency_id;
    case B::kSharingAgreement: {
      auto it = g.shared_with_me.find(r.agency_id);
      return it != g.shared_with_me.end() && it->second.contains(category_of_kind(r.kind));
    }
    case B::kCaseTeam:
      return contains(r.case_ids, g.case_teams);
    case B::kReviewerScope:
      return g.reviewer && g.reviewer->covers(r.agency_id, r.recorded_at);
    case B::kBreakGlass:
      return g.break_glass.contains(r.record_id) || contains(r.case_ids, g.break_glass);
    case B::kNone:
    case B::kSystem:
    case B::kNamed:
      return false;
  }
  return false;
}

}  // namespace

const std::vector<EndpointRule>& endpoint_table() {
  static const std::vector<EndpointRule> kEndpoints = {
      // Session and directory.
      {"logout", {}},
      {"me", {}},
      {"listAgencies", {F::kReadDirectory}},
      {"listUsers", {F::kReadDirectory}},
      // Concerns and casework.
      {"raiseConcern", {F::kRaiseConcern}},
      {"extractFromNarrative", {F::kRaiseConcern}},
      {"riskTool", {F::kReadCasework}},
      {"inbox", {F::kReadCasework, F::kAcknowledgeAudit}},
      {"listCases", {F::kReadCasework}},
      {"getRecord", {F::kReadCasework, F::kAuditLedger}},
      {"decide", {F::kProposeDecision}},
      {"signOff", {F::kSignOff}},
      {"recordMeeting", {F::kRecordMeeting}},
      {"completeTask", {F::kCompleteTask}},
      {"screenRisk", {F::kScreenRisk}},
      {"acknowledge", {F::kAcknowledgeAlert, F::kAcknowledgeAudit}},
      {"runEscalation", {F::kRunEscalation}},
      {"replyToAnonymousReporter", {F::kAcknowledgeAlert}},
      // Contextual safeguarding: place and peer-group cases (workflow/context_cases.h).
      {"listContexts", {F::kReadCasework}},
      {"getContext", {F::kReadCasework}},
      {"openContext", {F::kProposeDecision}},
      {"addContextChild", {F::kProposeDecision}},
      {"removeContextChild", {F::kProposeDecision}},
      {"assessContext", {F::kScreenRisk}},
      {"addContextIntervention", {F::kProposeDecision}},
      {"proposeContextClosure", {F::kProposeDecision}},
      {"signOffContextClosure", {F::kSignOff}},
      {"placeContextDraft", {F::kProposeDecision}},
      // People, search and the link graph.
      {"matchPerson", {F::kSearch}},
      {"getPerson", {F::kSearch}},
      {"searchConcerns", {F::kSearch}},
      {"reviewQueue", {F::kReviewMatches}},
      {"reviewPair", {F::kReviewMatches}},
      {"decideReviewPair", {F::kReviewMatches}},
      {"undoReviewDecision", {F::kReviewMatches}},
      {"networkCommunities", {F::kQueryNetwork}},
      {"networkKeyPlayers", {F::kQueryNetwork}},
      {"networkHotSpots", {F::kQueryNetwork}},
      {"networkPath", {F::kQueryNetwork}},
      {"networkNeighbourhood", {F::kQueryNetwork}},
      {"networkEntity", {F::kQueryNetwork}},
      {"networkExport", {F::kQueryNetwork}},
      // Access grants.
      {"listSharingAgreements", {F::kReadDirectory}},
      {"addSharingAgreement", {F::kManageSharing}},
      {"revokeGrant",
       {F::kManageSharing, F::kManageCaseTeam, F::kRestrictRecord, F::kManageAccounts,
        F::kBreakGlass}},
      {"getCaseTeam", {F::kReadCasework}},
      {"addToCaseTeam", {F::kManageCaseTeam}},
      {"getRestriction", {F::kReadCasework}},
      {"restrictRecord", {F::kRestrictRecord}},
      {"liftRestriction", {F::kRestrictRecord}},
      {"breakGlass", {F::kBreakGlass}},
      {"setReviewScope", {F::kManageAccounts}},
      {"addAgency", {F::kManageAccounts}},
      {"addUser", {F::kManageAccounts}},
      {"updateUser", {F::kManageAccounts}},
      {"listAccounts", {F::kManageAccounts}},
      {"resetPassword", {F::kManageAccounts}},
      // Every signed-in user changes their own password.
      {"changePassword", {}},
      // Every signed-in user enrols and removes their own second factor; administrators
      // reset others' (ASVS V6.3.3, V6.4.4).
      {"startSecondFactorEnrolment", {}},
      {"confirmSecondFactorEnrolment", {}},
      {"removeSecondFactor", {}},
      {"resetSecondFactor", {F::kManageAccounts}},
      // Every signed-in user sees and ends their own sessions (ASVS V7.5.2); administrators
      // end anyone's, or everyone's (V7.4.5).
      {"listMySessions", {}},
      {"endMySession", {}},
      {"endMyOtherSessions", {}},
      {"endUserSessions", {F::kManageAccounts}},
      {"endAllSessions", {F::kManageAccounts}},
      // Retention review (MoPI).
      {"listRetentionDue", {F::kReviewRetention}},
      {"decideRetention", {F::kReviewRetention}},
      {"retentionPolicy", {F::kReviewRetention, F::kAuditLedger}},
      // Account: the ledger and oversight.
      {"recordLedger", {F::kReadLedger}},
      {"listLedgerEvents", {F::kAuditLedger}},
      {"listLedgerCheckpoints", {F::kAuditLedger}},
      {"proveLedgerEvent", {F::kAuditLedger}},
      {"oversightTimeliness", {F::kReadOversight}},
      {"oversightOutcomes", {F::kReadOversight}},
      {"oversightRepeatConcerns", {F::kReadOversight}},
      {"oversightSuspects", {F::kReadOversight}},
      {"oversightDemographics", {F::kReadOversight}},
      {"oversightAnnexA", {F::kReadOversight}},
  };
  return kEndpoints;
}

const EndpointRule* endpoint_rule(std::string_view operation_id) {
  for (const auto& rule : endpoint_table()) {
    if (rule.operation_id == operation_id) return &rule;
  }
  return nullptr;
}

bool may_call(Role role, const EndpointRule& rule) {
  return rule.any_of.empty() || std::any_of(rule.any_of.begin(), rule.any_of.end(),
                                            [&](Function f) { return allowed(role, f); });
}

std::string_view function_name(Function function) {
  switch (function) {
    case F::kRaiseConcern:
      return "raise a concern";
    case F::kReadCasework:
      return "read casework";
    case F::kProposeDecision:
      return "propose a decision";
    case F::kSignOff:
      return "sign off a decision";
    case F::kRecordMeeting:
      return "record a meeting";
    case F::kCompleteTask:
      return "complete a task";
    case F::kScreenRisk:
      return "screen risk";
    case F::kAcknowledgeAlert:
      return "acknowledge an alert";
    case F::kImport:
      return "import records";
    case F::kRunEscalation:
      return "run escalation";
    case F::kReadLedger:
      return "read the ledger";
    case F::kReviewMatches:
      return "review matches";
    case F::kReadOversight:
      return "read oversight reports";
    case F::kAuditLedger:
      return "audit the ledger";
    case F::kQueryNetwork:
      return "query the link graph";
    case F::kSearch:
      return "search";
    case F::kManageCaseTeam:
      return "manage a case team";
    case F::kRestrictRecord:
      return "restrict a record";
    case F::kBreakGlass:
      return "break glass";
    case F::kManageSharing:
      return "manage sharing agreements";
    case F::kManageAccounts:
      return "manage accounts";
    case F::kReadDirectory:
      return "read the directory";
    case F::kAcknowledgeAudit:
      return "acknowledge an audit notice";
    case F::kReviewRetention:
      return "review retention";
  }
  return "act";
}

bool allowed(Role role, Function function) {
  const auto& fs = row(role).functions;
  return std::find(fs.begin(), fs.end(), function) != fs.end();
}

core::Status require(Role role, Function function) {
  if (allowed(role, function)) return {};
  return core::permission_denied("the " + std::string(role_name(role)) + " role may not " +
                                 std::string(function_name(function)));
}

std::string_view category_name(Category category) {
  switch (category) {
    case Category::kPersonIndex:
      return "person_index";
    case Category::kConcerns:
      return "concerns";
    case Category::kCasework:
      return "casework";
    case Category::kRisk:
      return "risk";
    case Category::kAlerts:
      return "alerts";
  }
  return "concerns";
}

core::Result<Category> parse_category(std::string_view text, std::string_view field) {
  for (auto c : kAllCategories) {
    if (category_name(c) == text) return c;
  }
  return core::invalid_argument("must be person_index, concerns, casework, risk or alerts",
                                std::string(field));
}

Category category_of_kind(std::string_view kind) {
  if (kind == "concern" || kind == "anonymous_report") return Category::kConcerns;
  if (kind == "screening") return Category::kRisk;
  if (kind == "alert" || kind == "escalation" || kind == "network_alert") return Category::kAlerts;
  if (kind == "person" || kind == "review_decision") return Category::kPersonIndex;
  return Category::kCasework;  // case, task, decision, meeting and anything else of a case.
}

std::string_view basis_name(Basis basis) {
  switch (basis) {
    case B::kNone:
      return "none";
    case B::kSystem:
      return "system";
    case B::kOwnAgency:
      return "own_agency";
    case B::kSharingAgreement:
      return "sharing_agreement";
    case B::kCaseTeam:
      return "case_team";
    case B::kNamed:
      return "named";
    case B::kReviewerScope:
      return "reviewer_scope";
    case B::kBreakGlass:
      return "break_glass";
  }
  return "none";
}

Basis read_basis(const Grants& grants, const RecordFacts& record) {
  if (grants.is_system()) return B::kSystem;
  const auto& bases = row(grants.role).read_bases;
  if (bases.empty()) return B::kNone;
  if (const auto* restriction = restriction_of(grants, record)) {
    if (named(grants, *restriction)) return B::kNamed;
    // Only break-glass opens a restricted record to anyone else.
    bool may_break = std::find(bases.begin(), bases.end(), B::kBreakGlass) != bases.end();
    return may_break && holds(grants, record, B::kBreakGlass) ? B::kBreakGlass : B::kNone;
  }
  for (auto basis : bases) {
    if (holds(grants, record, basis)) return basis;
  }
  return B::kNone;
}

const std::vector<Basis>& read_bases(Role role) { return row(role).read_bases; }

bool read_only(Role role) { return row(role).read_only; }

}  // namespace sg::domain
