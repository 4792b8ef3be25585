// Contextual safeguarding (issue 7 item 3; Working Together 2023, extra-familial harm): a
// context case is the record of a place (a takeaway, a park, a hotel) or a peer group that
// links children who are not related, worked like a child's case. It has an owning agency
// and a marking, the children linked to it (each with a reason), an assessment of the
// context with a risk level, interventions that are tasks with an owner and a due date (so
// they sit in My work and escalate when overdue), and closure with a second manager's
// sign-off. Need to know is the casework rule: the record's body names itself as its case,
// so own agency, sharing agreements (casework), case teams, restrictions and break-glass
// apply to it and to its tasks and decisions exactly as to a child's case.
//
// Every write is one transaction holding the context case's new version, what else it
// touches (a child's case timeline, a task, a decision) and exactly one ledger event.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/ledger.h"
#include "core/date.h"
#include "core/time.h"
#include "domain/record.h"
#include "network/graph.h"
#include "storage/store.h"
#include "workflow/casework.h"
#include "workflow/permissions.h"

namespace sg::workflow {

// The record kinds this service writes.
inline constexpr std::string_view kContextCaseKind = "context_case";
inline constexpr std::string_view kContextDecisionKind = "context_decision";
// The work item subkinds of a context case's interventions and its closure sign-off.
inline constexpr std::string_view kContextInterventionTask = "context_intervention";
inline constexpr std::string_view kContextClosure = "context_close";

enum class ContextKind { kPlace, kPeerGroup, kSchool, kOnline };
std::string_view context_kind_name(ContextKind kind);  // place, peer_group, school, online_space
core::Result<ContextKind> parse_context_kind(std::string_view text, std::string_view field);

// A child linked to a context: their own (statutory) case, and why they are linked.
struct ContextChild {
  std::string case_id;
  std::string reason;
};

struct OpenContext {
  ContextKind kind = ContextKind::kPlace;
  std::string title;
  // Place cases: the link graph's location entity (network/entity.h). Other kinds: empty.
  std::string place_entity_id;
  // Peer groups need two or more; other kinds may start with none.
  std::vector<ContextChild> children;
  domain::Marking marking = domain::Marking::kOfficialSensitive;
};

// What is known about the place or group, and the risk it poses, with the reason.
struct ContextAssessment {
  std::string summary;
  std::string risk_level;  // low, medium or high.
  std::string risk_reason;
};

// Disruption or safety work at the context: a task for `owner_id`, due on `due`.
struct Intervention {
  std::string description;
  std::string owner_id;
  core::Date due;
};

// One row of the list.
struct ContextSummary {
  std::string id;
  std::string kind;
  std::string title;
  std::string status;  // open or closed.
  std::string agency_id;
  std::string risk_level;  // Empty until assessed.
  int children = 0;        // Linked now.
  std::string opened_at;
  core::Timestamp updated_at;
};

// A place case as the link graph suggests it: the place, and the children it links to whose
// cases the user may see (each child's open case, else their latest).
struct PlaceDraft {
  std::string entity_id;
  std::string label;
  std::string detail;  // The kind of place: takeaway, hotel, park...
  struct Child {
    std::string case_id;
    std::string label;
    std::string entity_id;
  };
  std::vector<Child> children;
  int hidden_children = 0;  // Linked children whose cases the user may not see.
};

class ContextCases {
 public:
  // All references must outlive the service. Without a link graph, place cases cannot be
  // opened (Unavailable): their place must be a resolved location entity. Thread-safe.
  ContextCases(storage::Store& store, audit::Ledger& ledger, const core::Clock& clock,
               Casework& casework, const network::LinkGraph* graph = nullptr)
      : store_(store), ledger_(ledger), clock_(clock), casework_(casework), graph_(graph) {}

