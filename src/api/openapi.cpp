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
  return {
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
             "application/problem+json. State-changing requests need the X-CSRF-Token header."}}},
          {"paths", paths},
          {"components", components()}};
}

}  // namespace sg::api
