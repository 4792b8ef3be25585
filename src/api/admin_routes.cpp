// Account administration (issues 6 and 8): administrators add agencies and users, change
// roles, line managers and names, disable and enable accounts and reset passwords; every
// signed-in user changes their own password. Administrators see accounts, never case
// content. access::Accounts ledgers every change; generated passwords leave only in the one
// response that creates them.
#include <algorithm>
#include <set>

#include "access/crypto.h"
#include "api/app.h"
#include "api/errors.h"
#include "api/json_io.h"

namespace sg::api {
namespace {

using nlohmann::json;

// An account as administrators see it: never its password hash, and of its second factor
// only whether one is in force (`with_factor`: the ids of such users), never the secret.
json account_json(const domain::User& u, const std::vector<domain::Agency>& agencies,
                  const std::vector<domain::User>& users,
                  const std::set<std::string>& with_factor) {
  json agency = nullptr;
  for (const auto& a : agencies) {
    if (a.id == u.agency_id) agency = {{"id", a.id}, {"code", a.code}, {"name", a.name}};
  }
  json manager = nullptr;
  for (const auto& m : users) {
    if (!u.manager_id.empty() && m.id == u.manager_id) {
      manager = {{"id", m.id}, {"username", m.username}, {"display_name", m.display_name}};
    }
  }
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"role", domain::role_name(u.role)},
          {"agency", agency},
          {"manager", manager},
          {"active", u.active},
          {"second_factor", with_factor.contains(u.id)},
          {"created_at", core::format_rfc3339(u.created_at)}};
}

// The ids of the users with a second factor in force.
core::Result<std::set<std::string>> users_with_second_factor(storage::Transaction& tx) {
  auto ids = SG_TRY(tx.users_with_second_factor());
  return std::set<std::string>(ids.begin(), ids.end());
}

// `user` as account_json, reading the agencies and users it names.
Response account_response(storage::Store& store, int status, const domain::User& user,
                          json extra = json::object()) {
  auto tx = store.begin(storage::TxMode::kRead);
  if (!tx.ok()) return error_response(tx.error());
  auto agencies = (*tx)->agencies();
  if (!agencies.ok()) return error_response(agencies.error());
  auto users = (*tx)->users();
  if (!users.ok()) return error_response(users.error());
  auto with_factor = users_with_second_factor(**tx);
  if (!with_factor.ok()) return error_response(with_factor.error());
  extra["user"] = account_json(user, *agencies, *users, *with_factor);
  return json_response(status, extra);
}

// The change a PATCH body asks for. "manager": null (or "") removes the line manager.
core::Result<access::AccountChange> account_change(const json& body) {
  access::AccountChange change;
  if (body.contains("display_name")) {
    change.display_name = SG_TRY(string_field(body, "display_name", 200));
  }
  if (body.contains("role")) {
    auto text = SG_TRY(string_field(body, "role", 32));
    change.role = SG_TRY(domain::parse_role(text, "role"));
  }
  if (auto it = body.find("manager"); it != body.end()) {
    if (it->is_null()) {
      change.manager_username = "";
    } else {
      change.manager_username = SG_TRY(string_field(body, "manager", 64));
    }
  }
  if (auto it = body.find("disabled"); it != body.end()) {
    if (!it->is_boolean()) return core::invalid_argument("must be true or false", "disabled");
    change.disabled = it->get<bool>();
  }
  return change;
}

std::map<int, std::pair<std::string, std::optional<std::string>>> with_problems(
    std::map<int, std::pair<std::string, std::optional<std::string>>> r) {
  r[400] = {"Invalid input; `field` names it", "Problem"};
  r[401] = {"Not signed in", "Problem"};
  r[403] = {"Only administrators manage accounts", "Problem"};
  return r;
}

}  // namespace

