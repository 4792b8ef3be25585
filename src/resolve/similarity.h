// String similarity for comparison levels: Jaro-Winkler and Damerau-Levenshtein (the
// optimal-string-alignment variant: a transposition of neighbours counts as one edit).
// Byte-wise, for folded ASCII text. Allocation-free for strings up to 64 bytes.
#pragma once

#include <string_view>

namespace sg::resolve {

// Jaro similarity in [0, 1]; 1 for equal strings, 0 when either is empty.
double jaro(std::string_view a, std::string_view b);
// Jaro-Winkler with prefix scale 0.1 and a common prefix of at most 4 (Winkler 1990).
double jaro_winkler(std::string_view a, std::string_view b);
// Optimal string alignment distance; stops early and returns `limit + 1` once the distance is
// known to exceed `limit`.
int osa_distance(std::string_view a, std::string_view b, int limit = 1 << 20);
// Equivalent to osa_distance(a, b, 1) <= 1, in linear time.
bool within_one_edit(std::string_view a, std::string_view b);
// An upper bound on jaro_winkler(a, b) from the letters the strings share, in linear time:
// when it is below a threshold the full computation can be skipped.
double jaro_winkler_upper_bound(std::string_view a, std::string_view b);

}  // namespace sg::resolve
