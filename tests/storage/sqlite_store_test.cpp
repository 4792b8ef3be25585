#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "storage/sqlite/schema.h"
#include "test_support.h"

namespace sg::storage {
namespace {

using testing::at;
using testing::ledger_row;
using testing::TempDir;

domain::Agency agency(const std::string& id, const std::string& code) {
  return {id, code, "Agency " + code, domain::AgencyKind::kPolice, at("2026-01-01T00:00:00Z")};
}

domain::RecordVersion draft(const std::string& body, const char* when) {
  return {"rec-1", 0,        "demo_note", "a1", domain::Marking::kOfficialSensitive,
          body,    at(when), "user-1"};
}

TEST(SqliteStore, CreatesDatabaseAtCurrentSchemaVersion) {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("a.db"), OpenMode::kCreate);
  ASSERT_TRUE(store.ok()) << store.error().to_string();
  EXPECT_EQ((*store)->schema_version(), kSchemaVersion);
}

TEST(SqliteStore, UsesWalWithFullSyncAndForeignKeys) {
  TempDir dir;
  auto path = dir.file("a.db");
  auto store = open_sqlite_store(path, OpenMode::kCreate).value();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);

  // Foreign keys are enforced on the store's own connections.
  auto tx = store->begin(TxMode::kWrite).value();
  domain::User user{"u1",
                    "someone",
                    "Someone",
                    "no-such-agency",
                    domain::Role::kAnalyst,
                    "h",
                    true,
                    at("2026-01-01T00:00:00Z")};
  auto st = tx->insert_user(user);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "agency");
}

TEST(SqliteStore, RefusesMissingFileWhenExistingRequired) {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("missing.db"), OpenMode::kExistingOnly);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, core::Code::kNotFound);
}

TEST(SqliteStore, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  auto path = dir.file("junk.db");
  std::ofstream(path) << "this is not a database, just some text that is long enough to matter "
                         "for the SQLite header check ............................................";
  auto store = open_sqlite_store(path, OpenMode::kExistingOnly);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, core::Code::kFailedPrecondition);
  EXPECT_NE(store.error().message.find("not a SQLite database"), std::string::npos);
}

TEST(SqliteStore, RefusesAnotherApplicationsDatabase) {
  TempDir dir;
  auto path = dir.file("other.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "CREATE TABLE things (x)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto store = open_sqlite_store(path, OpenMode::kExistingOnly);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, core::Code::kFailedPrecondition);
  EXPECT_NE(store.error().message.find("another application"), std::string::npos);
}

TEST(SqliteStore, RefusesADatabaseNewerThanTheBinary) {
  TempDir dir;
  auto path = dir.file("newer.db");
  { auto store = open_sqlite_store(path, OpenMode::kCreate).value(); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  auto sql = "PRAGMA user_version = " + std::to_string(kSchemaVersion + 1);
  sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto store = open_sqlite_store(path, OpenMode::kExistingOnly);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, core::Code::kFailedPrecondition);
  EXPECT_NE(store.error().message.find("newer than this binary"), std::string::npos);
}

TEST(SqliteStore, ReopeningKeepsData) {
  TempDir dir;
  auto path = dir.file("a.db");
  {
    auto store = open_sqlite_store(path, OpenMode::kCreate).value();
    auto tx = store->begin(TxMode::kWrite).value();
    ASSERT_TRUE(tx->insert_agency(agency("a1", "NFP")).ok());
    ASSERT_TRUE(tx->append_ledger(ledger_row(1)).ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  auto store = open_sqlite_store(path, OpenMode::kExistingOnly).value();
  auto tx = store->begin(TxMode::kRead).value();
  EXPECT_EQ(tx->agency_by_code("NFP").value().id, "a1");
}

TEST(SqliteStore, CommitRefusesLedgeredChangeWithoutLedgerEvent) {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("a.db"), OpenMode::kCreate).value();
  {
    auto tx = store->begin(TxMode::kWrite).value();
    ASSERT_TRUE(tx->insert_agency(agency("a1", "NFP")).ok());
    auto st = tx->commit();
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, core::Code::kFailedPrecondition);
  }
  auto tx = store->begin(TxMode::kRead).value();
  EXPECT_EQ(tx->agency("a1").error().code, core::Code::kNotFound) << "the change was rolled back";
}

