// Retention review (issue 6, docs/retention.md): every record belongs to a policy group
// (data/retention/policy.json, in the manner of MoPI's review groups) that sets when it falls
// due for review; managers list the reviews due and decide each — retain, with a reason and
// a next review date, or erase, which blanks the record's personal data and its ledger
// payloads in one transaction and leaves a content-free erasure event.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/ledger.h"
#include "core/date.h"
#include "core/id.h"
#include "core/result.h"
#include "core/time.h"
#include "storage/store.h"
#include "workflow/permissions.h"

namespace sg::workflow {

// One review group. A record belongs to it when its kind is one of `kinds` and every
// condition that is set holds of its current content.
struct RetentionGroup {
  std::string id;
  std::string description;
  std::vector<std::string> kinds;
  std::optional<std::string> names_role;  // A person in the record's persons has this role.
  std::optional<std::string> has_event;   // The record's events include one of this kind.
  std::optional<std::string> status;      // The record's status is this.
  std::optional<std::string> outcome;     // The record's outcome is this.
  int review_after_years = 0;             // 1 to 100.
  std::string source;                     // Why this period.

  bool covers(std::string_view kind, const nlohmann::json& body) const;
};

class RetentionPolicy {
 public:
  // Parses a policy document. InvalidArgument naming the JSON path ("/groups/2/kinds") on any
  // defect: a missing or mistyped field, an unknown condition, a duplicate group id, a period
  // outside 1 to 100 years.
  static core::Result<RetentionPolicy> parse(std::string_view json_text);
  // The policy shipped with Safeguard (data/retention/policy.json). Aborts at start-up if the
  // shipped data is malformed (a build defect, caught by tests).
  static const RetentionPolicy& shipped();

  // The first group that covers the record, or null when none does (the record is then
  // reviewed with whatever it belongs to, e.g. a task with its case).
  const RetentionGroup* group_for(std::string_view kind, const nlohmann::json& body) const;
  const RetentionGroup* group(std::string_view id) const;  // Null when absent.
  // Every kind some group covers.
  std::vector<std::string> kinds() const;

  const std::string& id() const { return id_; }
  int version() const { return version_; }
  core::Date effective_from() const { return effective_from_; }
  const std::vector<RetentionGroup>& groups() const { return groups_; }
  // {"id", "version", "effective_from", "groups": [{"id", "description", "kinds", "when",
  //  "review_after_years", "source"}]}
  nlohmann::json to_json() const;

 private:
  std::string id_;
  int version_ = 0;
  core::Date effective_from_;
  std::vector<RetentionGroup> groups_;
};

// Where one record stands.
struct RetentionStatus {
  std::string record_id;
  std::string kind;
  std::string agency_id;
  std::string group;
  core::Date last_activity_on;  // The newest change to it (for a concern, to its cases too).
  core::Date review_on;         // When it is next due for review.
  std::optional<storage::RetentionReview> last_decision;
};

enum class Disposal { kRetain, kErase };
std::string_view disposal_name(Disposal disposal);  // "retain", "erase"
core::Result<Disposal> parse_disposal(std::string_view text, std::string_view field);

struct RetentionDecision {
  Disposal disposal = Disposal::kRetain;
  std::string reason;  // Required; it should name nobody (it outlives an erasure).
  // Retain only: the next review, after today and at most the group's period from today.
  // Unset: today plus the group's period.
  std::optional<core::Date> next_review_on;
};

class Retention {
 public:
  // All references must outlive the service. Thread-safe: state lives in the store.
  Retention(storage::Store& store, audit::Ledger& ledger, const core::Clock& clock,
            core::IdGenerator& ids, const RetentionPolicy& policy = RetentionPolicy::shipped())
      : store_(store), ledger_(ledger), clock_(clock), ids_(ids), policy_(policy) {}

  // Records whose review falls due on or before `on` that the actor has a need to know,
  // earliest review first, at most `limit` (function: review retention). Ids, kinds, groups
  // and dates only. Reads every record of a covered kind (TODO(#6): keep review dates in an
  // index when stores grow past a few hundred thousand records).
  core::Result<std::vector<RetentionStatus>> due(const Actor& actor, core::Date on,
                                                 std::size_t limit);
  // Where one record stands. NotFound for an erased record or one no group covers;
  // PermissionDenied without need to know.
  core::Result<RetentionStatus> status(const Actor& actor, std::string_view record_id);

  // Decides a record's review. Retain: stores the decision as a new version of the record's
  // "retention_decision" record, sets the next review and ledgers an alteration carrying the
  // reason. Erase (only once the review is due, and never an open case): blanks every version
  // of the record — and, for a case, of its decisions, tasks, alerts and escalations, and of
  // its retention decisions — erases their ledger payloads and appends one content-free
  // erasure event, all in one transaction. Returns the record's status after the decision.
  // InvalidArgument ("reason", "next_review_on"), NotFound, PermissionDenied,
  // FailedPrecondition (not yet due; an open case).
  core::Result<RetentionStatus> decide(const Actor& actor, std::string_view record_id,
                                       const RetentionDecision& decision);

  const RetentionPolicy& policy() const { return policy_; }

  // Called after an erasure commits, with the ids of every record it erased, so copies held
  // in memory (the link graph) forget them too. Register before serving; not thread-safe.
  void on_erased(std::function<void(const std::vector<std::string>& record_ids)> listener) {
    erased_listeners_.push_back(std::move(listener));
  }

 private:
  // The status of a record from its current version, or null when no group covers it.
  core::Result<std::optional<RetentionStatus>> status_of(storage::Transaction& tx,
                                                         const domain::RecordVersion& version,
                                                         const nlohmann::json& body);

  storage::Store& store_;
  audit::Ledger& ledger_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  const RetentionPolicy& policy_;
  std::vector<std::function<void(const std::vector<std::string>&)>> erased_listeners_;
};

// {"record_id", "kind", "agency_id", "group", "last_activity_on", "review_on",
//  "last_decision": null | {"decision", "decided_on", "decided_by"}} — no personal data.
nlohmann::json retention_status_json(const RetentionStatus& status);

}  // namespace sg::workflow
