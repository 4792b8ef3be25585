// `safeguard synth`: writes the synthetic Northfield world (import files and ground truth).
#pragma once

#include <CLI/CLI.hpp>

namespace sg::cli {

// Adds the `synth` subcommand to `app`; on success or failure it sets `exit_code`.
void add_synth_command(CLI::App& app, int& exit_code);

}  // namespace sg::cli