TEST(SqliteStore, UncommittedTransactionRollsBack) {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("a.db"), OpenMode::kCreate).value();
  {
    auto tx = store->begin(TxMode::kWrite).value();
    ASSERT_TRUE(tx->insert_agency(agency("a1", "NFP")).ok());
    ASSERT_TRUE(tx->append_ledger(ledger_row(1)).ok());
  }
  auto tx = store->begin(TxMode::kRead).value();
  EXPECT_FALSE(tx->agency("a1").ok());
  EXPECT_FALSE(tx->ledger_last().value().has_value());
}

TEST(SqliteStore, DuplicateAgencyCodeIsAlreadyExists) {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("a.db"), OpenMode::kCreate).value();
  auto tx = store->begin(TxMode::kWrite).value();
  ASSERT_TRUE(tx->insert_agency(agency("a1", "NFP")).ok());
  auto st = tx->insert_agency(agency("a2", "NFP"));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, core::Code::kAlreadyExists);
  EXPECT_EQ(st.error().field, "code");
}

TEST(SqliteStore, CorrectionIsANewVersionAndHistoryIsKept) {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("a.db"), OpenMode::kCreate).value();
  auto tx = store->begin(TxMode::kWrite).value();
  ASSERT_TRUE(tx->insert_agency(agency("a1", "NFP")).ok());
  auto v1 = tx->put_record(draft(R"({"note":"first"})", "2026-01-01T10:00:00Z"), 0);
  ASSERT_TRUE(v1.ok()) << v1.error().to_string();
  EXPECT_EQ(v1->version, 1);
  auto v2 = tx->put_record(draft(R"({"note":"corrected"})", "2026-01-05T10:00:00Z"), 1);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->version, 2);
  ASSERT_TRUE(tx->append_ledger(ledger_row(1)).ok());
  ASSERT_TRUE(tx->commit().ok());

  auto read = store->begin(TxMode::kRead).value();
  EXPECT_EQ(read->record("rec-1").value().body, R"({"note":"corrected"})");
  // As it stood at a past time.
  EXPECT_EQ(read->record("rec-1", at("2026-01-03T00:00:00Z")).value().body, R"({"note":"first"})");
  EXPECT_EQ(read->record("rec-1", at("2025-12-31T00:00:00Z")).error().code, core::Code::kNotFound);
  auto history = read->record_history("rec-1").value();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].body, R"({"note":"first"})");
}

TEST(SqliteStore, StaleVersionConflictsInsteadOfOverwriting) {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("a.db"), OpenMode::kCreate).value();
  auto tx = store->begin(TxMode::kWrite).value();
  ASSERT_TRUE(tx->insert_agency(agency("a1", "NFP")).ok());
  ASSERT_TRUE(tx->put_record(draft("{}", "2026-01-01T10:00:00Z"), 0).ok());
  ASSERT_TRUE(tx->put_record(draft("{}", "2026-01-01T11:00:00Z"), 1).ok());
  auto stale = tx->put_record(draft("{}", "2026-01-01T12:00:00Z"), 1);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, core::Code::kAborted);
}

TEST(SqliteStore, VisitsTheCurrentVersionOfEveryRecordOfAKind) {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("a.db"), OpenMode::kCreate).value();
  auto tx = store->begin(TxMode::kWrite).value();
  ASSERT_TRUE(tx->insert_agency(agency("a1", "NFP")).ok());
  auto first = draft(R"({"n":1})", "2026-01-01T10:00:00Z");
  auto second = draft(R"({"n":2})", "2026-01-01T10:00:00Z");
  second.record_id = "rec-2";
  auto other = draft("{}", "2026-01-01T10:00:00Z");
  other.record_id = "rec-3";
  other.kind = "case";
  ASSERT_TRUE(tx->put_record(first, 0).ok());
  ASSERT_TRUE(tx->put_record(second, 0).ok());
  ASSERT_TRUE(tx->put_record(other, 0).ok());
  first.body = R"({"n":10})";
  ASSERT_TRUE(tx->put_record(first, 1).ok());
  ASSERT_TRUE(tx->append_ledger(ledger_row(1)).ok());
  ASSERT_TRUE(tx->commit().ok());

  auto read = store->begin(TxMode::kRead).value();
  std::vector<std::string> seen;
  ASSERT_TRUE(read->for_each_record("demo_note",
                                    [&](const domain::RecordVersion& r) {
                                      seen.push_back(r.record_id + "@" + std::to_string(r.version) +
                                                     r.body);
                                      return core::Status{};
                                    })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{R"(rec-1@2{"n":10})", R"(rec-2@1{"n":2})"}));
  auto stopped = read->for_each_record("demo_note", [](const domain::RecordVersion&) {
    return core::Status{core::invalid_argument("stop", "")};
  });
  EXPECT_EQ(stopped.error().message, "stop");
}

