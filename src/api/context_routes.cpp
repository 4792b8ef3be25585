// The contextual safeguarding API (issue 7 item 3): place and peer-group cases under
// /api/v1/contexts — list, read (as known at a date), open (from a place in the link graph),
// link and unlink children, assess, add interventions, propose and sign off closure
// (workflow/context_cases.h).
#include "api/app.h"
#include "api/errors.h"
#include "api/json_io.h"
#include "workflow/context_cases.h"

namespace sg::api {
namespace {

using nlohmann::json;

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

json summary_json(const workflow::ContextSummary& s) {
  return {{"id", s.id},
          {"kind", s.kind},
          {"title", s.title},
          {"status", s.status},
          {"agency_id", s.agency_id},
          {"risk_level", s.risk_level},
          {"children", s.children},
          {"opened_at", s.opened_at},
          {"updated_at", core::format_rfc3339(s.updated_at)}};
}

json draft_json(const workflow::PlaceDraft& d) {
  json children = json::array();
  for (const auto& c : d.children) {
    children.push_back({{"case_id", c.case_id}, {"label", c.label}, {"entity_id", c.entity_id}});
  }
  return {{"place", {{"entity_id", d.entity_id}, {"label", d.label}, {"detail", d.detail}}},
          {"children", children},
          {"hidden_children", d.hidden_children}};
}

// {"children": [{"case_id", "reason"}]}: errors name "children/N/<field>".
core::Result<std::vector<workflow::ContextChild>> children_field(const json& body) {
  std::vector<workflow::ContextChild> out;
  auto it = body.find("children");
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) return core::invalid_argument("must be an array", "children");
  if (it->size() > 200) return core::invalid_argument("has more than 200 children", "children");
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& item = (*it)[i];
    std::string prefix = "children/" + std::to_string(i) + "/";
    if (!item.is_object()) return core::invalid_argument("must be an object", prefix);
    auto case_id = string_field(item, "case_id", 64);
    if (!case_id.ok()) {
      auto e = std::move(case_id).error();
      e.field = prefix + e.field;
      return e;
    }
    auto reason = string_field(item, "reason", 4000);
    if (!reason.ok()) {
      auto e = std::move(reason).error();
      e.field = prefix + e.field;
      return e;
    }
    out.push_back({*case_id, *reason});
  }
  return out;
}

}  // namespace

json context_schemas() {
  json str = {{"type", "string"}};
  json date = {{"type", "string"}, {"format", "date"}};
  auto object = [](json properties, json required = json::array()) {
    return json{{"type", "object"}, {"required", required}, {"properties", properties}};
  };
  json kind = {{"type", "string"}, {"enum", {"place", "peer_group", "school", "online_space"}}};
  json child = object({{"case_id", str}, {"reason", str}}, {"case_id", "reason"});
  json summary = object({{"id", str},
                         {"kind", kind},
                         {"title", str},
                         {"status", {{"type", "string"}, {"enum", {"open", "closed"}}}},
                         {"agency_id", str},
                         {"risk_level", str},
                         {"children", {{"type", "integer"}}},
                         {"opened_at", str},
                         {"updated_at", str}});
  return {{"OpenContextRequest",
           object({{"kind", kind},
                   {"title", str},
                   {"place_entity_id", str},
                   {"marking", {{"type", "string"}, {"enum", {"OFFICIAL", "OFFICIAL-SENSITIVE"}}}},
                   {"children", {{"type", "array"}, {"items", child}}}},
                  {"kind", "title"})},
          {"ContextChildRequest", child},
          {"ContextRemovalRequest", object({{"reason", str}}, {"reason"})},
          {"ContextAssessmentRequest",
           object({{"summary", str},
                   {"risk_level", {{"type", "string"}, {"enum", {"low", "medium", "high"}}}},
                   {"risk_reason", str}},
                  {"summary", "risk_level", "risk_reason"})},
          {"InterventionRequest", object({{"description", str}, {"owner_id", str}, {"due", date}},
                                         {"description", "owner_id", "due"})},
          {"ContextClosureRequest",
           object({{"rationale", str}, {"decided_on", date}}, {"rationale", "decided_on"})},
          {"ContextSummary", summary},
          {"ContextList", object({{"items", {{"type", "array"}, {"items", summary}}}})},
          {"ContextCase",
           {{"type", "object"},
            {"description",
             "{id, version, marking, agency_id, recorded_at, recorded_by, body: the stored record "
             "(context_kind, title, place, status, children, assessment, assessments, "
             "interventions, decisions, events), children: [{case_id, reason, status, label, "
             "visible}], interventions: [task], decisions: [decision]} (docs/network.md)"}}},
          {"PlaceContextDraft",
           object({{"place", object({{"entity_id", str}, {"label", str}, {"detail", str}})},
                   {"children",
                    {{"type", "array"},
                     {"items", object({{"case_id", str}, {"label", str}, {"entity_id", str}})}}},
                   {"hidden_children", {{"type", "integer"}}}})}};
}

