// Granting and revoking access beyond one's own agency: sharing agreements between agencies,
// case teams, restrictions to named users or teams, break-glass and reviewers' remits. Each
// change is one ledger event in the same transaction; nothing is ever deleted, only revoked.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "audit/ledger.h"
#include "core/date.h"
#include "core/id.h"
#include "core/result.h"
#include "core/time.h"
#include "storage/store.h"
#include "workflow/need_to_know.h"
#include "workflow/permissions.h"

namespace sg::workflow {

struct NewSharing {
  std::string provider_code;            // The agency whose records are shared.
  std::string recipient_code;           // The agency that may see them.
  std::vector<std::string> categories;  // domain::Category names; at least one.
  std::string reason;  // The agreement's basis, e.g. "MASH information-sharing agreement 2026".
};

class Grants {
 public:
  // How long a break-glass grant lasts.
  static constexpr std::chrono::hours kBreakGlassFor{4};

  Grants(storage::Store& store, audit::Ledger& ledger, const core::Clock& clock,
         core::IdGenerator& ids)
      : store_(store), ledger_(ledger), clock_(clock), ids_(ids) {}

  // A sharing agreement (function: manage sharing agreements). InvalidArgument naming the field
  // for an unknown agency code, an unknown category, no categories or the same agency twice.
  core::Result<storage::Grant> add_sharing(const Actor& actor, const NewSharing& sharing);
  // Sharing agreements, oldest first; revoked ones too when `include_revoked`.
  core::Result<std::vector<storage::Grant>> sharing(const Actor& actor, bool include_revoked);

  // Puts a user on a case's team (function: manage a case team; the actor must be able to see
  // the case). Returns the existing grant when they are already on it.
  core::Result<storage::Grant> add_to_case_team(const Actor& actor, std::string_view case_id,
                                                std::string_view user_id);
  core::Result<std::vector<storage::Grant>> case_team(const Actor& actor, std::string_view case_id);

  // Restricts a case or concern to named users and teams ("user:<id>", "team:<manager id>");
  // the actor is always named too. Replaces any restriction in force. Function: restrict a
  // record; the actor must be able to see the record.
  core::Result<std::vector<storage::Grant>> restrict(const Actor& actor, std::string_view record_id,
                                                     const std::vector<std::string>& grantees,
                                                     std::string_view reason);
  // Lifts the restriction on a record. NotFound when it has none.
  core::Status lift_restriction(const Actor& actor, std::string_view record_id,
                                std::string_view reason);
  // The restriction in force on a record (empty when none); for those who may see it.
  core::Result<std::vector<storage::Grant>> restriction(const Actor& actor,
                                                        std::string_view record_id);

  // Emergency access to a case or concern for kBreakGlassFor, with a reason of at least 20
  // characters. Writes a notice to the auditors' inbox in the same transaction.
  core::Result<storage::Grant> break_glass(const Actor& actor, std::string_view record_id,
                                           std::string_view reason);

  // An independent reviewer's remit: agencies (codes) and a period of recorded records
  // [from, to] in UK dates. Replaces the reviewer's remit in force. Function: manage accounts.
  core::Result<storage::Grant> set_reviewer_scope(const Actor& actor, std::string_view user_id,
                                                  const std::vector<std::string>& agency_codes,
                                                  core::Date from, core::Date to);

  // Revokes a grant. The function needed follows its kind; case teams and restrictions also
  // need the actor to see the case. NotFound / FailedPrecondition (already revoked).
  core::Status revoke(const Actor& actor, std::string_view grant_id, std::string_view reason);

 private:
  core::Status ledger(storage::Transaction& tx, const Actor& actor, std::string_view reason,
                      std::vector<std::string> record_ids, const nlohmann::json& payload);
  // The record, if the actor may see it; NotFound / PermissionDenied otherwise.
  core::Result<domain::RecordVersion> visible_record(storage::Transaction& tx, const Actor& actor,
                                                     std::string_view id);

  storage::Store& store_;
  audit::Ledger& ledger_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
};

// {"id", "kind", "object", "grantee", "scope", "reason", "created_by", "created_at",
//  "valid_from", "valid_to", "revoked_at", "revoked_by"}; absent times are null.
nlohmann::json grant_json(const storage::Grant& grant);

}  // namespace sg::workflow
