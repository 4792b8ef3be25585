// `safeguard retention due`: the records due for retention review on a date (docs/retention.md),
// as ids, kinds, groups and dates only, never personal data.
#pragma once

#include <CLI/CLI.hpp>

namespace sg::cli {

// Adds the `retention` subcommand to `app`; when it runs, it stores its exit code in `exit_code`.
void add_retention_command(CLI::App& app, int& exit_code);

}  // namespace sg::cli
