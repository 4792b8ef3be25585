// Wires the services together over one store: what both front doors (CLI and server) run on.
#pragma once

#include <memory>

#include "access/accounts.h"
#include "access/public_reports.h"
#include "audit/ledger.h"
#include "cli/config.h"
#include "core/id.h"
#include "core/time.h"
#include "storage/sqlite/sqlite_store.h"
#include "workflow/casework.h"

namespace sg::cli {

struct Runtime {
  core::SystemClock clock;
  core::OsRandom random;
  core::IdGenerator ids{clock, random};
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<audit::Ledger> ledger;
  std::unique_ptr<access::Accounts> accounts;
  std::unique_ptr<workflow::Casework> casework;
  std::unique_ptr<access::PublicReports> reports;

  // Opens (creating if `mode` allows) and migrates the database named by the config.
  static core::Result<std::unique_ptr<Runtime>> open(const Config& config, storage::OpenMode mode);
};

// The actor recorded in the ledger for work done through the command line.
inline constexpr std::string_view kCliActor = "system:cli";

}  // namespace sg::cli
