#include "audit/ledger.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <iterator>

#include "test_support.h"

namespace sg::audit {
namespace {

using testing::World;

// Appends `n` consultation events, each in its own transaction.
void append_events(World& w, int n) {
  for (int i = 0; i < n; ++i) {
    auto tx = w.store->begin(storage::TxMode::kWrite).value();
    std::string payload = "payload-" + std::to_string(i);
    auto row = w.ledger.append(*tx, {.actor = "user-" + std::to_string(i),
                                     .operation = domain::Operation::kConsultation,
                                     .reason = "case_work",
                                     .record_ids = {"rec-" + std::to_string(i)},
                                     .payload = payload});
    ASSERT_TRUE(row.ok()) << row.error().to_string();
    ASSERT_TRUE(tx->commit().ok());
    w.clock.advance(std::chrono::seconds(1));
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

TEST(Ledger, ChainsEventsFromGenesis) {
  World w;
  append_events(w, 3);
  auto tx = w.store->begin(storage::TxMode::kRead).value();
  auto rows = tx->ledger_range(1, 10).value();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].seq, 1);
  EXPECT_EQ(rows[0].prev_hash, kGenesisHash);
  EXPECT_EQ(rows[1].prev_hash, rows[0].hash);
  EXPECT_EQ(rows[2].prev_hash, rows[1].hash);
  auto payload = tx->ledger_payloads(1, 1).value().at(0);
  EXPECT_EQ(payload.payload, "payload-0");
  EXPECT_EQ(rows[0].payload_digest, salted_digest_hex(payload.salt, "payload-0"));
  EXPECT_NE(rows[0].payload_digest, digest_hex("payload-0")) << "the digest is salted";
  EXPECT_EQ(rows[0].hash, chain_hash(rows[0]));
  EXPECT_EQ(rows[1].at - rows[0].at, std::chrono::seconds(1)) << "time comes from the clock";
}

TEST(Ledger, DigestIsBlake2b256) {
  // BLAKE2b-256 of the empty string (RFC 7693 parameters, 32-byte output).
  EXPECT_EQ(digest_hex(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

TEST(Ledger, EveryFieldIsCoveredByTheHash) {
  World w;
  append_events(w, 1);
  auto tx = w.store->begin(storage::TxMode::kRead).value();
  auto row = tx->ledger_range(1, 1).value().at(0);
  auto base = chain_hash(row);
  auto changed = [&](auto mutate) {
    auto copy = row;
    mutate(copy);
    return chain_hash(copy) != base;
  };
  EXPECT_TRUE(changed([](auto& r) { r.actor += "x"; }));
  EXPECT_TRUE(changed([](auto& r) { r.reason += "x"; }));
  EXPECT_TRUE(changed([](auto& r) { r.operation = domain::Operation::kErasure; }));
  EXPECT_TRUE(changed([](auto& r) { r.record_ids.push_back("extra"); }));
  EXPECT_TRUE(changed([](auto& r) { r.recipient = "someone"; }));
  EXPECT_TRUE(changed([](auto& r) { r.payload_digest[0] ^= 1; }));
  EXPECT_TRUE(changed([](auto& r) { r.prev_hash[0] ^= 1; }));
  EXPECT_TRUE(changed([](auto& r) { r.seq += 1; }));
  EXPECT_TRUE(changed([](auto& r) { r.at += std::chrono::microseconds(1); }));
  EXPECT_TRUE(changed([](auto& r) { r.event_id += "x"; }));
  // Field boundaries are unambiguous.
  EXPECT_TRUE(changed([](auto& r) {
    r.record_ids = {r.record_ids[0].substr(0, 2), r.record_ids[0].substr(2)};
  }));
}

TEST(Ledger, RejectsMalformedDrafts) {
  World w;
  auto tx = w.store->begin(storage::TxMode::kWrite).value();
  EXPECT_EQ(w.ledger.append(*tx, {.actor = "", .reason = "case_work"}).error().field, "actor");
  EXPECT_EQ(w.ledger.append(*tx, {.actor = "u", .reason = "Bad Reason"}).error().field, "reason");
  auto disclosure = w.ledger.append(
      *tx, {.actor = "u", .operation = domain::Operation::kDisclosure, .reason = "case_work"});
  EXPECT_EQ(disclosure.error().field, "recipient");
}

TEST(LedgerVerify, IntactChainVerifies) {
  World w;
  append_events(w, 5);
  auto report = verify(*w.store).value();
  EXPECT_TRUE(report.intact());
  EXPECT_EQ(report.events, 5);
}

TEST(LedgerVerify, EmptyLedgerIsIntact) {
  World w;
  auto report = verify(*w.store).value();
  EXPECT_TRUE(report.intact());
  EXPECT_EQ(report.events, 0);
}

// Runs SQL against the file directly, bypassing the store, as an attacker with file access
// would; the append-only triggers are dropped first.
void tamper(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string all = "DROP TRIGGER ledger_no_update; DROP TRIGGER ledger_no_delete;" + sql;
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, all.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
  sqlite3_close(db);
}

TEST(LedgerVerify, DetectsAnEditedEvent) {
  World w;
  append_events(w, 5);
  tamper(w.db_path, "UPDATE ledger SET reason = 'other_reason' WHERE seq = 3;");
  auto report = verify(*w.store).value();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(*report.first_bad_seq, 3);
  EXPECT_EQ(report.events, 2);
}

TEST(LedgerVerify, DetectsADeletedEvent) {
  World w;
  append_events(w, 5);
  tamper(w.db_path, "DELETE FROM ledger WHERE seq = 2;");
  auto report = verify(*w.store).value();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(*report.first_bad_seq, 2);
}

TEST(LedgerVerify, DetectsAnInsertedEvent) {
  World w;
  append_events(w, 3);
  // Shift events 2..3 up and forge a new event 2 with a self-consistent hash: the next
  // event's prev_hash no longer matches.
  tamper(w.db_path,
         "UPDATE ledger SET seq = seq + 10 WHERE seq >= 2;"
         "UPDATE ledger SET seq = seq - 9 WHERE seq >= 12;"
         "INSERT INTO ledger SELECT 2, 'forged', at, actor, operation, reason, record_ids, "
         "recipient, payload_digest, hash, hash FROM ledger WHERE seq = 1;");
  auto report = verify(*w.store).value();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(*report.first_bad_seq, 2);
}

TEST(LedgerVerify, DetectsReorderedEvents) {
  World w;
  append_events(w, 4);
  tamper(w.db_path,
         "UPDATE ledger SET seq = 100 WHERE seq = 2;"
         "UPDATE ledger SET seq = 2 WHERE seq = 3;"
         "UPDATE ledger SET seq = 3 WHERE seq = 100;");
  auto report = verify(*w.store).value();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(*report.first_bad_seq, 2);
}

// The issue's acceptance test: change one byte of a ledger row inside the SQLite file
// itself, not through SQL, and the verifier names that row.
TEST(LedgerVerify, DetectsOneByteEditedInTheDatabaseFile) {
  World w;
  append_events(w, 6);
  std::string target_event_id;
  {
    auto tx = w.store->begin(storage::TxMode::kRead).value();
    target_event_id = tx->ledger_range(4, 1).value().at(0).event_id;
  }
  w.store.reset();  // Closing checkpoints the WAL into the main file.
  auto bytes = read_file(w.db_path);
  auto pos = bytes.find(target_event_id);
  ASSERT_NE(pos, std::string::npos) << "the event id is stored as text in the file";
  // Flip one hex digit of the event id (keeps it valid text, so SQLite reads the row).
  char& c = bytes[pos + 30];
  c = (c == 'a') ? 'b' : 'a';
  write_file(w.db_path, bytes);

  auto store = storage::open_sqlite_store(w.db_path, storage::OpenMode::kExistingOnly).value();
  auto report = verify(*store).value();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(*report.first_bad_seq, 4);
}

// Appends one event naming `record` with `payload`, in its own transaction.
storage::LedgerRow append_one(World& w, const std::string& record, const std::string& payload,
                              domain::Operation op = domain::Operation::kCollection) {
  auto tx = w.store->begin(storage::TxMode::kWrite).value();
  auto row = w.ledger
                 .append(*tx, {.actor = "user-1",
                               .operation = op,
                               .reason = "case_work",
                               .record_ids = {record},
                               .payload = payload})
                 .value();
  EXPECT_TRUE(tx->commit().ok());
  return row;
}

std::vector<storage::LedgerPayload> all_payloads(World& w) {
  auto tx = w.store->begin(storage::TxMode::kRead).value();
  return tx->ledger_payloads(1, 1000).value();
}

TEST(LedgerErase, BlanksThePayloadsOfARecordAndLeavesAContentFreeErasureEvent) {
  World w;
  append_one(w, "rec-a", R"({"child":"Jade Example","age":14})");
  append_one(w, "rec-a", R"({"ledger_of":"rec-a"})", domain::Operation::kConsultation);
  append_one(w, "rec-b", R"({"child":"Other Example"})");
  storage::LedgerRow erasure;
  {
    auto tx = w.store->begin(storage::TxMode::kWrite).value();
    erasure = w.ledger.erase(*tx, "user-9", {"rec-a"}, "mopi_review").value();
    ASSERT_TRUE(tx->commit().ok());
  }
  EXPECT_EQ(erasure.seq, 4);
  EXPECT_EQ(erasure.operation, domain::Operation::kErasure);
  EXPECT_EQ(erasure.record_ids, std::vector<std::string>{"rec-a"});
  auto payloads = all_payloads(w);
  ASSERT_EQ(payloads.size(), 4u);
  for (int i : {0, 1}) {
    EXPECT_EQ(payloads[i].payload, "");
    EXPECT_EQ(payloads[i].salt, "") << "the salt goes too, so the digest confirms no guess";
    EXPECT_EQ(payloads[i].erased_by, 4);
  }
  EXPECT_EQ(payloads[2].payload, R"({"child":"Other Example"})");
  EXPECT_EQ(payloads[3].payload, R"({"erased_events":[1,2]})");

  auto report = verify(*w.store).value();
  EXPECT_TRUE(report.intact()) << report.problem;
  EXPECT_EQ(report.events, 4);
  EXPECT_EQ(report.payloads_erased, 2);
  EXPECT_EQ(report.payloads_held, 2);

  // The personal data is gone from the file itself, not just from query results.
  w.store.reset();
  std::string bytes = read_file(w.db_path) + read_file(w.db_path + "-wal");
  EXPECT_EQ(bytes.find("Jade Example"), std::string::npos);
  EXPECT_NE(bytes.find("Other Example"), std::string::npos);
}

TEST(LedgerErase, KeepsTheTreeHeadSoEarlierCheckpointsStillVerify) {
  World w;
  append_one(w, "rec-a", "personal data");
  append_one(w, "rec-b", "more personal data");
  core::SeededRandom key_random{7};
  auto key = SigningKey::generate("test-key", key_random).value();
  Checkpointer checkpointer(*w.store, w.clock, key, {});
  auto cut = checkpointer.cut().value();
  ASSERT_TRUE(cut.has_value());
  auto exported = parse_checkpoint(cut->note, "exported").value();
  {
    auto tx = w.store->begin(storage::TxMode::kWrite).value();
    ASSERT_TRUE(w.ledger.erase(*tx, "user-9", {"rec-a", "rec-b"}, "mopi_review").ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  auto report =
      verify(*w.store, {.checkpoints = {exported}, .public_key = key.public_key()}).value();
  EXPECT_TRUE(report.intact()) << report.problem;
  EXPECT_EQ(report.checkpoints_checked, 2);
  EXPECT_TRUE(report.signatures_checked);
}

TEST(LedgerErase, ErasingAgainFindsNothingMoreAndNeverErasesTheErasureEvent) {
  World w;
  append_one(w, "rec-a", "personal data");
  for (int round = 0; round < 2; ++round) {
    auto tx = w.store->begin(storage::TxMode::kWrite).value();
    ASSERT_TRUE(w.ledger.erase(*tx, "user-9", {"rec-a"}, "mopi_review").ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  auto payloads = all_payloads(w);
  ASSERT_EQ(payloads.size(), 3u);
  EXPECT_EQ(payloads[1].payload, R"({"erased_events":[1]})");
  EXPECT_EQ(payloads[2].payload, R"({"erased_events":[]})");
  EXPECT_TRUE(verify(*w.store).value().intact());
}

TEST(LedgerErase, RejectsAnEmptyRecordListAndABadReason) {
  World w;
  auto tx = w.store->begin(storage::TxMode::kWrite).value();
  EXPECT_EQ(w.ledger.erase(*tx, "user-9", {}, "mopi_review").error().field, "record_ids");
  EXPECT_EQ(w.ledger.erase(*tx, "user-9", {"rec-a"}, "Not A Code").error().field, "reason");
  EXPECT_EQ(w.ledger.erase(*tx, "", {"rec-a"}, "mopi_review").error().field, "actor");
}

// Runs SQL against the file directly with the triggers in place: what the schema itself
// allows, whoever asks.
core::Status exec_with_triggers(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string message = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  if (rc != SQLITE_OK) return core::failed_precondition(message);
  return {};
}

TEST(LedgerPayloads, CanOnlyBeErasedByAnErasureEventNeverEditedOrRemoved) {
  World w;
  append_one(w, "rec-a", "personal data");
  append_one(w, "rec-b", "other", domain::Operation::kConsultation);
  EXPECT_FALSE(exec_with_triggers(w.db_path, "UPDATE ledger_payloads SET payload = 'x'").ok());
  EXPECT_FALSE(exec_with_triggers(w.db_path, "DELETE FROM ledger_payloads").ok());
  // Blanking that names a non-erasure event, or an earlier one, is refused.
  EXPECT_FALSE(exec_with_triggers(w.db_path,
                                  "UPDATE ledger_payloads SET salt = '', payload = '', "
                                  "erased_by = 2 WHERE seq = 1")
                   .ok());
  {
    auto tx = w.store->begin(storage::TxMode::kWrite).value();
    EXPECT_EQ(tx->erase_ledger_payload(1, 2).code(), core::Code::kFailedPrecondition);
    EXPECT_EQ(tx->erase_ledger_payload(77, 2).code(), core::Code::kNotFound);
  }
  auto payloads = all_payloads(w);
  EXPECT_EQ(payloads[0].payload, "personal data");
  EXPECT_TRUE(verify(*w.store).value().intact());
}

TEST(LedgerVerify, DetectsAnEditedPayload) {
  World w;
  append_one(w, "rec-a", "personal data");
  append_one(w, "rec-b", "other");
  tamper(w.db_path,
         "DROP TRIGGER ledger_payloads_erase_only;"
         "UPDATE ledger_payloads SET payload = 'altered' WHERE seq = 2;");
  auto report = verify(*w.store).value();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(*report.first_bad_seq, 2);
  EXPECT_NE(report.problem.find("payload"), std::string::npos);
}

TEST(LedgerVerify, DetectsAPayloadRemovedWithoutAnErasureEvent) {
  World w;
  append_one(w, "rec-a", "personal data");
  append_one(w, "rec-b", "other");
  tamper(w.db_path,
         "DROP TRIGGER ledger_payloads_no_delete;"
         "DELETE FROM ledger_payloads WHERE seq = 1;");
  auto report = verify(*w.store).value();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(*report.first_bad_seq, 1);
  EXPECT_NE(report.problem.find("missing"), std::string::npos);
}

TEST(LedgerVerify, DetectsAPayloadBlankedInTheNameOfAnEventThatIsNoErasure) {
  World w;
  append_one(w, "rec-a", "personal data");
  append_one(w, "rec-b", "other");
  tamper(w.db_path,
         "DROP TRIGGER ledger_payloads_erase_only;"
         "UPDATE ledger_payloads SET salt = '', payload = '', erased_by = 2 WHERE seq = 1;");
  auto report = verify(*w.store).value();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(*report.first_bad_seq, 1);
}

}  // namespace
}  // namespace sg::audit
