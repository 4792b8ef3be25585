// Casework under Working Together: concerns open cases, cases move through stages, each
// stage sets tasks with statutory deadlines in working days, overdue tasks escalate to the
// owner's manager, decisions carry reasons (NFA and closure need a second person's
// sign-off), risk is screened with a versioned tool, and repeat concerns raise alerts.
//
// Every operation is one transaction holding the documents it changes (versioned records),
// their queryable summaries, and exactly one ledger event.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "audit/ledger.h"
#include "core/id.h"
#include "core/time.h"
#include "domain/concern.h"
#include "storage/store.h"
#include "workflow/permissions.h"
#include "workflow/risk_tool.h"
#include "workflow/timescales.h"

namespace sg::workflow {

// Case stages, in Working Together order.
inline constexpr const char* kStages[] = {"referral_decision", "assessment", "section_47", "plan",
                                          "closed"};

// What recording one concern did. Each child named gets their own case (Working Together
// assesses children individually), so a concern about siblings touches several cases.
struct IntakeResult {
  std::string concern_id;
  std::vector<std::string> case_ids;      // One per child, in the concern's order.
  std::vector<std::string> new_case_ids;  // The subset opened by this concern.
  std::vector<std::string> alert_ids;
  std::string agency_id;        // The agency the concern was recorded under.
  core::Timestamp recorded_at;  // When it was recorded (its version 1).
};

// What record_concern returns: the intake's result and the concern as validated and recorded,
// for callers that go on to use it (the API answers with each person's matches).
struct RecordedConcern : IntakeResult {
  domain::Concern concern;
};

class People;

enum class DecisionKind { kAccept, kNoFurtherAction, kStepDown, kClose };
std::string_view decision_name(DecisionKind kind);  // accept, nfa, step_down, close
core::Result<DecisionKind> parse_decision(std::string_view text, std::string_view field);

enum class Meeting { kStrategyDiscussion, kInitialConference, kReviewConference };
std::string_view meeting_name(Meeting meeting);
core::Result<Meeting> parse_meeting(std::string_view text, std::string_view field);

enum class SignOff { kApprove, kRefuse };

struct DecisionInput {
  DecisionKind kind = DecisionKind::kAccept;
  std::string rationale;
  core::Date decided_on;
  std::string late_reason;  // Needed when the decision completes an overdue task.
  std::string assignee_id;  // For accept: who does the assessment (default: the actor).
  // The case version the decision was made on (HTTP If-Match): Aborted when the case has
  // changed since, so two people deciding at once see a conflict, not a silent overwrite.
  std::optional<int> if_match;
};

// A task on a record that is not a child's statutory case (a context case's intervention):
// the caller names what it is and when it is due. See Casework::add_task.
struct TaskSpec {
  std::string case_id;      // The record the task belongs to; need to know follows it.
  std::string subject_key;  // May be empty.
  std::string agency_id;
  std::string task;  // The work item's subkind, e.g. "context_intervention".
  std::string description;
  core::Date start;
  std::optional<core::Date> due;
  std::string owner_id;  // Required: the task goes to their own inbox (My work).
  std::string label;     // What a person reads in a list.
};

class Casework {
 public:
  // All references must outlive the service. Thread-safe: state lives in the store.
  Casework(storage::Store& store, audit::Ledger& ledger, const core::Clock& clock,
           core::IdGenerator& ids, const Timescales& timescales = Timescales::shipped(),
           const RiskTool& tool = RiskTool::cse_screening_v1())
      : store_(store),
        ledger_(ledger),
        clock_(clock),
        ids_(ids),
        timescales_(timescales),
        tool_(tool) {}

