// The issue's tamper tests on a 100,000-event ledger: every single-row edit, deletion or
// swap is detected; truncation below a checkpoint is detected; a checkpoint re-signed with
// a wrong key is detected; a clean ledger never fails.
//
// Why checking each row against the verifier's state just before it covers the whole file:
// verify() is a left-to-right fold (ChainVerifier) whose state after row i depends only on
// rows 1..i, and it stops at the first row that does not fit. So "a tampered ledger is
// detected at row i" is exactly "the tampered row i (or the row that now sits at i) does not
// fit the state after the genuine rows 1..i-1". The exhaustive tests below check that for
// every i in memory; a sample of the same tampering done to the SQLite file checks that the
// file-level verify() sees what the fold sees.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "audit/checkpoint.h"
#include "audit/ledger.h"
#include "test_support.h"

namespace sg::audit {
namespace {

using testing::World;

constexpr int kEvents = 100000;

// The 100,000 events, made in memory exactly as Ledger::append makes them (salted payload
// digests, chained hashes), so the exhaustive tests need no database.
std::vector<storage::LedgerRow> make_rows(std::vector<storage::LedgerPayload>& payloads) {
  std::vector<storage::LedgerRow> rows;
  rows.reserve(kEvents);
  core::ManualClock clock{testing::at("2026-11-30T09:00:00Z")};
  core::SeededRandom random{42};
  core::IdGenerator ids{clock, random};
  const domain::Operation ops[] = {domain::Operation::kCollection, domain::Operation::kConsultation,
                                   domain::Operation::kAlteration, domain::Operation::kDisclosure};
  std::string prev = kGenesisHash;
  for (int i = 0; i < kEvents; ++i) {
    storage::LedgerRow row;
    row.seq = i + 1;
    row.event_id = ids.next();
    row.at = clock.now();
    row.actor = "user-" + std::to_string(i % 37);
    row.operation = ops[i % 4];
    row.reason = "case_work";
    row.record_ids = {"rec-" + std::to_string(i % 5000)};
    if (row.operation == domain::Operation::kDisclosure) row.recipient = "agency-health";
    std::string salt = ids.next() + ids.next();  // 64 hex digits once the dashes go.
    std::erase(salt, '-');
    salt.resize(64);
    std::string payload = R"({"n":)" + std::to_string(i) + "}";
    row.payload_digest = salted_digest_hex(salt, payload);
    row.prev_hash = prev;
    row.hash = chain_hash(row);
    prev = row.hash;
    payloads.push_back({row.seq, salt, payload, 0});
    rows.push_back(std::move(row));
    if (i % 1000 == 999) clock.advance(std::chrono::seconds(1));
  }
  return rows;
}

class LedgerTamper : public ::testing::Test {
 protected:
  // Built once per process (ctest runs each test in its own): rows in memory, then written
  // through the storage API in one transaction, then checkpointed.
  static void SetUpTestSuite() {
    std::vector<storage::LedgerPayload> payloads;
    rows_ = new std::vector<storage::LedgerRow>(make_rows(payloads));
    payloads_ = new std::vector<storage::LedgerPayload>(std::move(payloads));
    core::SeededRandom key_random{2026};
    key_ = new SigningKey(SigningKey::generate("northfield-ledger", key_random).value());
    ChainVerifier v;
    for (const auto& row : *rows_) ASSERT_EQ(v.feed(row), "");
    exported_ = new Checkpoint(sign_checkpoint(*key_, "safeguard/ledger", kEvents, v.root(),
                                               testing::at("2026-11-30T10:00:00Z")));
  }

  static void TearDownTestSuite() {
    delete rows_;
    delete payloads_;
    delete exported_;
    delete key_;
  }

