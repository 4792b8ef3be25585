#include <gtest/gtest.h>

#include "api/app.h"
#include "api_client.h"
#include "test_support.h"

namespace sg::api {
namespace {

using nlohmann::json;

using Session = testing::ApiSession;

struct ExtractApi : ::testing::Test {
  testing::World w;
  std::unique_ptr<App> app;

  void SetUp() override {
    w.add_user("sam.practitioner", domain::Role::kPractitioner);
    w.add_user("ana.analyst", domain::Role::kAnalyst);
    app = App::create({*w.store, w.ledger, w.accounts, w.clock, w.casework, w.reports}, {}).value();
  }

  Response post(const Session* s, const std::string& body) {
    Request r;
    r.method = "POST";
    r.path = r.target = "/api/v1/extract";
    r.headers = {{"host", "localhost"}, {"content-type", "application/json"}};
    if (s) {
      r.headers.emplace_back("cookie", s->cookie);
      r.headers.emplace_back("x-csrf-token", s->csrf);
    }
    r.body = body;
    return app->handle(r);
  }

  Session login(const std::string& user) { return testing::api_login(*app, user); }

  std::int64_t ledger_size() {
    auto tx = w.store->begin(storage::TxMode::kRead).value();
    auto last = tx->ledger_last().value();
    return last ? last->seq : 0;
  }
};

TEST_F(ExtractApi, ProposesEachItemWithItsKindValueAndPlace) {
  auto sam = login("sam.practitioner");
  std::string text =
      "Seen in a silver car YX65 KLM on 14/03/2024, texting 07700 900123 near NF1 2AB; "
      "contact jay@example.org.";
  auto r = post(&sam, json{{"text", text}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Content-Type").value_or(""), "application/json");
  auto items = json::parse(r.body)["items"];
  std::vector<std::string> kinds;
  for (const auto& item : items) {
    kinds.push_back(item["kind"]);
    // The text is the input between start and end (ASCII here, so bytes are code points).
    auto start = item["start"].get<std::size_t>(), end = item["end"].get<std::size_t>();
    EXPECT_EQ(text.substr(start, end - start), item["text"].get<std::string>());
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"vehicle_registration", "date", "phone", "postcode",
                                             "email"}));
  EXPECT_EQ(items[0]["value"], "YX65KLM");
  EXPECT_EQ(items[1]["value"], "2024-03-14");
  EXPECT_EQ(items[2]["value"], "+447700900123");
}

TEST_F(ExtractApi, WritesNoLedgerEventBecauseNothingStoredIsTouched) {
  auto sam = login("sam.practitioner");
  auto before = ledger_size();
  ASSERT_EQ(post(&sam, R"({"text":"Phone 07700 900123"})").status, 200);
  EXPECT_EQ(ledger_size(), before);
}

TEST_F(ExtractApi, AnEmptyNarrativeHasNoItems) {
  auto sam = login("sam.practitioner");
  auto r = post(&sam, R"({"text":""})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["items"], json::array());
}

TEST_F(ExtractApi, BadInputIsAProblemNamingTheField) {
  auto sam = login("sam.practitioner");
  auto expect_field = [&](const std::string& body, int status, const std::string& field) {
    auto r = post(&sam, body);
    EXPECT_EQ(r.status, status) << body;
    EXPECT_EQ(r.header("Content-Type").value_or(""), "application/problem+json");
    EXPECT_EQ(json::parse(r.body)["field"], field) << body;
  };
  expect_field("{}", 400, "text");
  expect_field(R"({"text": 42})", 400, "text");
  expect_field("not json", 400, "body");
  expect_field("[]", 400, "body");

  // One byte over the concern narrative's limit is refused, and the text is not echoed.
  std::string long_text(domain::ConcernLimits{}.max_narrative_bytes + 1, 'x');
  long_text.replace(0, 8, "YX65KLM ");
  auto r = post(&sam, json{{"text", long_text}}.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["field"], "text");
  EXPECT_EQ(r.body.find("YX65KLM"), std::string::npos);
  long_text.pop_back();
  EXPECT_EQ(post(&sam, json{{"text", long_text}}.dump()).status, 200);
}

TEST_F(ExtractApi, NeedsASessionAndARoleThatRaisesConcerns) {
  EXPECT_EQ(post(nullptr, R"({"text":"x"})").status, 401);
  auto analyst = login("ana.analyst");
  EXPECT_EQ(post(&analyst, R"({"text":"x"})").status, 403);
}

TEST_F(ExtractApi, IsDescribedInTheOpenApiDocument) {
  const auto& op = app->openapi()["paths"]["/api/v1/extract"]["post"];
  EXPECT_EQ(op["operationId"], "extractFromNarrative");
  EXPECT_TRUE(op["responses"].contains("200"));
  EXPECT_TRUE(op["responses"].contains("400"));
}

}  // namespace
}  // namespace sg::api