  // Records a concern (docs/import-formats.md). Opens a case for a child with none open,
  // with a referral-decision task in the MASH inbox; attaches the concern to an open case
  // otherwise; raises repeat-concern alerts. `agency_code` fills source_agency when absent.
  // Writes that belong with a concern in its transaction (e.g. an anonymous report's receipt).
  // Returns the ids of the records it wrote, for the ledger event.
  using AlsoWrite = std::function<core::Result<std::vector<std::string>>(storage::Transaction&,
                                                                         const IntakeResult&)>;
  core::Result<RecordedConcern> record_concern(const Actor& actor, const nlohmann::json& document,
                                               const AlsoWrite& also = nullptr);
  // Records many concerns in one transaction: all or none. Errors name the item index
  // ("items/17/children/0/date_of_birth"). One ledger event for the whole import.
  core::Result<std::vector<IntakeResult>> import_concerns(const Actor& actor,
                                                          const std::vector<nlohmann::json>& docs,
                                                          std::string_view source_name);
  // Yields the next document of an import, std::nullopt after the last, or the error that
  // stops the import (a malformed line, say).
  using DocumentSource = std::function<core::Result<std::optional<nlohmann::json>>()>;
  // As import_concerns, with the documents read from `next` on a second thread, where each is
  // also parsed and validated while this thread records the ones before it. The outcome is
  // import_concerns' on the same documents: an error from `next` comes first, then the first
  // invalid document, then the first that cannot be recorded; on any of them nothing is
  // written. `next` is called from that second thread only.
  core::Result<std::vector<IntakeResult>> import_stream(const Actor& actor,
                                                        const DocumentSource& next,
                                                        std::string_view source_name);

  // Proposes a decision on a case. Accept and step down take effect at once; NFA and
  // closure wait for a manager's sign-off. Returns the decision id.
  core::Result<std::string> decide(const Actor& actor, std::string_view case_id,
                                   const DecisionInput& input);
  // A manager other than the proposer approves or refuses a proposed decision.
  // PermissionDenied when the signer proposed it; FailedPrecondition when not pending.
  core::Status sign_off(const Actor& actor, std::string_view decision_id, SignOff verdict,
                        std::string_view note);

  // Records a strategy discussion or a conference held on `held_on`; sets the next tasks.
  core::Status record_meeting(const Actor& actor, std::string_view case_id, Meeting meeting,
                              core::Date held_on, std::string_view note,
                              std::string_view late_reason,
                              std::optional<int> if_match = std::nullopt);
  // Marks a task done. Completing after the due date requires `late_reason`.
  core::Status complete_task(const Actor& actor, std::string_view task_id, core::Date done_on,
                             std::string_view late_reason);
  // Escalates every open task due before today that has not been escalated: an escalation
  // record and an inbox item for the owner's manager (or the managers' inbox). Returns
  // how many were escalated.
  core::Result<int> escalate_overdue(const Actor& actor);

  // Screens the case's child with the risk tool over every indicator recorded in the
  // child's concerns. The result, with its contributing indicators, is stored on the case.
  core::Result<Screening> screen(const Actor& actor, std::string_view case_id,
                                 std::optional<Override> override_level,
                                 std::optional<int> if_match = std::nullopt);
  // Acknowledges an alert or escalation; the note is required.
  core::Status acknowledge(const Actor& actor, std::string_view item_id, std::string_view note);

  // Reads a record the actor has a need to know (PermissionDenied otherwise). `as_of` shows
  // it as it stood then. Consulting an OFFICIAL-SENSITIVE record needs a `reason` code
  // (InvalidArgument "reason" without one); it is logged with the basis of access.
  core::Result<nlohmann::json> document(const Actor& actor, std::string_view id,
                                        std::optional<core::Timestamp> as_of = std::nullopt,
                                        std::string_view reason = "");
  // Lists, filtered to what the actor has a need to know.
  core::Result<std::vector<storage::WorkItem>> inbox(const Actor& actor,
                                                     const storage::WorkQuery& query);
  core::Result<std::vector<storage::CaseSummary>> cases(const Actor& actor,
                                                        const storage::CaseQuery& query);

  // Called after each concern commits (for an import, once per concern, in order), so that
  // in-memory indexes such as the link graph stay current without re-reading the store.
  // Add listeners before serving; they run on request threads and must be thread-safe.
  using Listener = std::function<void(const domain::Concern&, const IntakeResult&)>;
  void add_listener(Listener listener) { listeners_.push_back(std::move(listener)); }

  // Decides "same child" and "same person" with the online matcher from now on (issue 4):
  // alerts and case lookup then follow entities, not only exact identity, and each concern's
  // people join the matcher after it commits. Call before serving. Without it, exact
  // identity (domain::RecordedPerson::identity_key) decides.
  void use_people(People& people) { people_ = &people; }

  // For services whose records carry tasks of their own (workflow/context_cases.h). Writes
  // the task record and its work item in `tx`; the task is then completed with
  // complete_task and escalated by escalate_overdue like any statutory task. The caller
  // checks need to know and ledgers the write. Returns the task id.
  core::Result<std::string> add_task(storage::Transaction& tx, const Actor& actor,
                                     const TaskSpec& spec);
  // Cancels every open task of record `case_id` in `tx` (the caller ledgers it).
  core::Status cancel_open_tasks(storage::Transaction& tx, const Actor& actor,
                                 std::string_view case_id, core::Date on);
  // The id generator the service was built with, for services that write alongside it.
  core::IdGenerator& ids() { return ids_; }

