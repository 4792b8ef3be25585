// Bulk import writes exactly what it wrote before its write path was restructured for speed
// (issue 3, section 8): a synthetic file that exercises every alert rule, cases that exist
// before the import and cases opened by it, is imported on a fixed clock with seeded ids, and
// every table the import writes is dumped and compared with the digest of the dump taken
// from the import before the change.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "test_support.h"
#include "workflow/import.h"

namespace sg::workflow {
namespace {

using testing::at;

// Every row of every table the import touches, one line each, in key order.
std::vector<std::string> dump(const std::string& db_path) {
  static const char* kQueries[] = {
      "SELECT 'rv', record_id, version, kind, agency_id, marking, body, recorded_at, "
      "recorded_by, erased FROM record_versions ORDER BY record_id, version",
      "SELECT 'case', case_id, subject_key, stage, status, agency_id, opened_at, updated_at, "
      "label FROM cases ORDER BY case_id",
      "SELECT 'work', id, kind, subkind, case_id, subject_key, owner_id, inbox, due_date, status, "
      "agency_id, updated_at, label FROM work_items ORDER BY id",
      "SELECT 'mention', subject_key, concern_id, role, received_at, agency_id FROM mentions "
      "ORDER BY subject_key, concern_id, role",
      "SELECT 'episode', subject_key, kind, date, concern_id FROM episodes "
      "ORDER BY subject_key, kind, date, concern_id",
      "SELECT 'concern_case', concern_id, case_id FROM concern_cases ORDER BY concern_id, case_id",
      "SELECT 'text', t.record_id, t.agency_id, t.narrative FROM concern_text t "
      "JOIN concern_text_rows r ON r.row = t.rowid ORDER BY t.record_id",
      "SELECT 'text_row', record_id FROM concern_text_rows ORDER BY record_id",
      "SELECT 'ledger', seq, event_id, at, actor, operation, reason, record_ids, recipient, "
      "payload_digest, prev_hash, hash FROM ledger ORDER BY seq",
      "SELECT 'ledger_record', record_id, seq FROM ledger_records ORDER BY record_id, seq",
      "SELECT 'payload', seq, salt, payload, erased_by FROM ledger_payloads ORDER BY seq",
      "SELECT 'review', pair_id, record_l, record_r, probability_ppm, status FROM review_pairs "
      "ORDER BY pair_id",
  };
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::vector<std::string> lines;
  for (const char* sql : kQueries) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK) << sql;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::string line;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        if (i > 0) line += '|';
        const auto* text = sqlite3_column_text(stmt, i);
        line += text ? reinterpret_cast<const char*>(text) : "NULL";
      }
      lines.push_back(std::move(line));
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return lines;
}

// FNV-1a, 64 bits: a stable digest of the dump.
std::uint64_t digest(const std::vector<std::string>& lines) {
  std::uint64_t h = 14695981039346656037ull;
  for (const auto& line : lines) {
    for (unsigned char c : line + "\n") {
      h ^= c;
      h *= 1099511628211ull;
    }
  }
  return h;
}

// A deterministic town's historical concerns: 400 concerns about 120 children over 2025,
// from several agencies, some about two siblings, with missing episodes, indicators and
// suspects named about different children, so every alert rule fires somewhere.
std::string synthetic_csv() {
  std::string csv =
      "concern_id,row_type,source_agency,channel,received_at,category,narrative,ref,role,"
      "given_name,family_name,date_of_birth,nhs_number,kind,date,child_ref,code\r\n";
  std::uint64_t state = 7;
  auto next = [&](std::uint64_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % n;
  };
  const char* agencies[] = {"NFP", "NCS", "NHS-NF", "NFED", "NYP"};
  const char* channels[] = {"phone", "email", "in_person", "letter"};
  const char* categories[] = {"sexual_exploitation", "neglect", "missing", "physical_abuse"};
  for (int c = 0; c < 400; ++c) {
    std::string id = "HIST-" + std::to_string(c);
    int child = static_cast<int>(next(120));
    int month = 1 + static_cast<int>(next(11));
    int day = 1 + static_cast<int>(next(27));
    auto two = [](int n) { return (n < 10 ? "0" : "") + std::to_string(n); };
    std::string date = "2025-" + two(month) + "-" + two(day);
    csv += id + ",concern," + agencies[next(5)] + "," + channels[next(4)] + "," + date +
           "T10:00:00Z," + categories[next(4)] + ",Concern " + std::to_string(c) +
           " about a child seen with older males near the station,,,,,,,,,,\r\n";
    auto child_row = [&](const std::string& ref, int n) {
      // A third of the children carry an NHS number; the rest are known by name and birth date.
      std::string nhs = n % 3 == 0 ? std::to_string(9000000000ll + n) : "";
      csv += id + ",child,,,,,," + ref + ",,Child" + std::to_string(n) + ",Family" +
             std::to_string(n / 2) + ",20" + two(8 + n % 8) + "-0" + std::to_string(1 + n % 9) +
             "-1" + std::to_string(n % 10) + "," + nhs + ",,,,\r\n";
    };
    child_row("c1", child);
    bool siblings = next(5) == 0;
    if (siblings) child_row("c2", child ^ 1);
    if (next(3) == 0) {
      csv += id + ",event,,,,,,,,,,,,missing_episode," + date + ",c1,\r\n";
    }
    if (next(4) == 0) {
      csv += id + ",event,,,,,,,,,,,,incident," + date + "," + (siblings ? "c2" : "c1") + ",\r\n";
    }
    if (next(4) == 0) {
      csv += id + ",indicator,,,,,,,,,,,,," + date + ",c1,M_SUBSTANCE_USE\r\n";
    }
    if (next(3) == 0) {
      int suspect = static_cast<int>(next(15));
      csv += id + ",person,,,,,,p1," + (next(2) ? "suspect" : "associate") + ",Adult" +
             std::to_string(suspect) + ",Older,1990-02-1" + std::to_string(suspect % 10) +
             ",,,,,\r\n";
    }
  }
  return csv;
}

