#include "cli/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/log.h"

namespace sg::cli {
namespace {

core::Result<std::int64_t> parse_int(std::string_view text, std::string_view field) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return core::invalid_argument("must be an integer", std::string(field));
  }
  return value;
}

}  // namespace

core::Status apply_config_file(const std::string& path, Config& config) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) {
    return core::invalid_argument("cannot read the configuration file", "config");
  }
  return apply_config_text(text.str(), config);
}

core::Status apply_config_text(std::string_view text, Config& config) {
  toml::table table;
  try {
    table = toml::parse(text);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return core::invalid_argument("configuration syntax error at line " +
                                      std::to_string(where.line) + ": " +
                                      std::string(e.description()),
                                  "config");
  }
  static const std::map<std::string, std::set<std::string>> kKnown = {
      {"database", {"path"}},
      {"server",
       {"listen", "io_threads", "web_root", "tls_certificate", "tls_private_key",
        "max_body_bytes"}},
      {"session", {"idle_minutes", "absolute_hours", "require_second_factor", "second_factor_key"}},
      {"log", {"level"}},
      {"audit", {"signing_key", "origin", "checkpoint_every_events", "checkpoint_every_seconds"}}};
  for (const auto& [section, node] : table) {
    std::string name(section.str());
    auto known = kKnown.find(name);
    if (known == kKnown.end() || !node.is_table()) {
      return core::invalid_argument("unknown configuration section", name);
    }
    for (const auto& [key, value] : *node.as_table()) {
      std::string full = name + "." + std::string(key.str());
      if (!known->second.contains(std::string(key.str()))) {
        return core::invalid_argument("unknown configuration key", full);
      }
      (void)value;
    }
  }
  auto get_string = [&](std::string_view key, auto setter) -> core::Status {
    auto node = table.at_path(key);
    if (!node) return {};
    auto v = node.value<std::string>();
    if (!v) return core::invalid_argument("must be a string", std::string(key));
    setter(*v);
    return {};
  };
  auto get_int = [&](std::string_view key, auto setter) -> core::Status {
    auto node = table.at_path(key);
    if (!node) return {};
    if (!node.is_integer()) return core::invalid_argument("must be an integer", std::string(key));
    setter(*node.value<std::int64_t>());
    return {};
  };
  SG_TRY(get_string("database.path", [&](std::string v) { config.db_path = v; }));
  SG_TRY(get_string("server.listen", [&](std::string v) { config.listen = v; }));
  SG_TRY(get_int("server.io_threads",
                 [&](std::int64_t v) { config.io_threads = static_cast<int>(v); }));
  SG_TRY(get_string("server.web_root", [&](std::string v) { config.web_root = v; }));
  SG_TRY(get_string("server.tls_certificate", [&](std::string v) { config.tls_certificate = v; }));
  SG_TRY(get_string("server.tls_private_key", [&](std::string v) { config.tls_private_key = v; }));
  SG_TRY(get_int("server.max_body_bytes", [&](std::int64_t v) {
    config.max_body_bytes = static_cast<std::size_t>(std::max<std::int64_t>(v, 0));
  }));
  SG_TRY(get_int("session.idle_minutes",
                 [&](std::int64_t v) { config.session_idle_minutes = static_cast<int>(v); }));
  SG_TRY(get_int("session.absolute_hours",
                 [&](std::int64_t v) { config.session_absolute_hours = static_cast<int>(v); }));
  if (auto node = table.at_path("session.require_second_factor")) {
    if (!node.is_boolean()) {
      return core::invalid_argument("must be true or false", "session.require_second_factor");
    }
    config.session_require_second_factor = *node.value<bool>();
  }
  SG_TRY(get_string("session.second_factor_key",
                    [&](std::string v) { config.session_second_factor_key = v; }));
  SG_TRY(get_string("log.level", [&](std::string v) { config.log_level = v; }));
  SG_TRY(get_string("audit.signing_key", [&](std::string v) { config.audit_signing_key = v; }));
  SG_TRY(get_string("audit.origin", [&](std::string v) { config.audit_origin = v; }));
  SG_TRY(get_int("audit.checkpoint_every_events",
                 [&](std::int64_t v) { config.checkpoint_every_events = v; }));
  SG_TRY(get_int("audit.checkpoint_every_seconds", [&](std::int64_t v) {
    config.checkpoint_every_seconds = static_cast<int>(std::clamp<std::int64_t>(v, -1, 1 << 30));
  }));
  return validate(config);
}

