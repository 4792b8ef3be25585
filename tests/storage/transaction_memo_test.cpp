// What a SQLite write transaction keeps for later or remembers (issue 3, bulk import): index
// rows written set-wise before the next read or the commit, and open_case_for's answers.
// Within the transaction, reads see exactly what one statement per write would have shown.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "storage/sqlite/sqlite_store.h"
#include "test_support.h"

namespace sg::storage {
namespace {

using testing::at;
using testing::TempDir;

struct TransactionMemoTest : ::testing::Test {
  TempDir dir;
  std::unique_ptr<Store> store = open_sqlite_store(dir.file("a.db"), OpenMode::kCreate).value();
  std::int64_t seq = 0;

  void SetUp() override {
    auto tx = store->begin(TxMode::kWrite).value();
    ASSERT_TRUE(tx->insert_agency({"a1", "NFP", "Agency", domain::AgencyKind::kPolice,
                                   at("2026-01-01T00:00:00Z")})
                    .ok());
    ledger(*tx);
    ASSERT_TRUE(tx->commit().ok());
  }

  void ledger(Transaction& tx) { ASSERT_TRUE(tx.append_ledger(testing::ledger_row(++seq)).ok()); }

  static domain::RecordVersion record(const std::string& id, const std::string& kind,
                                      const nlohmann::json& body) {
    return {id,
            0,
            kind,
            "a1",
            domain::Marking::kOfficialSensitive,
            body.dump(),
            at("2026-01-01T10:00:00Z"),
            "user-1"};
  }

  static CaseSummary summary(const std::string& id, const std::string& subject,
                             const std::string& status, const char* opened) {
    return {id, subject, "referral_decision", status, "a1", at(opened), at(opened), "Child"};
  }

