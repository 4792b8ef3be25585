// The casework API: concerns, inboxes, records as known at a date, decisions and sign-off,
// meetings, tasks, risk screening, alerts and escalation (workflow/casework.h).
#include <map>

#include "api/app.h"
#include "api/errors.h"
#include "api/json_io.h"
#include "core/calendar.h"
#include "workflow/need_to_know.h"

namespace sg::api {
namespace {

using nlohmann::json;

// `today` is the UK civil date: deadlines are working days in England and Wales.
json work_item_json(const storage::WorkItem& w, core::Date today) {
  json left = nullptr;
  if (w.due) {
    // Positive: working days left until the due date; negative: working days overdue.
    auto n = core::WorkingDayCalendar::england_and_wales().working_days_between(today, *w.due);
    if (n.ok()) left = *n;
  }
  return {{"id", w.id},
          {"label", w.label},
          {"working_days_left", left},
          {"kind", w.kind},
          {"subkind", w.subkind},
          {"case_id", w.case_id},
          {"owner_id", w.owner_id},
          {"inbox", w.inbox},
          {"due", w.due ? json(w.due->iso()) : json()},
          {"status", w.status},
          {"updated_at", core::format_rfc3339(w.updated_at)}};
}

// Runs `body` with the parsed JSON body, turning any error into problem+json.
template <typename F>
Response with_body(const Context& ctx, F body) {
  auto parsed = parse_json_body(ctx.request, 256 * 1024);
  if (!parsed.ok()) return error_response(parsed.error());
  return body(*parsed);
}

Response status_response(const core::Status& st, int ok_status = 204) {
  if (!st.ok()) return error_response(st.error());
  Response r;
  r.status = ok_status;
  return r;
}

}  // namespace

void App::add_casework_routes() {
  auto& casework = services_.casework;
  auto problem_responses = [](std::map<int, std::pair<std::string, std::optional<std::string>>> r) {
    r[400] = {"Invalid input; `field` names it", "Problem"};
    r[401] = {"Not signed in", "Problem"};
    r[403] = {"This role may not do this", "Problem"};
    return r;
  };

  router_.add({.method = "POST",
               .path = "/api/v1/concerns",
               .operation_id = "raiseConcern",
               .summary = "Record a concern; opens or joins each child's case, starts the "
                          "referral-decision clock and raises repeat-concern alerts",
               .tag = "concerns",
               .request_schema = "Concern",
               .responses = problem_responses({{201, {"Recorded", "IntakeResult"}}}),
               .handler = [this, &casework](Context& ctx) {
                 return with_body(ctx, [&](const json& body) {
                   auto actor = actor_of(*ctx.principal);
                   auto r = casework.record_concern(actor, body);
                   if (!r.ok()) return error_response(r.error());
                   json out = {{"concern_id", r->concern_id},
                               {"case_ids", r->case_ids},
                               {"new_case_ids", r->new_case_ids},
                               {"alert_ids", r->alert_ids}};
                   // "Known to N other agency records": each child's and person's matches.
                   if (services_.people) {
                     auto known =
                         services_.people->known_to(actor, r->concern, r->concern_id, r->agency_id);
                     if (known.ok()) out["people"] = workflow::known_to_json(*known);
                   }
                   return json_response(201, out);
                 });
               }});

  router_.add(
      {.method = "GET",
       .path = "/api/v1/inbox",
       .operation_id = "inbox",
       .summary =
           "Work by due date: ?inbox=mine|mash|managers|analysts|auditors|all, &kind=task|alert|"
           "escalation|sign_off, &case_id=, &status=open|all (default open)",
       .tag = "casework",
       .responses = problem_responses({{200, {"Work items", "WorkItemList"}}}),
       .handler = [this, &casework](Context& ctx) {
         const auto& p = *ctx.principal;
         storage::WorkQuery q;
         auto inbox = query_param(ctx.request, "inbox").value_or("mine");
         if (inbox == "mine") {
           q.inbox = "user:" + p.user.id;
         } else if (inbox == "mash" || inbox == "managers" || inbox == "analysts" ||
                    inbox == "auditors") {
           q.inbox = inbox;
         } else if (inbox != "all") {
           return error_response(core::invalid_argument(
               "must be mine, mash, managers, analysts, auditors or all", "inbox"));
         }
         if (auto kind = query_param(ctx.request, "kind")) q.kind = *kind;
         if (auto case_id = query_param(ctx.request, "case_id")) q.case_id = *case_id;
         if (auto status = query_param(ctx.request, "status")) {
           if (*status != "open" && *status != "all") {
             return error_response(core::invalid_argument("must be open or all", "status"));
           }
           q.open_only = *status == "open";
         }
         auto items = casework.inbox(actor_of(p), q);
         if (!items.ok()) return error_response(items.error());
         json out = json::array();
         auto today = core::london_date(services_.clock.now());
         for (const auto& w : *items) out.push_back(work_item_json(w, today));
         return json_response(200, {{"items", out}});
       }});

  router_.add({.method = "GET",
               .path = "/api/v1/cases",
               .operation_id = "listCases",
               .summary = "Cases, most recently updated first: ?status=open|closed|all, &limit=",
               .tag = "casework",
               .responses = problem_responses({{200, {"Cases", "CaseList"}}}),
               .handler = [&casework](Context& ctx) {
                 storage::CaseQuery q;
                 auto status = query_param(ctx.request, "status").value_or("open");
                 if (status == "open" || status == "closed") {
                   q.status = status;
                 } else if (status != "all") {
                   return error_response(
                       core::invalid_argument("must be open, closed or all", "status"));
                 }
                 auto limit = int_param(ctx.request, "limit", 500, 1, 5000);
                 if (!limit.ok()) return error_response(limit.error());
                 q.limit = static_cast<std::size_t>(*limit);
                 auto list = casework.cases(actor_of(*ctx.principal), q);
                 if (!list.ok()) return error_response(list.error());
                 json items = json::array();
                 for (const auto& c : *list) {
                   items.push_back({{"case_id", c.case_id},
                                    {"label", c.label},
                                    {"stage", c.stage},
                                    {"status", c.status},
                                    {"opened_at", core::format_rfc3339(c.opened_at)},
                                    {"updated_at", core::format_rfc3339(c.updated_at)}});
                 }
                 return json_response(200, {{"items", items}});
               }});

  router_.add({.method = "GET",
               .path = "/api/v1/records/{id}",
               .operation_id = "getRecord",
               .summary = "A case, concern, task, decision, alert or escalation; ?as_of=RFC3339 "
                          "shows it as it stood then. Logged as a consultation.",
               .tag = "casework",
               .responses = problem_responses(
                   {{200, {"The record", "RecordVersion"}}, {404, {"No such record", "Problem"}}}),
               .handler = [&casework](Context& ctx) {
                 auto as_of = time_param(ctx.request, "as_of");
                 if (!as_of.ok()) return error_response(as_of.error());
                 auto doc = casework.document(actor_of(*ctx.principal), ctx.params.at("id"), *as_of,
                                              reason_param(ctx.request));
                 if (!doc.ok()) return error_response(doc.error());
                 return with_etag(json_response(200, *doc), (*doc)["version"].get<int>());
               }});

  router_.add({.method = "GET",
               .path = "/api/v1/records/{id}/ledger",
               .operation_id = "recordLedger",
               .summary = "Who saw and did what to a record: every ledger event that names it, "
                          "oldest first (reviewers, auditors, managers). Logged as a "
                          "consultation itself.",
               .tag = "audit",
               .responses = problem_responses({{200, {"Ledger events", "LedgerEventList"}}}),
               .handler = [this](Context& ctx) { return record_ledger(ctx); }});

  router_.add({.method = "POST",
               .path = "/api/v1/cases/{id}/decisions",
               .operation_id = "decide",
               .summary = "Decide with reasons: accept, nfa, step_down or close. NFA and "
                          "closure wait for a different manager's sign-off.",
               .tag = "casework",
               .request_schema = "DecisionRequest",
               .responses = problem_responses({{201, {"Recorded", "Created"}},
                                               {409, {"Not possible at this stage", "Problem"}}}),
               .handler = [&casework](Context& ctx) {
                 return with_body(ctx, [&](const json& body) -> Response {
                   auto kind = string_field(body, "kind", 16);
                   if (!kind.ok()) return error_response(kind.error());
                   auto parsed_kind = workflow::parse_decision(*kind, "kind");
                   if (!parsed_kind.ok()) return error_response(parsed_kind.error());
                   workflow::DecisionInput input;
                   input.kind = *parsed_kind;
                   auto rationale = string_field(body, "rationale", 4000);
                   if (!rationale.ok()) return error_response(rationale.error());
                   input.rationale = *rationale;
                   auto decided_on = date_field(body, "decided_on");
                   if (!decided_on.ok()) return error_response(decided_on.error());
                   input.decided_on = *decided_on;
                   auto late = optional_string(body, "late_reason", 4000);
                   if (!late.ok()) return error_response(late.error());
                   input.late_reason = *late;
                   auto assignee = optional_string(body, "assignee_id", 64);
                   if (!assignee.ok()) return error_response(assignee.error());
                   input.assignee_id = *assignee;
                   auto precondition = if_match_version(ctx.request);
                   if (!precondition.ok()) return error_response(precondition.error());
                   input.if_match = *precondition;
                   auto id = casework.decide(actor_of(*ctx.principal), ctx.params.at("id"), input);
                   if (!id.ok()) return error_response(id.error());
                   return json_response(201, {{"id", *id}});
                 });
               }});

  router_.add(
      {.method = "POST",
       .path = "/api/v1/decisions/{id}/sign-off",
       .operation_id = "signOff",
       .summary = "A manager other than the proposer approves or refuses (with a note)",
       .tag = "casework",
       .request_schema = "SignOffRequest",
       .responses = problem_responses(
           {{204, {"Signed off", std::nullopt}}, {409, {"Not waiting for sign-off", "Problem"}}}),
       .handler = [&casework](Context& ctx) {
         return with_body(ctx, [&](const json& body) -> Response {
           auto verdict = string_field(body, "verdict", 16);
           if (!verdict.ok()) return error_response(verdict.error());
           if (*verdict != "approve" && *verdict != "refuse") {
             return error_response(core::invalid_argument("must be approve or refuse", "verdict"));
           }
           auto note = optional_string(body, "note", 4000);
           if (!note.ok()) return error_response(note.error());
           return status_response(casework.sign_off(
               actor_of(*ctx.principal), ctx.params.at("id"),
               *verdict == "approve" ? workflow::SignOff::kApprove : workflow::SignOff::kRefuse,
               *note));
         });
       }});

  router_.add({.method = "POST",
               .path = "/api/v1/cases/{id}/meetings",
               .operation_id = "recordMeeting",
               .summary = "Record a strategy discussion, initial or review conference",
               .tag = "casework",
               .request_schema = "MeetingRequest",
               .responses = problem_responses({{204, {"Recorded", std::nullopt}},
                                               {409, {"Not possible at this stage", "Problem"}}}),
               .handler = [&casework](Context& ctx) {
                 return with_body(ctx, [&](const json& body) -> Response {
                   auto kind = string_field(body, "kind", 32);
                   if (!kind.ok()) return error_response(kind.error());
                   auto meeting = workflow::parse_meeting(*kind, "kind");
                   if (!meeting.ok()) return error_response(meeting.error());
                   auto held_on = date_field(body, "held_on");
                   if (!held_on.ok()) return error_response(held_on.error());
                   auto note = optional_string(body, "note", 4000);
                   if (!note.ok()) return error_response(note.error());
                   auto late = optional_string(body, "late_reason", 4000);
                   if (!late.ok()) return error_response(late.error());
                   auto precondition = if_match_version(ctx.request);
                   if (!precondition.ok()) return error_response(precondition.error());
                   return status_response(
                       casework.record_meeting(actor_of(*ctx.principal), ctx.params.at("id"),
                                               *meeting, *held_on, *note, *late, *precondition));
                 });
               }});

  router_.add({.method = "POST",
               .path = "/api/v1/tasks/{id}/complete",
               .operation_id = "completeTask",
               .summary = "Mark a task done; after its due date a late_reason is required",
               .tag = "casework",
               .request_schema = "CompleteTaskRequest",
               .responses = problem_responses({{204, {"Done", std::nullopt}}}),
               .handler = [&casework](Context& ctx) {
                 return with_body(ctx, [&](const json& body) -> Response {
                   auto done_on = date_field(body, "done_on");
                   if (!done_on.ok()) return error_response(done_on.error());
                   auto late = optional_string(body, "late_reason", 4000);
                   if (!late.ok()) return error_response(late.error());
                   return status_response(casework.complete_task(
                       actor_of(*ctx.principal), ctx.params.at("id"), *done_on, *late));
                 });
               }});

  router_.add(
      {.method = "POST",
       .path = "/api/v1/cases/{id}/screenings",
       .operation_id = "screenRisk",
       .summary = "Screen the child with the CSE tool over every concern's indicators; "
                  "an override needs a reason",
       .tag = "casework",
       .request_schema = "ScreeningRequest",
       .responses = problem_responses({{201, {"Screened", "Screening"}}}),
       .handler = [&casework](Context& ctx) {
         return with_body(ctx, [&](const json& body) -> Response {
           std::optional<workflow::Override> override_level;
           if (auto it = body.find("override"); it != body.end() && !it->is_null()) {
             if (!it->is_object()) {
               return error_response(core::invalid_argument("must be an object", "override"));
             }
             auto level = optional_string(*it, "level", 32);
             auto reason = optional_string(*it, "reason", 4000);
             if (!level.ok())
               return error_response(core::invalid_argument("must be a string", "override/level"));
             if (!reason.ok())
               return error_response(core::invalid_argument(
                   "must be a string of at most 4000 bytes", "override/reason"));
             override_level = workflow::Override{*level, *reason};
           }
           auto precondition = if_match_version(ctx.request);
           if (!precondition.ok()) return error_response(precondition.error());
           auto s = casework.screen(actor_of(*ctx.principal), ctx.params.at("id"), override_level,
                                    *precondition);
           if (!s.ok()) return error_response(s.error());
           json contributions = json::array();
           for (const auto& c : s->contributions) {
             contributions.push_back({{"code", c.code},
                                      {"label", c.label},
                                      {"category", workflow::category_name(c.category)},
                                      {"seen_on", c.seen_on.iso()},
                                      {"points", c.points}});
           }
           return json_response(201, {{"tool", s->tool_id},
                                      {"tool_version", s->tool_version},
                                      {"score", s->score},
                                      {"scored_level", s->scored_level},
                                      {"level", s->level},
                                      {"forced", s->forced},
                                      {"final_level", s->final_level},
                                      {"contributions", contributions},
                                      {"reassess_by", s->reassess_by.iso()}});
         });
       }});

  router_.add({.method = "POST",
               .path = "/api/v1/work-items/{id}/acknowledge",
               .operation_id = "acknowledge",
               .summary = "Acknowledge an alert or escalation with a note",
               .tag = "casework",
               .request_schema = "AcknowledgeRequest",
               .responses = problem_responses({{204, {"Acknowledged", std::nullopt}}}),
               .handler = [&casework](Context& ctx) {
                 return with_body(ctx, [&](const json& body) -> Response {
                   auto note = optional_string(body, "note", 4000);
                   if (!note.ok()) return error_response(note.error());
                   return status_response(
                       casework.acknowledge(actor_of(*ctx.principal), ctx.params.at("id"), *note));
                 });
               }});

  router_.add({.method = "POST",
               .path = "/api/v1/escalations/run",
               .operation_id = "runEscalation",
               .summary = "Escalate every overdue task to its owner's manager (managers, admin)",
               .tag = "casework",
               .responses = problem_responses({{200, {"How many were escalated", "Count"}}}),
               .handler = [&casework](Context& ctx) {
                 auto n = casework.escalate_overdue(actor_of(*ctx.principal));
                 if (!n.ok()) return error_response(n.error());
                 return json_response(200, {{"escalated", *n}});
               }});

  router_.add({.method = "GET",
               .path = "/api/v1/risk-tools/current",
               .operation_id = "riskTool",
               .summary = "The CSE screening tool in use: its indicators and levels",
               .tag = "casework",
               .responses = problem_responses({{200, {"The tool", "RiskTool"}}}),
               .handler = [&casework](Context&) {
                 const auto& tool = casework.tool();
                 json indicators = json::array();
                 for (const auto& i : tool.indicators()) {
                   indicators.push_back({{"code", i.code},
                                         {"category", workflow::category_name(i.category)},
                                         {"label", i.label}});
                 }
                 return json_response(200, {{"id", tool.id()},
                                            {"version", tool.version()},
                                            {"levels", tool.levels()},
                                            {"indicators", indicators}});
               }});
}

Response App::record_ledger(Context& ctx) {
  auto actor = actor_of(*ctx.principal);
  if (auto st = workflow::require(actor, workflow::Action::kReadLedger); !st.ok()) {
    return error_response(st.error());
  }
  const auto& id = ctx.params.at("id");
  auto tx = services_.store.begin(storage::TxMode::kWrite);
  if (!tx.ok()) return error_response(tx.error());
  // Managers and reviewers read the trail of records they may see; auditors read any
  // record's trail (ledger events name ids, never content).
  if (!workflow::allowed(actor.role, workflow::Action::kAuditLedger)) {
    auto visible = [&]() -> core::Status {
      auto version = SG_TRY((*tx)->record(id));
      auto body = json::parse(version.body, nullptr, false);
      return workflow::require_need_to_know(**tx, actor, version, body, services_.clock.now());
    }();
    if (!visible.ok()) return error_response(visible.error());
  }
  auto rows = (*tx)->ledger_for_record(id, 5000);
  if (!rows.ok()) return error_response(rows.error());
  // Reviewers read the trail as people and roles, not ids. System actors ("system:cli")
  // and accounts since removed keep their id only.
  std::map<std::string, std::pair<std::string, std::string>> people;
  json items = json::array();
  for (const auto& r : *rows) {
    json item = {{"seq", r.seq},       {"at", core::format_rfc3339(r.at)},
                 {"actor", r.actor},   {"operation", domain::operation_name(r.operation)},
                 {"reason", r.reason}, {"recipient", r.recipient}};
    auto known = people.find(r.actor);
    if (known == people.end()) {
      std::pair<std::string, std::string> who;
      if (auto user = (*tx)->user(r.actor); user.ok()) {
        who = {user->display_name, std::string(domain::role_name(user->role))};
      }
      known = people.emplace(r.actor, std::move(who)).first;
    }
    if (!known->second.first.empty()) {
      item["actor_name"] = known->second.first;
      item["actor_role"] = known->second.second;
    }
    items.push_back(std::move(item));
  }
  // Reading the trail is itself a consultation (DPA 2018 s.62).
  auto payload = json{{"ledger_of", id}}.dump();
  auto event = services_.ledger.append(**tx, {.actor = actor.user_id,
                                              .operation = domain::Operation::kConsultation,
                                              .reason = "audit_review",
                                              .record_ids = {id},
                                              .payload = payload});
  if (!event.ok()) return error_response(event.error());
  if (auto st = (*tx)->commit(); !st.ok()) return error_response(st.error());
  return json_response(200, {{"items", items}});
}

}  // namespace sg::api
