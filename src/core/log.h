// Structured logging as JSON lines on stderr. Fields carry ids, codes and counts, never
// personal data: there is deliberately no way to log a free-text record field.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace sg::core {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

struct LogField {
  std::string_view key;
  std::variant<std::string_view, std::int64_t, double, bool> value;
};

// Sets the minimum level written. Thread-safe.
void set_log_level(LogLevel level);
// Parses "debug", "info", "warn" or "error".
bool parse_log_level(std::string_view text, LogLevel& out);
// Writes one JSON line: {"ts":...,"level":...,"event":...,<fields>}. Thread-safe; one write(2).
void log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});

// Escapes text for a JSON string body (no surrounding quotes).
std::string json_escape(std::string_view text);

}  // namespace sg::core
