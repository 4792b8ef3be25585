#include "cli/command_support.h"

#include <iostream>

#include "cli/cli.h"

namespace sg::cli {

int fail(const core::Error& error) {
  std::cerr << "safeguard: error: " << error.message;
  if (!error.field.empty()) std::cerr << " (" << error.field << ")";
  std::cerr << "\n";
  return kExitFailed;
}

void add_db_options(CLI::App* cmd, DbOptions& opts) {
  cmd->add_option("--db", opts.db, "SQLite database file (or SAFEGUARD_DB)");
  cmd->add_option("--config", opts.config_file, "TOML configuration file (or SAFEGUARD_CONFIG)");
}

}  // namespace sg::cli
