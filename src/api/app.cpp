#include "api/app.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "access/crypto.h"
#include "api/errors.h"
#include "api/json_io.h"
#include "core/ascii.h"
#include "core/assert.h"
#include "core/log.h"
#include "domain/policy.h"

namespace sg::api {
namespace {

using nlohmann::json;

constexpr std::string_view kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'";

// Reads a cookie value from the Cookie header(s) (RFC 6265 §5.4 syntax).
std::optional<std::string_view> cookie(const Request& request, std::string_view name) {
  for (const auto& [header, value] : request.headers) {
    if (header != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      auto end = rest.find(';');
      auto pair = rest.substr(0, end);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      auto eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
  }
  return std::nullopt;
}

bool state_changing(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// Rejects cross-site requests that change state. Browsers send Origin on every
// non-GET fetch; when present it must name this host. Sec-Fetch-Site adds a second check.
core::Status check_origin(const Request& request) {
  if (auto site = request.header("sec-fetch-site")) {
    if (*site == "cross-site") return core::permission_denied("cross-site request refused");
  }
  auto origin = request.header("origin");
  if (!origin) return {};
  auto host = request.header("host");
  if (!host) return core::permission_denied("request has an Origin but no Host");
  auto scheme_end = origin->find("://");
  if (scheme_end == std::string_view::npos || origin->substr(scheme_end + 3) != *host) {
    return core::permission_denied("the request's Origin does not match this site");
  }
  return {};
}

// 429 for a throttled sign-in (RFC 6585 §4; Retry-After per RFC 9110 §10.2.3).
Response too_many_sign_ins(std::chrono::seconds wait) {
  auto r = problem(429, "Too many requests", "too many failed sign-ins; wait before trying again");
  r.set_header("Retry-After", std::to_string(wait.count()));
  return r;
}

// Something a signed-in user must do before anything else, and the routes that do it (with
// "me" and "logout", which every such user may also use).
struct FirstTask {
  std::string_view message;
  std::string_view field;
  std::vector<std::string_view> operations;

  bool admits(std::string_view operation_id) const {
    return operation_id == "me" || operation_id == "logout" ||
           std::find(operations.begin(), operations.end(), operation_id) != operations.end();
  }
};

// A generated one-time password serves only to choose one's own (ASVS V6.4.1); then, where
// a second factor is required (ASVS V6.3.3), an account without one may only enrol one.
const FirstTask* first_task(const access::Principal& principal) {
  static const FirstTask kChoosePassword{
      "choose your own password before anything else", "password", {"changePassword"}};
  static const FirstTask kEnrolSecondFactor{
      "set up your second factor before anything else",
      "second_factor",
      {"startSecondFactorEnrolment", "confirmSecondFactorEnrolment"}};
  if (principal.must_change_password) return &kChoosePassword;
  if (principal.must_enrol_second_factor) return &kEnrolSecondFactor;
  return nullptr;
}

json principal_json(const access::Principal& p) {
  return {{"user",
           {{"id", p.user.id},
            {"username", p.user.username},
            {"display_name", p.user.display_name},
            {"role", domain::role_name(p.user.role)},
            {"agency",
             {{"id", p.agency.id},
              {"code", p.agency.code},
              {"name", p.agency.name},
              {"kind", domain::agency_kind_name(p.agency.kind)}}},
            {"must_change_password", p.must_change_password},
            {"second_factor", p.second_factor},
            {"must_enrol_second_factor", p.must_enrol_second_factor}}},
          {"csrf_token", p.session.csrf_token}};
}

std::string content_type_for(const std::filesystem::path& path) {
  static const std::map<std::string, std::string, std::less<>> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"}};
  auto it = kTypes.find(path.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

void add_security_headers(const Request& request, Response& response) {
  if (!response.header("Content-Security-Policy")) {
    response.set_header("Content-Security-Policy", std::string(kCsp));
  }
  if (!response.header("Cache-Control")) response.set_header("Cache-Control", "no-store");
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "no-referrer");
  response.set_header("X-Frame-Options", "DENY");
  response.set_header("Cross-Origin-Opener-Policy", "same-origin");
  response.set_header("Cross-Origin-Resource-Policy", "same-origin");
  response.set_header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (request.secure) {
    response.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  }
}

}  // namespace

App::App(Services services, AppOptions options)
    : services_(services), options_(std::move(options)) {
  add_routes();
  // Every signed-in route is in the access policy's endpoint table, or nothing starts.
  for (const auto& route : router_.routes()) {
    SG_ASSERT(route.auth == Auth::kPublic || domain::endpoint_rule(route.operation_id) != nullptr);
  }
  openapi_ = build_openapi(router_, options_.version);
}

core::Result<std::unique_ptr<App>> App::create(Services services, AppOptions options) {
  std::unique_ptr<App> app(new App(services, std::move(options)));
  const auto& root = app->options_.web_root;
  if (root.empty()) return app;
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(fs::path(root) / "index.html", ec)) {
    return core::invalid_argument("the web root has no index.html; build web/ first", "web_root");
  }
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream data;
    data << in.rdbuf();
    auto rel = "/" + fs::relative(it->path(), root, ec).generic_string();
    app->assets_[rel] = Asset{content_type_for(it->path()), data.str()};
  }
  return app;
}

void App::add_routes() {
  auto public_json = [](std::string body, std::string content_type) {
    return [body = std::move(body), content_type = std::move(content_type)](Context&) {
      Response r;
      r.set_header("Content-Type", content_type);
      r.body = body;
      return r;
    };
  };
  router_.add({.method = "GET",
               .path = "/healthz",
               .auth = Auth::kPublic,
               .operation_id = "health",
               .summary = "Liveness: 200 when the server is serving",
               .tag = "operations",
               .responses = {{200, {"Serving", "Health"}}},
               .handler = public_json(R"({"status":"ok"})", "application/json")});
  router_.add({.method = "GET",
               .path = "/metrics",
               .auth = Auth::kPublic,
               .operation_id = "metrics",
               .summary = "Prometheus metrics: requests by route and status, latency histogram",
               .tag = "operations",
               .responses = {{200, {"Prometheus text exposition format", std::nullopt}}},
               .handler = [this](Context&) {
                 Response r;
                 r.set_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                 r.body = metrics_.render();
                 return r;
               }});
  router_.add({.method = "GET",
               .path = "/api/openapi.json",
               .auth = Auth::kPublic,
               .operation_id = "openapi",
               .summary = "This OpenAPI 3.1 document",
               .tag = "operations",
               .responses = {{200, {"The document", std::nullopt}}},
               .handler = [this](Context&) { return json_response(200, openapi_); }});
  router_.add({.method = "POST",
               .path = "/api/v1/session",
               .auth = Auth::kPublic,
               .operation_id = "login",
               .summary = "Sign in; sets the session cookie",
               .tag = "session",
               .request_schema = "LoginRequest",
               .responses = {{200, {"Signed in", "Me"}},
                             {202,
                              {"The password is right and the account has a second factor: "
                               "send a code with second_factor_token to "
                               "/api/v1/session/second-factor within expires_in seconds",
                               "SecondFactorNeeded"}},
                             {400, {"Malformed body", "Problem"}},
                             {401, {"Wrong username or password", "Problem"}},
                             {429,
                              {"Too many failed sign-ins for this username or from this "
                               "address; wait Retry-After seconds",
                               "Problem"}}},
               .handler = [this](Context& ctx) { return login(ctx); }});
  router_.add(
      {.method = "DELETE",
       .path = "/api/v1/session",
       .auth = Auth::kSession,
       .operation_id = "logout",
       .summary = "Sign out; ends the session",
       .tag = "session",
       .responses = {{204, {"Signed out", std::nullopt}}, {401, {"Not signed in", "Problem"}}},
       .handler = [this](Context& ctx) { return logout(ctx); }});
  router_.add({.method = "GET",
               .path = "/api/v1/me",
               .auth = Auth::kSession,
               .operation_id = "me",
               .summary = "The signed-in user, their role and agency, and the CSRF token",
               .tag = "session",
               .responses = {{200, {"The caller", "Me"}}, {401, {"Not signed in", "Problem"}}},
               .handler = [this](Context& ctx) { return me(ctx); }});
  router_.add(
      {.method = "GET",
       .path = "/api/v1/agencies",
       .auth = Auth::kSession,
       .operation_id = "listAgencies",
       .summary = "The partnership's agencies",
       .tag = "access",
       .responses = {{200, {"Agencies", "AgencyList"}}, {401, {"Not signed in", "Problem"}}},
       .handler = [this](Context& ctx) { return agencies(ctx); }});
  router_.add({.method = "GET",
               .path = "/api/v1/users",
               .operation_id = "listUsers",
               .summary = "Colleagues' names, roles and agencies (active accounts), so records "
                          "can show who did what",
               .tag = "access",
               .responses = {{200, {"Users", "UserList"}}, {401, {"Not signed in", "Problem"}}},
               .handler = [this](Context& ctx) { return users(ctx); }});
  add_casework_routes();
  add_public_routes();
  add_network_routes();
  add_oversight_routes();
  add_resolve_routes();
  add_search_routes();
  add_audit_routes();
  add_access_routes();
  add_retention_routes();
  add_extract_routes();
  add_admin_routes();
  add_context_routes();
  add_second_factor_routes();
  add_session_routes();
}

workflow::Actor actor_of(const access::Principal& p) {
  return {p.user.id, p.user.role, p.user.agency_id, p.user.manager_id};
}

Response App::handle(const Request& request) {
  Response response = dispatch(request);
  add_security_headers(request, response);
  return response;
}

Response App::dispatch(const Request& request) {
  auto match = router_.match(request.method, request.path);
  if (!match.route) {
    if (!match.allowed_methods.empty()) {
      std::string allow;
      for (const auto& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
      auto r =
          problem(405, "Method not allowed", "this resource does not support the request's method");
      r.set_header("Allow", allow);
      r.route = std::string(request.path.starts_with("/api/") ? "api-405" : "405");
      return r;
    }
    if (request.path.starts_with("/api/") || request.path == "/api") {
      auto r = problem(404, "Not found", "no API resource at this path");
      r.route = "api-404";
      return r;
    }
    return serve_static(request);
  }
  const Route& route = *match.route;
  Context ctx{request, std::move(match.params), std::nullopt};
  auto allowed = authorise(route, ctx);
  Response response = allowed.ok() ? route.handler(ctx) : error_response(allowed.error());
  response.route = route.path;
  if (response.status == 401 || response.status == 403) {
    // ASVS 16.3.2: every refused request is logged, by the route's operation, the caller's
    // user id when signed in, and the record id in the path when there is one. Ids only.
    auto target = ctx.params.find("id");
    core::log(core::LogLevel::kWarn, "access.refused",
              {{"operation", route.operation_id},
               {"status", static_cast<std::int64_t>(response.status)},
               {"user_id", ctx.principal ? std::string_view(ctx.principal->user.id) : ""},
               {"record_id", target != ctx.params.end() ? std::string_view(target->second) : ""}});
  }
  if (request.method == "HEAD") response.body.clear();
  return response;
}

core::Status App::authorise(const Route& route, Context& ctx) {
  const Request& request = ctx.request;
  if (state_changing(request.method)) SG_TRY(check_origin(request));
  if (route.auth == Auth::kPublic) return {};
  auto token = cookie(request, kSessionCookie);
  if (!token) return core::unauthenticated("sign in to use this resource");
  ctx.principal = SG_TRY(services_.accounts.authenticate(*token));
  // Kept in the context from here so a refusal below is logged with the caller's id; the
  // handler runs only when every check passes.
  const auto& principal = *ctx.principal;
  // Double-submit defence on top of SameSite=Strict: the token is only readable by our
  // own pages (from /api/v1/me), so a forged cross-site request cannot carry it.
  if (state_changing(request.method) &&
      !access::secrets_equal(request.header("x-csrf-token").value_or(""),
                             principal.session.csrf_token)) {
    return core::Error{core::Code::kPermissionDenied, "missing or wrong X-CSRF-Token header",
                       "x-csrf-token"};
  }
  // The route check (domain/policy.h): the role must hold one of the route's functions.
  const auto* rule = domain::endpoint_rule(route.operation_id);
  if (rule == nullptr) return core::internal("route has no access rule");
  if (!domain::may_call(principal.user.role, *rule)) {
    return core::permission_denied("the " + std::string(domain::role_name(principal.user.role)) +
                                   " role may not use this resource");
  }
  // A principal with something to do first may use only the routes that do it.
  if (const auto* task = first_task(principal); task && !task->admits(route.operation_id)) {
    return core::Error{core::Code::kPermissionDenied, std::string(task->message),
                       std::string(task->field)};
  }
  return {};
}

Response App::serve_static(const Request& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    auto r = problem(405, "Method not allowed", "static files support GET and HEAD only");
    r.set_header("Allow", "GET, HEAD");
    r.route = "static";
    return r;
  }
  const Asset* asset = nullptr;
  if (auto it = assets_.find(request.path); it != assets_.end() && request.path != "/") {
    asset = &it->second;
  } else if (!assets_.empty() && request.path.find('.') == std::string::npos) {
    // Single-page app: client-side routes such as /login fall back to index.html.
    asset = &assets_.find("/index.html")->second;
  }
  if (!asset) {
    auto r = problem(404, "Not found", "nothing at this path");
    r.route = "static-404";
    return r;
  }
  Response r;
  r.set_header("Content-Type", asset->content_type);
  // Vite puts content-hashed files under /assets/, so they may be cached for good.
  r.set_header("Cache-Control", request.path.starts_with("/assets/")
                                    ? "public, max-age=31536000, immutable"
                                    : "no-store");
  if (request.method == "GET") r.body = asset->body;
  r.route = "static";
  return r;
}

Response App::login(Context& ctx) {
  auto body = parse_json_body(ctx.request, options_.max_json_bytes);
  if (!body.ok()) return error_response(body.error());
  auto username = string_field(*body, "username", 64);
  if (!username.ok()) return error_response(username.error());
  auto password = string_field(*body, "password", 1024);
  if (!password.ok()) return error_response(password.error());
  // Throttled attempts are refused before the password is checked (no argon2 work), with
  // one message whatever the username (OWASP ASVS 5.0 V6.3.1).
  if (auto wait = login_throttle_.wait(*username, ctx.request.remote_address); wait.count() > 0) {
    return too_many_sign_ins(wait);
  }
  auto result = services_.accounts.login(*username, *password);
  if (!result.ok()) {
    if (result.error().code != core::Code::kUnauthenticated) return error_response(result.error());
    // Unknown usernames count like known ones, so the wait reveals nothing about who exists.
    auto wait = login_throttle_.failed(*username, ctx.request.remote_address);
    return wait.count() > 0 ? too_many_sign_ins(wait) : error_response(result.error());
  }
  if (!result->second_factor_token.empty()) {
    // The password was right, but the throttle's count for the username stands until the
    // code is too: a right password must not reset the count for guessing codes.
    auto wait = std::chrono::duration_cast<std::chrono::seconds>(
        services_.accounts.policy().second_factor_wait);
    return json_response(202, {{"second_factor_required", true},
                               {"second_factor_token", result->second_factor_token},
                               {"expires_in", wait.count()}});
  }
  login_throttle_.succeeded(*username);
  return signed_in(ctx, *result);
}

Response App::complete_sign_in(Context& ctx) {
  auto body = parse_json_body(ctx.request, options_.max_json_bytes);
  if (!body.ok()) return error_response(body.error());
  auto token = string_field(*body, "second_factor_token", 64);
  if (!token.ok()) return error_response(token.error());
  auto code = string_field(*body, "code", 64);
  if (!code.ok()) return error_response(code.error());
  // Wrong codes count with wrong passwords for the username the token is for (ASVS V6.3.1);
  // an unknown or expired token counts for the address only, under no username.
  auto who = services_.accounts.pending_sign_in_username(*token);
  std::string username = who.ok() ? *who : std::string();
  const auto& address = ctx.request.remote_address;
  if (auto wait = login_throttle_.wait(username, address); wait.count() > 0) {
    return too_many_sign_ins(wait);
  }
  auto result = services_.accounts.complete_sign_in(*token, *code);
  if (!result.ok()) {
    if (result.error().code != core::Code::kUnauthenticated) return error_response(result.error());
    auto wait = login_throttle_.failed(username, address);
    return wait.count() > 0 ? too_many_sign_ins(wait) : error_response(result.error());
  }
  login_throttle_.succeeded(username);
  return signed_in(ctx, *result);
}

Response App::signed_in(const Context& ctx, const access::LoginResult& result) {
  // A new sign-in replaces the session whose cookie came with it, whoever's it was, so an
  // old or planted session ends here rather than at its timeout (OWASP ASVS 5.0 V7.2.4).
  if (auto old = cookie(ctx.request, kSessionCookie)) {
    if (auto st = services_.accounts.logout(*old); !st.ok()) return error_response(st.error());
  }
  auto response = json_response(200, principal_json(result.principal));
  auto max_age =
      std::chrono::duration_cast<std::chrono::seconds>(services_.accounts.policy().absolute)
          .count();
  response.headers.emplace_back(
      "Set-Cookie",
      std::string(kSessionCookie) + "=" + result.token +
          "; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age));
  return response;
}

void clear_session_cookie(Response& response) {
  response.headers.emplace_back(
      "Set-Cookie",
      std::string(kSessionCookie) + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
}

Response App::logout(Context& ctx) {
  auto token = cookie(ctx.request, kSessionCookie);
  if (token) {
    if (auto st = services_.accounts.logout(*token); !st.ok()) return error_response(st.error());
  }
  Response r;
  r.status = 204;
  clear_session_cookie(r);
  core::log(core::LogLevel::kInfo, "logout", {{"user_id", ctx.principal->user.id}});
  return r;
}

Response App::me(Context& ctx) { return json_response(200, principal_json(*ctx.principal)); }

Response App::users(Context&) {
  auto tx = services_.store.begin(storage::TxMode::kRead);
  if (!tx.ok()) return error_response(tx.error());
  auto agencies = (*tx)->agencies();
  if (!agencies.ok()) return error_response(agencies.error());
  auto list = (*tx)->users();
  if (!list.ok()) return error_response(list.error());
  json items = json::array();
  for (const auto& u : *list) {
    if (!u.active) continue;
    json agency;
    for (const auto& a : *agencies) {
      if (a.id == u.agency_id) agency = {{"id", a.id}, {"code", a.code}, {"name", a.name}};
    }
    items.push_back({{"id", u.id},
                     {"display_name", u.display_name},
                     {"role", domain::role_name(u.role)},
                     {"agency", agency}});
  }
  return json_response(200, {{"items", items}});
}

Response App::agencies(Context&) {
  auto tx = services_.store.begin(storage::TxMode::kRead);
  if (!tx.ok()) return error_response(tx.error());
  auto list = (*tx)->agencies();
  if (!list.ok()) return error_response(list.error());
  json items = json::array();
  for (const auto& a : *list) {
    items.push_back({{"id", a.id},
                     {"code", a.code},
                     {"name", a.name},
                     {"kind", domain::agency_kind_name(a.kind)}});
  }
  return json_response(200, {{"items", items}});
}

}  // namespace sg::api
