// The `safeguard` command line: subcommands over the same services the server uses.
#pragma once

namespace sg::cli {

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;    // The operation failed (bad input, database trouble).
inline constexpr int kExitUsage = 2;     // The command line itself was wrong.
inline constexpr int kExitTampered = 3;  // `audit verify` found a broken ledger.

// Runs the command line. Never throws.
int run(int argc, char** argv);

}  // namespace sg::cli