  const Timescales& timescales() const { return timescales_; }
  const RiskTool& tool() const { return tool_; }

 private:
  struct Loaded {
    nlohmann::json body;
    domain::RecordVersion version;
  };
  core::Result<Loaded> load(storage::Transaction& tx, std::string_view id, std::string_view kind);
  core::Result<domain::RecordVersion> save(
      storage::Transaction& tx, const std::string& id, std::string_view kind,
      const std::string& agency_id, const nlohmann::json& body, int expected_version,
      const Actor& actor, domain::Marking marking = domain::Marking::kOfficialSensitive);
  // As save, with the body already serialised.
  core::Result<domain::RecordVersion> save_text(storage::Transaction& tx, const std::string& id,
                                                std::string_view kind, const std::string& agency_id,
                                                std::string body, int expected_version,
                                                const Actor& actor, domain::Marking marking);
  // What one import has written and will read again in its transaction (casework.cpp).
  struct ImportMemo;
  // The case document `case_id`: from `memo` when it is given (loaded into it the first time),
  // else from the store into `holder`. The pointer stays valid while the memo and holder do.
  core::Result<Loaded*> case_document(storage::Transaction& tx, ImportMemo* memo,
                                      const std::string& case_id, Loaded& holder);
  // Parses and checks a concern (indicator codes against the tool); errors carry `prefix`.
  core::Result<domain::Concern> validate(const nlohmann::json& document,
                                         std::string_view prefix) const;
  // Records one validated concern in `tx`. `body` is its document serialised, or empty to
  // serialise it here; `memo` is the import's, or nullptr for a concern on its own.
  core::Result<IntakeResult> intake(storage::Transaction& tx, const Actor& actor,
                                    const domain::Concern& concern, std::string body,
                                    std::string_view prefix, std::vector<std::string>& touched,
                                    ImportMemo* memo);
  core::Result<std::string> open_task(storage::Transaction& tx, const Actor& actor,
                                      const std::string& case_id, const std::string& subject_key,
                                      const std::string& agency_id, std::string_view task,
                                      core::Date start, const std::string& owner_id,
                                      const std::string& inbox, const std::string* label = nullptr);
  core::Status close_task(storage::Transaction& tx, const Actor& actor, const std::string& task_id,
                          core::Date done_on, std::string_view late_reason,
                          std::string_view status);
  core::Status close_open_tasks(storage::Transaction& tx, const Actor& actor,
                                const std::string& case_id, std::string_view task,
                                core::Date done_on, std::string_view late_reason);
  // Who each person of a concern is: their subject keys (defined in casework.cpp).
  struct Identities;
  core::Result<Identities> identify(storage::Transaction& tx, const domain::Concern& concern,
                                    const std::string& concern_id, const std::string& agency_id);
  core::Result<std::vector<std::string>> raise_alerts(storage::Transaction& tx, const Actor& actor,
                                                      const domain::Concern& concern,
                                                      const std::string& concern_id,
                                                      const std::string& agency_id,
                                                      const std::string& case_id,
                                                      const Identities& who, ImportMemo* memo);
  core::Result<std::optional<std::string>> raise_alert(
      storage::Transaction& tx, const Actor& actor, std::string_view rule,
      const std::vector<std::string>& subject_keys, const std::string& case_id,
      const std::string& agency_id, const std::string& inbox,
      const std::vector<std::string>& concern_ids, std::string_view summary,
      const std::string& label);
  core::Status apply_decision(storage::Transaction& tx, const Actor& actor, Loaded& decision);
  // PermissionDenied unless the actor has a need to know the loaded record.
  core::Status require_visible(storage::Transaction& tx, const Actor& actor, const Loaded& loaded);
  core::Status ledger(storage::Transaction& tx, const Actor& actor, domain::Operation op,
                      std::string_view reason, std::vector<std::string> record_ids,
                      const nlohmann::json& payload);

  storage::Store& store_;
  audit::Ledger& ledger_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  const Timescales& timescales_;
  const RiskTool& tool_;
  std::vector<Listener> listeners_;
  People* people_ = nullptr;
};

}  // namespace sg::workflow