// New concerns' narratives join the search index when their batch commits (group commit,
// writer.h), not in each transaction's savepoint. Whatever else a batch holds (corrections,
// transactions that searched and then rolled back), the index ends up with exactly the newest
// narrative of every committed concern.
TEST(SqliteStore, ConcurrentWritersLeaveTheSearchIndexExactlyOnTheirCommittedNarratives) {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("a.db"), OpenMode::kCreate).value();
  {
    auto tx = store->begin(TxMode::kWrite).value();
    ASSERT_TRUE(tx->insert_agency(agency("a1", "NFP")).ok());
    ASSERT_TRUE(tx->append_ledger(ledger_row(1)).ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  auto concern = [](const std::string& id, const std::string& narrative) {
    domain::RecordVersion r =
        draft(nlohmann::json{{"narrative", narrative}}.dump(), "2026-01-01T10:00:00Z");
    r.record_id = id;
    r.kind = "concern";
    return r;
  };
  auto ledgered_commit = [](Transaction& tx) {
    auto tail = tx.ledger_tail().value();
    if (!tx.append_ledger(ledger_row(tail ? tail->seq + 1 : 1)).ok()) return false;
    return tx.commit().ok();
  };
  constexpr int kThreads = 4, kEach = 24;
  auto token = [](int t, int i, char prefix) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%c%02dn%02d", prefix, t, i);
    return std::string(buffer);
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string id = "k" + token(t, i, 'c');
        auto tx = store->begin(TxMode::kWrite).value();
        ASSERT_TRUE(tx->put_record(concern(id, "seen " + token(t, i, 'w')), 0).ok());
        if (i % 4 == 3) {
          // Searches (indexing what waits for the batch), then rolls back.
          ASSERT_TRUE(tx->search_concerns({"seen"}, 1).ok());
          continue;
        }
        ASSERT_TRUE(ledgered_commit(*tx));
        if (i % 4 == 2) {
          auto fix = store->begin(TxMode::kWrite).value();
          ASSERT_TRUE(fix->put_record(concern(id, "later " + token(t, i, 'x')), 1).ok());
          ASSERT_TRUE(ledgered_commit(*fix));
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto read = store->begin(TxMode::kRead).value();
  auto hits = [&](const std::string& term) {
    std::vector<std::string> out;
    for (const auto& hit : read->search_concerns({term}, 10).value()) out.push_back(hit.concern_id);
    return out;
  };
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) {
      const std::string id = "k" + token(t, i, 'c');
      const auto first = hits(token(t, i, 'w'));
      const auto later = hits(token(t, i, 'x'));
      switch (i % 4) {
        case 2:
          EXPECT_TRUE(first.empty()) << id << ": the corrected narrative is no longer indexed";
          EXPECT_EQ(later, std::vector<std::string>{id});
          break;
        case 3:
          EXPECT_TRUE(first.empty()) << id << ": rolled back";
          break;
        default:
          EXPECT_EQ(first, std::vector<std::string>{id});
      }
    }
  }
  EXPECT_EQ(read->search_concerns({"seen"}, 1000).value().size(), kThreads * kEach / 2u);
}

