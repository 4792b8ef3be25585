// Runtime configuration: built-in defaults, then a TOML file, then SAFEGUARD_* environment
// variables, then command-line flags (each overrides the one before).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sg::cli {

struct Config {
  std::string db_path = "safeguard.db";
  std::string listen = "127.0.0.1:8080";
  // Request handlers block on SQLite (a commit waits for its fsync), so more threads than
  // cores keep the cores busy and let concurrent writers share one commit (group commit).
  int io_threads = 16;
  std::string web_root;  // Empty: look for web/dist beside the working directory.
  std::optional<std::string> tls_certificate;
  std::optional<std::string> tls_private_key;
  std::size_t max_body_bytes = 1024 * 1024;
  int session_idle_minutes = 30;
  int session_absolute_hours = 12;
  // Every account must have a second factor (OWASP ASVS 5.0 V6.3.3); one without is kept
  // to enrolling one. On unless a deployment turns it off; scripts/run.sh turns it off for
  // the demo and says so.
  bool session_require_second_factor = true;
  // The file of the key that seals second factors' TOTP secrets in the database
  // (access/second_factor_key.h), kept outside it like the ledger's signing key; `safeguard
  // serve` creates it (mode 0600) when it does not exist. Empty: beside the database, as
  // second_factor_key_file() says.
  std::string session_second_factor_key;
  std::string log_level = "info";
  // The ledger's checkpoints (docs/ledger.md): the Ed25519 signing key file, kept outside
  // the database (empty: no checkpoints are cut), the origin line they carry, and how often
  // the server cuts one.
  std::string audit_signing_key;
  std::string audit_origin = "safeguard/ledger";
  std::int64_t checkpoint_every_events = 10000;
  int checkpoint_every_seconds = 300;
};

// Reads `path` (TOML) over `config`. Unknown keys are errors, so a typo cannot silently
// leave a default in force. Errors name the key (field) or the line of a syntax error.
core::Status apply_config_file(const std::string& path, Config& config);
// As apply_config_file, for TOML text already in memory.
core::Status apply_config_text(std::string_view text, Config& config);

// Applies SAFEGUARD_DB, SAFEGUARD_LISTEN, SAFEGUARD_THREADS, SAFEGUARD_WEB_ROOT,
// SAFEGUARD_TLS_CERT, SAFEGUARD_TLS_KEY, SAFEGUARD_MAX_BODY_BYTES,
// SAFEGUARD_SESSION_IDLE_MINUTES, SAFEGUARD_SESSION_ABSOLUTE_HOURS,
// SAFEGUARD_SESSION_REQUIRE_SECOND_FACTOR ("true" or "false"),
// SAFEGUARD_SESSION_SECOND_FACTOR_KEY, SAFEGUARD_LOG_LEVEL,
// SAFEGUARD_AUDIT_SIGNING_KEY, SAFEGUARD_AUDIT_ORIGIN, SAFEGUARD_CHECKPOINT_EVERY_EVENTS,
// SAFEGUARD_CHECKPOINT_EVERY_SECONDS.
// `getenv` is injectable for tests.
core::Status apply_environment(Config& config,
                               const std::function<const char*(const char*)>& getenv);

// Checks ranges and formats of the final configuration.
core::Status validate(const Config& config);

// The second-factor key file: session_second_factor_key, or when that is empty the database
// path with ".second-factor-key" appended.
std::string second_factor_key_file(const Config& config);

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};
// Parses "HOST:PORT" or "[IPv6]:PORT".
core::Result<ListenAddress> parse_listen(std::string_view text, std::string_view field = "listen");

// Defaults, then the TOML file (`config_file`, else SAFEGUARD_CONFIG), then SAFEGUARD_*
// variables, then `db` when given: as every command resolves its configuration.
core::Result<Config> load_config(std::string_view config_file, std::string_view db);

}  // namespace sg::cli
