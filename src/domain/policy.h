// The access policy: what each role may do, and on what grounds a user may read a record.
// The whole policy is the table in policy.cpp; everything that decides access (the services,
// the API's route check, the link graph, the authorisation-matrix test) reads it from here.
//
// Two questions, asked on every path:
//  1. May this role perform this function at all?                  allowed(role, function)
//  2. Does this user have a need to know this particular record?   read_basis(grants, record)
// A request succeeds only when both say yes. Writes to a case also need (2) for the case.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "domain/access_types.h"
#include "domain/record.h"

namespace sg::domain {

// The functions a role may perform. Each API endpoint and CLI command names one.
enum class Function {
  kRaiseConcern,
  kReadCasework,
  kProposeDecision,
  kSignOff,
  kRecordMeeting,
  kCompleteTask,
  kScreenRisk,
  kAcknowledgeAlert,
  kImport,
  kRunEscalation,
  kReadLedger,        // A record's who-saw-and-did-what trail.
  kReviewMatches,     // Decide whether two person records are one person.
  kReadOversight,     // Aggregate reports (timeliness, outcomes, disparity).
  kAuditLedger,       // The whole ledger, checkpoints and proofs (never one's own events).
  kQueryNetwork,      // Link charts, groups, key players, hot spots.
  kSearch,            // Full-text search of narratives and people, "known to".
  kManageCaseTeam,    // Add or remove members of a case team.
  kRestrictRecord,    // Restrict a case or concern to named users or teams.
  kBreakGlass,        // Emergency access to a record outside one's need to know.
  kManageSharing,     // Record and revoke sharing agreements between agencies.
  kManageAccounts,    // Agencies, users, reviewer scopes.
  kReadDirectory,     // Agency and user names (to assign work, choose a manager).
  kAcknowledgeAudit,  // Acknowledge break-glass notices in the auditors' inbox.
  kReviewRetention,   // Review records due for retention review: retain (with a reason) or erase.
};

inline constexpr Function kAllFunctions[] = {
    Function::kRaiseConcern,  Function::kReadCasework,     Function::kProposeDecision,
    Function::kSignOff,       Function::kRecordMeeting,    Function::kCompleteTask,
    Function::kScreenRisk,    Function::kAcknowledgeAlert, Function::kImport,
    Function::kRunEscalation, Function::kReadLedger,       Function::kReviewMatches,
    Function::kReadOversight, Function::kAuditLedger,      Function::kQueryNetwork,
    Function::kSearch,        Function::kManageCaseTeam,   Function::kRestrictRecord,
    Function::kBreakGlass,    Function::kManageSharing,    Function::kManageAccounts,
    Function::kReadDirectory, Function::kAcknowledgeAudit, Function::kReviewRetention};

std::string_view function_name(Function function);  // "read casework", "break glass", ...
bool allowed(Role role, Function function);
// PermissionDenied naming the role and function when `role` may not perform it.
core::Status require(Role role, Function function);

// Which functions open each signed-in API endpoint, by OpenAPI operation id: holding any one
// of them lets a role through the route check (the services then check need to know, and
// the finer rules such as sign-off by a second manager). An empty list: any signed-in user.
// Every signed-in route must have a row; the server refuses to start otherwise.
struct EndpointRule {
  std::string_view operation_id;
  std::vector<Function> any_of;
};
const std::vector<EndpointRule>& endpoint_table();
const EndpointRule* endpoint_rule(std::string_view operation_id);  // Null when absent.
// True when `role` passes the route check of `rule`.
bool may_call(Role role, const EndpointRule& rule);

// The categories of an agency's records that a sharing agreement can open to another agency.
enum class Category {
  kPersonIndex,  // That the agency holds records about a person ("known to"), and the links.
  kConcerns,     // Concerns: narratives, people, vehicles, phones, places.
  kCasework,     // Cases, tasks, decisions, meetings.
  kRisk,         // Risk screenings.
  kAlerts,       // Alerts and escalations.
};
inline constexpr Category kAllCategories[] = {Category::kPersonIndex, Category::kConcerns,
                                              Category::kCasework, Category::kRisk,
                                              Category::kAlerts};
std::string_view category_name(Category category);  // "person_index", "concerns", ...
core::Result<Category> parse_category(std::string_view text, std::string_view field = "category");
// The category of a stored record kind ("concern" → concerns, "screening" → risk, ...).
Category category_of_kind(std::string_view kind);

// Why a user may read a record. kNone: they may not.
enum class Basis {
  kNone,
  kSystem,            // The server itself or its command line.
  kOwnAgency,         // The record's agency is the user's.
  kSharingAgreement,  // The record's agency shares its category with the user's.
  kCaseTeam,          // The user is on the team of a case the record belongs to.
  kNamed,             // The record is restricted and names the user or their team.
  kReviewerScope,     // An independent reviewer scoped to the agency and period.
  kBreakGlass,        // Emergency access, with a reason; the auditors are told.
};
std::string_view basis_name(Basis basis);  // "own_agency", "sharing_agreement", ...

// What the policy needs to know about one record.
struct RecordFacts {
  std::string record_id;
  std::string kind;
  std::string agency_id;
  Marking marking = Marking::kOfficialSensitive;
  core::Timestamp recorded_at;        // When it was first recorded (reviewer periods):
                                      // version 1's time, whichever version is read.
  std::vector<std::string> case_ids;  // The cases it belongs to (itself, for a case).
};

// A restriction on a record or case: only the named users and teams may read it (and, on
// the record of their own case, nobody else — not the agency, not a sharing partner).
// Grantees are "user:<id>" or "team:<manager id>" (a manager and their direct reports).
struct Restriction {
  std::set<std::string> grantees;
};

// An independent reviewer's remit: agencies and a period of recorded records. Read-only.
struct ReviewerScope {
  std::set<std::string> agency_ids;
  core::Timestamp from, to;  // Records first recorded in [from, to).

  // The remit's one rule, on every read path (records, lists, search, counts, the person
  // index, the link graph): true when a record of `agency_id` first recorded at
  // `first_recorded` (its version 1, not a later correction) is inside the remit.
  bool covers(std::string_view agency_id, core::Timestamp first_recorded) const {
    return agency_ids.contains(std::string(agency_id)) && first_recorded >= from &&
           first_recorded < to;
  }
  friend bool operator==(const ReviewerScope&, const ReviewerScope&) = default;
};

// Everything about one user that bears on their need to know, loaded afresh for each request
// so that a revoked grant fails on the very next one.
struct Grants {
  std::string user_id;  // Or "system:<component>".
  Role role = Role::kPractitioner;
  std::string agency_id;
  std::string manager_id;
  std::map<std::string, std::set<Category>> shared_with_me;  // Provider agency → categories.
  std::set<std::string> case_teams;                          // Case ids.
  std::set<std::string> break_glass;                         // Record or case ids.
  std::optional<ReviewerScope> reviewer;
  // Every active restriction, by record or case id (few: loaded whole).
  std::map<std::string, Restriction, std::less<>> restrictions;

  bool is_system() const { return user_id.rfind("system:", 0) == 0; }
};

// The basis on which `grants` may read `record`, or kNone. Restrictions come first: a
// restricted record is readable only by those it names (or by break-glass); otherwise the
// role's bases from the policy table are tried in order.
Basis read_basis(const Grants& grants, const RecordFacts& record);

// The bases a role may use to read case content at all (the policy table's second column).
const std::vector<Basis>& read_bases(Role role);
// True when the role never writes to casework (reviewers, auditors).
bool read_only(Role role);

}  // namespace sg::domain
