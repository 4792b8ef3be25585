#include "workflow/permissions.h"

namespace sg::workflow {

std::string_view action_name(Action action) {
  switch (action) {
    case Action::kRaiseConcern:
      return "raise a concern";
    case Action::kReadCasework:
      return "read casework";
    case Action::kProposeDecision:
      return "propose a decision";
    case Action::kSignOff:
      return "sign off a decision";
    case Action::kRecordMeeting:
      return "record a meeting";
    case Action::kCompleteTask:
      return "complete a task";
    case Action::kScreenRisk:
      return "screen risk";
    case Action::kAcknowledgeAlert:
      return "acknowledge an alert";
    case Action::kImport:
      return "import records";
    case Action::kRunEscalation:
      return "run escalation";
    case Action::kReadLedger:
      return "read the ledger";
    case Action::kReviewMatches:
      return "review matches";
    case Action::kReadOversight:
      return "read oversight reports";
    case Action::kAuditLedger:
      return "audit the ledger";
  }
  return "act";
}

bool allowed(domain::Role role, Action action) {
  using domain::Role;
  switch (action) {
    case Action::kRaiseConcern:
    case Action::kProposeDecision:
    case Action::kRecordMeeting:
    case Action::kCompleteTask:
    case Action::kScreenRisk:
      return role == Role::kPractitioner || role == Role::kManager ||
             role == Role::kMashCoordinator;
    case Action::kReadCasework:
      return role == Role::kPractitioner || role == Role::kManager ||
             role == Role::kMashCoordinator || role == Role::kAnalyst || role == Role::kReviewer;
    case Action::kSignOff:
      return role == Role::kManager;
    case Action::kAcknowledgeAlert:
      return role == Role::kManager || role == Role::kMashCoordinator;
    case Action::kImport:
      return role == Role::kMashCoordinator || role == Role::kAnalyst;
    case Action::kRunEscalation:
      return role == Role::kManager || role == Role::kAdmin;
    case Action::kReadLedger:
      return role == Role::kReviewer || role == Role::kAuditor || role == Role::kManager;
    case Action::kReviewMatches:
      return role == Role::kAnalyst || role == Role::kManager;
    case Action::kReadOversight:
      return role == Role::kManager || role == Role::kReviewer || role == Role::kAuditor;
    case Action::kAuditLedger:
      return role == Role::kAuditor;
  }
  return false;
}

core::Status require(domain::Role role, Action action) {
  if (allowed(role, action)) return {};
  return core::permission_denied("the " + std::string(domain::role_name(role)) + " role may not " +
                                 std::string(action_name(action)));
}

core::Status require(const Actor& actor, Action action) {
  if (actor.is_system()) return {};
  return require(actor.role, action);
}

}  // namespace sg::workflow
