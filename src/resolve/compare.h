// Comparison levels: how closely two records agree on one comparator, from "different"
// (level 0) up to "exact" (the top level). A missing value on either side gives kMissing,
// which carries no weight. The level definitions are fixed per CompareKind so that a model
// trained in one run can score records in another.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "resolve/records.h"

namespace sg::resolve {

inline constexpr std::uint8_t kMissing = 0xFF;

// The number of levels for a kind of comparison, and a label for each (for explanations).
int level_count(CompareKind kind);
const std::vector<std::string>& level_labels(CompareKind kind);
// True when the top level of this kind is adjusted for term frequency (names, places,
// attributes): agreeing on a rare value counts for more than agreeing on a common one.
bool uses_term_frequency(CompareKind kind);

// The comparison level of records `a` and `b` on comparator `k`. Thread-safe (reads only).
std::uint8_t compare_level(const RecordStore& store, std::size_t k, std::uint32_t a,
                           std::uint32_t b);

// Levels for every comparator, into `levels` (size = number of comparators). Also detects
// given and family names written the other way round, and scores both as near matches.
void compare_record_pair(const RecordStore& store, std::uint32_t a, std::uint32_t b,
                         std::uint8_t* levels);

}  // namespace sg::resolve