  static std::vector<std::string> hits(Transaction& tx, const std::string& term) {
    std::vector<std::string> out;
    for (const auto& hit : tx.search_concerns({term}, 10).value()) out.push_back(hit.concern_id);
    std::sort(out.begin(), out.end());
    return out;
  }
};

TEST_F(TransactionMemoTest, ANewRecordWhoseIdExistsConflicts) {
  auto tx = store->begin(TxMode::kWrite).value();
  ASSERT_TRUE(tx->put_record(record("r1", "note", {{"n", 1}}), 0).ok());
  ASSERT_TRUE(tx->put_record(record("r1", "note", {{"n", 2}}), 1).ok());
  // Written as new (version 0 expected) while version 2 exists: the primary key refuses it
  // and the error says where the record stands, as the look-up before the insert did.
  auto again = tx->put_record(record("r1", "note", {{"n", 3}}), 0);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::Code::kAborted);
  EXPECT_EQ(again.error().message, "record r1 is at version 2, not 0");
  auto ahead = tx->put_record(record("r1", "note", {{"n", 3}}), 5);
  ASSERT_FALSE(ahead.ok());
  EXPECT_EQ(ahead.error().message, "record r1 is at version 2, not 5");
  auto bad_agency = record("r2", "note", {});
  bad_agency.agency_id = "nobody";
  EXPECT_EQ(tx->put_record(bad_agency, 0).error().field, "agency");
  EXPECT_EQ(tx->record("r1").value().version, 2);
}

TEST_F(TransactionMemoTest, SearchAndCaseLinksSeeConcernsWrittenEarlierInTheTransaction) {
  auto tx = store->begin(TxMode::kWrite).value();
  ASSERT_TRUE(tx->put_record(record("k1", "concern", {{"narrative", "silver taxi"}}), 0).ok());
  ASSERT_TRUE(tx->put_record(record("k2", "concern", {{"narrative", "silver van"}}), 0).ok());
  ASSERT_TRUE(tx->put_record(record("c1", "case", {{"concerns", {"k1"}}}), 0).ok());
  ASSERT_TRUE(tx->put_record(record("c1", "case", {{"concerns", {"k1", "k2"}}}), 1).ok());
  EXPECT_EQ(hits(*tx, "silver"), (std::vector<std::string>{"k1", "k2"}));
  EXPECT_EQ(tx->cases_of_concern("k2").value(), std::vector<std::string>{"c1"});
  // A correction after pending rows replaces its own row only.
  ASSERT_TRUE(tx->put_record(record("k3", "concern", {{"narrative", "red bike"}}), 0).ok());
  ASSERT_TRUE(tx->put_record(record("k1", "concern", {{"narrative", "blue taxi"}}), 1).ok());
  ASSERT_TRUE(tx->put_record(record("k4", "concern", {{"narrative", "red car"}}), 0).ok());
  ledger(*tx);
  ASSERT_TRUE(tx->commit().ok());

  auto read = store->begin(TxMode::kRead).value();
  EXPECT_EQ(hits(*read, "silver"), std::vector<std::string>{"k2"});
  EXPECT_EQ(hits(*read, "taxi"), std::vector<std::string>{"k1"});
  EXPECT_EQ(hits(*read, "red"), (std::vector<std::string>{"k3", "k4"}));
  EXPECT_EQ(read->cases_of_concern("k1").value(), std::vector<std::string>{"c1"});
}

TEST_F(TransactionMemoTest, AnUncommittedTransactionLeavesNoIndexRows) {
  {
    auto tx = store->begin(TxMode::kWrite).value();
    ASSERT_TRUE(tx->put_record(record("k1", "concern", {{"narrative", "silver"}}), 0).ok());
    ASSERT_TRUE(tx->add_mention({"s1", "k1", "child", at("2026-01-01T10:00:00Z"), "a1"}).ok());
  }
  auto read = store->begin(TxMode::kRead).value();
  EXPECT_TRUE(hits(*read, "silver").empty());
  EXPECT_TRUE(read->mentions("s1").value().empty());
}

TEST_F(TransactionMemoTest, MentionsReadBackInOrderAndDuplicatesKeepTheFirst) {
  auto tx = store->begin(TxMode::kWrite).value();
  // More than one multi-row insert's worth, with a duplicate across the boundary.
  for (int i = 0; i < 40; ++i) {
    auto when = at(i < 20 ? "2026-01-01T10:00:00Z" : "2026-01-02T10:00:00Z");
    std::string concern = "k" + std::to_string(100 + i);
    ASSERT_TRUE(tx->add_mention({"s1", concern, i % 2 ? "suspect" : "child", when, "a1"}).ok());
  }
  ASSERT_TRUE(tx->add_mention({"s1", "k100", "child", at("2026-03-01T10:00:00Z"), "a1"}).ok());
  auto all = tx->mentions("s1").value();
  ASSERT_EQ(all.size(), 40u);
  EXPECT_EQ(all.front().concern_id, "k100");
  EXPECT_EQ(all.front().received_at, at("2026-01-01T10:00:00Z")) << "the first insert stands";
  EXPECT_EQ(all.back().concern_id, "k139");
  EXPECT_EQ(tx->mentions_in("k101").value().at(0).role, "suspect");
  ASSERT_TRUE(tx->add_mention({"s2", "k200", "child", at("2026-01-01T10:00:00Z"), "a1"}).ok());
  ledger(*tx);
  ASSERT_TRUE(tx->commit().ok());
  EXPECT_EQ(store->begin(TxMode::kRead).value()->mentions("s2").value().size(), 1u);
}

TEST_F(TransactionMemoTest, OpenCaseAnswersFollowEveryCaseWrite) {
  auto tx = store->begin(TxMode::kWrite).value();
  EXPECT_FALSE(tx->open_case_for("child-1").value());
  ASSERT_TRUE(tx->upsert_case(summary("c1", "child-1", "open", "2026-01-01T10:00:00Z")).ok());
  EXPECT_EQ(tx->open_case_for("child-1").value()->case_id, "c1") << "opened after a 'none'";
  auto updated = summary("c1", "child-1", "open", "2026-01-01T10:00:00Z");
  updated.stage = "assessment";
  ASSERT_TRUE(tx->upsert_case(updated).ok());
  EXPECT_EQ(tx->open_case_for("child-1").value()->stage, "assessment");
  // A newer open case wins; an older one does not.
  ASSERT_TRUE(tx->upsert_case(summary("c2", "child-1", "open", "2026-02-01T10:00:00Z")).ok());
  EXPECT_EQ(tx->open_case_for("child-1").value()->case_id, "c2");
  ASSERT_TRUE(tx->upsert_case(summary("c0", "child-1", "open", "2025-12-01T10:00:00Z")).ok());
  EXPECT_EQ(tx->open_case_for("child-1").value()->case_id, "c2");
  // Closing it falls back to the next newest open case.
  ASSERT_TRUE(tx->upsert_case(summary("c2", "child-1", "closed", "2026-02-01T10:00:00Z")).ok());
  EXPECT_EQ(tx->open_case_for("child-1").value()->case_id, "c1");
  // Moving a case to another subject moves its answer too.
  ASSERT_TRUE(tx->upsert_case(summary("c1", "child-2", "open", "2026-01-01T10:00:00Z")).ok());
  EXPECT_EQ(tx->open_case_for("child-1").value()->case_id, "c0");
  EXPECT_EQ(tx->open_case_for("child-2").value()->case_id, "c1");
  ASSERT_TRUE(tx->upsert_case(summary("c0", "child-1", "closed", "2025-12-01T10:00:00Z")).ok());
  EXPECT_FALSE(tx->open_case_for("child-1").value());
}

TEST_F(TransactionMemoTest, ErasingACaseRecordBlanksItsRememberedSubject) {
  auto tx = store->begin(TxMode::kWrite).value();
  ASSERT_TRUE(
      tx->put_record(record("c1", "case", {{"concerns", nlohmann::json::array()}}), 0).ok());
  ASSERT_TRUE(tx->upsert_case(summary("c1", "child-1", "open", "2026-01-01T10:00:00Z")).ok());
  ASSERT_TRUE(tx->open_case_for("child-1").value());
  ASSERT_TRUE(tx->erase_record("c1").ok());
  EXPECT_FALSE(tx->open_case_for("child-1").value()) << "erasure blanks the case's subject key";
}

}  // namespace
}  // namespace sg::storage