core::Status apply_environment(Config& config,
                               const std::function<const char*(const char*)>& getenv) {
  auto str = [&](const char* name, std::string& out) {
    if (const char* v = getenv(name)) out = v;
  };
  auto opt = [&](const char* name, std::optional<std::string>& out) {
    if (const char* v = getenv(name)) out = std::string(v);
  };
  auto num = [&](const char* name, auto& out) -> core::Status {
    if (const char* v = getenv(name)) {
      auto n = SG_TRY(parse_int(v, name));
      out = static_cast<std::remove_reference_t<decltype(out)>>(n);
    }
    return {};
  };
  str("SAFEGUARD_DB", config.db_path);
  str("SAFEGUARD_LISTEN", config.listen);
  SG_TRY(num("SAFEGUARD_THREADS", config.io_threads));
  str("SAFEGUARD_WEB_ROOT", config.web_root);
  opt("SAFEGUARD_TLS_CERT", config.tls_certificate);
  opt("SAFEGUARD_TLS_KEY", config.tls_private_key);
  SG_TRY(num("SAFEGUARD_MAX_BODY_BYTES", config.max_body_bytes));
  SG_TRY(num("SAFEGUARD_SESSION_IDLE_MINUTES", config.session_idle_minutes));
  SG_TRY(num("SAFEGUARD_SESSION_ABSOLUTE_HOURS", config.session_absolute_hours));
  if (const char* v = getenv("SAFEGUARD_SESSION_REQUIRE_SECOND_FACTOR")) {
    std::string_view text(v);
    if (text != "true" && text != "false") {
      return core::invalid_argument("must be true or false",
                                    "SAFEGUARD_SESSION_REQUIRE_SECOND_FACTOR");
    }
    config.session_require_second_factor = text == "true";
  }
  str("SAFEGUARD_SESSION_SECOND_FACTOR_KEY", config.session_second_factor_key);
  str("SAFEGUARD_LOG_LEVEL", config.log_level);
  str("SAFEGUARD_AUDIT_SIGNING_KEY", config.audit_signing_key);
  str("SAFEGUARD_AUDIT_ORIGIN", config.audit_origin);
  SG_TRY(num("SAFEGUARD_CHECKPOINT_EVERY_EVENTS", config.checkpoint_every_events));
  SG_TRY(num("SAFEGUARD_CHECKPOINT_EVERY_SECONDS", config.checkpoint_every_seconds));
  return validate(config);
}

core::Status validate(const Config& config) {
  if (config.db_path.empty()) return core::invalid_argument("must not be empty", "database.path");
  SG_TRY(parse_listen(config.listen, "server.listen"));
  if (config.io_threads < 1 || config.io_threads > 256) {
    return core::invalid_argument("must be between 1 and 256", "server.io_threads");
  }
  if (config.max_body_bytes < 1024 || config.max_body_bytes > 256u * 1024 * 1024) {
    return core::invalid_argument("must be between 1024 and 268435456", "server.max_body_bytes");
  }
  if (config.tls_certificate.has_value() != config.tls_private_key.has_value()) {
    return core::invalid_argument("TLS needs both a certificate and a private key",
                                  "server.tls_certificate");
  }
  if (config.session_idle_minutes < 1 || config.session_idle_minutes > 24 * 60) {
    return core::invalid_argument("must be between 1 and 1440", "session.idle_minutes");
  }
  if (config.session_absolute_hours < 1 || config.session_absolute_hours > 24) {
    return core::invalid_argument("must be between 1 and 24", "session.absolute_hours");
  }
  if (config.audit_origin.empty() || config.audit_origin.size() > 128 ||
      config.audit_origin.find_first_of("\r\n") != std::string::npos) {
    return core::invalid_argument("must be 1 to 128 characters on one line", "audit.origin");
  }
  if (config.checkpoint_every_events < 1 || config.checkpoint_every_events > 1000000000) {
    return core::invalid_argument("must be between 1 and 1000000000",
                                  "audit.checkpoint_every_events");
  }
  if (config.checkpoint_every_seconds < 1 || config.checkpoint_every_seconds > 86400) {
    return core::invalid_argument("must be between 1 and 86400", "audit.checkpoint_every_seconds");
  }
  core::LogLevel level;
  if (!core::parse_log_level(config.log_level, level)) {
    return core::invalid_argument("must be debug, info, warn or error", "log.level");
  }
  return {};
}

std::string second_factor_key_file(const Config& config) {
  return config.session_second_factor_key.empty() ? config.db_path + ".second-factor-key"
                                                  : config.session_second_factor_key;
}

core::Result<ListenAddress> parse_listen(std::string_view text, std::string_view field) {
  auto bad = [&] {
    return core::invalid_argument("expected HOST:PORT, e.g. 127.0.0.1:8080", std::string(field));
  };
  ListenAddress out;
  size_t colon;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return bad();
    }
    out.host = std::string(text.substr(1, close - 1));
    colon = close + 1;
  } else {
    colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return bad();
    out.host = std::string(text.substr(0, colon));
  }
  auto port = parse_int(text.substr(colon + 1), field);
  if (!port.ok() || *port < 0 || *port > 65535) {
    return core::invalid_argument("the port must be 0 to 65535", std::string(field));
  }
  out.port = static_cast<std::uint16_t>(*port);
  return out;
}

core::Result<Config> load_config(std::string_view config_file, std::string_view db) {
  Config config;
  std::string file(config_file);
  if (file.empty()) {
    if (const char* env = std::getenv("SAFEGUARD_CONFIG")) file = env;
  }
  if (!file.empty()) SG_TRY(apply_config_file(file, config));
  SG_TRY(apply_environment(config, [](const char* name) { return std::getenv(name); }));
  if (!db.empty()) config.db_path = std::string(db);
  return config;
}

}  // namespace sg::cli