void App::add_admin_routes() {
  router_.add({.method = "GET",
               .path = "/api/v1/accounts",
               .operation_id = "listAccounts",
               .summary = "Every account, active or disabled, with its username, role, agency, "
                          "line manager and whether it has a second factor (administrators)",
               .tag = "admin",
               .responses = with_problems({{200, {"Accounts", "AccountList"}}}),
               .handler = [this](Context&) {
                 auto tx = services_.store.begin(storage::TxMode::kRead);
                 if (!tx.ok()) return error_response(tx.error());
                 auto agencies = (*tx)->agencies();
                 if (!agencies.ok()) return error_response(agencies.error());
                 auto users = (*tx)->users();
                 if (!users.ok()) return error_response(users.error());
                 auto with_factor = users_with_second_factor(**tx);
                 if (!with_factor.ok()) return error_response(with_factor.error());
                 json items = json::array();
                 for (const auto& u : *users) {
                   items.push_back(account_json(u, *agencies, *users, *with_factor));
                 }
                 return json_response(200, {{"items", items}});
               }});
  router_.add({.method = "POST",
               .path = "/api/v1/agencies",
               .operation_id = "addAgency",
               .summary = "Add an agency: {code, name, kind}",
               .tag = "admin",
               .request_schema = "AgencyRequest",
               .responses = with_problems(
                   {{201, {"Added", "Agency"}}, {409, {"An agency has this code", "Problem"}}}),
               .handler = [this](Context& ctx) {
                 auto body = parse_json_body(ctx.request, 16 * 1024);
                 if (!body.ok()) return error_response(body.error());
                 access::NewAgency input;
                 auto code = string_field(*body, "code", 16);
                 if (!code.ok()) return error_response(code.error());
                 auto name = string_field(*body, "name", 200);
                 if (!name.ok()) return error_response(name.error());
                 auto kind_text = optional_string(*body, "kind", 32);
                 if (!kind_text.ok()) return error_response(kind_text.error());
                 auto kind = domain::parse_agency_kind(kind_text->empty() ? "other" : *kind_text);
                 if (!kind.ok()) return error_response(kind.error());
                 input = {*code, *name, *kind};
                 auto added = services_.accounts.add_agency(input, ctx.principal->user.id);
                 if (!added.ok()) return error_response(added.error());
                 return json_response(201, {{"id", added->id},
                                            {"code", added->code},
                                            {"name", added->name},
                                            {"kind", domain::agency_kind_name(added->kind)}});
               }});
  router_.add(
      {.method = "POST",
       .path = "/api/v1/users",
       .operation_id = "addUser",
       .summary = "Add a user: {username, display_name, role, agency (code), manager "
                  "(username, optional)}. The response holds a generated one-time password, "
                  "shown this once and never again",
       .tag = "admin",
       .request_schema = "NewUserRequest",
       .responses = with_problems(
           {{201, {"Added", "NewAccount"}}, {409, {"A user has this username", "Problem"}}}),
       .handler = [this](Context& ctx) {
         auto body = parse_json_body(ctx.request, 16 * 1024);
         if (!body.ok()) return error_response(body.error());
         access::NewUser input;
         auto username = string_field(*body, "username", 64);
         if (!username.ok()) return error_response(username.error());
         auto display_name = string_field(*body, "display_name", 200);
         if (!display_name.ok()) return error_response(display_name.error());
         auto role_text = string_field(*body, "role", 32);
         if (!role_text.ok()) return error_response(role_text.error());
         auto role = domain::parse_role(*role_text, "role");
         if (!role.ok()) return error_response(role.error());
         auto agency = string_field(*body, "agency", 16);
         if (!agency.ok()) return error_response(agency.error());
         json manager_field = body->value("manager", json());
         if (!manager_field.is_null() && !manager_field.is_string()) {
           return error_response(core::invalid_argument("must be a username or null", "manager"));
         }
         input.username = *username;
         input.display_name = *display_name;
         input.role = *role;
         input.agency_code = *agency;
         input.manager_username = manager_field.is_string() ? manager_field.get<std::string>() : "";
         // The manager rules are the same as for a change: same agency, an active account.
         if (!input.manager_username.empty()) {
           auto tx = services_.store.begin(storage::TxMode::kRead);
           if (!tx.ok()) return error_response(tx.error());
           auto manager = (*tx)->user_by_username(input.manager_username);
           auto own = (*tx)->agency_by_code(input.agency_code);
           if (manager.ok() && !manager->active) {
             return error_response(core::invalid_argument("is a disabled account", "manager"));
           }
           if (manager.ok() && own.ok() && manager->agency_id != own->id) {
             return error_response(
                 core::invalid_argument("must be in the user's agency", "manager"));
           }
         }
         input.password = access::generate_password();
         input.one_time_password = true;
         auto added = services_.accounts.add_user(input, ctx.principal->user.id);
         if (!added.ok()) return error_response(added.error());
         return account_response(services_.store, 201, *added, {{"password", input.password}});
       }});
  router_.add({.method = "PATCH",
               .path = "/api/v1/users/{username}",
               .operation_id = "updateUser",
               .summary = "Change an account: {display_name?, role?, manager? (username, or "
                          "null to remove), disabled?}. Disabling ends every session of the "
                          "account at once",
               .tag = "admin",
               .request_schema = "AccountChangeRequest",
               .responses = with_problems(
                   {{200, {"Changed", "AccountEnvelope"}},
                    {404, {"No such user", "Problem"}},
                    {409, {"Would disable yourself or leave no active administrator", "Problem"}}}),
               .handler = [this](Context& ctx) {
                 auto body = parse_json_body(ctx.request, 16 * 1024);
                 if (!body.ok()) return error_response(body.error());
                 auto change = account_change(*body);
                 if (!change.ok()) return error_response(change.error());
                 auto changed = services_.accounts.update_user(ctx.params.at("username"), *change,
                                                               ctx.principal->user.id);
                 if (!changed.ok()) return error_response(changed.error());
                 return account_response(services_.store, 200, *changed);
               }});
  router_.add({.method = "POST",
               .path = "/api/v1/users/{username}/password",
               .operation_id = "resetPassword",
               .summary = "Reset a user's password: the response holds a new generated "
                          "one-time password, shown this once; every session of theirs ends",
               .tag = "admin",
               .responses = with_problems(
                   {{200, {"Reset", "PasswordReset"}}, {404, {"No such user", "Problem"}}}),
               .handler = [this](Context& ctx) {
                 auto password = services_.accounts.reset_password(ctx.params.at("username"),
                                                                   ctx.principal->user.id);
                 if (!password.ok()) return error_response(password.error());
                 return json_response(200, {{"password", *password}});
               }});
  router_.add(
      {.method = "POST",
       .path = "/api/v1/session/password",
       .operation_id = "changePassword",
       .summary = "Change your own password: {current_password, new_password (12 to 1024 "
                  "bytes)}. Your other sessions end; this one continues",
       .tag = "session",
       .request_schema = "PasswordChangeRequest",
       .responses =
           {{204, {"Changed", std::nullopt}},
            {400, {"Invalid input, or the current password is wrong; `field` names it", "Problem"}},
            {401, {"Not signed in", "Problem"}},
            {429, {"Too many wrong current passwords; wait Retry-After seconds", "Problem"}}},
       .handler = [this](Context& ctx) {
         auto body = parse_json_body(ctx.request, 16 * 1024);
         if (!body.ok()) return error_response(body.error());
         auto current = string_field(*body, "current_password", 1024);
         if (!current.ok()) return error_response(current.error());
         auto fresh = string_field(*body, "new_password", 1024);
         if (!fresh.ok()) return error_response(fresh.error());
         // Wrong current passwords count as failed sign-ins: a stolen session must not
         // become a way round the sign-in throttle (OWASP ASVS 5.0 V6.3.1).
         const auto& username = ctx.principal->user.username;
         const auto& address = ctx.request.remote_address;
         auto throttled = [](std::chrono::seconds wait) {
           auto r = problem(429, "Too many requests",
                            "too many wrong passwords; wait before trying again");
           r.set_header("Retry-After", std::to_string(wait.count()));
           return r;
         };
         if (auto wait = login_throttle_.wait(username, address); wait.count() > 0) {
           return throttled(wait);
         }
         auto st = services_.accounts.change_password(*ctx.principal, *current, *fresh);
         if (!st.ok()) {
           if (st.error().field == "current_password" &&
               st.error().code == core::Code::kInvalidArgument) {
             if (auto wait = login_throttle_.failed(username, address); wait.count() > 0) {
               return throttled(wait);
             }
           }
           return error_response(st.error());
         }
         login_throttle_.succeeded(username);
         return no_content();
       }});
}

}  // namespace sg::api