  // Writes the ledger to a fresh database file, with its checkpoint stored beside it.
  struct Db {
    testing::TempDir dir;
    std::string path = dir.file("ledger.db");
  };
  static std::unique_ptr<Db> write_db() {
    auto db = std::make_unique<Db>();
    auto store = storage::open_sqlite_store(db->path, storage::OpenMode::kCreate).value();
    auto tx = store->begin(storage::TxMode::kWrite).value();
    for (int i = 0; i < kEvents; ++i) {
      EXPECT_TRUE(tx->append_ledger((*rows_)[i]).ok());
      EXPECT_TRUE(tx->put_ledger_payload((*payloads_)[i]).ok());
    }
    storage::LedgerCheckpoint stored;
    stored.tree_size = kEvents;
    stored.root_hash = to_hex(exported_->root);
    stored.at = exported_->at;
    stored.key_id = key_->public_key().key_id();
    stored.note = exported_->note();
    EXPECT_TRUE(tx->append_checkpoint(stored).ok());
    EXPECT_TRUE(tx->commit().ok());
    return db;
  }

  static void tamper(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    std::string all =
        "DROP TRIGGER ledger_no_update; DROP TRIGGER ledger_no_delete;"
        "DROP TRIGGER ledger_records_no_delete; DROP TRIGGER ledger_payloads_no_delete;"
        "DROP TRIGGER ledger_checkpoints_no_delete;" +
        sql;
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db, all.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
    sqlite3_close(db);
  }

  static VerifyReport verify_file(const std::string& path, VerifyOptions options) {
    auto store = storage::open_sqlite_store(path, storage::OpenMode::kExistingOnly).value();
    return verify(*store, options).value();
  }

  VerifyOptions with_checkpoint() const {
    return {.checkpoints = {*exported_}, .public_key = key_->public_key()};
  }

