// The oversight routes: JSON and CSV forms, the roles that may read them, and bad parameters
// answered with problem+json naming the field.
#include <gtest/gtest.h>

#include "api/app.h"
#include "test_support.h"

namespace sg::api {
namespace {

using nlohmann::json;
using testing::at;

struct OversightApi : ::testing::Test {
  testing::World w;
  std::unique_ptr<App> app;
  std::map<std::string, std::string> cookies;

  void SetUp() override {
    w.clock.set(at("2026-06-30T12:00:00Z"));
    auto mash = w.add_user("mash.one", domain::Role::kMashCoordinator);
    w.add_user("manager.one", domain::Role::kManager);
    w.add_user("prac.one", domain::Role::kPractitioner);
    w.add_user("audit.one", domain::Role::kAuditor);
    app = App::create({*w.store, w.ledger, w.accounts, w.clock, w.casework, w.reports}, {}).value();
    // One concern on Monday 2 March 2026, decided (accepted) the same day: in time.
    workflow::Actor actor{mash.id, mash.role, mash.agency_id, ""};
    json concern = {{"channel", "phone"},
                    {"received_at", "2026-03-02T09:00:00Z"},
                    {"narrative", "Concern raised."},
                    {"children",
                     {{{"ref", "c1"},
                       {"given_name", "Amy"},
                       {"family_name", "Test"},
                       {"date_of_birth", "2012-05-01"},
                       {"sex", "F"}}}}};
    auto case_id = w.casework.record_concern(actor, concern).value().case_ids.at(0);
    workflow::DecisionInput accept{.kind = workflow::DecisionKind::kAccept,
                                   .rationale = "Needs assessment.",
                                   .decided_on = core::Date::parse_iso("2026-03-02").value()};
    ASSERT_TRUE(w.casework.decide(actor, case_id, accept).ok());
  }

  Response get(const std::string& target, const std::string& user,
               std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request r;
    r.method = "GET";
    r.target = target;
    auto q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) r.query = target.substr(q + 1);
    r.headers = {{"host", "localhost"}};
    if (!user.empty()) r.headers.emplace_back("cookie", login(user));
    for (auto& h : headers) r.headers.push_back(std::move(h));
    return app->handle(r);
  }

  std::string login(const std::string& user) {
    if (auto it = cookies.find(user); it != cookies.end()) return it->second;
    Request r;
    r.method = "POST";
    r.target = r.path = "/api/v1/session";
    r.headers = {{"host", "localhost"}, {"content-type", "application/json"}};
    r.body = json{{"username", user}, {"password", "correct horse battery"}}.dump();
    auto response = app->handle(r);
    EXPECT_EQ(response.status, 200);
    auto cookie = std::string(response.header("Set-Cookie").value_or(""));
    return cookies[user] = cookie.substr(0, cookie.find(';'));
  }
};

constexpr const char* kMarch = "/api/v1/oversight/timeliness?from=2026-03-01&to=2026-03-31";

TEST_F(OversightApi, ManagersReadReportsAsJson) {
  auto r = get(kMarch, "manager.one");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = json::parse(r.body);
  EXPECT_EQ(body["report"], "timeliness");
  // One referral decision, made the day the concern came in (0 working days): 1 of 1 in time.
  auto all = body["tables"]["timeliness"]["rows"][0];
  EXPECT_EQ(all["scope"], "all");
  EXPECT_EQ(all["referral_decisions"], 1);
  EXPECT_EQ(all["referral_in_time_percent"], 100.0);
  EXPECT_EQ(all["referral_median_working_days"], 0);
}

TEST_F(OversightApi, CsvByFormatParameterOrAcceptHeader) {
  for (auto [target, headers] :
       {std::pair{std::string(kMarch) + "&format=csv",
                  std::vector<std::pair<std::string, std::string>>{}},
        std::pair{std::string(kMarch),
                  std::vector<std::pair<std::string, std::string>>{{"accept", "text/csv"}}}}) {
    auto r = get(target, "audit.one", headers);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type").value_or(""), "text/csv; charset=utf-8; header=present");
    EXPECT_EQ(r.body.substr(0, r.body.find("\r\n")).substr(0, 25), "scope,agency,team,referra");
    EXPECT_NE(r.body.find("\r\nall,,,1,1,100.0,0,0,0,0,,,\r\n"), std::string::npos) << r.body;
  }
  auto lists =
      get("/api/v1/oversight/annex-a?from=2026-03-01&to=2026-03-31&format=csv&table=referrals",
          "audit.one");
  ASSERT_EQ(lists.status, 200) << lists.body;
  EXPECT_TRUE(
      lists.body.starts_with("child_id,gender,ethnicity,date_of_birth,age,disability,"
                             "referral_id,referral_date"));
  EXPECT_NE(lists.header("Content-Disposition").value_or("").find("annex-a-referrals-2026-03-01"),
            std::string::npos);
}

TEST_F(OversightApi, BadParametersAre400NamingTheField) {
  auto field = [&](const std::string& target) {
    auto r = get(target, "manager.one");
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_EQ(r.header("Content-Type").value_or(""), "application/problem+json");
    return json::parse(r.body).value("field", "");
  };
  EXPECT_EQ(field("/api/v1/oversight/outcomes?from=2026-03-31&to=2026-03-01"), "from");
  EXPECT_EQ(field("/api/v1/oversight/outcomes?from=2026-02-30&to=2026-03-31"), "from");
  EXPECT_EQ(field("/api/v1/oversight/outcomes?from=2026-03-01"), "to");
  EXPECT_EQ(field(std::string(kMarch) + "&agency=NOPE"), "agency");
  EXPECT_EQ(field(std::string(kMarch) + "&team=prac.one"), "team");
  EXPECT_EQ(field(std::string(kMarch) + "&format=xml"), "format");
  EXPECT_EQ(field(std::string(kMarch) + "&format=csv&table=nope"), "table");
}

TEST_F(OversightApi, PractitionersAreRefusedAndStrangersMustSignIn) {
  EXPECT_EQ(get(kMarch, "prac.one").status, 403);
  EXPECT_EQ(get(kMarch, "").status, 401);
}

TEST_F(OversightApi, EveryReportIsInTheOpenApiDocument) {
  const auto& paths = app->openapi()["paths"];
  for (const char* name :
       {"timeliness", "outcomes", "repeat-concerns", "suspects", "demographics", "annex-a"}) {
    auto path = std::string("/api/v1/oversight/") + name;
    ASSERT_TRUE(paths.contains(path)) << path;
    EXPECT_EQ(
        paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/OversightReport");
  }
  EXPECT_TRUE(app->openapi()["components"]["schemas"].contains("OversightReport"));
}

}  // namespace
}  // namespace sg::api
