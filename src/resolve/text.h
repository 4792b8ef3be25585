// Text normalisation shared by every field: transliteration to ASCII, case folding, and
// splitting into tokens. Thread-safe: each thread uses its own ICU transliterator.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sg::resolve {

// Transliterates UTF-8 `text` to ASCII with ICU's "Any-Latin; Latin-ASCII" (so "Müller"
// becomes "Muller" and "Мария" becomes "Maria"). Pure-ASCII text is returned unchanged
// without calling ICU. Invalid UTF-8 sequences are dropped.
std::string to_ascii(std::string_view text);

// Folds `text` for comparison: to_ascii, lower case, letters and digits kept, apostrophes
// removed ("O'Brien" -> "obrien"), every other run of
// punctuation or space becomes one space, and no space at either end.
std::string fold(std::string_view text);

// Splits folded text on spaces.
std::vector<std::string_view> split_tokens(std::string_view folded);

// Keeps only the digits of `text`.
std::string digits_only(std::string_view text);

}  // namespace sg::resolve
