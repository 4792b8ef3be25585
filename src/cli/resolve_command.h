// `safeguard resolve`: batch entity resolution over CSV files (issue 4, item 8).
#pragma once

#include <CLI/CLI.hpp>

namespace sg::cli {

// Adds the `resolve` subcommand to `app`; when it runs, it stores its exit code in `exit_code`.
void add_resolve_command(CLI::App& app, int& exit_code);

}  // namespace sg::cli
