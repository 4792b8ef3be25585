// `safeguard oversight`: the oversight reports of issue 6 (timeliness, outcomes, repeat
// concerns, suspects, demographics, Annex A) over a database, as JSON or CSV.
#pragma once

#include <CLI/CLI.hpp>

namespace sg::cli {

// Adds the `oversight` subcommand to `app`; when it runs, it stores its exit code in `exit_code`.
void add_oversight_command(CLI::App& app, int& exit_code);

}  // namespace sg::cli