TEST(SqliteStore, SearchesTheNewestNarrativeOfEachConcern) {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("a.db"), OpenMode::kCreate).value();
  auto concern = [](const char* id, const char* narrative) {
    domain::RecordVersion r =
        draft(nlohmann::json{{"narrative", narrative}}.dump(), "2026-01-01T10:00:00Z");
    r.record_id = id;
    r.kind = "concern";
    return r;
  };
  {
    auto tx = store->begin(TxMode::kWrite).value();
    ASSERT_TRUE(tx->insert_agency(agency("a1", "NFP")).ok());
    ASSERT_TRUE(
        tx->put_record(concern("k1", "Seen getting into a silver Vauxhall at the café"), 0).ok());
    ASSERT_TRUE(tx->put_record(concern("k2", "Missing overnight; returned in a taxi"), 0).ok());
    ASSERT_TRUE(tx->put_record(concern("k3", "A silver car waits outside school"), 0).ok());
    auto kase = draft(R"({"concerns":["k1","k3"]})", "2026-01-01T10:00:00Z");
    kase.record_id = "case-1";
    kase.kind = "case";
    ASSERT_TRUE(tx->put_record(kase, 0).ok());
    ASSERT_TRUE(tx->append_ledger(ledger_row(1)).ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  auto ids = [&](std::vector<std::string> terms) {
    auto tx = store->begin(TxMode::kRead).value();
    std::vector<std::string> out;
    auto hits = tx->search_concerns(terms, 10).value();
    for (const auto& hit : hits) out.push_back(hit.concern_id);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(ids({"silver"}), (std::vector<std::string>{"k1", "k3"}));
  EXPECT_EQ(ids({"SILVER", "vaux"}), std::vector<std::string>{"k1"})
      << "every term; last as prefix";
  EXPECT_EQ(ids({"cafe"}), std::vector<std::string>{"k1"}) << "accents fold";
  EXPECT_TRUE(ids({}).empty());
  EXPECT_TRUE(ids({"\"silver\" OR taxi"}).empty()) << "no query syntax reaches FTS5";
  EXPECT_TRUE(ids({"NEAR(", "*", "\""}).empty());

  {
    auto tx = store->begin(TxMode::kRead).value();
    auto hits = tx->search_concerns({"taxi"}, 10).value();
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_TRUE(hits[0].case_ids.empty());
    auto silver = tx->search_concerns({"vauxhall"}, 10).value();
    ASSERT_EQ(silver.size(), 1u);
    EXPECT_EQ(silver[0].case_ids, std::vector<std::string>{"case-1"}) << "from the case document";
    EXPECT_NE(hits[0].snippet.find(std::string(1, kMatchStart) + "taxi" + kMatchEnd),
              std::string::npos);
  }
  // A correction replaces the indexed narrative.
  {
    auto tx = store->begin(TxMode::kWrite).value();
    ASSERT_TRUE(tx->put_record(concern("k2", "Missing overnight; returned on foot"), 1).ok());
    ASSERT_TRUE(tx->append_ledger(ledger_row(2)).ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  EXPECT_TRUE(ids({"taxi"}).empty());
  EXPECT_EQ(ids({"foot"}), std::vector<std::string>{"k2"});
}

// Opens the raw file and runs one statement, returning SQLite's result code.
int raw_exec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc;
}

TEST(SqliteStore, TheLedgerTailIsTheNewestEventsSequenceAndHash) {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("a.db"), OpenMode::kCreate).value();
  auto tx = store->begin(TxMode::kWrite).value();
  EXPECT_FALSE(tx->ledger_tail().value().has_value());
  ASSERT_TRUE(tx->append_ledger(ledger_row(1)).ok());
  auto second = ledger_row(2);
  second.hash = std::string(64, 'b');
  ASSERT_TRUE(tx->append_ledger(second).ok());
  auto tail = tx->ledger_tail().value();
  ASSERT_TRUE(tail.has_value());
  EXPECT_EQ(tail->seq, 2);
  EXPECT_EQ(tail->hash, second.hash);
  EXPECT_EQ(tail->hash, tx->ledger_last().value()->hash);
}

TEST(SqliteStore, LedgerAndRecordVersionsRefuseUpdateAndDelete) {
  TempDir dir;
  auto path = dir.file("a.db");
  {
    auto store = open_sqlite_store(path, OpenMode::kCreate).value();
    auto tx = store->begin(TxMode::kWrite).value();
    ASSERT_TRUE(tx->insert_agency(agency("a1", "NFP")).ok());
    ASSERT_TRUE(tx->put_record(draft("{}", "2026-01-01T10:00:00Z"), 0).ok());
    ASSERT_TRUE(tx->append_ledger(ledger_row(1)).ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  EXPECT_NE(raw_exec(path, "UPDATE ledger SET actor = 'x'"), SQLITE_OK);
  EXPECT_NE(raw_exec(path, "DELETE FROM ledger"), SQLITE_OK);
  EXPECT_NE(raw_exec(path, "DELETE FROM ledger_records"), SQLITE_OK);
  EXPECT_NE(raw_exec(path, "UPDATE record_versions SET body = '{}'"), SQLITE_OK);
}

// Schema 12 (issue 3, bulk import): record_versions moves from a WITHOUT ROWID table to a
// rowid table. A database written at schema 11 keeps every version, erased or not, and the
// rules on them.
TEST(SqliteStore, MigratingToSchema12KeepsEveryRecordVersionAndItsRules) {
  TempDir dir;
  auto path = dir.file("v11.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    auto steps = sqlite::migrations();
    ASSERT_GE(steps.size(), 12u);
    for (std::size_t v = 0; v < 11; ++v) {
      ASSERT_EQ(sqlite3_exec(db, std::string(steps[v]).c_str(), nullptr, nullptr, nullptr),
                SQLITE_OK);
    }
    auto stamp = "PRAGMA application_id = " + std::to_string(sqlite::kApplicationId) +
                 "; PRAGMA user_version = 11;"
                 "INSERT INTO agencies VALUES ('a1', 'NFP', 'Agency', 'police', 0);"
                 "INSERT INTO record_versions (record_id, version, kind, agency_id, marking, body,"
                 " recorded_at, recorded_by) VALUES"
                 " ('rec-1', 1, 'demo_note', 'a1', 'OFFICIAL', '{\"n\":1}', 10, 'user-1'),"
                 " ('rec-1', 2, 'demo_note', 'a1', 'OFFICIAL', '{\"n\":2}', 20, 'user-1'),"
                 " ('rec-2', 1, 'demo_note', 'a1', 'OFFICIAL-SENSITIVE', '', 30, 'user-2');"
                 "UPDATE record_versions SET erased = 1 WHERE record_id = 'rec-2';";
    ASSERT_EQ(sqlite3_exec(db, stamp.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  {
    auto store = open_sqlite_store(path, OpenMode::kExistingOnly).value();
    EXPECT_EQ(store->schema_version(), kSchemaVersion);
    auto tx = store->begin(TxMode::kRead).value();
    auto history = tx->record_history("rec-1").value();
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].body, "{\"n\":1}");
    EXPECT_EQ(history[1].version, 2);
    EXPECT_EQ(history[1].body, "{\"n\":2}");
    EXPECT_EQ(history[1].marking, domain::Marking::kOfficial);
    EXPECT_EQ(core::to_micros(history[1].recorded_at), 20);
    EXPECT_FALSE(tx->record("rec-2").ok());  // Still erased.
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT sql FROM sqlite_master WHERE name = 'record_versions' OR "
                               "name LIKE 'record_versions_v%'",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  std::vector<std::string> tables;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0].find("WITHOUT ROWID"), std::string::npos);
  // The triggers came along: versions are immutable and never deleted, and a duplicate
  // version is refused by the primary key.
  EXPECT_NE(raw_exec(path, "UPDATE record_versions SET body = '{}' WHERE record_id = 'rec-1'"),
            SQLITE_OK);
  EXPECT_NE(raw_exec(path, "DELETE FROM record_versions"), SQLITE_OK);
  EXPECT_NE(raw_exec(path,
                     "INSERT INTO record_versions (record_id, version, kind, agency_id, marking, "
                     "body, recorded_at, recorded_by) VALUES ('rec-1', 2, 'demo_note', 'a1', "
                     "'OFFICIAL', '{}', 40, 'user-1')"),
            SQLITE_OK);
}

TEST(SqliteStore, ErasureBlanksEveryVersionAndIsTheOnlyUpdateAllowed) {
  TempDir dir;
  auto path = dir.file("a.db");
  {
    auto store = open_sqlite_store(path, OpenMode::kCreate).value();
    auto tx = store->begin(TxMode::kWrite).value();
    ASSERT_TRUE(tx->insert_agency(agency("a1", "NFP")).ok());
    ASSERT_TRUE(tx->put_record(draft("{\"v\":1}", "2026-01-01T10:00:00Z"), 0).ok());
    ASSERT_TRUE(tx->put_record(draft("{\"v\":2}", "2026-02-01T10:00:00Z"), 1).ok());
    ASSERT_TRUE(tx->append_ledger(ledger_row(1)).ok());
    ASSERT_TRUE(tx->commit().ok());
    tx = store->begin(TxMode::kWrite).value();
    ASSERT_TRUE(tx->erase_record("rec-1").ok());
    EXPECT_EQ(tx->erase_record("rec-1").code(), core::Code::kNotFound) << "already erased";
    EXPECT_FALSE(tx->commit().ok()) << "an erasure needs its ledger event";
    tx = store->begin(TxMode::kWrite).value();
    ASSERT_TRUE(tx->erase_record("rec-1").ok());
    ASSERT_TRUE(tx->append_ledger(ledger_row(2)).ok());
    ASSERT_TRUE(tx->commit().ok());
    auto read = store->begin(TxMode::kRead).value();
    EXPECT_FALSE(read->record("rec-1").ok());
    EXPECT_FALSE(read->record("rec-1", core::parse_rfc3339("2026-01-15T00:00:00Z").value()).ok());
    EXPECT_FALSE(read->record_history("rec-1").ok());
  }
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM record_versions WHERE body = '' AND erased = 1", -1,
                     &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 2) << "both versions kept, blank";
  sqlite3_finalize(st);
  sqlite3_close(db);
  EXPECT_NE(raw_exec(path, "UPDATE record_versions SET erased = 0"), SQLITE_OK);
  EXPECT_NE(raw_exec(path, "UPDATE record_versions SET kind = 'x'"), SQLITE_OK);
  EXPECT_NE(raw_exec(path, "DELETE FROM record_versions"), SQLITE_OK);
}

TEST(SqliteStore, SessionsRoundTripAndExpire) {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("a.db"), OpenMode::kCreate).value();
  auto tx = store->begin(TxMode::kWrite).value();
  ASSERT_TRUE(tx->insert_agency(agency("a1", "NFP")).ok());
  domain::User user{"u1",
                    "someone",
                    "Someone",
                    "a1",
                    domain::Role::kAnalyst,
                    "h",
                    true,
                    at("2026-01-01T00:00:00Z")};
  ASSERT_TRUE(tx->insert_user(user).ok());
  ASSERT_TRUE(tx->append_ledger(ledger_row(1)).ok());
  domain::Session s{"hash-1", "u1", "csrf", at("2026-01-01T09:00:00Z"), at("2026-01-01T09:00:00Z")};
  ASSERT_TRUE(tx->insert_session(s).ok());
  ASSERT_TRUE(tx->touch_session("hash-1", at("2026-01-01T09:10:00Z")).ok());
  EXPECT_EQ(tx->session("hash-1").value().last_seen_at, at("2026-01-01T09:10:00Z"));
  EXPECT_EQ(
      tx->delete_expired_sessions(at("2026-01-01T09:05:00Z"), at("2026-01-01T08:00:00Z")).value(),
      0);
  EXPECT_EQ(
      tx->delete_expired_sessions(at("2026-01-01T09:20:00Z"), at("2026-01-01T08:00:00Z")).value(),
      1);
  EXPECT_FALSE(tx->session("hash-1").ok());
}

TEST(SqliteStore, MigratingToSchema13AddsSecondFactorsAndKeepsAccounts) {
  TempDir dir;
  auto path = dir.file("v12.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    auto steps = sqlite::migrations();
    ASSERT_GE(steps.size(), 13u);
    for (std::size_t v = 0; v < 12; ++v) {
      ASSERT_EQ(sqlite3_exec(db, std::string(steps[v]).c_str(), nullptr, nullptr, nullptr),
                SQLITE_OK);
    }
    auto stamp = "PRAGMA application_id = " + std::to_string(sqlite::kApplicationId) +
                 "; PRAGMA user_version = 12;"
                 "INSERT INTO agencies VALUES ('a1', 'NFP', 'Agency', 'police', 0);"
                 "INSERT INTO users (id, username, display_name, agency_id, role, password_hash,"
                 " active, created_at) VALUES ('u1', 'someone', 'Someone', 'a1', 'analyst', 'h',"
                 " 1, 0);";
    ASSERT_EQ(sqlite3_exec(db, stamp.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  auto store = open_sqlite_store(path, OpenMode::kExistingOnly).value();
  EXPECT_EQ(store->schema_version(), kSchemaVersion);
  auto tx = store->begin(TxMode::kWrite).value();
  EXPECT_EQ(tx->user("u1").value().username, "someone");
  EXPECT_FALSE(tx->second_factor("u1").value().has_value());
  // The new tables work, and a second factor is ledgered data like the account it belongs to.
  std::string secret("\x01\x00\xff secret bytes", 17);
  ASSERT_TRUE(
      tx->put_second_factor({"u1", secret, at("2026-01-01T09:00:00Z"), std::nullopt, -1}).ok());
  ASSERT_TRUE(tx->put_recovery_codes("u1", {"hash-a", "hash-b"}).ok());
  ASSERT_TRUE(tx->insert_pending_sign_in({"pending-1", "u1", at("2026-01-01T09:05:00Z")}).ok());
  EXPECT_FALSE(tx->commit().ok()) << "a second factor without a ledger event is refused";

  tx = store->begin(TxMode::kWrite).value();
  ASSERT_TRUE(
      tx->put_second_factor({"u1", secret, at("2026-01-01T09:00:00Z"), std::nullopt, -1}).ok());
  ASSERT_TRUE(tx->put_recovery_codes("u1", {"hash-a", "hash-b"}).ok());
  ASSERT_TRUE(tx->insert_pending_sign_in({"pending-1", "u1", at("2026-01-01T09:05:00Z")}).ok());
  ASSERT_TRUE(tx->append_ledger(ledger_row(1)).ok());
  ASSERT_TRUE(tx->commit().ok());

  tx = store->begin(TxMode::kWrite).value();
  auto factor = tx->second_factor("u1").value();
  ASSERT_TRUE(factor.has_value());
  EXPECT_EQ(factor->secret, secret);  // Binary bytes survive the hex column.
  EXPECT_FALSE(factor->confirmed_at.has_value());
  // Steps only move forward: the same or an older step is refused.
  EXPECT_TRUE(tx->accept_second_factor_step("u1", 100).value());
  EXPECT_FALSE(tx->accept_second_factor_step("u1", 100).value());
  EXPECT_FALSE(tx->accept_second_factor_step("u1", 99).value());
  EXPECT_TRUE(tx->accept_second_factor_step("u1", 101).value());
  // A recovery code is used once.
  EXPECT_EQ(tx->unused_recovery_codes("u1").value(), 2);
  EXPECT_TRUE(tx->use_recovery_code("u1", "hash-a", at("2026-01-01T09:01:00Z")).value());
  EXPECT_FALSE(tx->use_recovery_code("u1", "hash-a", at("2026-01-01T09:02:00Z")).value());
  EXPECT_FALSE(tx->use_recovery_code("u1", "hash-z", at("2026-01-01T09:02:00Z")).value());
  EXPECT_EQ(tx->unused_recovery_codes("u1").value(), 1);
  EXPECT_EQ(tx->pending_sign_in("pending-1").value()->user_id, "u1");
  ASSERT_TRUE(tx->delete_pending_sign_in("pending-1").ok());
  EXPECT_FALSE(tx->pending_sign_in("pending-1").value().has_value());
  // Deleting the factor takes its recovery codes with it.
  EXPECT_TRUE(tx->delete_second_factor("u1").value());
  EXPECT_EQ(tx->unused_recovery_codes("u1").value(), 0);
  EXPECT_FALSE(tx->delete_second_factor("u1").value());
}

TEST(SqliteStore, MigratingToSchema15KeepsSecretsInTheClearUntilTheyAreSealed) {
  TempDir dir;
  auto path = dir.file("v14.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    auto steps = sqlite::migrations();
    ASSERT_GE(steps.size(), 15u);
    for (std::size_t v = 0; v < 14; ++v) {
      ASSERT_EQ(sqlite3_exec(db, std::string(steps[v]).c_str(), nullptr, nullptr, nullptr),
                SQLITE_OK);
    }
    // Two accounts enrolled under schema 14, one confirmed: their secrets in the clear (hex).
    auto stamp = "PRAGMA application_id = " + std::to_string(sqlite::kApplicationId) +
                 "; PRAGMA user_version = 14;"
                 "INSERT INTO agencies VALUES ('a1', 'NFP', 'Agency', 'police', 0);"
                 "INSERT INTO users (id, username, display_name, agency_id, role, password_hash,"
                 " active, created_at) VALUES ('u1', 'someone', 'Someone', 'a1', 'analyst', 'h',"
                 " 1, 0), ('u2', 'another', 'Another', 'a1', 'analyst', 'h', 1, 0);"
                 "INSERT INTO second_factors (user_id, secret, created_at, confirmed_at, "
                 "last_step) VALUES ('u1', '0102ff', 0, 5, 7), ('u2', '0a0b', 0, NULL, -1);";
    ASSERT_EQ(sqlite3_exec(db, stamp.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  auto store = open_sqlite_store(path, OpenMode::kExistingOnly).value();
  EXPECT_EQ(store->schema_version(), kSchemaVersion);
  auto tx = store->begin(TxMode::kWrite).value();
  auto all = tx->second_factors().value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].user_id, "u1");
  EXPECT_EQ(all[0].secret, std::string("\x01\x02\xff", 3));
  EXPECT_EQ(all[0].key_id, "") << "not sealed yet";
  EXPECT_EQ(all[0].last_step, 7);
  EXPECT_EQ(tx->users_with_second_factor().value(), std::vector<std::string>{"u1"});

  // Sealing replaces the stored secret only; it is ledgered data, so it needs its event.
  ASSERT_TRUE(tx->put_recovery_codes("u1", {"hash-a"}).ok());
  ASSERT_TRUE(tx->append_ledger(ledger_row(1)).ok());
  ASSERT_TRUE(tx->commit().ok());
  tx = store->begin(TxMode::kWrite).value();
  ASSERT_TRUE(tx->replace_second_factor_secret("u1", "sealed bytes", "key-1").ok());
  EXPECT_EQ(tx->replace_second_factor_secret("u3", "sealed", "key-1").error().code,
            core::Code::kNotFound);
  EXPECT_FALSE(tx->commit().ok()) << "a sealed secret without a ledger event is refused";
  tx = store->begin(TxMode::kWrite).value();
  ASSERT_TRUE(tx->replace_second_factor_secret("u1", "sealed bytes", "key-1").ok());
  ASSERT_TRUE(tx->append_ledger(ledger_row(2)).ok());
  ASSERT_TRUE(tx->commit().ok());
  tx = store->begin(TxMode::kRead).value();
  auto factor = tx->second_factor("u1").value().value();
  EXPECT_EQ(factor.secret, "sealed bytes");
  EXPECT_EQ(factor.key_id, "key-1");
  EXPECT_EQ(factor.last_step, 7);
  EXPECT_TRUE(factor.confirmed_at.has_value());
  EXPECT_EQ(tx->unused_recovery_codes("u1").value(), 1) << "recovery codes stay";
}

TEST(SqliteStore, ExpiredPendingSignInsGoAndAUsersGoWithTheirSessions) {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("t.db"), OpenMode::kCreate).value();
  auto tx = store->begin(TxMode::kWrite).value();
  ASSERT_TRUE(tx->insert_agency({"a1", "NFP", "Agency", domain::AgencyKind::kPolice,
                                 at("2026-01-01T00:00:00Z")})
                  .ok());
  for (const char* id : {"u1", "u2"}) {
    ASSERT_TRUE(tx->insert_user({id, std::string("user-") + id, "User", "a1",
                                 domain::Role::kAnalyst, "h", true, at("2026-01-01T00:00:00Z")})
                    .ok());
  }
  ASSERT_TRUE(tx->insert_pending_sign_in({"old", "u1", at("2026-01-01T09:05:00Z")}).ok());
  ASSERT_TRUE(tx->insert_pending_sign_in({"edge", "u1", at("2026-01-01T09:10:00Z")}).ok());
  ASSERT_TRUE(tx->insert_pending_sign_in({"new", "u1", at("2026-01-01T09:15:00Z")}).ok());
  ASSERT_TRUE(tx->insert_pending_sign_in({"other", "u2", at("2026-01-01T09:15:00Z")}).ok());
  EXPECT_EQ(tx->delete_expired_pending_sign_ins(at("2026-01-01T09:10:00Z")).value(), 2);
  EXPECT_FALSE(tx->pending_sign_in("old").value().has_value());
  EXPECT_FALSE(tx->pending_sign_in("edge").value().has_value()) << "expires at that instant";
  EXPECT_TRUE(tx->pending_sign_in("new").value().has_value());
  // Ending a user's sessions ends their half-finished sign-ins too, and no one else's.
  EXPECT_EQ(tx->delete_user_sessions("u1", "").value(), 0) << "counts sessions only";
  EXPECT_FALSE(tx->pending_sign_in("new").value().has_value());
  EXPECT_TRUE(tx->pending_sign_in("other").value().has_value());
}

}  // namespace
}  // namespace sg::storage
