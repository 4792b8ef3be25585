// `safeguard network`: link analysis over a database (issue 7): communities, key players,
// hot spots, evidence paths, neighbourhoods and exports to analysts' tools.
#pragma once

#include <CLI/CLI.hpp>

namespace sg::cli {

// Adds the `network` subcommand to `app`; when it runs, it stores its exit code in `exit_code`.
void add_network_command(CLI::App& app, int& exit_code);

}  // namespace sg::cli
