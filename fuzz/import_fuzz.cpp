// Fuzzes the concern import parsers (NDJSON and CSV) and concern validation end to end:
// any bytes give a report or an error naming a line, never a crash, and nothing is written
// when they fail.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "access/accounts.h"
#include "audit/ledger.h"
#include "storage/sqlite/sqlite_store.h"
#include "workflow/import.h"

namespace {

struct World {
  sg::core::ManualClock clock{sg::core::parse_rfc3339("2026-11-30T12:00:00Z").value()};
  sg::core::SeededRandom random{1};
  sg::core::IdGenerator ids{clock, random};
  std::unique_ptr<sg::storage::Store> store;
  std::unique_ptr<sg::audit::Ledger> ledger;
  std::unique_ptr<sg::workflow::Casework> casework;

  World() {
    auto path = std::filesystem::temp_directory_path() /
                ("sg-import-fuzz-" + std::to_string(getpid()) + ".db");
    std::filesystem::remove(path);
    store = sg::storage::open_sqlite_store(path.string(), sg::storage::OpenMode::kCreate).value();
    ledger = std::make_unique<sg::audit::Ledger>(clock, ids, random);
    casework = std::make_unique<sg::workflow::Casework>(*store, *ledger, clock, ids);
    // The partnership's agencies, so valid concerns reach intake and the alert rules.
    sg::access::Accounts accounts(*store, *ledger, clock, ids);
    for (const char* code : {"NFP", "NCS", "NHS-NF", "NFED", "NYP", "PUBLIC"}) {
      (void)accounts.add_agency({code, code}, "system:fuzz");
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World world;
  if (size == 0) return 0;
  // The first byte picks the format; the rest is the file.
  auto format =
      data[0] & 1 ? sg::workflow::ImportFormat::kCsv : sg::workflow::ImportFormat::kNdjson;
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  sg::workflow::Actor actor{"system:fuzz", sg::domain::Role::kAdmin, "", ""};
  auto result = sg::workflow::import_text(*world.casework, actor, std::move(text), format, "f");
  if (!result.ok() && result.error().code == sg::core::Code::kInternal) std::abort();
  return 0;
}