  static SigningKey* key_;
  static Checkpoint* exported_;
  static std::vector<storage::LedgerRow>* rows_;
  static std::vector<storage::LedgerPayload>* payloads_;
};

std::vector<storage::LedgerPayload>* LedgerTamper::payloads_ = nullptr;
SigningKey* LedgerTamper::key_ = nullptr;
Checkpoint* LedgerTamper::exported_ = nullptr;
std::vector<storage::LedgerRow>* LedgerTamper::rows_ = nullptr;

// Changes field number `which` (of the 11 a row has) of `row`.
void edit_field(storage::LedgerRow& row, int which) {
  switch (which) {
    case 0:
      row.event_id[10] = row.event_id[10] == 'a' ? 'b' : 'a';
      break;
    case 1:
      row.at += std::chrono::microseconds(1);
      break;
    case 2:
      row.actor += "x";
      break;
    case 3:
      row.operation = row.operation == domain::Operation::kErasure ? domain::Operation::kCollection
                                                                   : domain::Operation::kErasure;
      break;
    case 4:
      row.reason = "other_reason";
      break;
    case 5:
      row.record_ids.push_back("rec-extra");
      break;
    case 6:
      row.recipient = row.recipient.empty() ? "someone" : "";
      break;
    case 7:
      row.payload_digest[0] = row.payload_digest[0] == '0' ? '1' : '0';
      break;
    case 8:
      row.prev_hash[5] = row.prev_hash[5] == '0' ? '1' : '0';
      break;
    case 9:
      row.hash[5] = row.hash[5] == '0' ? '1' : '0';
      break;
    default:
      row.seq += 1;
      break;
  }
}

TEST_F(LedgerTamper, ACleanLedgerNeverFails) {
  auto db = write_db();
  auto report = verify_file(db->path, with_checkpoint());
  EXPECT_TRUE(report.intact()) << report.problem;
  EXPECT_EQ(report.events, kEvents);
  EXPECT_EQ(report.checkpoints_checked, 2) << "the stored and the exported checkpoint";
  EXPECT_TRUE(report.signatures_checked);
  EXPECT_EQ(report.payloads_held, kEvents);
  EXPECT_EQ(report.root_hash, to_hex(exported_->root));
}

TEST_F(LedgerTamper, EverySingleRowEditDeletionSwapOrInsertionIsDetectedWhereItHappens) {
  ASSERT_EQ(rows_->size(), static_cast<size_t>(kEvents));
  const auto& rows = *rows_;
  ChainVerifier genuine;
  int undetected = 0;
  for (int i = 0; i < kEvents; ++i) {
    const auto& row = rows[i];
    // Edit: every row, each of its 11 fields in turn across the rows.
    auto edited = row;
    edit_field(edited, i % 11);
    if (auto v = genuine; v.feed(edited).empty()) ++undetected;
    // Edit with the row's own hash recomputed: the next row's link breaks.
    if (i + 1 < kEvents) {
      auto rehashed = row;
      rehashed.reason = "other_reason";
      rehashed.hash = chain_hash(rehashed);
      auto v = genuine;
      if (v.feed(rehashed).empty() && v.feed(rows[i + 1]).empty()) ++undetected;
    }
    if (i + 1 < kEvents) {
      // Deletion: row i+1 now follows row i-1.
      if (auto v = genuine; v.feed(rows[i + 1]).empty()) ++undetected;
      // Swap of rows i and i+1, keeping the sequence numbers in place.
      auto moved = rows[i + 1];
      moved.seq = row.seq;
      if (auto v = genuine; v.feed(moved).empty()) ++undetected;
    }
    // Insertion of a well-formed event before row i: row i no longer links.
    if (i > 0) {
      auto forged = rows[i - 1];
      forged.seq = row.seq;
      forged.event_id = "forged";
      forged.prev_hash = rows[i - 1].hash;
      forged.hash = chain_hash(forged);
      auto shifted = row;
      shifted.seq += 1;
      auto v = genuine;
      if (v.feed(forged).empty() && v.feed(shifted).empty()) ++undetected;
    }
    ASSERT_EQ(genuine.feed(row), "") << "the clean ledger fails at " << row.seq;
  }
  EXPECT_EQ(undetected, 0);
  EXPECT_EQ(genuine.root(), exported_->root);
}

TEST_F(LedgerTamper, ARewriteThatRecomputesTheWholeChainIsCaughtByTheCheckpoint) {
  // Someone who knows the scheme edits event k and recomputes every later hash: the chain
  // is self-consistent, so only the signed tree head can tell.
  ChainVerifier genuine;
  for (int k = 0; k < kEvents; ++k) {
    if (k == 1 || k == kEvents / 2 || k == kEvents - 1) {
      auto rewritten = genuine;
      std::string prev = genuine.head_hash();
      for (int i = k; i < kEvents; ++i) {
        auto row = (*rows_)[i];
        if (i == k) row.reason = "other_reason";
        row.prev_hash = prev;
        row.hash = chain_hash(row);
        prev = row.hash;
        ASSERT_EQ(rewritten.feed(row), "") << "the rewritten chain is self-consistent";
      }
      EXPECT_NE(rewritten.root(), exported_->root) << "rewrite at " << k + 1;
    }
    ASSERT_EQ(genuine.feed((*rows_)[k]), "");
  }
}

TEST_F(LedgerTamper, EditsDeletionsAndSwapsInTheFileAreNamedByVerify) {
  struct Case {
    const char* sql;
    std::int64_t bad_seq;
  };
  const Case cases[] = {
      {"UPDATE ledger SET actor = 'someone-else' WHERE seq = 50000;", 50000},
      {"DELETE FROM ledger_records WHERE seq = 1; DELETE FROM ledger_payloads WHERE seq = 1;"
       "DELETE FROM ledger WHERE seq = 1;",
       1},
      {"UPDATE ledger SET seq = -1 WHERE seq = 99999;"
       "UPDATE ledger SET seq = 99999 WHERE seq = 100000;"
       "UPDATE ledger SET seq = 100000 WHERE seq = -1;",
       99999},
  };
  auto original = write_db();
  for (const auto& c : cases) {
    testing::TempDir dir;
    auto copy = dir.file("copy.db");
    std::filesystem::copy_file(original->path, copy);
    tamper(copy, c.sql);
    auto report = verify_file(copy, with_checkpoint());
    ASSERT_FALSE(report.intact()) << c.sql;
    EXPECT_EQ(report.first_bad_seq, c.bad_seq) << c.sql;
  }
}

TEST_F(LedgerTamper, TheLastEventRewrittenWithAFreshHashIsCaughtByTheCheckpoint) {
  auto copy = write_db();
  auto last = rows_->back();
  last.reason = "other_reason";
  auto hash = chain_hash(last);
  tamper(copy->path, "UPDATE ledger SET reason = 'other_reason', hash = '" + hash +
                         "' WHERE seq = " + std::to_string(kEvents) + ";");
  auto report = verify_file(copy->path, with_checkpoint());
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_bad_seq, kEvents);
  EXPECT_NE(report.problem.find("rewritten"), std::string::npos);
}

TEST_F(LedgerTamper, TruncationBelowAnExportedCheckpointIsDetected) {
  auto copy = write_db();
  // The stored checkpoints go too, as a careful intruder would remove them.
  tamper(copy->path,
         "DELETE FROM ledger_records WHERE seq > 99000; DELETE FROM ledger_payloads WHERE seq > "
         "99000; DELETE FROM ledger WHERE seq > 99000; DELETE FROM ledger_checkpoints;");
  auto report = verify_file(copy->path, with_checkpoint());
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_bad_seq, 99001);
  EXPECT_NE(report.problem.find("truncated or rolled back"), std::string::npos);
}

