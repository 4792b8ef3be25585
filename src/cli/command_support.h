// What every `safeguard` subcommand shares: the error message, the database options and
// the configuration they resolve to.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

#include "cli/config.h"
#include "core/error.h"
#include "core/result.h"

namespace sg::cli {

// Prints "safeguard: error: MESSAGE (FIELD)" on stderr and returns kExitFailed.
int fail(const core::Error& error);

// Options of every command that touches a database.
struct DbOptions {
  std::string config_file;
  std::string db;
};
void add_db_options(CLI::App* cmd, DbOptions& opts);

// load_config (cli/config.h) for the options of a database command.
inline core::Result<Config> load_config(const DbOptions& opts) {
  return load_config(opts.config_file, opts.db);
}

}  // namespace sg::cli
