// Need to know, applied: loads a user's grants from the store for one request and answers,
// for any stored record or list row, whether they may see it (domain/policy.h). Every read
// path — a record, a list, a search, a count, an export, the link graph — asks here.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "domain/policy.h"
#include "domain/record.h"
#include "storage/store.h"
#include "workflow/permissions.h"

namespace sg::workflow {

// Grant kinds, as stored (storage::Grant::kind).
inline constexpr std::string_view kSharingGrant = "sharing";
inline constexpr std::string_view kCaseTeamGrant = "case_team";
inline constexpr std::string_view kRestrictionGrant = "restriction";
inline constexpr std::string_view kBreakGlassGrant = "break_glass";
inline constexpr std::string_view kReviewerScopeGrant = "reviewer_scope";

// The auditors' shared inbox: break-glass notices land here.
inline constexpr std::string_view kAuditorsInbox = "auditors";

// A user's standing for one request. Cheap to copy; holds no store handle.
class NeedToKnow {
 public:
  // Reads the grants in force at `now` for `actor`. System actors see everything.
  static core::Result<NeedToKnow> load(storage::Transaction& tx, const Actor& actor,
                                       core::Timestamp now);

  // The basis on which the user may read a record described by `facts` (kNone: they may not).
  domain::Basis basis(const domain::RecordFacts& facts) const {
    return domain::read_basis(grants_, facts);
  }
  bool may_read(const domain::RecordFacts& facts) const {
    return basis(facts) != domain::Basis::kNone;
  }
  // PermissionDenied unless the user may read the record; the message suggests break-glass
  // when the role may use it.
  core::Status require_read(const domain::RecordFacts& facts) const;

  // Shortcuts for list rows.
  bool may_see_case(const storage::CaseSummary& c) const;
  // `first_recorded`: when the work item's record was first recorded (first_recorded_at);
  // only a reviewer's remit turns on it.
  bool may_see_work_item(const storage::WorkItem& w, core::Timestamp first_recorded) const;
  // Records of `agency_id` in `category` with no case attached (the person index, graph
  // nodes): true when the user may see some of that agency's records of that category. For a
  // reviewer that is only those first recorded within their remit's period: check each record
  // with the overload below, or apply remit() to it.
  bool may_see_agency(std::string_view agency_id, domain::Category category) const;
  // The same for one record of `agency_id` first recorded at `first_recorded` (version 1's
  // time; see first_recorded_at): a reviewer's remit also needs it within their period.
  bool may_see_agency(std::string_view agency_id, domain::Category category,
                      core::Timestamp first_recorded) const;

  // The remit the user reads by, when their role reads by a reviewer's remit and one is in
  // force; null otherwise (system actors, other roles).
  const domain::ReviewerScope* remit() const;

  const domain::Grants& grants() const { return grants_; }

 private:
  // Own agency or a sharing agreement: the bases that open an agency's records whenever
  // they were recorded.
  bool sees_agency_outside_remit(std::string_view agency_id, domain::Category category) const;

  domain::Grants grants_;
};

// When `version`'s record was first recorded: its own time for version 1, else version 1's.
core::Result<core::Timestamp> first_recorded_at(storage::Transaction& tx,
                                                const domain::RecordVersion& version);

// The facts of a stored record: its agency, marking, kind, when it was first recorded and the
// cases it belongs to (a case itself; a concern's cases from the store; other case records
// from body.case_id).
core::Result<domain::RecordFacts> facts_of(storage::Transaction& tx,
                                           const domain::RecordVersion& version,
                                           const nlohmann::json& body);

// The one-record check every service makes before reading or acting on a stored record:
// PermissionDenied unless `actor` has a need to know `version` (with its parsed `body`) at
// `now`. System actors always pass.
core::Status require_need_to_know(storage::Transaction& tx, const Actor& actor,
                                  const domain::RecordVersion& version, const nlohmann::json& body,
                                  core::Timestamp now);

}  // namespace sg::workflow
