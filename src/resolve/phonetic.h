// Phonetic keys for names: Double Metaphone (Lawrence Philips, C/C++ Users Journal, June
// 2000), so that "Smith" and "Schmidt", or "Mohammed" and "Muhammad", share a key.
#pragma once

#include <string>
#include <string_view>

namespace sg::resolve {

struct PhoneticKeys {
  std::string primary;
  std::string alternate;  // Equal to primary when the name has one pronunciation.
};

// Encodes the letters of `name` (ASCII; anything else is ignored) as Double Metaphone keys of
// at most `max_length` characters. "Smith" -> {SM0, XMT}; "Schmidt" -> {XMT, SMT}.
PhoneticKeys double_metaphone(std::string_view name, std::size_t max_length = 4);

}  // namespace sg::resolve