  // Opens a context case owned by the actor's agency. InvalidArgument naming the field for
  // a blank title, a place that is not a location the actor may see
  // ("place_entity_id"), a child whose case the actor may not see or that does not exist
  // ("children/N/case_id": the same answer for both), a blank reason. Returns its id.
  core::Result<std::string> open(const Actor& actor, const OpenContext& input);
  // Links a child, noting the context case on the child's own case timeline when that case
  // is open. AlreadyExists ("case_id") when the child is linked now.
  core::Status add_child(const Actor& actor, std::string_view id, const ContextChild& child,
                         std::optional<int> if_match = std::nullopt);
  // Unlinks a child, with a reason. NotFound ("case_id") when they are not linked.
  core::Status remove_child(const Actor& actor, std::string_view id, std::string_view case_id,
                            std::string_view reason, std::optional<int> if_match = std::nullopt);
  core::Status assess(const Actor& actor, std::string_view id, const ContextAssessment& input,
                      std::optional<int> if_match = std::nullopt);
  // Adds an intervention as a task in its owner's inbox. The owner must be an active user;
  // the due date today or later. Returns the task id.
  core::Result<std::string> add_intervention(const Actor& actor, std::string_view id,
                                             const Intervention& input,
                                             std::optional<int> if_match = std::nullopt);
  // Proposes closing the context case, with a rationale; it waits for sign-off by a manager
  // other than the proposer (Casework's rule for closing a child's case). Returns the
  // decision id. FailedPrecondition when closed or a closure is already waiting.
  core::Result<std::string> propose_closure(const Actor& actor, std::string_view id,
                                            std::string_view rationale, core::Date decided_on,
                                            std::optional<int> if_match = std::nullopt);
  // Approve closes the case and cancels its open interventions; refuse (with a note) leaves
  // it open. PermissionDenied when the signer proposed it.
  core::Status sign_off(const Actor& actor, std::string_view decision_id, SignOff verdict,
                        std::string_view note);

  // The context case as it stands (or stood at `as_of`), with its children's names where the
  // actor may see their cases, its interventions' and decisions' current state and its
  // timeline: {id, version, marking, recorded_at, body, children, interventions, decisions}.
  // Logged as a consultation; an OFFICIAL-SENSITIVE one needs a `reason` code.
  core::Result<nlohmann::json> get(const Actor& actor, std::string_view id,
                                   std::optional<core::Timestamp> as_of = std::nullopt,
                                   std::string_view reason = "");
  // Context cases the actor has a need to know, newest first; `status` open, closed or empty.
  core::Result<std::vector<ContextSummary>> list(const Actor& actor, std::string_view status);
  // The place and its linked children as the actor may see them (needs the link graph).
  // Logged as a graph consultation.
  core::Result<PlaceDraft> draft_from_place(const Actor& actor, std::string_view entity_id);

 private:
  struct Loaded {
    nlohmann::json body;
    domain::RecordVersion version;
  };
  core::Result<Loaded> load_open(storage::Transaction& tx, const Actor& actor, std::string_view id,
                                 std::optional<int> if_match);
  core::Status save(storage::Transaction& tx, const Actor& actor, const Loaded& loaded,
                    const nlohmann::json& body);
  // The child's case, checked to exist and to be visible to the actor; `field` names it.
  core::Result<storage::CaseSummary> visible_child(storage::Transaction& tx, const Actor& actor,
                                                   std::string_view case_id,
                                                   const std::string& field);
  // Notes a context event on the child's own case timeline when it is open; returns whether
  // it wrote.
  core::Result<bool> note_on_child_case(storage::Transaction& tx, const Actor& actor,
                                        const std::string& case_id, nlohmann::json event);
  // The place entity and its children as `actor` may see them; `concern_ids` (if set) gets
  // the concerns whose evidence the answer drew on.
  core::Result<PlaceDraft> place(storage::Transaction& tx, const Actor& actor,
                                 std::string_view entity_id, std::vector<std::string>* concern_ids);
  core::Status ledger(storage::Transaction& tx, const Actor& actor, domain::Operation op,
                      std::vector<std::string> record_ids, const nlohmann::json& payload);
  nlohmann::json event(const Actor& actor, std::string_view kind) const;

  storage::Store& store_;
  audit::Ledger& ledger_;
  const core::Clock& clock_;
  Casework& casework_;
  const network::LinkGraph* graph_;
};

}  // namespace sg::workflow
