// Access beyond one's own agency (workflow/grants.h): sharing agreements, case teams,
// restrictions, break-glass and reviewers' remits. Every change is ledgered by the service.
#include "api/app.h"
#include "api/errors.h"
#include "api/json_io.h"

namespace sg::api {
namespace {

using nlohmann::json;

// A required array of short strings, at most `max_items`. Errors name "<name>/<index>".
core::Result<std::vector<std::string>> string_list(const json& body, std::string_view name,
                                                   std::size_t max_items) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_array()) {
    return core::invalid_argument("must be an array of strings", std::string(name));
  }
  if (it->size() > max_items) {
    return core::invalid_argument("has too many items (at most " + std::to_string(max_items) + ")",
                                  std::string(name));
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < it->size(); ++i) {
    const auto& item = (*it)[i];
    if (!item.is_string() || item.get_ref<const std::string&>().size() > 200) {
      return core::invalid_argument("must be a string of at most 200 bytes",
                                    std::string(name) + "/" + std::to_string(i));
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

json grant_list(const std::vector<storage::Grant>& grants) {
  json items = json::array();
  for (const auto& g : grants) items.push_back(workflow::grant_json(g));
  return {{"items", items}};
}

template <typename F>
Response with_body(const Context& ctx, F body) {
  auto parsed = parse_json_body(ctx.request, 64 * 1024);
  if (!parsed.ok()) return error_response(parsed.error());
  return body(*parsed);
}

std::map<int, std::pair<std::string, std::optional<std::string>>> with_problems(
    std::map<int, std::pair<std::string, std::optional<std::string>>> r) {
  r[400] = {"Invalid input; `field` names it", "Problem"};
  r[401] = {"Not signed in", "Problem"};
  r[403] = {"This role may not do this, or has no need to know the record", "Problem"};
  r[404] = {"No such record or grant", "Problem"};
  return r;
}

}  // namespace

void App::add_access_routes() {
  if (!services_.grants) return;
  auto& grants = *services_.grants;

  router_.add({.method = "GET",
               .path = "/api/v1/sharing-agreements",
               .operation_id = "listSharingAgreements",
               .summary = "Sharing agreements in force between agencies (?include_revoked=true "
                          "for their history too)",
               .tag = "access",
               .responses = with_problems({{200, {"Agreements", "GrantList"}}}),
               .handler = [&grants](Context& ctx) {
                 bool all = query_param(ctx.request, "include_revoked").value_or("") == "true";
                 auto r = grants.sharing(actor_of(*ctx.principal), all);
                 if (!r.ok()) return error_response(r.error());
                 return json_response(200, grant_list(*r));
               }});
  router_.add({.method = "POST",
               .path = "/api/v1/sharing-agreements",
               .operation_id = "addSharingAgreement",
               .summary = "Record a sharing agreement: {provider, recipient (agency codes), "
                          "categories: [person_index|concerns|casework|risk|alerts], reason}",
               .tag = "access",
               .request_schema = "SharingAgreementRequest",
               .responses = with_problems({{201, {"Recorded", "Grant"}}}),
               .handler = [&grants](Context& ctx) {
                 return with_body(ctx, [&](const json& body) {
                   workflow::NewSharing s;
                   auto provider = string_field(body, "provider", 16);
                   if (!provider.ok()) return error_response(provider.error());
                   auto recipient = string_field(body, "recipient", 16);
                   if (!recipient.ok()) return error_response(recipient.error());
                   auto categories = string_list(body, "categories", 10);
                   if (!categories.ok()) return error_response(categories.error());
                   auto reason = string_field(body, "reason", 1000);
                   if (!reason.ok()) return error_response(reason.error());
                   s = {*provider, *recipient, *categories, *reason};
                   auto g = grants.add_sharing(actor_of(*ctx.principal), s);
                   if (!g.ok()) return error_response(g.error());
                   return json_response(201, workflow::grant_json(*g));
                 });
               }});
  router_.add({.method = "POST",
               .path = "/api/v1/grants/{id}/revoke",
               .operation_id = "revokeGrant",
               .summary = "Revoke a grant (agreement, case-team place, restriction, break-glass, "
                          "remit) with a reason; it fails on the very next request",
               .tag = "access",
               .request_schema = "ReasonRequest",
               .responses = with_problems({{204, {"Revoked", std::nullopt}}}),
               .handler = [&grants](Context& ctx) {
                 return with_body(ctx, [&](const json& body) {
                   auto reason = string_field(body, "reason", 1000);
                   if (!reason.ok()) return error_response(reason.error());
                   auto st = grants.revoke(actor_of(*ctx.principal), ctx.params.at("id"), *reason);
                   if (!st.ok()) return error_response(st.error());
                   return no_content();
                 });
               }});
  router_.add({.method = "GET",
               .path = "/api/v1/cases/{id}/team",
               .operation_id = "getCaseTeam",
               .summary = "The case team: users given access to this case",
               .tag = "access",
               .responses = with_problems({{200, {"Members", "GrantList"}}}),
               .handler = [&grants](Context& ctx) {
                 auto r = grants.case_team(actor_of(*ctx.principal), ctx.params.at("id"));
                 if (!r.ok()) return error_response(r.error());
                 return json_response(200, grant_list(*r));
               }});
  router_.add({.method = "POST",
               .path = "/api/v1/cases/{id}/team",
               .operation_id = "addToCaseTeam",
               .summary = "Add a user to the case team: {user_id}",
               .tag = "access",
               .request_schema = "CaseTeamRequest",
               .responses = with_problems({{201, {"On the team", "Grant"}}}),
               .handler = [&grants](Context& ctx) {
                 return with_body(ctx, [&](const json& body) {
                   auto user = string_field(body, "user_id", 64);
                   if (!user.ok()) return error_response(user.error());
                   auto g = grants.add_to_case_team(actor_of(*ctx.principal), ctx.params.at("id"),
                                                    *user);
                   if (!g.ok()) return error_response(g.error());
                   return json_response(201, workflow::grant_json(*g));
                 });
               }});
  router_.add({.method = "GET",
               .path = "/api/v1/records/{id}/restriction",
               .operation_id = "getRestriction",
               .summary = "Who a restricted case or concern is open to (empty: not restricted)",
               .tag = "access",
               .responses = with_problems({{200, {"Named users and teams", "GrantList"}}}),
               .handler = [&grants](Context& ctx) {
                 auto r = grants.restriction(actor_of(*ctx.principal), ctx.params.at("id"));
                 if (!r.ok()) return error_response(r.error());
                 return json_response(200, grant_list(*r));
               }});
  router_.add({.method = "PUT",
               .path = "/api/v1/records/{id}/restriction",
               .operation_id = "restrictRecord",
               .summary = "Restrict a case or concern to named users and teams: {grantees: "
                          "[user:<id>|team:<manager id>], reason}; you are always named",
               .tag = "access",
               .request_schema = "RestrictionRequest",
               .responses = with_problems({{200, {"Restricted", "GrantList"}}}),
               .handler = [&grants](Context& ctx) {
                 return with_body(ctx, [&](const json& body) {
                   auto grantees = string_list(body, "grantees", 50);
                   if (!grantees.ok()) return error_response(grantees.error());
                   auto reason = string_field(body, "reason", 1000);
                   if (!reason.ok()) return error_response(reason.error());
                   auto r = grants.restrict(actor_of(*ctx.principal), ctx.params.at("id"),
                                            *grantees, *reason);
                   if (!r.ok()) return error_response(r.error());
                   return json_response(200, grant_list(*r));
                 });
               }});
  router_.add({.method = "POST",
               .path = "/api/v1/records/{id}/restriction/lift",
               .operation_id = "liftRestriction",
               .summary = "Lift a restriction, with a reason",
               .tag = "access",
               .request_schema = "ReasonRequest",
               .responses = with_problems({{204, {"Lifted", std::nullopt}}}),
               .handler = [&grants](Context& ctx) {
                 return with_body(ctx, [&](const json& body) {
                   auto reason = string_field(body, "reason", 1000);
                   if (!reason.ok()) return error_response(reason.error());
                   auto st = grants.lift_restriction(actor_of(*ctx.principal), ctx.params.at("id"),
                                                     *reason);
                   if (!st.ok()) return error_response(st.error());
                   return no_content();
                 });
               }});
  router_.add({.method = "POST",
               .path = "/api/v1/records/{id}/break-glass",
               .operation_id = "breakGlass",
               .summary = "Emergency access to a case or concern outside your need to know, for "
                          "4 hours: {reason} (20+ characters). The auditors are told at once.",
               .tag = "access",
               .request_schema = "ReasonRequest",
               .responses = with_problems({{201, {"Granted until valid_to", "Grant"}}}),
               .handler = [&grants](Context& ctx) {
                 return with_body(ctx, [&](const json& body) {
                   auto reason = string_field(body, "reason", 1000);
                   if (!reason.ok()) return error_response(reason.error());
                   auto g =
                       grants.break_glass(actor_of(*ctx.principal), ctx.params.at("id"), *reason);
                   if (!g.ok()) return error_response(g.error());
                   return json_response(201, workflow::grant_json(*g));
                 });
               }});
  router_.add({.method = "PUT",
               .path = "/api/v1/users/{id}/review-scope",
               .operation_id = "setReviewScope",
               .summary = "An independent reviewer's remit: {agencies: [codes], from, to "
                          "(YYYY-MM-DD)}; read-only access to those agencies' records of the "
                          "period",
               .tag = "access",
               .request_schema = "ReviewScopeRequest",
               .responses = with_problems({{200, {"The remit", "Grant"}}}),
               .handler = [&grants](Context& ctx) {
                 return with_body(ctx, [&](const json& body) {
                   auto agencies = string_list(body, "agencies", 50);
                   if (!agencies.ok()) return error_response(agencies.error());
                   auto from = date_field(body, "from");
                   if (!from.ok()) return error_response(from.error());
                   auto to = date_field(body, "to");
                   if (!to.ok()) return error_response(to.error());
                   auto g = grants.set_reviewer_scope(actor_of(*ctx.principal), ctx.params.at("id"),
                                                      *agencies, *from, *to);
                   if (!g.ok()) return error_response(g.error());
                   return json_response(200, workflow::grant_json(*g));
                 });
               }});
}

}  // namespace sg::api
