// Locale-independent ASCII helpers for protocol text (header names, codes, hex).
#pragma once

#include <string>
#include <string_view>

namespace sg::core {

inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

inline std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = ascii_lower(c);
  return out;
}

// Lower-case hexadecimal of raw bytes.
std::string to_hex(std::string_view bytes);
// Decodes hex (either case); returns false on odd length or a non-hex digit.
bool from_hex(std::string_view hex, std::string& out);

}  // namespace sg::core
