// Sessions (OWASP ASVS 5.0 V7.4.5, V7.5.2): every signed-in user lists their live sessions and
// ends any of them; administrators end a user's sessions, or everyone's but their own,
// without touching the account. A session is shown by its public id, never its token or the
// token's hash, and no address or device is stored to show. access::Accounts ledgers each end.
#include "api/app.h"
#include "api/errors.h"
#include "api/json_io.h"

namespace sg::api {
namespace {

using nlohmann::json;

json session_json(const access::SessionSummary& s) {
  return {{"id", s.id},
          {"created_at", core::format_rfc3339(s.created_at)},
          {"last_active_at", core::format_rfc3339(s.last_active_at)},
          {"current", s.current}};
}

std::map<int, std::pair<std::string, std::optional<std::string>>> with_problems(
    std::map<int, std::pair<std::string, std::optional<std::string>>> r) {
  r[401] = {"Not signed in", "Problem"};
  return r;
}

}  // namespace

json session_schemas() {
  json str = {{"type", "string"}};
  json time = {{"type", "string"}, {"format", "date-time"}};
  json session = {
      {"type", "object"},
      {"required", {"id", "created_at", "last_active_at", "current"}},
      {"properties",
       {{"id",
         {{"type", "string"},
          {"pattern", "^[0-9a-f]{32}$"},
          {"description", "The session's public id: neither its token nor the token's hash"}}},
        {"created_at", time},
        {"last_active_at",
         {{"type", "string"},
          {"format", "date-time"},
          {"description", "Last request, to within a minute"}}},
        {"current", {{"type", "boolean"}, {"description", "The session of this request"}}}}}};
  return {{"Session", session},
          {"SessionList",
           {{"type", "object"},
            {"required", {"items"}},
            {"properties", {{"items", {{"type", "array"}, {"items", session}}}}}}},
          {"SessionsEnded",
           {{"type", "object"},
            {"required", {"ended"}},
            {"properties",
             {{"ended",
               {{"type", "integer"},
                {"description", "Sessions ended (for everyone's: users signed out)"}}}}}}}};
}

void App::add_session_routes() {
  router_.add({.method = "GET",
               .path = "/api/v1/me/sessions",
               .operation_id = "listMySessions",
               .summary = "Your live sessions, oldest first: when each began and was last "
                          "active, and which is this one",
               .tag = "session",
               .responses = with_problems({{200, {"Your sessions", "SessionList"}}}),
               .handler = [this](Context& ctx) {
                 auto list = services_.accounts.sessions(*ctx.principal);
                 if (!list.ok()) return error_response(list.error());
                 json items = json::array();
                 for (const auto& s : *list) items.push_back(session_json(s));
                 return json_response(200, {{"items", items}});
               }});
  router_.add(
      {.method = "DELETE",
       .path = "/api/v1/me/sessions/{id}",
       .operation_id = "endMySession",
       .summary = "End one of your sessions at once; ending this one signs you out",
       .tag = "session",
       .responses = with_problems({{204, {"Ended", std::nullopt}},
                                   {404, {"No live session of yours has this id", "Problem"}}}),
       .handler = [this](Context& ctx) {
         const auto& id = ctx.params.at("id");
         bool current = id == access::session_public_id(ctx.principal->session.token_hash);
         auto st = services_.accounts.end_session(*ctx.principal, id);
         if (!st.ok()) return error_response(st.error());
         auto r = no_content();
         if (current) clear_session_cookie(r);
         return r;
       }});
  router_.add({.method = "DELETE",
               .path = "/api/v1/me/sessions",
               .operation_id = "endMyOtherSessions",
               .summary = "End every session of yours but this one",
               .tag = "session",
               .responses = with_problems({{200, {"How many ended", "SessionsEnded"}}}),
               .handler = [this](Context& ctx) {
                 auto ended = services_.accounts.end_other_sessions(*ctx.principal);
                 if (!ended.ok()) return error_response(ended.error());
                 return json_response(200, {{"ended", *ended}});
               }});
  router_.add(
      {.method = "DELETE",
       .path = "/api/v1/users/{username}/sessions",
       .operation_id = "endUserSessions",
       .summary = "End every session of a user at once, leaving the account and its password "
                  "as they are (administrators)",
       .tag = "admin",
       .responses = with_problems({{200, {"How many ended", "SessionsEnded"}},
                                   {403, {"Only administrators end others' sessions", "Problem"}},
                                   {404, {"No such user", "Problem"}}}),
       .handler = [this](Context& ctx) {
         auto ended = services_.accounts.end_user_sessions(ctx.params.at("username"),
                                                           ctx.principal->user.id);
         if (!ended.ok()) return error_response(ended.error());
         return json_response(200, {{"ended", *ended}});
       }});
  router_.add(
      {.method = "DELETE",
       .path = "/api/v1/sessions",
       .operation_id = "endAllSessions",
       .summary = "End every session of every user except your own (administrators)",
       .tag = "admin",
       .responses = with_problems({{200, {"How many users were signed out", "SessionsEnded"}},
                                   {403, {"Only administrators end others' sessions", "Problem"}}}),
       .handler = [this](Context& ctx) {
         auto users = services_.accounts.end_all_sessions(ctx.principal->user.id,
                                                          ctx.principal->session.token_hash);
         if (!users.ok()) return error_response(users.error());
         return json_response(200, {{"ended", *users}});
       }});
}

}  // namespace sg::api
