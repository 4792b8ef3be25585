#include "api/app.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "core/ascii.h"
#include "test_support.h"

namespace sg::api {
namespace {

using nlohmann::json;
using testing::World;

struct AppFixture : ::testing::Test {
  World w;
  std::unique_ptr<App> app;

  void SetUp() override {
    w.add_user("sam.okafor", domain::Role::kPractitioner);
    app = App::create({*w.store, w.ledger, w.accounts, w.clock, w.casework, w.reports}, {}).value();
  }

  Response send(std::string method, std::string path, std::string body = {},
                std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request r;
    r.method = std::move(method);
    r.path = path;
    r.target = path;
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.headers.emplace_back("host", "localhost:8080");
    if (!r.body.empty()) r.headers.emplace_back("content-type", "application/json");
    return app->handle(r);
  }

  // Signs in; returns the cookie header value and the CSRF token.
  std::pair<std::string, std::string> sign_in() {
    auto r = send("POST", "/api/v1/session",
                  R"({"username":"sam.okafor","password":"correct horse battery"})");
    EXPECT_EQ(r.status, 200) << r.body;
    auto set_cookie = std::string(r.header("Set-Cookie").value_or(""));
    auto cookie = set_cookie.substr(0, set_cookie.find(';'));
    return {cookie, json::parse(r.body)["csrf_token"].get<std::string>()};
  }
};

void expect_problem(const Response& r, int status) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.header("Content-Type").value_or(""), "application/problem+json");
  auto body = json::parse(r.body);
  EXPECT_EQ(body["status"], status);
  EXPECT_TRUE(body.contains("title"));
}

TEST_F(AppFixture, HealthzAnswersOk) {
  auto r = send("GET", "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["status"], "ok");
  EXPECT_EQ(r.route, "/healthz");
}

TEST_F(AppFixture, EveryResponseCarriesSecurityHeaders) {
  auto r = send("GET", "/healthz");
  auto csp = std::string(r.header("Content-Security-Policy").value_or(""));
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(r.header("Cache-Control").value_or(""), "no-store");
  EXPECT_EQ(r.header("X-Content-Type-Options").value_or(""), "nosniff");
}

TEST_F(AppFixture, UnknownApiRouteIs404Problem) {
  expect_problem(send("GET", "/api/v1/nothing-here"), 404);
}

TEST_F(AppFixture, WrongMethodIs405WithAllow) {
  auto r = send("PUT", "/api/v1/me");
  expect_problem(r, 405);
  EXPECT_EQ(r.header("Allow").value_or(""), "GET");
}

TEST_F(AppFixture, MeNeedsASession) { expect_problem(send("GET", "/api/v1/me"), 401); }

// ASVS 16.3.2: a refused request leaves one log line naming the operation, the status and
// the caller's user id (when signed in), and nothing personal.
TEST_F(AppFixture, RefusedRequestsAreLoggedWithIdsOnly) {
  ::testing::internal::CaptureStderr();
  expect_problem(send("GET", "/api/v1/me"), 401);
  auto [cookie, csrf] = sign_in();
  // A practitioner may not list the partnership's accounts.
  auto refused = send("GET", "/api/v1/accounts", "", {{"cookie", cookie}});
  auto allowed = send("GET", "/api/v1/me", "", {{"cookie", cookie}});
  auto log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(allowed.status, 200);
  auto me = json::parse(allowed.body);
  std::vector<json> lines;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    auto j = json::parse(line, nullptr, false);
    if (!j.is_discarded() && j.value("event", "") == "access.refused") lines.push_back(j);
  }
  ASSERT_EQ(lines.size(), 2u) << "one line per refusal, none for the allowed request";
  EXPECT_EQ(lines[0]["operation"], "me");
  EXPECT_EQ(lines[0]["status"], 401);
  EXPECT_EQ(lines[0]["user_id"], "");
  EXPECT_EQ(lines[1]["operation"], "listAccounts");
  EXPECT_EQ(lines[1]["status"], 403);
  EXPECT_EQ(lines[1]["user_id"], me["user"]["id"]);
  EXPECT_EQ(log.find("sam.okafor"), std::string::npos) << "no username in the log";
  EXPECT_EQ(log.find("Test User"), std::string::npos) << "no name in the log";
}

