// The demo partnership: the agencies of the synthetic town of Northfield, one account for
// each role, and the town's five years of concerns from `safeguard synth`, loaded through
// the same import path agencies use.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/runtime.h"
#include "core/date.h"
#include "workflow/import.h"

namespace sg::cli {

struct DemoAccount {
  std::string username;
  std::string password;
  std::string role;
  std::string agency;
};

struct DemoOptions {
  std::uint64_t seed = 42;
  std::uint32_t people = 20000;
  core::Date end;                   // Last day of the synthetic history.
  std::filesystem::path world_dir;  // Where the synthetic files are written.
};

struct DemoSummary {
  std::vector<DemoAccount> accounts;
  std::size_t concerns = 0;
  std::size_t cases_open = 0;
  std::size_t cases_closed = 0;
  std::size_t alerts = 0;
  int escalated = 0;
};

// Adds any of the partnership's agencies (docs/import-formats.md table 1.6) that are missing.
core::Status ensure_partnership_agencies(Runtime& rt);

// Fills a new database: agencies, accounts with fresh passwords, the synthetic town's
// concerns, a plausible past (cases whose last concern is older than 45 days were stepped
// down at the time, recorded as synthetic history), and today's escalations.
// FailedPrecondition if the database already has agencies.
core::Result<DemoSummary> load_demo(Runtime& rt, const DemoOptions& options);

// Imports a generated world's concerns.ndjson into the database.
core::Result<workflow::ImportReport> load_world(Runtime& rt, const std::filesystem::path& dir);

}  // namespace sg::cli