struct ImportEquivalenceTest : ::testing::Test {
  testing::World w;
  Actor system{"system:test", domain::Role::kAdmin, "", ""};

  void SetUp() override {
    w.clock.set(at("2026-11-30T12:00:00Z"));
    w.add_town_agencies();
  }
};

TEST_F(ImportEquivalenceTest, ImportWritesTheSameRecordsIndexesAndLedgerAsBefore) {
  // Cases that exist before the import: one still at referral, one past a strategy
  // discussion (so rule (b) stays quiet for that child), both about children the file names.
  auto before = [&](int n, const char* nhs) {
    nlohmann::json doc = {{"source_agency", "NCS"},
                          {"channel", "phone"},
                          {"received_at", "2024-12-20T09:00:00Z"},
                          {"narrative", "Earlier concern"},
                          {"children",
                           {{{"ref", "c1"},
                             {"given_name", "Child" + std::to_string(n)},
                             {"family_name", "Family" + std::to_string(n / 2)},
                             {"identifiers", {{"nhs_number", nhs}}}}}}};
    return w.casework.record_concern(system, doc).value();
  };
  before(3, "9000000003");
  auto discussed = before(6, "9000000006");
  ASSERT_TRUE(w.casework
                  .decide(system, discussed.case_ids[0],
                          {.kind = DecisionKind::kAccept,
                           .rationale = "Meets the threshold",
                           .decided_on = core::Date::parse_iso("2024-12-21").value()})
                  .ok());
  ASSERT_TRUE(w.casework
                  .record_meeting(system, discussed.case_ids[0], Meeting::kStrategyDiscussion,
                                  core::Date::parse_iso("2024-12-23").value(), "held", "")
                  .ok());

  auto report = import_text(w.casework, system, synthetic_csv(), ImportFormat::kCsv, "hist.csv");
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_EQ(report->concerns, 400u);

  auto lines = dump(w.db_path);
  std::map<std::string, int> rows;
  for (const auto& line : lines) ++rows[line.substr(0, line.find('|'))];
  std::map<std::string, int> alerts;
  for (const auto& item :
       w.casework.inbox(system, {.kind = "alert", .open_only = false, .limit = 10000}).value()) {
    ++alerts[item.subkind];
  }
  // Every rule fired, so the digest below covers each of them.
  EXPECT_GT(alerts["repeat_concern_7_days"], 0);
  EXPECT_GT(alerts["repeat_concern_no_strategy"], 0);
  EXPECT_GT(alerts["repeat_missing"], 0);
  EXPECT_GT(alerts["person_linked_to_children"], 0);
  EXPECT_EQ(report->cases_opened + 2, static_cast<std::size_t>(rows["case"]));
  EXPECT_EQ(rows["text"], 402);
  // The digest of this dump from the import before its write path was restructured
  // (2feb6d1). A change to what an import records changes it: the failure shows the new
  // digest; take it only once the dumps before and after differ as intended.
  EXPECT_EQ(digest(lines), 10260761377559159149ull)
      << "rows: " << lines.size() << ", alerts: " << alerts.size();
}

}  // namespace
}  // namespace sg::workflow
