// Statistical disclosure control for the demographic tables: primary suppression of small
// counts and secondary (complementary) suppression, so that no row or column total lets a
// reader work a suppressed count back out (docs/oversight.md, "Suppression").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sg::oversight {

// Counts of 1 to 4 are shown as this; zero is shown as 0.
inline constexpr std::string_view kSmallCount = "<5";
// A count hidden only so that a total cannot give a small count away (ONS "[c]").
inline constexpr std::string_view kSecondary = "[c]";
inline constexpr std::int64_t kThreshold = 5;

enum class Shown { kValue, kPrimary, kSecondary };

// A two-way table of counts with its margins: cells[r][c] for the categories, the row totals
// (last column), the column totals (last row) and the grand total (last row, last column).
class CountTable {
 public:
  // `cells` is the interior, every row the same width (>= 1), at least one row.
  explicit CountTable(std::vector<std::vector<std::int64_t>> cells);

  std::size_t rows() const { return counts_.size(); }        // Including the totals row.
  std::size_t columns() const { return counts_[0].size(); }  // Including the totals column.
  std::int64_t count(std::size_t r, std::size_t c) const { return counts_[r][c]; }
  Shown shown(std::size_t r, std::size_t c) const { return shown_[r][c]; }
  // What a reader sees: the count, "<5" or "[c]".
  std::string display(std::size_t r, std::size_t c) const;

  // Applies primary suppression (1 <= n < 5, totals included), then secondary: while some
  // line — a row with its total, a column with its total, the totals row or the totals
  // column — holds exactly one suppressed entry, also suppress the smallest non-zero
  // unsuppressed entry among that line's parts (the first such in reading order on a tie), or
  // the line's total when no part qualifies. Idempotent.
  void suppress();

 private:
  std::vector<std::vector<std::int64_t>> counts_;
  std::vector<std::vector<Shown>> shown_;
};

}  // namespace sg::oversight
