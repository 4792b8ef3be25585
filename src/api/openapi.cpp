// The OpenAPI 3.1 document, generated from the route table so every route is described.
#include "api/app.h"

namespace sg::api {
namespace {

using nlohmann::json;

json schema_ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

json components() {
  json agency = {
      {"type", "object"},
      {"required", {"id", "code", "name", "kind"}},
      {"properties",
       {{"id", {{"type", "string"}, {"format", "uuid"}}},
        {"code", {{"type", "string"}, {"pattern", "^[A-Z0-9-]{2,16}$"}}},
        {"name", {{"type", "string"}}},
        {"kind",
         {{"type", "string"},
          {"enum",
           {"police", "childrens_services", "health", "education", "youth_service", "other"}}}}}}};
  json user = {{"type", "object"},
               {"required", {"id", "username", "display_name", "role", "agency"}},
               {"properties",
                {{"id", {{"type", "string"}, {"format", "uuid"}}},
                 {"username", {{"type", "string"}}},
                 {"display_name", {{"type", "string"}}},
                 {"role",
                  {{"type", "string"},
                   {"enum",
                    {"practitioner", "manager", "mash_coordinator", "analyst", "reviewer",
                     "auditor", "admin"}}}},
                 {"agency", schema_ref("Agency")}}}};
  auto object = [](json properties, json required = json::array()) {
    return json{{"type", "object"}, {"required", required}, {"properties", properties}};
  };
  json str = {{"type", "string"}};
  json date = {{"type", "string"}, {"format", "date"}};
  json strings = {{"type", "array"}, {"items", str}};
  json casework = {
      {"Concern",
       {{"type", "object"},
        {"description", "A concern with POLE capture; the full contract is docs/import-formats.md"},
        {"required", {"channel", "received_at", "narrative", "children"}},
        {"properties",
         {{"id", str},
          {"source_agency", str},
          {"channel",
           {{"type", "string"},
            {"enum", {"phone", "email", "in_person", "online_form", "anonymous", "letter"}}}},
          {"received_at", {{"type", "string"}, {"format", "date-time"}}},
          {"category", str},
          {"narrative", {{"type", "string"}, {"maxLength", 20000}}},
          {"children", {{"type", "array"}, {"minItems", 1}, {"items", {{"type", "object"}}}}},
          {"persons", {{"type", "array"}, {"items", {{"type", "object"}}}}},
          {"vehicles", {{"type", "array"}, {"items", {{"type", "object"}}}}},
          {"phones", {{"type", "array"}, {"items", {{"type", "object"}}}}},
          {"online_accounts", {{"type", "array"}, {"items", {{"type", "object"}}}}},
          {"locations", {{"type", "array"}, {"items", {{"type", "object"}}}}},
          {"events", {{"type", "array"}, {"items", {{"type", "object"}}}}},
          {"links", {{"type", "array"}, {"items", {{"type", "object"}}}}},
          {"indicators", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}}},
      {"IntakeResult",
       object({{"concern_id", str},
               {"case_ids", strings},
               {"new_case_ids", strings},
               {"alert_ids", strings},
               {"people",
                {{"type", "array"},
                 {"description",
                  "Per child and person: ref, record_id, entity_id, known_to (how many other "
                  "agencies' records are the same person), agencies, matches and possible "
                  "matches with their waterfalls"},
                 {"items", {{"type", "object"}}}}}})},
      {"WorkItem", object({{"id", str},
                           {"label", str},
                           {"working_days_left",
                            {{"type", {"integer", "null"}},
                             {"description", "Working days until due; negative when overdue"}}},
                           {"kind", str},
                           {"subkind", str},
                           {"case_id", str},
                           {"owner_id", str},
                           {"inbox", str},
                           {"due", {{"type", {"string", "null"}}, {"format", "date"}}},
                           {"status", str},
                           {"updated_at", {{"type", "string"}, {"format", "date-time"}}}})},
      {"CaseSummary", object({{"case_id", str},
                              {"label", str},
                              {"stage", str},
                              {"status", str},
                              {"opened_at", {{"type", "string"}, {"format", "date-time"}}},
                              {"updated_at", {{"type", "string"}, {"format", "date-time"}}}})},
      {"CaseList", object({{"items", {{"type", "array"}, {"items", schema_ref("CaseSummary")}}}})},
      {"UserSummary",
       object(
           {{"id", str}, {"display_name", str}, {"role", str}, {"agency", schema_ref("Agency")}})},
      {"UserList", object({{"items", {{"type", "array"}, {"items", schema_ref("UserSummary")}}}})},
      {"WorkItemList", object({{"items", {{"type", "array"}, {"items", schema_ref("WorkItem")}}}})},
      {"RecordVersion", object({{"id", str},
                                {"kind", str},
                                {"version", {{"type", "integer"}}},
                                {"recorded_at", {{"type", "string"}, {"format", "date-time"}}},
                                {"recorded_by", str},
                                {"marking", str},
                                {"body", {{"type", "object"}}}})},
      {"DecisionRequest",
       object({{"kind", {{"type", "string"}, {"enum", {"accept", "nfa", "step_down", "close"}}}},
               {"rationale", str},
               {"decided_on", date},
               {"late_reason", str},
               {"assignee_id", str}},
              {"kind", "rationale", "decided_on"})},
      {"Created", object({{"id", str}})},
      {"LedgerEvent", object({{"seq", {{"type", "integer"}}},
                              {"at", {{"type", "string"}, {"format", "date-time"}}},
                              {"actor", str},
                              {"operation",
                               {{"type", "string"},
                                {"enum",
                                 {"collection", "alteration", "consultation", "disclosure",
                                  "combination", "erasure"}}}},
                              {"reason", str},
                              {"recipient", str},
                              {"actor_name", str},
                              {"actor_role", str}})},
      {"ConcernSearch",
       object(
           {{"items",
             {{"type", "array"},
              {"items", object({{"concern_id", str},
                                {"agency_id", str},
                                {"received_at", str},
                                {"channel", str},
                                {"category", str},
                                {"case_ids", strings},
                                {"snippet",
                                 {{"type", "array"},
                                  {"items", object({{"text", str},
                                                    {"match", {{"type", "boolean"}}}})}}}})}}}})},
      {"LedgerEventList",
       object({{"items", {{"type", "array"}, {"items", schema_ref("LedgerEvent")}}}})},
      {"SignOffRequest",
       object({{"verdict", {{"type", "string"}, {"enum", {"approve", "refuse"}}}}, {"note", str}},
              {"verdict"})},
      {"MeetingRequest",
       object({{"kind",
                {{"type", "string"},
                 {"enum", {"strategy_discussion", "initial_conference", "review_conference"}}}},
               {"held_on", date},
               {"note", str},
               {"late_reason", str}},
              {"kind", "held_on"})},
      {"CompleteTaskRequest", object({{"done_on", date}, {"late_reason", str}}, {"done_on"})},
      {"ScreeningRequest",
       object({{"override", object({{"level", str}, {"reason", str}}, {"level", "reason"})}})},
      {"Screening", object({{"tool", str},
                            {"tool_version", {{"type", "integer"}}},
                            {"score", {{"type", "integer"}}},
                            {"scored_level", str},
                            {"level", str},
                            {"forced", strings},
                            {"final_level", str},
                            {"contributions", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                            {"reassess_by", date}})},
      {"AcknowledgeRequest", object({{"note", str}}, {"note"})},
      {"Count", object({{"escalated", {{"type", "integer"}}}})},
      {"PublicReport",
       {{"type", "object"},
        {"description",
         "What a member of the public may tell: a concern without source, channel, time or "
         "indicators (docs/import-formats.md for the item shapes)"},
        {"required", {"narrative", "children"}},
        {"properties",
         {{"narrative", {{"type", "string"}, {"maxLength", 20000}}},
          {"children", {{"type", "array"}, {"minItems", 1}, {"items", {{"type", "object"}}}}},
          {"persons", {{"type", "array"}, {"items", {{"type", "object"}}}}},
          {"vehicles", {{"type", "array"}, {"items", {{"type", "object"}}}}},
          {"phones", {{"type", "array"}, {"items", {{"type", "object"}}}}},
          {"online_accounts", {{"type", "array"}, {"items", {{"type", "object"}}}}},
          {"locations", {{"type", "array"}, {"items", {{"type", "object"}}}}},
          {"events", {{"type", "array"}, {"items", {{"type", "object"}}}}},
          {"links", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}}},
      {"Receipt", object({{"reference", str},
                          {"receipt_code",
                           {{"type", "string"},
                            {"description",
                             "Eight words (80 bits); shown once, stored only as "
                             "an argon2id hash"}}}})},
      {"ReceiptCode", object({{"receipt_code", str}}, {"receipt_code"})},
      {"ReportStatus",
       object({{"reference", str},
               {"received_on", date},
               {"status", {{"type", "string"}, {"enum", {"received", "being_acted_on", "closed"}}}},
               {"messages", {{"type", "array"}, {"items", {{"type", "object"}}}}}})},
      {"ReportMessage", object({{"receipt_code", str}, {"text", str}}, {"receipt_code", "text"})},
      {"ReplyRequest", object({{"text", str}}, {"text"})},
      {"Explanation",
       {{"type", "object"},
        {"description",
         "A match waterfall: prior, each field's level and weight, total weight and probability "
         "(docs/entity-resolution.md); ids, levels and numbers only"}}},
      {"PersonMatch", object({{"record_id", str},
                              {"entity_id", str},
                              {"agency_id", str},
                              {"match_probability", {{"type", "number"}}},
                              {"explanation", schema_ref("Explanation")}})},
      {"PersonMatches",
       object({{"matches", {{"type", "array"}, {"items", schema_ref("PersonMatch")}}}})},
      {"PersonEntity", object({{"entity_id", str},
                               {"records", {{"type", "array"}, {"items", {{"type", "object"}}}}}})},
      {"ReviewPair",
       object({{"pair_id", str},
               {"record_l", str},
               {"record_r", str},
               {"match_probability", {{"type", "number"}}},
               {"status", {{"type", "string"}, {"enum", {"open", "same", "different", "unsure"}}}},
               {"queued_at", {{"type", "string"}, {"format", "date-time"}}},
               {"updated_at", {{"type", "string"}, {"format", "date-time"}}}})},
      {"ReviewPairList",
       object({{"items", {{"type", "array"}, {"items", schema_ref("ReviewPair")}}}})},
      {"ReviewPairDetail", object({{"pair_id", str},
                                   {"record_l", str},
                                   {"record_r", str},
                                   {"match_probability", {{"type", "number"}}},
                                   {"status", str},
                                   {"explanation", schema_ref("Explanation")},
                                   {"decision", {{"type", {"object", "null"}}}},
                                   {"version", {{"type", "integer"}}}})},
      {"ReviewDecision",
       object({{"verdict", {{"type", "string"}, {"enum", {"same", "different", "unsure"}}}},
               {"note", str}},
              {"verdict"})},
      {"Version", object({{"version", {{"type", "integer"}}}})},
      {"NetworkReport",
       {{"type", "object"},
        {"description",
         "A link-analysis report: entities are {id, kind, label, detail, roles}; every link "
         "carries its evidence [{concern_id, type, date, confidence}] (docs/network.md)"}}},
      {"OversightReport",
       {{"type", "object"},
        {"description",
         "An oversight report: {report, from, to, agency_id, team, tables: {name: {columns, "
         "rows: [{column: value}]}}}; a suppressed count is the string \"<5\" or \"[c]\" "
         "(docs/oversight.md)"}}},
      {"RiskTool", object({{"id", str},
                           {"version", {{"type", "integer"}}},
                           {"levels", strings},
                           {"indicators", {{"type", "array"}, {"items", {{"type", "object"}}}}}})}};
  json result = {
      {"schemas",
       {{"Problem",
         {{"type", "object"},
          {"description", "RFC 9457 problem details"},
          {"required", {"type", "title", "status"}},
          {"properties",
           {{"type", {{"type", "string"}}},
            {"title", {{"type", "string"}}},
            {"status", {{"type", "integer"}}},
            {"detail", {{"type", "string"}}},
            {"field", {{"type", "string"}, {"description", "The offending input field"}}}}}}},
        {"Health",
         {{"type", "object"}, {"properties", {{"status", {{"type", "string"}, {"const", "ok"}}}}}}},
        {"LoginRequest",
         {{"type", "object"},
          {"required", {"username", "password"}},
          {"properties",
           {{"username", {{"type", "string"}, {"maxLength", 64}}},
            {"password", {{"type", "string"}, {"maxLength", 1024}}}}}}},
        {"Agency", agency},
        {"AgencyList",
         {{"type", "object"},
          {"properties", {{"items", {{"type", "array"}, {"items", schema_ref("Agency")}}}}}}},
        {"User", user},
        {"Me",
         {{"type", "object"},
          {"required", {"user", "csrf_token"}},
          {"properties",
           {{"user", schema_ref("User")},
            {"csrf_token",
             {{"type", "string"},
              {"description", "Send as X-CSRF-Token on every state-changing request"}}}}}}}}},
      {"securitySchemes",
       {{"session",
         {{"type", "apiKey"},
          {"in", "cookie"},
          {"name", std::string(kSessionCookie)},
          {"description", "Set by POST /api/v1/session"}}}}}};
  for (auto& [name, schema] : casework.items()) result["schemas"][name] = schema;
  return result;
}

}  // namespace

json build_openapi(const Router& router, std::string_view version) {
  json paths = json::object();
  for (const auto& route : router.routes()) {
    json op = {
        {"operationId", route.operation_id}, {"summary", route.summary}, {"tags", {route.tag}}};
    if (route.auth == Auth::kSession) {
      op["security"] = json::array({{{"session", json::array()}}});
    } else {
      op["security"] = json::array();
    }
    if (route.request_schema) {
      op["requestBody"] = {
          {"required", true},
          {"content", {{"application/json", {{"schema", schema_ref(*route.request_schema)}}}}}};
    }
    json responses = json::object();
    for (const auto& [status, spec] : route.responses) {
      json r = {{"description", spec.first}};
      if (spec.second) {
        auto type = *spec.second == "Problem" ? "application/problem+json" : "application/json";
        r["content"] = {{type, {{"schema", schema_ref(*spec.second)}}}};
      }
      responses[std::to_string(status)] = r;
    }
    op["responses"] = responses;
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    paths[route.path][method] = op;
  }
  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "Safeguard API"},
            {"version", version},
            {"description",
             "Multi-agency child-exploitation safeguarding. Errors are RFC 9457 "
             "application/problem+json. State-changing requests need the X-CSRF-Token header. "
             "Case commands (decisions, meetings, screenings) honour If-Match with the ETag of "
             "GET /api/v1/records/{id}: acting on a stale read gets 412, not an overwrite."}}},
          {"paths", paths},
          {"components", components()}};
}

}  // namespace sg::api