TEST_F(AppFixture, LoginSetsAHardenedCookieAndMeReturnsTheUser) {
  auto r = send("POST", "/api/v1/session",
                R"({"username":"sam.okafor","password":"correct horse battery"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto cookie = std::string(r.header("Set-Cookie").value_or(""));
  EXPECT_EQ(cookie.rfind("__Host-sg_session=", 0), 0u);
  for (const char* attr : {"Path=/", "Secure", "HttpOnly", "SameSite=Strict"}) {
    EXPECT_NE(cookie.find(attr), std::string::npos) << attr;
  }
  auto [session, csrf] = sign_in();
  auto me = send("GET", "/api/v1/me", {}, {{"cookie", session}});
  ASSERT_EQ(me.status, 200);
  auto body = json::parse(me.body);
  EXPECT_EQ(body["user"]["username"], "sam.okafor");
  EXPECT_EQ(body["user"]["role"], "practitioner");
  EXPECT_EQ(body["user"]["agency"]["code"], "NFP");
  EXPECT_FALSE(body["user"].contains("password_hash"));
}

TEST_F(AppFixture, BadLoginBodiesNameTheField) {
  auto not_json = send("POST", "/api/v1/session", "{nope");
  expect_problem(not_json, 400);
  EXPECT_EQ(json::parse(not_json.body)["field"], "body");
  auto missing = send("POST", "/api/v1/session", R"({"username":"sam.okafor"})");
  expect_problem(missing, 400);
  EXPECT_EQ(json::parse(missing.body)["field"], "password");
  auto wrong_type = send("POST", "/api/v1/session", R"({"username":1,"password":"x"})");
  EXPECT_EQ(json::parse(wrong_type.body)["field"], "username");
}

TEST_F(AppFixture, WrongPasswordIs401WithoutEchoingInput) {
  auto r = send("POST", "/api/v1/session",
                R"({"username":"sam.okafor","password":"guess-guess-guess"})");
  expect_problem(r, 401);
  EXPECT_EQ(r.body.find("sam.okafor"), std::string::npos);
  EXPECT_EQ(r.body.find("guess"), std::string::npos);
}

TEST_F(AppFixture, LogoutNeedsTheCsrfToken) {
  auto [session, csrf] = sign_in();
  auto refused = send("DELETE", "/api/v1/session", {}, {{"cookie", session}});
  expect_problem(refused, 403);
  EXPECT_EQ(send("GET", "/api/v1/me", {}, {{"cookie", session}}).status, 200) << "still valid";
  auto ok = send("DELETE", "/api/v1/session", {}, {{"cookie", session}, {"x-csrf-token", csrf}});
  EXPECT_EQ(ok.status, 204);
  EXPECT_EQ(send("GET", "/api/v1/me", {}, {{"cookie", session}}).status, 401);
}

TEST_F(AppFixture, CrossOriginStateChangeIsRefused) {
  auto [session, csrf] = sign_in();
  auto r = send("DELETE", "/api/v1/session", {},
                {{"cookie", session}, {"x-csrf-token", csrf}, {"origin", "https://evil.example"}});
  expect_problem(r, 403);
  auto login = send("POST", "/api/v1/session",
                    R"({"username":"sam.okafor","password":"correct horse battery"})",
                    {{"origin", "https://evil.example"}});
  expect_problem(login, 403);
}

TEST_F(AppFixture, MetricsCountRequestsByRouteAndStatus) {
  app->metrics().record("GET", "/healthz", 200, std::chrono::microseconds(300));
  app->metrics().record("GET", "/healthz", 200, std::chrono::milliseconds(20));
  auto r = send("GET", "/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(
      r.body.find(R"(safeguard_http_requests_total{method="GET",route="/healthz",status="200"} 2)"),
      std::string::npos)
      << r.body;
  EXPECT_NE(
      r.body.find(
          R"(safeguard_http_request_duration_seconds_bucket{route="/healthz",le="0.0005"} 1)"),
      std::string::npos);
  EXPECT_NE(r.body.find(R"(safeguard_http_request_duration_seconds_count{route="/healthz"} 2)"),
            std::string::npos);
}

TEST_F(AppFixture, OpenApiDescribesEveryRoute) {
  auto r = send("GET", "/api/openapi.json");
  ASSERT_EQ(r.status, 200);
  auto doc = json::parse(r.body);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  for (const auto& route : app->router().routes()) {
    std::string method = core::to_lower(route.method);
    ASSERT_TRUE(doc["paths"].contains(route.path)) << route.path;
    EXPECT_TRUE(doc["paths"][route.path].contains(method)) << route.method << " " << route.path;
  }
  // Every $ref resolves.
  std::function<void(const json&)> check = [&](const json& node) {
    if (node.is_object()) {
      if (node.contains("$ref")) {
        auto name =
            node["$ref"].get<std::string>().substr(std::string("#/components/schemas/").size());
        EXPECT_TRUE(doc["components"]["schemas"].contains(name)) << name;
      }
      for (const auto& [k, v] : node.items()) check(v);
    } else if (node.is_array()) {
      for (const auto& v : node) check(v);
    }
  };
  check(doc);
}

TEST(AppStatic, ServesAssetsAndFallsBackToIndexForClientRoutes) {
  World w;
  auto root = w.dir.path() / "dist";
  std::filesystem::create_directories(root / "assets");
  std::ofstream(root / "index.html") << "<!doctype html><title>Safeguard</title>";
  std::ofstream(root / "assets" / "app-abc123.js") << "console.log(1)";
  auto app = App::create({*w.store, w.ledger, w.accounts, w.clock, w.casework, w.reports},
                         {.web_root = root.string()})
                 .value();
  Request r;
  r.method = "GET";
  r.path = "/assets/app-abc123.js";
  auto js = app->handle(r);
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.header("Content-Type").value_or(""), "text/javascript; charset=utf-8");
  EXPECT_NE(js.header("Cache-Control").value_or("").find("immutable"), std::string::npos);
  r.path = "/login";
  auto page = app->handle(r);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<title>Safeguard"), std::string::npos);
  r.path = "/assets/missing.js";
  EXPECT_EQ(app->handle(r).status, 404);
  r.path = "/../../etc/passwd";
  EXPECT_EQ(app->handle(r).status, 404);
}

TEST(AppStatic, MissingIndexIsAClearConfigurationError) {
  World w;
  auto app = App::create({*w.store, w.ledger, w.accounts, w.clock, w.casework, w.reports},
                         {.web_root = (w.dir.path() / "nothing").string()});
  ASSERT_FALSE(app.ok());
  EXPECT_EQ(app.error().field, "web_root");
}

}  // namespace
}  // namespace sg::api
