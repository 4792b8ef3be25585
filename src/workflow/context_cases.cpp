#include "workflow/context_cases.h"

#include <algorithm>
#include <map>
#include <set>

#include "domain/access_types.h"
#include "network/access.h"
#include "workflow/need_to_know.h"
#include "workflow/network_viewer.h"

namespace sg::workflow {
namespace {

using nlohmann::json;

constexpr std::string_view kManagersInbox = "managers";

bool blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

core::Status require_text(std::string_view text, const std::string& field, std::size_t max = 4000) {
  if (blank(text)) return core::invalid_argument("is required", field);
  if (text.size() > max) {
    return core::invalid_argument("is too long (at most " + std::to_string(max) + " bytes)", field);
  }
  std::string flat(text);
  for (auto& c : flat) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return domain::validate_display_text(flat, field, max);
}

core::Status check_version(const domain::RecordVersion& stored, std::optional<int> if_match) {
  if (!if_match || *if_match == stored.version) return {};
  return core::aborted("the context case has changed since it was read (now version " +
                       std::to_string(stored.version) + "); reload it and try again");
}

// The linked child entry for `case_id`, if linked now.
json* linked_child(json& body, std::string_view case_id) {
  for (auto& c : body["children"]) {
    if (c.value("case_id", "") == case_id && c.value("status", "") == "linked") return &c;
  }
  return nullptr;
}

// Contextual safeguarding assessments use the three levels partnerships commonly use for a
// place or group (not the child-level screening tool's bands).
bool valid_risk_level(std::string_view level) {
  return level == "low" || level == "medium" || level == "high";
}

}  // namespace

std::string_view context_kind_name(ContextKind kind) {
  switch (kind) {
    case ContextKind::kPlace:
      return "place";
    case ContextKind::kPeerGroup:
      return "peer_group";
    case ContextKind::kSchool:
      return "school";
    case ContextKind::kOnline:
      return "online_space";
  }
  return "place";
}

core::Result<ContextKind> parse_context_kind(std::string_view text, std::string_view field) {
  for (auto k :
       {ContextKind::kPlace, ContextKind::kPeerGroup, ContextKind::kSchool, ContextKind::kOnline}) {
    if (context_kind_name(k) == text) return k;
  }
  return core::invalid_argument("must be one of place, peer_group, school, online_space",
                                std::string(field));
}

json ContextCases::event(const Actor& actor, std::string_view kind) const {
  auto now = clock_.now();
  return {{"kind", kind},
          {"at", core::format_rfc3339(now)},
          {"date", core::london_date(now).iso()},
          {"by", actor.user_id}};
}

core::Status ContextCases::ledger(storage::Transaction& tx, const Actor& actor,
                                  domain::Operation op, std::vector<std::string> record_ids,
                                  const json& payload) {
  std::sort(record_ids.begin(), record_ids.end());
  record_ids.erase(std::unique(record_ids.begin(), record_ids.end()), record_ids.end());
  auto bytes = payload.dump();
  SG_TRY(ledger_.append(tx, {.actor = actor.user_id,
                             .operation = op,
                             .reason = "case_work",
                             .record_ids = std::move(record_ids),
                             .payload = bytes}));
  return {};
}

core::Result<ContextCases::Loaded> ContextCases::load_open(storage::Transaction& tx,
                                                           const Actor& actor, std::string_view id,
                                                           std::optional<int> if_match) {
  auto version = tx.record(id);
  if (!version.ok() || version->kind != kContextCaseKind) {
    return core::not_found("context case not found");
  }
  auto body = json::parse(version->body, nullptr, false);
  if (body.is_discarded()) return core::data_loss("stored context case is corrupt");
  SG_TRY(require_need_to_know(tx, actor, *version, body, clock_.now()));
  SG_TRY(check_version(*version, if_match));
  if (body.value("status", "") != "open") {
    return core::failed_precondition("the context case is closed");
  }
  return Loaded{std::move(body), std::move(version).value()};
}

core::Status ContextCases::save(storage::Transaction& tx, const Actor& actor, const Loaded& loaded,
                                const json& body) {
  domain::RecordVersion draft;
  draft.record_id = loaded.version.record_id;
  draft.kind = std::string(kContextCaseKind);
  draft.agency_id = loaded.version.agency_id;
  draft.marking = loaded.version.marking;
  draft.body = body.dump();
  draft.recorded_at = clock_.now();
  draft.recorded_by = actor.user_id;
  SG_TRY(tx.put_record(draft, loaded.version.version));
  return {};
}

core::Result<storage::CaseSummary> ContextCases::visible_child(storage::Transaction& tx,
                                                               const Actor& actor,
                                                               std::string_view case_id,
                                                               const std::string& field) {
  // One answer for "no such case" and "not yours to see": the id must not tell which.
  auto none = core::invalid_argument("is not a child's case you may see", field);
  if (case_id.empty()) return core::invalid_argument("is required", field);
  auto summary = tx.case_summary(case_id);
  if (!summary.ok()) return none;
  auto need = SG_TRY(NeedToKnow::load(tx, actor, clock_.now()));
  if (!need.may_see_case(*summary)) return none;
  return summary;
}

core::Result<bool> ContextCases::note_on_child_case(storage::Transaction& tx, const Actor& actor,
                                                    const std::string& case_id, json event) {
  auto summary = SG_TRY(tx.case_summary(case_id));
  if (summary.status != "open") return false;
  auto version = SG_TRY(tx.record(case_id));
  auto body = json::parse(version.body, nullptr, false);
  if (body.is_discarded()) return core::data_loss("stored case is corrupt");
  body["events"].push_back(std::move(event));
  domain::RecordVersion draft = version;
  draft.body = body.dump();
  draft.recorded_at = clock_.now();
  draft.recorded_by = actor.user_id;
  SG_TRY(tx.put_record(draft, version.version));
  summary.updated_at = clock_.now();
  SG_TRY(tx.upsert_case(summary));
  return true;
}

core::Result<std::string> ContextCases::open(const Actor& actor, const OpenContext& input) {
  SG_TRY(require(actor, Action::kProposeDecision));
  SG_TRY(require_text(input.title, "title", 200));
  if (actor.agency_id.empty() && !actor.is_system()) {
    return core::failed_precondition("a context case is owned by an agency; you have none");
  }
  json place_json = nullptr;
  if (input.kind == ContextKind::kPlace) {
    if (input.place_entity_id.empty()) {
      return core::invalid_argument("is required for a place case", "place_entity_id");
    }
    auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
    auto found = SG_TRY(this->place(*tx, actor, input.place_entity_id, nullptr));
    place_json = {{"entity_id", found.entity_id}, {"label", found.label}, {"detail", found.detail}};
  } else if (!input.place_entity_id.empty()) {
    return core::invalid_argument("only a place case names a place", "place_entity_id");
  }
  if (input.kind == ContextKind::kPeerGroup && input.children.size() < 2) {
    return core::invalid_argument("a peer group links two or more children", "children");
  }
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto& ids = casework_.ids();
  std::string id = ids.next();
  auto now = clock_.now();
  json body = {{"id", id},
               // The context case is its own case: need to know on it, its tasks and its
               // decisions follows case teams, restrictions and break-glass on this id.
               {"case_id", id},
               {"context_kind", context_kind_name(input.kind)},
               {"title", input.title},
               {"place", place_json},
               {"status", "open"},
               {"opened_at", core::format_rfc3339(now)},
               {"opened_by", actor.user_id},
               {"children", json::array()},
               {"assessment", nullptr},
               {"assessments", json::array()},
               {"interventions", json::array()},
               {"decisions", json::array()},
               {"pending_decision_id", ""},
               {"events", json::array()}};
  body["events"].push_back(event(actor, "opened"));
  std::vector<std::string> touched = {id};
  std::set<std::string> seen;
  for (std::size_t i = 0; i < input.children.size(); ++i) {
    const auto& c = input.children[i];
    std::string prefix = "children/" + std::to_string(i) + "/";
    SG_TRY(visible_child(*tx, actor, c.case_id, prefix + "case_id"));
    SG_TRY(require_text(c.reason, prefix + "reason"));
    if (!seen.insert(c.case_id).second) {
      return core::invalid_argument("names the same child twice", prefix + "case_id");
    }
    body["children"].push_back({{"case_id", c.case_id},
                                {"reason", c.reason},
                                {"status", "linked"},
                                {"added_at", core::format_rfc3339(now)},
                                {"added_by", actor.user_id}});
    auto added = event(actor, "child_added");
    added["case_id"] = c.case_id;
    added["reason"] = c.reason;
    body["events"].push_back(added);
    json note = {{"kind", "context_linked"},
                 {"date", core::london_date(now).iso()},
                 {"context_id", id},
                 {"context_kind", context_kind_name(input.kind)}};
    if (SG_TRY(note_on_child_case(*tx, actor, c.case_id, note))) touched.push_back(c.case_id);
  }
  domain::RecordVersion draft;
  draft.record_id = id;
  draft.kind = std::string(kContextCaseKind);
  draft.agency_id = actor.agency_id;
  draft.marking = input.marking;
  draft.body = body.dump();
  draft.recorded_at = now;
  draft.recorded_by = actor.user_id;
  SG_TRY(tx->put_record(draft, 0));
  SG_TRY(ledger(*tx, actor, domain::Operation::kCollection, touched,
                {{"opened", id},
                 {"context_kind", context_kind_name(input.kind)},
                 {"children", input.children.size()}}));
  SG_TRY(tx->commit());
  return id;
}

core::Status ContextCases::add_child(const Actor& actor, std::string_view id,
                                     const ContextChild& child, std::optional<int> if_match) {
  SG_TRY(require(actor, Action::kProposeDecision));
  SG_TRY(require_text(child.reason, "reason"));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto loaded = SG_TRY(load_open(*tx, actor, id, if_match));
  SG_TRY(visible_child(*tx, actor, child.case_id, "case_id"));
  auto body = loaded.body;
  if (linked_child(body, child.case_id)) {
    return core::already_exists("this child is already linked to the context", "case_id");
  }
  auto now = clock_.now();
  body["children"].push_back({{"case_id", child.case_id},
                              {"reason", child.reason},
                              {"status", "linked"},
                              {"added_at", core::format_rfc3339(now)},
                              {"added_by", actor.user_id}});
  auto added = event(actor, "child_added");
  added["case_id"] = child.case_id;
  added["reason"] = child.reason;
  body["events"].push_back(added);
  std::vector<std::string> touched = {std::string(id)};
  json note = {{"kind", "context_linked"},
               {"date", core::london_date(now).iso()},
               {"context_id", id},
               {"context_kind", body["context_kind"]}};
  if (SG_TRY(note_on_child_case(*tx, actor, child.case_id, note))) {
    touched.push_back(child.case_id);
  }
  SG_TRY(save(*tx, actor, loaded, body));
  SG_TRY(ledger(*tx, actor, domain::Operation::kAlteration, touched, added));
  return tx->commit();
}

core::Status ContextCases::remove_child(const Actor& actor, std::string_view id,
                                        std::string_view case_id, std::string_view reason,
                                        std::optional<int> if_match) {
  SG_TRY(require(actor, Action::kProposeDecision));
  SG_TRY(require_text(reason, "reason"));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto loaded = SG_TRY(load_open(*tx, actor, id, if_match));
  auto body = loaded.body;
  auto* child = linked_child(body, case_id);
  if (!child) {
    return core::Error{core::Code::kNotFound, "this child is not linked to the context", "case_id"};
  }
  auto now = clock_.now();
  (*child)["status"] = "removed";
  (*child)["removed_at"] = core::format_rfc3339(now);
  (*child)["removed_by"] = actor.user_id;
  (*child)["removed_reason"] = reason;
  auto removed = event(actor, "child_removed");
  removed["case_id"] = case_id;
  removed["reason"] = reason;
  body["events"].push_back(removed);
  std::vector<std::string> touched = {std::string(id)};
  json note = {{"kind", "context_unlinked"},
               {"date", core::london_date(now).iso()},
               {"context_id", id},
               {"context_kind", body["context_kind"]}};
  if (SG_TRY(note_on_child_case(*tx, actor, std::string(case_id), note))) {
    touched.emplace_back(case_id);
  }
  SG_TRY(save(*tx, actor, loaded, body));
  SG_TRY(ledger(*tx, actor, domain::Operation::kAlteration, touched, removed));
  return tx->commit();
}

core::Status ContextCases::assess(const Actor& actor, std::string_view id,
                                  const ContextAssessment& input, std::optional<int> if_match) {
  SG_TRY(require(actor, Action::kScreenRisk));
  SG_TRY(require_text(input.summary, "summary", 20000));
  if (!valid_risk_level(input.risk_level)) {
    return core::invalid_argument("must be low, medium or high", "risk_level");
  }
  SG_TRY(require_text(input.risk_reason, "risk_reason"));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto loaded = SG_TRY(load_open(*tx, actor, id, if_match));
  auto body = loaded.body;
  json assessment = {{"at", core::format_rfc3339(clock_.now())},
                     {"by", actor.user_id},
                     {"summary", input.summary},
                     {"risk_level", input.risk_level},
                     {"risk_reason", input.risk_reason}};
  body["assessment"] = assessment;
  body["assessments"].push_back(assessment);
  auto assessed = event(actor, "assessed");
  assessed["risk_level"] = input.risk_level;
  body["events"].push_back(assessed);
  SG_TRY(save(*tx, actor, loaded, body));
  SG_TRY(ledger(*tx, actor, domain::Operation::kCollection, {std::string(id)}, assessment));
  return tx->commit();
}

core::Result<std::string> ContextCases::add_intervention(const Actor& actor, std::string_view id,
                                                         const Intervention& input,
                                                         std::optional<int> if_match) {
  SG_TRY(require(actor, Action::kProposeDecision));
  SG_TRY(require_text(input.description, "description"));
  auto today = core::london_date(clock_.now());
  if (input.due < today) return core::invalid_argument("is in the past", "due");
  if (input.owner_id.empty()) return core::invalid_argument("is required", "owner_id");
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto loaded = SG_TRY(load_open(*tx, actor, id, if_match));
  auto owner = tx->user(input.owner_id);
  if (!owner.ok() || !owner->active) {
    return core::invalid_argument("is not an active user", "owner_id");
  }
  // The owner must be able to do the work: complete tasks, and see the context case (else
  // the task would be invisible in their own inbox). Another agency's worker joins its team
  // first.
  if (!allowed(owner->role, Action::kCompleteTask)) {
    return core::invalid_argument("has a role that does not complete tasks", "owner_id");
  }
  Actor as_owner{owner->id, owner->role, owner->agency_id, owner->manager_id};
  if (!require_need_to_know(*tx, as_owner, loaded.version, loaded.body, clock_.now()).ok()) {
    return core::invalid_argument(
        "has no need to know this context case; add them to its team first", "owner_id");
  }
  auto body = loaded.body;
  auto task_id = SG_TRY(casework_.add_task(*tx, actor,
                                           {.case_id = std::string(id),
                                            .subject_key = "context:" + std::string(id),
                                            .agency_id = loaded.version.agency_id,
                                            .task = std::string(kContextInterventionTask),
                                            .description = input.description,
                                            .start = today,
                                            .due = input.due,
                                            .owner_id = input.owner_id,
                                            .label = body.value("title", "")}));
  body["interventions"].push_back(task_id);
  auto added = event(actor, "intervention_added");
  added["task_id"] = task_id;
  added["owner_id"] = input.owner_id;
  added["due"] = input.due.iso();
  added["description"] = input.description;
  body["events"].push_back(added);
  SG_TRY(save(*tx, actor, loaded, body));
  SG_TRY(ledger(*tx, actor, domain::Operation::kCollection, {std::string(id), task_id}, added));
  SG_TRY(tx->commit());
  return task_id;
}

core::Result<std::string> ContextCases::propose_closure(const Actor& actor, std::string_view id,
                                                        std::string_view rationale,
                                                        core::Date decided_on,
                                                        std::optional<int> if_match) {
  SG_TRY(require(actor, Action::kProposeDecision));
  SG_TRY(require_text(rationale, "rationale"));
  auto now = clock_.now();
  if (decided_on > core::london_date(now)) {
    return core::invalid_argument("is in the future", "decided_on");
  }
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto loaded = SG_TRY(load_open(*tx, actor, id, if_match));
  auto body = loaded.body;
  if (!body.value("pending_decision_id", "").empty()) {
    return core::failed_precondition("a closure is already waiting for sign-off");
  }
  std::string decision_id = casework_.ids().next();
  json decision = {{"id", decision_id},
                   {"case_id", id},
                   {"kind", "close"},
                   {"rationale", rationale},
                   {"decided_on", decided_on.iso()},
                   {"proposed_by", actor.user_id},
                   {"proposed_at", core::format_rfc3339(now)},
                   {"status", "proposed"}};
  domain::RecordVersion draft;
  draft.record_id = decision_id;
  draft.kind = std::string(kContextDecisionKind);
  draft.agency_id = loaded.version.agency_id;
  draft.marking = loaded.version.marking;
  draft.body = decision.dump();
  draft.recorded_at = now;
  draft.recorded_by = actor.user_id;
  SG_TRY(tx->put_record(draft, 0));
  std::string inbox =
      actor.manager_id.empty() ? std::string(kManagersInbox) : "user:" + actor.manager_id;
  SG_TRY(tx->upsert_work_item({.id = decision_id,
                               .kind = "sign_off",
                               .subkind = std::string(kContextClosure),
                               .case_id = std::string(id),
                               .subject_key = "context:" + std::string(id),
                               .inbox = inbox,
                               .status = "open",
                               .agency_id = loaded.version.agency_id,
                               .updated_at = now,
                               .label = body.value("title", "")}));
  body["decisions"].push_back(decision_id);
  body["pending_decision_id"] = decision_id;
  auto proposed = event(actor, "closure_proposed");
  proposed["decision_id"] = decision_id;
  proposed["rationale"] = rationale;
  body["events"].push_back(proposed);
  SG_TRY(save(*tx, actor, loaded, body));
  SG_TRY(
      ledger(*tx, actor, domain::Operation::kCollection, {std::string(id), decision_id}, decision));
  SG_TRY(tx->commit());
  return decision_id;
}

core::Status ContextCases::sign_off(const Actor& actor, std::string_view decision_id,
                                    SignOff verdict, std::string_view note) {
  SG_TRY(require(actor, Action::kSignOff));
  if (verdict == SignOff::kRefuse) SG_TRY(require_text(note, "note"));
  if (note.size() > 4000) return core::invalid_argument("is too long", "note");
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto version = tx->record(decision_id);
  if (!version.ok() || version->kind != kContextDecisionKind) {
    return core::not_found("decision not found");
  }
  auto decision = json::parse(version->body, nullptr, false);
  if (decision.is_discarded()) return core::data_loss("stored decision is corrupt");
  SG_TRY(require_need_to_know(*tx, actor, *version, decision, clock_.now()));
  if (decision.value("status", "") != "proposed") {
    return core::failed_precondition("the decision is not waiting for sign-off");
  }
  if (decision.value("proposed_by", "") == actor.user_id) {
    return core::permission_denied(
        "the manager who signs off must be someone other than the person who proposed the "
        "decision");
  }
  std::string id = decision["case_id"];
  auto loaded = SG_TRY(load_open(*tx, actor, id, std::nullopt));
  auto now = clock_.now();
  bool approve = verdict == SignOff::kApprove;
  decision["status"] = approve ? "signed_off" : "refused";
  decision["sign_off"] = {{"by", actor.user_id},
                          {"at", core::format_rfc3339(now)},
                          {"verdict", approve ? "approve" : "refuse"},
                          {"note", note}};
  domain::RecordVersion draft = *version;
  draft.body = decision.dump();
  draft.recorded_at = now;
  draft.recorded_by = actor.user_id;
  SG_TRY(tx->put_record(draft, version->version));
  SG_TRY(tx->upsert_work_item({.id = std::string(decision_id),
                               .kind = "sign_off",
                               .subkind = std::string(kContextClosure),
                               .case_id = id,
                               .subject_key = "context:" + id,
                               .inbox = "",
                               .status = "done",
                               .agency_id = version->agency_id,
                               .updated_at = now,
                               .label = loaded.body.value("title", "")}));
  auto body = loaded.body;
  body["pending_decision_id"] = "";
  auto signed_off = event(actor, approve ? "closed" : "closure_refused");
  signed_off["decision_id"] = decision_id;
  if (!note.empty()) signed_off["note"] = note;
  if (approve) {
    auto on = core::london_date(now);
    // Closure ends the context's open work, as closing a child's case does.
    SG_TRY(casework_.cancel_open_tasks(*tx, actor, id, on));
    body["status"] = "closed";
    body["closed_on"] = on.iso();
  }
  body["events"].push_back(signed_off);
  SG_TRY(save(*tx, actor, loaded, body));
  SG_TRY(ledger(*tx, actor, domain::Operation::kAlteration, {std::string(decision_id), id},
                decision["sign_off"]));
  return tx->commit();
}

core::Result<json> ContextCases::get(const Actor& actor, std::string_view id,
                                     std::optional<core::Timestamp> as_of,
                                     std::string_view reason) {
  SG_TRY(require(actor, Action::kReadCasework));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto version = tx->record(id, as_of);
  if (!version.ok() || version->kind != kContextCaseKind) {
    return core::not_found("context case not found");
  }
  auto body = json::parse(version->body, nullptr, false);
  if (body.is_discarded()) return core::data_loss("stored context case is corrupt");
  auto need = SG_TRY(NeedToKnow::load(*tx, actor, clock_.now()));
  auto facts = SG_TRY(facts_of(*tx, *version, body));
  SG_TRY(need.require_read(facts));
  if (reason.empty() && version->marking == domain::Marking::kOfficialSensitive &&
      !actor.is_system()) {
    return core::invalid_argument("a reason code is needed to consult an OFFICIAL-SENSITIVE record",
                                  "reason");
  }
  std::string why = reason.empty() ? "case_work" : std::string(reason);
  SG_TRY(domain::validate_reason_code(why));

  // Children: names only where the reader may see the child's own case.
  json children = json::array();
  for (const auto& c : body["children"]) {
    std::string case_id = c.value("case_id", "");
    json row = c;
    row["label"] = "";
    row["visible"] = false;
    if (auto summary = tx->case_summary(case_id); summary.ok() && need.may_see_case(*summary)) {
      row["label"] = summary->label;
      row["visible"] = true;
      row["case_status"] = summary->status;
    }
    children.push_back(std::move(row));
  }
  // Interventions and decisions as they stand (or stood).
  auto current = [&](const std::string& record_id) -> json {
    auto v = tx->record(record_id, as_of);
    if (!v.ok()) return nullptr;
    auto b = json::parse(v->body, nullptr, false);
    if (b.is_discarded()) return nullptr;
    b["version"] = v->version;
    return b;
  };
  json interventions = json::array();
  for (const auto& t : body["interventions"]) {
    if (auto b = current(t.get<std::string>()); !b.is_null()) interventions.push_back(b);
  }
  json decisions = json::array();
  for (const auto& d : body["decisions"]) {
    if (auto b = current(d.get<std::string>()); !b.is_null()) decisions.push_back(b);
  }
  // DPA 2018 s.62: a consultation, with its basis.
  SG_TRY(ledger_.append(*tx, {.actor = actor.user_id,
                              .operation = domain::Operation::kConsultation,
                              .reason = why,
                              .record_ids = {std::string(id)},
                              .payload = json{{"id", id},
                                              {"version", version->version},
                                              {"basis", domain::basis_name(need.basis(facts))}}
                                             .dump()}));
  SG_TRY(tx->commit());
  return json{{"id", version->record_id},
              {"kind", version->kind},
              {"version", version->version},
              {"agency_id", version->agency_id},
              {"recorded_at", core::format_rfc3339(version->recorded_at)},
              {"recorded_by", version->recorded_by},
              {"marking", domain::marking_name(version->marking)},
              {"body", std::move(body)},
              {"children", std::move(children)},
              {"interventions", std::move(interventions)},
              {"decisions", std::move(decisions)}};
}

core::Result<std::vector<ContextSummary>> ContextCases::list(const Actor& actor,
                                                             std::string_view status) {
  SG_TRY(require(actor, Action::kReadCasework));
  if (!status.empty() && status != "open" && status != "closed") {
    return core::invalid_argument("must be open, closed or all", "status");
  }
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  auto need = SG_TRY(NeedToKnow::load(*tx, actor, clock_.now()));
  std::vector<ContextSummary> out;
  // Context cases are few beside children's cases; reading them by kind is a scan of the
  // record versions (docs/network.md notes the cost).
  SG_TRY(tx->for_each_record(kContextCaseKind, [&](const domain::RecordVersion& v) -> core::Status {
    auto body = json::parse(v.body, nullptr, false);
    if (body.is_discarded()) return {};
    auto facts = SG_TRY(facts_of(*tx, v, body));
    if (!need.may_read(facts)) return {};
    if (!status.empty() && body.value("status", "") != status) return {};
    ContextSummary s;
    s.id = v.record_id;
    s.kind = body.value("context_kind", "");
    s.title = body.value("title", "");
    s.status = body.value("status", "");
    s.agency_id = v.agency_id;
    if (body["assessment"].is_object()) s.risk_level = body["assessment"].value("risk_level", "");
    for (const auto& c : body["children"]) {
      if (c.value("status", "") == "linked") ++s.children;
    }
    s.opened_at = body.value("opened_at", "");
    s.updated_at = v.recorded_at;
    out.push_back(std::move(s));
    return {};
  }));
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.updated_at > b.updated_at; });
  return out;
}

