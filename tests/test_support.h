// Shared fixtures for tests: temporary directories and a wired-up store, ledger and accounts
// on a fixed clock with seeded randomness.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>

#include "access/accounts.h"
#include "access/public_reports.h"
#include "audit/ledger.h"
#include "core/id.h"
#include "core/time.h"
#include "storage/sqlite/sqlite_store.h"
#include "workflow/casework.h"
#include "workflow/grants.h"

namespace sg::testing {

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("sg-test-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline core::Timestamp at(const char* rfc3339) { return core::parse_rfc3339(rfc3339).value(); }

// A minimal ledger row for storage tests; the hash chain itself is audit's business.
inline storage::LedgerRow ledger_row(std::int64_t seq) {
  storage::LedgerRow row;
  row.seq = seq;
  row.event_id = "event-" + std::to_string(seq);
  row.at = at("2026-01-01T00:00:00Z");
  row.actor = "system:test";
  row.operation = domain::Operation::kCollection;
  row.reason = "test";
  row.record_ids = {"a1"};
  row.payload_digest = "00";
  row.prev_hash = "00";
  row.hash = "00";
  return row;
}

// Store + ledger + accounts on one SQLite file, with injected time and randomness.
struct World {
  World() { accounts.use_second_factor_key(second_factor_key); }

  TempDir dir;
  std::string db_path = dir.file("test.db");
  core::ManualClock clock{at("2026-11-30T09:00:00Z")};
  core::SeededRandom random{42};
  core::IdGenerator ids{clock, random};
  std::unique_ptr<storage::Store> store =
      storage::open_sqlite_store(db_path, storage::OpenMode::kCreate).value();
  audit::Ledger ledger{clock, ids, random};
  // What the server keeps in its second-factor key file.
  access::SecondFactorKey second_factor_key = access::SecondFactorKey::generate();
  // A password alone signs in here, so that tests of other things need no authenticator;
  // the second-factor tests (api/second_factor_test.cpp) require one.
  access::Accounts accounts{*store, ledger, clock, ids,
                            access::SessionPolicy{.second_factor_required = false}};
  workflow::Casework casework{*store, ledger, clock, ids};
  access::PublicReports reports{*store, ledger, casework, clock, ids};
  workflow::Grants grants{*store, ledger, clock, ids};

  // Lets `recipient` see every category of `provider`'s records.
  void share(const std::string& provider, const std::string& recipient) {
    workflow::Actor system{"system:test", domain::Role::kAdmin, "", ""};
    std::vector<std::string> all;
    for (auto c : domain::kAllCategories) all.emplace_back(domain::category_name(c));
    grants.add_sharing(system, {provider, recipient, all, "test agreement"}).value();
  }

  // Adds the six agencies a synthetic town's files name (safeguard synth), as imports need.
  void add_town_agencies() {
    for (const char* code : {"NFP", "NCS", "NHS-NF", "NFED", "NYP", "PUBLIC"}) {
      accounts.add_agency({code, std::string("Agency ") + code}, "system:test").value();
    }
  }

  // Adds agency NFP and one user per call; returns the user.
  domain::User add_user(const std::string& username, domain::Role role,
                        const std::string& password = "correct horse battery",
                        const std::string& manager = "") {
    auto tx = store->begin(storage::TxMode::kRead).value();
    bool has_agency = tx->agency_by_code("NFP").ok();
    tx.reset();
    if (!has_agency) {
      accounts.add_agency({"NFP", "Northfield Police", domain::AgencyKind::kPolice}, "system:test")
          .value();
    }
    return accounts.add_user({username, "Test User", "NFP", role, password, manager}, "system:test")
        .value();
  }
};

// A public report as a worried neighbour might make it.
// Everything a database leaves on disk: its file and its write-ahead log, for tests that
// check what is (or is not) stored in the clear.
inline std::string database_bytes(const std::string& db_path) {
  std::string bytes;
  for (const auto& path : {db_path, db_path + "-wal"}) {
    std::ifstream in(path, std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), {});
  }
  return bytes;
}

inline nlohmann::json public_report_example() {
  return {{"narrative", "A girl from my road gets into a silver car most nights."},
          {"children", {{{"ref", "c1"}, {"given_name", "Jade"}, {"approx_age", 14}}}},
          {"vehicles", {{{"ref", "v1"}, {"registration", "YX65 KLM"}, {"colour", "silver"}}}}};
}

// A World set up for anonymous reporting: the PUBLIC agency and a MASH coordinator.
struct PublicReportingTest : ::testing::Test {
  World w;
  workflow::Actor mash;

  void SetUp() override {
    w.clock.set(at("2026-12-24T10:00:00Z"));
    w.accounts.add_agency({"PUBLIC", "Member of the public"}, "system:test").value();
    auto m = w.add_user("mash.one", domain::Role::kMashCoordinator);
    w.share("PUBLIC", "NFP");
    mash = {m.id, m.role, m.agency_id, ""};
  }

  std::string file_bytes() { return database_bytes(w.db_path); }
};

}  // namespace sg::testing