void App::add_context_routes() {
  contexts_ = std::make_unique<workflow::ContextCases>(
      services_.store, services_.ledger, services_.clock, services_.casework, services_.network);
  auto& contexts = *contexts_;
  auto problem_responses = [](std::map<int, std::pair<std::string, std::optional<std::string>>> r) {
    r[400] = {"Invalid input; `field` names it", "Problem"};
    r[401] = {"Not signed in", "Problem"};
    r[403] = {"This role may not do this, or no need to know", "Problem"};
    r[404] = {"No such context case", "Problem"};
    return r;
  };
  // Writes to one context case: 409 when closed, 412 on a stale If-Match.
  auto write_responses = [&](std::map<int, std::pair<std::string, std::optional<std::string>>> r) {
    r = problem_responses(std::move(r));
    r[409] = {"Closed, or not possible now", "Problem"};
    r[412] = {"Changed since read (If-Match)", "Problem"};
    return r;
  };

  router_.add({.method = "GET",
               .path = "/api/v1/contexts",
               .operation_id = "listContexts",
               .summary = "Place and peer-group cases the caller has a need to know, most "
                          "recently changed first: ?status=open|closed|all (default open)",
               .tag = "contexts",
               .responses = problem_responses({{200, {"Context cases", "ContextList"}}}),
               .handler = [&contexts](Context& ctx) {
                 auto status = query_param(ctx.request, "status").value_or("open");
                 auto list = contexts.list(actor_of(*ctx.principal), status == "all" ? "" : status);
                 if (!list.ok()) return error_response(list.error());
                 json items = json::array();
                 for (const auto& s : *list) items.push_back(summary_json(s));
                 return json_response(200, {{"items", items}});
               }});

  router_.add(
      {.method = "POST",
       .path = "/api/v1/contexts",
       .operation_id = "openContext",
       .summary = "Open a place, peer-group, school or online-space case: a place case names a "
                  "location entity of the link graph; each child is their case id and a reason",
       .tag = "contexts",
       .request_schema = "OpenContextRequest",
       .responses = problem_responses(
           {{201, {"Opened", "Created"}}, {503, {"The link graph is not running", "Problem"}}}),
       .handler = [&contexts](Context& ctx) {
         return with_body(ctx, [&](const json& body) -> Response {
           workflow::OpenContext input;
           auto kind = string_field(body, "kind", 32);
           if (!kind.ok()) return error_response(kind.error());
           auto parsed = workflow::parse_context_kind(*kind, "kind");
           if (!parsed.ok()) return error_response(parsed.error());
           input.kind = *parsed;
           auto title = string_field(body, "title", 200);
           if (!title.ok()) return error_response(title.error());
           input.title = *title;
           auto place = optional_string(body, "place_entity_id", 64);
           if (!place.ok()) return error_response(place.error());
           input.place_entity_id = *place;
           auto marking = optional_string(body, "marking", 32);
           if (!marking.ok()) return error_response(marking.error());
           if (!marking->empty()) {
             auto m = domain::parse_marking(*marking, "marking");
             if (!m.ok()) return error_response(m.error());
             input.marking = *m;
           }
           auto children = children_field(body);
           if (!children.ok()) return error_response(children.error());
           input.children = std::move(children).value();
           auto id = contexts.open(actor_of(*ctx.principal), input);
           if (!id.ok()) return error_response(id.error());
           return json_response(201, {{"id", *id}});
         });
       }});

  router_.add({.method = "GET",
               .path = "/api/v1/contexts/{id}",
               .operation_id = "getContext",
               .summary = "One context case with its children (named where the caller may see "
                          "their cases), assessment, interventions, decisions and timeline; "
                          "?as_of=RFC3339 shows it as it stood then. Logged as a consultation.",
               .tag = "contexts",
               .responses = problem_responses({{200, {"The context case", "ContextCase"}}}),
               .handler = [&contexts](Context& ctx) {
                 auto as_of = time_param(ctx.request, "as_of");
                 if (!as_of.ok()) return error_response(as_of.error());
                 auto doc = contexts.get(actor_of(*ctx.principal), ctx.params.at("id"), *as_of,
                                         reason_param(ctx.request));
                 if (!doc.ok()) return error_response(doc.error());
                 return with_etag(json_response(200, *doc), (*doc)["version"].get<int>());
               }});

  router_.add({.method = "POST",
               .path = "/api/v1/contexts/{id}/children",
               .operation_id = "addContextChild",
               .summary = "Link a child (their case id) with a reason; notes the context on the "
                          "child's open case",
               .tag = "contexts",
               .request_schema = "ContextChildRequest",
               .responses = write_responses({{204, {"Linked", std::nullopt}}}),
               .handler = [&contexts](Context& ctx) {
                 return with_body(ctx, [&](const json& body) -> Response {
                   auto case_id = string_field(body, "case_id", 64);
                   if (!case_id.ok()) return error_response(case_id.error());
                   auto reason = string_field(body, "reason", 4000);
                   if (!reason.ok()) return error_response(reason.error());
                   auto precondition = if_match_version(ctx.request);
                   if (!precondition.ok()) return error_response(precondition.error());
                   return status_response(contexts.add_child(actor_of(*ctx.principal),
                                                             ctx.params.at("id"),
                                                             {*case_id, *reason}, *precondition));
                 });
               }});

  router_.add({.method = "POST",
               .path = "/api/v1/contexts/{id}/children/{case_id}/removal",
               .operation_id = "removeContextChild",
               .summary = "Unlink a child, with a reason (the link stays in the history)",
               .tag = "contexts",
               .request_schema = "ContextRemovalRequest",
               .responses = write_responses({{204, {"Unlinked", std::nullopt}}}),
               .handler = [&contexts](Context& ctx) {
                 return with_body(ctx, [&](const json& body) -> Response {
                   auto reason = string_field(body, "reason", 4000);
                   if (!reason.ok()) return error_response(reason.error());
                   auto precondition = if_match_version(ctx.request);
                   if (!precondition.ok()) return error_response(precondition.error());
                   return status_response(
                       contexts.remove_child(actor_of(*ctx.principal), ctx.params.at("id"),
                                             ctx.params.at("case_id"), *reason, *precondition));
                 });
               }});

  router_.add({.method = "POST",
               .path = "/api/v1/contexts/{id}/assessments",
               .operation_id = "assessContext",
               .summary = "Record what is known about the place or group and its risk level "
                          "(low, medium, high) with the reason",
               .tag = "contexts",
               .request_schema = "ContextAssessmentRequest",
               .responses = write_responses({{204, {"Recorded", std::nullopt}}}),
               .handler = [&contexts](Context& ctx) {
                 return with_body(ctx, [&](const json& body) -> Response {
                   auto summary = string_field(body, "summary", 20000);
                   if (!summary.ok()) return error_response(summary.error());
                   auto level = string_field(body, "risk_level", 16);
                   if (!level.ok()) return error_response(level.error());
                   auto why = string_field(body, "risk_reason", 4000);
                   if (!why.ok()) return error_response(why.error());
                   auto precondition = if_match_version(ctx.request);
                   if (!precondition.ok()) return error_response(precondition.error());
                   return status_response(contexts.assess(actor_of(*ctx.principal),
                                                          ctx.params.at("id"),
                                                          {*summary, *level, *why}, *precondition));
                 });
               }});

  router_.add({.method = "POST",
               .path = "/api/v1/contexts/{id}/interventions",
               .operation_id = "addContextIntervention",
               .summary = "Add an intervention: a task for its owner, due on a date; it sits in "
                          "their work and escalates when overdue",
               .tag = "contexts",
               .request_schema = "InterventionRequest",
               .responses = write_responses({{201, {"Added", "Created"}}}),
               .handler = [&contexts](Context& ctx) {
                 return with_body(ctx, [&](const json& body) -> Response {
                   auto description = string_field(body, "description", 4000);
                   if (!description.ok()) return error_response(description.error());
                   auto owner = string_field(body, "owner_id", 64);
                   if (!owner.ok()) return error_response(owner.error());
                   auto due = date_field(body, "due");
                   if (!due.ok()) return error_response(due.error());
                   auto precondition = if_match_version(ctx.request);
                   if (!precondition.ok()) return error_response(precondition.error());
                   auto id =
                       contexts.add_intervention(actor_of(*ctx.principal), ctx.params.at("id"),
                                                 {*description, *owner, *due}, *precondition);
                   if (!id.ok()) return error_response(id.error());
                   return json_response(201, {{"id", *id}});
                 });
               }});

  router_.add({.method = "POST",
               .path = "/api/v1/contexts/{id}/closure",
               .operation_id = "proposeContextClosure",
               .summary = "Propose closing the context case with a rationale; a manager other "
                          "than the proposer signs it off",
               .tag = "contexts",
               .request_schema = "ContextClosureRequest",
               .responses = write_responses({{201, {"Proposed", "Created"}}}),
               .handler = [&contexts](Context& ctx) {
                 return with_body(ctx, [&](const json& body) -> Response {
                   auto rationale = string_field(body, "rationale", 4000);
                   if (!rationale.ok()) return error_response(rationale.error());
                   auto decided_on = date_field(body, "decided_on");
                   if (!decided_on.ok()) return error_response(decided_on.error());
                   auto precondition = if_match_version(ctx.request);
                   if (!precondition.ok()) return error_response(precondition.error());
                   auto id = contexts.propose_closure(actor_of(*ctx.principal), ctx.params.at("id"),
                                                      *rationale, *decided_on, *precondition);
                   if (!id.ok()) return error_response(id.error());
                   return json_response(201, {{"id", *id}});
                 });
               }});

  router_.add(
      {.method = "POST",
       .path = "/api/v1/context-decisions/{id}/sign-off",
       .operation_id = "signOffContextClosure",
       .summary = "A manager other than the proposer approves (closing the context case and "
                  "cancelling its open interventions) or refuses with a note",
       .tag = "contexts",
       .request_schema = "SignOffRequest",
       .responses = write_responses({{204, {"Signed off", std::nullopt}}}),
       .handler = [&contexts](Context& ctx) {
         return with_body(ctx, [&](const json& body) -> Response {
           auto verdict = string_field(body, "verdict", 16);
           if (!verdict.ok()) return error_response(verdict.error());
           if (*verdict != "approve" && *verdict != "refuse") {
             return error_response(core::invalid_argument("must be approve or refuse", "verdict"));
           }
           auto note = optional_string(body, "note", 4000);
           if (!note.ok()) return error_response(note.error());
           return status_response(contexts.sign_off(
               actor_of(*ctx.principal), ctx.params.at("id"),
               *verdict == "approve" ? workflow::SignOff::kApprove : workflow::SignOff::kRefuse,
               *note));
         });
       }});

  router_.add(
      {.method = "GET",
       .path = "/api/v1/network/places/{id}/context-draft",
       .operation_id = "placeContextDraft",
       .summary = "A place case as the link graph suggests it: the place and the "
                  "children linked to it whose cases the caller may see. Logged as a "
                  "graph consultation.",
       .tag = "contexts",
       .responses = problem_responses({{200, {"The draft", "PlaceContextDraft"}},
                                       {503, {"The link graph is not running", "Problem"}}}),
       .handler = [&contexts](Context& ctx) {
         auto draft = contexts.draft_from_place(actor_of(*ctx.principal), ctx.params.at("id"));
         if (!draft.ok()) return error_response(draft.error());
         return json_response(200, draft_json(*draft));
       }});
}

}  // namespace sg::api
