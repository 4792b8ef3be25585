// Which roles may do what in casework. One table, checked by the service on every path, so
// the API and the CLI cannot disagree. (The full need-to-know model — agencies, sharing
// agreements, markings, case teams — arrives with the account issue, #6.)
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/access_types.h"

namespace sg::workflow {

enum class Action {
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
  kReadLedger,     // Who saw and did what: reviewers, auditors and managers.
  kReviewMatches,  // Decide whether two person records are one person: analysts, managers.
  kReadOversight,  // Oversight reports (timeliness, outcomes, disparity): managers, reviewers,
                   // auditors.
  kAuditLedger,    // The whole ledger, its checkpoints and proofs (never one's own events):
                   // auditors only.
};

std::string_view action_name(Action action);
bool allowed(domain::Role role, Action action);
// PermissionDenied naming the action when `role` may not do it.
core::Status require(domain::Role role, Action action);

// Who is acting. The service trusts these fields: the API fills them from the session,
// the CLI from the tool's own system identity.
struct Actor {
  std::string user_id;  // Or "system:<component>".
  domain::Role role = domain::Role::kPractitioner;
  std::string agency_id;
  std::string manager_id;

  // The command line on the server itself: whoever runs it already holds the database file,
  // so role checks do not apply; the ledger still records "system:cli".
  bool is_system() const { return user_id.rfind("system:", 0) == 0; }
};

// As require(role, action), letting system actors through.
core::Status require(const Actor& actor, Action action);

}  // namespace sg::workflow