core::Result<PlaceDraft> ContextCases::draft_from_place(const Actor& actor,
                                                        std::string_view entity_id) {
  SG_TRY(require(actor, Action::kProposeDecision));
  std::vector<std::string> concern_ids;
  PlaceDraft draft;
  {
    auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
    draft = SG_TRY(place(*tx, actor, entity_id, &concern_ids));
  }
  network::Viewer viewer{actor.user_id, actor.role, actor.agency_id, std::nullopt};
  SG_TRY(network::record_consultation(store_, ledger_, viewer, "place_context_draft",
                                      {{"entity_id", entity_id}}, concern_ids));
  return draft;
}

core::Result<PlaceDraft> ContextCases::place(storage::Transaction& tx, const Actor& actor,
                                             std::string_view entity_id,
                                             std::vector<std::string>* concern_ids) {
  if (!graph_) return core::unavailable("the link graph is not running on this server");
  auto none = core::invalid_argument("is not a place you may see", "place_entity_id");
  if (entity_id.empty() || entity_id.size() > 64) return none;
  auto need = SG_TRY(NeedToKnow::load(tx, actor, clock_.now()));
  auto viewer = SG_TRY(network_viewer(tx, actor, need));
  auto scope = network::scope_for(*graph_, viewer, {});

  struct ChildEntity {
    std::string entity_id, key, label;
    std::vector<std::string> concern_ids;
  };
  struct Found {
    bool exists = false, visible = false, location = false;
    std::string label, detail;
    std::vector<ChildEntity> children;
    std::vector<std::string> concern_ids;
  };
  auto found = graph_->read([&](const network::GraphData& data) {
    Found f;
    auto it = data.by_id.find(std::string(entity_id));
    if (it == data.by_id.end()) return f;
    f.exists = true;
    const auto& e = data.entities[it->second];
    f.location = e.kind == network::EntityKind::kLocation;
    for (const auto& m : e.mentions) {
      if (scope.admits(m)) {
        f.visible = true;
        f.concern_ids.push_back(m.concern_id);
      }
    }
    if (!f.visible || !f.location) return f;
    f.label = e.label;
    f.detail = e.detail;
    for (auto l : data.incident[it->second]) {
      const auto& link = data.links[l];
      const auto& other = data.entities[link.a == it->second ? link.b : link.a];
      if (!network::is_child(other, scope)) continue;
      ChildEntity c{other.id, other.key, other.label, {}};
      for (const auto& m : other.mentions) {
        if (m.role == "child" && scope.admits(m)) {
          c.concern_ids.push_back(m.concern_id);
        }
      }
      f.children.push_back(std::move(c));
    }
    return f;
  });
  if (!found.exists || !found.visible) return none;
  if (!found.location) {
    return core::invalid_argument("is not a place or address (it is another kind of entity)",
                                  "place_entity_id");
  }
  PlaceDraft draft{std::string(entity_id), found.label, found.detail, {}, 0};
  std::set<std::string> chosen;
  for (const auto& c : found.children) {
    // The child's cases: those of the concerns that name them, matched on the subject key
    // (exact identity), else the only case of a one-child concern, else the recorded name.
    std::vector<storage::CaseSummary> cases;
    for (const auto& concern_id : c.concern_ids) {
      std::vector<storage::CaseSummary> of_concern;
      for (const auto& case_id : SG_TRY(tx.cases_of_concern(concern_id))) {
        if (auto s = tx.case_summary(case_id); s.ok()) of_concern.push_back(*s);
      }
      const storage::CaseSummary* match = nullptr;
      for (const auto& s : of_concern) {
        if (s.subject_key == c.key) match = &s;
      }
      if (!match && of_concern.size() == 1) match = &of_concern.front();
      if (!match) {
        for (const auto& s : of_concern) {
          if (s.label == c.label) match = &s;
        }
      }
      if (match) cases.push_back(*match);
    }
    if (cases.empty()) continue;
    // The open case first, then the most recently updated.
    std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) {
      if ((a.status == "open") != (b.status == "open")) return a.status == "open";
      return a.updated_at > b.updated_at;
    });
    const auto& best = cases.front();
    if (!need.may_see_case(best)) {
      ++draft.hidden_children;
      continue;
    }
    if (!chosen.insert(best.case_id).second) continue;
    draft.children.push_back({best.case_id, best.label, c.entity_id});
  }
  if (concern_ids) *concern_ids = std::move(found.concern_ids);
  return draft;
}

}  // namespace sg::workflow
