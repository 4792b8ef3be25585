// Locale-independent ASCII helpers for protocol text (header names, codes, hex).
#pragma once

#include <string>
#include <string_view>
#include <vector>

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

// The non-empty lines of `text` (a data file embedded in the binary), without a trailing
// '\r', skipping those that start with '#' when `skip_comments` is set. Views into `text`,
// which must outlive them.
std::vector<std::string_view> text_lines(std::string_view text, bool skip_comments);

}  // namespace sg::core
