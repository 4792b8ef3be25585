#include "access/public_reports.h"

#include <gtest/gtest.h>

#include <set>

#include "test_support.h"

namespace sg::access {
namespace {

using nlohmann::json;
using testing::at;

using PublicReportsTest = testing::PublicReportingTest;
constexpr auto report = testing::public_report_example;

TEST(ReceiptCode, IsEightWordsOfTenBitsEach) {
  EXPECT_EQ(receipt_words().size(), 1024u);
  std::set<std::string> prefixes;
  for (const auto& w : receipt_words()) prefixes.insert(w.substr(0, 4));
  EXPECT_EQ(prefixes.size(), 1024u) << "first four letters identify a word";
  auto code = generate_receipt_code();
  EXPECT_EQ(std::count(code.begin(), code.end(), '-'), 7);
  EXPECT_NE(generate_receipt_code(), code);
}

TEST(ReceiptCode, ReadsBackWhatAPersonTypes) {
  auto code = generate_receipt_code();
  std::string typed;
  for (char c : code) typed += c == '-' ? ' ' : static_cast<char>(std::toupper(c));
  EXPECT_EQ(canonical_receipt_code(typed), code);
  EXPECT_EQ(canonical_receipt_code("one two"), "") << "too few words";
  EXPECT_EQ(canonical_receipt_code("zzzz zzzz zzzz zzzz zzzz zzzz zzzz zzzz"), "");
}

TEST_F(PublicReportsTest, ReportEntersTheMashQueueWithItsClock) {
  auto r = w.reports.submit(report());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->reference.substr(0, 3), "AR-");
  auto tasks = w.casework.inbox(mash, {.inbox = "mash", .kind = "task"}).value();
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].subkind, "referral_decision");
  EXPECT_EQ(tasks[0].due, core::Date::parse_iso("2026-12-29").value());
  auto kase = w.casework.document(mash, tasks[0].case_id, std::nullopt, "case_work").value();
  EXPECT_EQ(kase["body"]["events"][0]["anonymous_report_id"], r->report_id)
      << "staff reach the report from the case";
  auto status = w.reports.status(r->receipt_code).value();
  EXPECT_EQ(status.reference, r->reference);
  EXPECT_EQ(status.status, "received");
}

TEST_F(PublicReportsTest, RefusesFieldsOnlyProfessionalsSet) {
  auto doc = report();
  doc["indicators"] = json::array();
  EXPECT_EQ(w.reports.submit(doc).error().field, "indicators");
  doc = report();
  doc["children"] = json::array();
  EXPECT_EQ(w.reports.submit(doc).error().field, "children");
}

TEST_F(PublicReportsTest, WrongCodesAreRefusedAlike) {
  auto r = w.reports.submit(report()).value();
  auto words = receipt_words();
  std::string other = words[0];
  for (int i = 1; i < kReceiptWords; ++i) other += "-" + words[i];
  auto unknown = w.reports.status(other);
  auto malformed = w.reports.status("not a code at all");
  ASSERT_FALSE(unknown.ok());
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(unknown.error().code, core::Code::kNotFound);
  EXPECT_EQ(unknown.error().message, malformed.error().message);
  // A slip at the end of a word still finds the report.
  auto slip = r.receipt_code;
  auto first_dash = slip.find('-');
  if (first_dash > 4) slip[first_dash - 1] = slip[first_dash - 1] == 'x' ? 'y' : 'x';
  EXPECT_TRUE(w.reports.status(slip).ok());
}

TEST_F(PublicReportsTest, ReporterAndStaffExchangeMessages) {
  auto r = w.reports.submit(report()).value();
  ASSERT_TRUE(w.reports.add_information(r.receipt_code, "It was a silver Astra again.").ok());
  auto alerts = w.casework.inbox(mash, {.inbox = "mash", .kind = "alert"}).value();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].subkind, "anonymous_report_update");
  EXPECT_EQ(alerts[0].label, "Jade") << "lists show who it is about";
  EXPECT_EQ(w.reports.add_information(r.receipt_code, "  ").error().field, "text");
  ASSERT_TRUE(w.reports.reply(mash, r.report_id, "Thank you. We are looking into this.").ok());
  auto status = w.reports.status(r.receipt_code).value();
  ASSERT_EQ(status.messages.size(), 2u);
  EXPECT_EQ(status.messages[0].from, "reporter");
  EXPECT_EQ(status.messages[1].from, "staff");
  auto tx = w.store->begin(storage::TxMode::kRead).value();
  auto last = tx->ledger_last().value();
  EXPECT_EQ(last->operation, domain::Operation::kDisclosure);
  EXPECT_EQ(last->recipient, "anonymous reporter " + r.reference);
}

TEST_F(PublicReportsTest, ReceiptCodeIsStoredOnlyAsAHash) {
  auto r = w.reports.submit(report()).value();
  auto bytes = file_bytes();
  EXPECT_EQ(bytes.find(r.receipt_code), std::string::npos);
  auto first_words = r.receipt_code.substr(0, r.receipt_code.find('-', 12));
  EXPECT_EQ(bytes.find(first_words), std::string::npos);
  EXPECT_TRUE(w.reports.status(r.receipt_code).ok());
}

}  // namespace
}  // namespace sg::access
