// `safeguard user list|disable|enable|reset-password|end-sessions`: account administration
// from the command line, through the same access::Accounts as the API, ledgered as
// "system:cli".
#pragma once

#include <CLI/CLI.hpp>

#include "cli/command_support.h"

namespace sg::cli {

// Adds list, disable, enable, reset-password and end-sessions under the `user` subcommand.
// `db` and `exit_code` must outlive parsing.
void add_user_commands(CLI::App& user, DbOptions& db, int& exit_code);

}  // namespace sg::cli
