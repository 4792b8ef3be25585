// `safeguard audit`: verify the ledger against exported checkpoints, make a signing key,
// cut and export signed checkpoints, print and check inclusion and consistency proofs
// (docs/ledger.md); and the checkpointer the server runs.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/config.h"
#include "cli/runtime.h"

namespace sg::cli {

// Adds the `audit` subcommand to `app`; when it runs, it stores its exit code in `exit_code`.
void add_audit_command(CLI::App& app, int& exit_code);

// Reads a signing key file. Refuses a file that others may read (its mode must be 0600 or
// stricter) and names the file in every error.
core::Result<audit::SigningKey> load_signing_key(const std::string& path);

// Cuts signed checkpoints in the background while it lives, as config.checkpoint_every_*
// say: it checks every few seconds whether one is due. Stops and joins on destruction.
class CheckpointLoop {
 public:
  virtual ~CheckpointLoop() = default;
};

// Starts the loop when config.audit_signing_key is set; returns null when it is not.
// InvalidArgument naming the key file if it cannot be read.
core::Result<std::unique_ptr<CheckpointLoop>> start_checkpoint_loop(Runtime& runtime,
                                                                    const Config& config);

}  // namespace sg::cli
