// The Safeguard HTTP application: routes, authentication, security headers, static web
// assets and the OpenAPI document. Pure request → response; no sockets (see server/).
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "access/accounts.h"
#include "access/public_reports.h"
#include "access/second_factor.h"
#include "api/http.h"
#include "api/login_throttle.h"
#include "api/metrics.h"
#include "api/rate_limit.h"
#include "api/router.h"
#include "audit/ledger.h"
#include "network/analytics.h"
#include "storage/store.h"
#include "workflow/casework.h"
#include "workflow/context_cases.h"
#include "workflow/grants.h"
#include "workflow/people.h"
#include "workflow/retention.h"

namespace sg::api {

struct Services {
  storage::Store& store;
  audit::Ledger& ledger;
  access::Accounts& accounts;
  const core::Clock& clock;
  workflow::Casework& casework;
  access::PublicReports& reports;
  // The link graph (issue 7); the network routes are served when it is set.
  network::LinkGraph* network = nullptr;
  // People across agencies (issue 4): matching, entities and the review queue. The people
  // routes answer 503 when it is not set.
  workflow::People* people = nullptr;
  // Sharing agreements, case teams, restrictions, break-glass, reviewer remits (issue 6);
  // those routes are served when it is set.
  workflow::Grants* grants = nullptr;
  // Retention review (issue 6, MoPI); those routes are served when it is set.
  workflow::Retention* retention = nullptr;
};

struct AppOptions {
  // Directory of the built web app (web/dist). Empty: serve no static files.
  std::string web_root;
  // Largest JSON body accepted by API routes (the server caps all bodies separately).
  size_t max_json_bytes = 256 * 1024;
  std::string version = "0.0.0";
};

class App final : public Handler {
 public:
  // Loads the web assets into memory. InvalidArgument (field "web_root") if web_root is
  // set but has no index.html.
  static core::Result<std::unique_ptr<App>> create(Services services, AppOptions options);

  Response handle(const Request& request) override;

  Metrics& metrics() { return metrics_; }
  // The OpenAPI 3.1 document, generated from the route table.
  const nlohmann::json& openapi() const { return openapi_; }
  const Router& router() const { return router_; }

 private:
  App(Services services, AppOptions options);
  void add_routes();
  Response dispatch(const Request& request);
  // Origin, session and CSRF checks for `route`; fills ctx.principal on success.
  core::Status authorise(const Route& route, Context& ctx);
  Response serve_static(const Request& request);

  Response login(Context& ctx);
  // The second step of signing in: the pending token from login and a code.
  Response complete_sign_in(Context& ctx);
  // 200 with the principal, and the session cookie for `result.token`; the session whose
  // cookie came with the request ends.
  Response signed_in(const Context& ctx, const access::LoginResult& result);
  Response logout(Context& ctx);
  Response me(Context& ctx);
  Response agencies(Context& ctx);
  Response users(Context& ctx);
  Response record_ledger(Context& ctx);
  void add_casework_routes();
  void add_public_routes();
  void add_network_routes();
  void add_oversight_routes();
  void add_resolve_routes();
  void add_search_routes();
  void add_audit_routes();
  void add_access_routes();
  void add_retention_routes();
  void add_extract_routes();
  void add_admin_routes();
  void add_context_routes();
  void add_second_factor_routes();
  void add_session_routes();

  Services services_;
  AppOptions options_;
  Router router_;
  Metrics metrics_;
  // Anonymous reporting: a few reports an hour per client; more status checks.
  RateLimiter submit_limit_{5, 10};
  RateLimiter check_limit_{10, 60};
  // Sign-in: failures per username and per address, then a doubling wait (issue 6).
  LoginThrottle login_throttle_{services_.clock};
  nlohmann::json openapi_;
  std::unique_ptr<network::Analytics> analytics_;          // Set when services_.network is.
  std::unique_ptr<workflow::ContextCases> contexts_;       // Place and peer-group cases.
  std::unique_ptr<access::SecondFactors> second_factors_;  // Enrolment, removal, reset.
  struct Asset {
    std::string content_type;
    std::string body;
  };
  std::map<std::string, Asset, std::less<>> assets_;  // Path ("/assets/x.js") → asset.
};

// Session cookie name. The __Host- prefix makes browsers insist on Secure, Path=/ and no
// Domain, so no sibling host can plant or read it.
inline constexpr std::string_view kSessionCookie = "__Host-sg_session";

// Tells the browser to forget the session cookie (sign-out, ending one's own session).
void clear_session_cookie(Response& response);

// The casework actor for a signed-in principal.
workflow::Actor actor_of(const access::Principal& principal);

// The OpenAPI component schemas of the context-case routes (context_routes.cpp).
nlohmann::json context_schemas();
// The OpenAPI component schemas of the session routes (session_routes.cpp).
nlohmann::json session_schemas();

// Builds the OpenAPI 3.1 document for `router`.
nlohmann::json build_openapi(const Router& router, std::string_view version);

}  // namespace sg::api