TEST_F(LedgerTamper, ARollbackThatThenGrowsPastTheCheckpointIsDetected) {
  auto copy = write_db();
  tamper(copy->path,
         "DELETE FROM ledger_records WHERE seq > 99990; DELETE FROM ledger_payloads WHERE seq > "
         "99990; DELETE FROM ledger WHERE seq > 99990; DELETE FROM ledger_checkpoints;");
  {
    auto store = storage::open_sqlite_store(copy->path, storage::OpenMode::kExistingOnly).value();
    core::ManualClock clock{testing::at("2026-12-01T09:00:00Z")};
    core::SeededRandom random{9};
    core::IdGenerator ids{clock, random};
    Ledger ledger{clock, ids, random};
    auto tx = store->begin(storage::TxMode::kWrite).value();
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE(ledger
                      .append(*tx, {.actor = "user-1",
                                    .operation = domain::Operation::kConsultation,
                                    .reason = "case_work",
                                    .record_ids = {"rec-1"},
                                    .payload = "{}"})
                      .ok());
    }
    ASSERT_TRUE(tx->commit().ok());
  }
  auto report = verify_file(copy->path, with_checkpoint());
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_bad_seq, kEvents);
  EXPECT_NE(report.problem.find("do not match the checkpoint"), std::string::npos);
}

TEST_F(LedgerTamper, ACheckpointReSignedWithAWrongKeyIsDetected) {
  core::SeededRandom other_random{666};
  auto impostor = SigningKey::generate("northfield-ledger", other_random).value();
  auto forged = sign_checkpoint(impostor, exported_->origin, exported_->tree_size, exported_->root,
                                exported_->at);
  auto db = write_db();
  auto report = verify_file(db->path, {.checkpoints = {forged}, .public_key = key_->public_key()});
  ASSERT_FALSE(report.intact());
  EXPECT_FALSE(report.first_bad_seq.has_value());
  EXPECT_NE(report.problem.find("not by the given key"), std::string::npos);
  // The genuine checkpoint checked against the impostor's key fails the same way.
  report = verify_file(db->path, {.public_key = impostor.public_key()});
  EXPECT_FALSE(report.intact());
}

}  // namespace
}  // namespace sg::audit
