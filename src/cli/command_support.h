// What every `safeguard` subcommand shares: the error message, the database options and
// the configuration they resolve to.
#pragma once

#include <sys/types.h>

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

// The whole of the file at `path`; InvalidArgument naming the path if it cannot be read.
core::Result<std::string> read_text(const std::string& path);
// Creates `path` with `mode` and writes `text` to it, durably; never replaces a file that is
// there (AlreadyExists, naming the path). For key files.
core::Status write_new_file(const std::string& path, const std::string& text, mode_t mode);
// Reads a key file that only its owner may read: NotFound naming the path when there is none,
// InvalidArgument naming it when others may read it (`what` names the key in the message:
// "the signing key file may be read by others…").
core::Result<std::string> read_private_file(const std::string& path, std::string_view what);

// load_config (cli/config.h) for the options of a database command.
inline core::Result<Config> load_config(const DbOptions& opts) {
  return load_config(opts.config_file, opts.db);
}

}  // namespace sg::cli
