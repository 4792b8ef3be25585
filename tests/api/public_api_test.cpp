#include <gtest/gtest.h>

#include "api/app.h"
#include "test_support.h"

namespace sg::access {
namespace {

using nlohmann::json;
using testing::at;

using PublicApiTest = testing::PublicReportingTest;
constexpr auto report = testing::public_report_example;

TEST_F(PublicApiTest, ApiStoresNoAddressAndRateLimits) {
  auto app = api::App::create({*w.store, w.ledger, w.accounts, w.clock, w.casework, w.reports}, {})
                 .value();
  api::Request req;
  req.method = "POST";
  req.path = req.target = "/api/v1/public/reports";
  req.remote_address = "203.0.113.77";
  req.headers = {{"host", "localhost"},
                 {"content-type", "application/json"},
                 {"user-agent", "TestBrowser/9.9 unique-agent-string"}};
  req.body = report().dump();
  auto first = app->handle(req);
  ASSERT_EQ(first.status, 201) << first.body;
  auto receipt = json::parse(first.body);
  EXPECT_EQ(receipt["receipt_code"].get<std::string>().size() > 20, true);
  int refused = 0;
  for (int i = 0; i < 8; ++i) refused += app->handle(req).status == 429;
  EXPECT_GT(refused, 0) << "a burst of reports from one client is throttled";
  api::Request check = req;
  check.path = check.target = "/api/v1/public/reports/status";
  check.body = json{{"receipt_code", receipt["receipt_code"]}}.dump();
  auto status = app->handle(check);
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(json::parse(status.body)["status"], "received");
  auto bytes = file_bytes();
  EXPECT_EQ(bytes.find("203.0.113.77"), std::string::npos);
  EXPECT_EQ(bytes.find("unique-agent-string"), std::string::npos);
}

}  // namespace
}  // namespace sg::access
