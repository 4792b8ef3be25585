#include "oversight/suppression.h"

#include <gtest/gtest.h>

namespace sg::oversight {
namespace {

std::vector<std::string> row(const CountTable& t, std::size_t r) {
  std::vector<std::string> out;
  for (std::size_t c = 0; c < t.columns(); ++c) out.push_back(t.display(r, c));
  return out;
}

using Row = std::vector<std::string>;

TEST(CountTable, AddsMarginsAndShowsZeroAndLargeCountsAsThey) {
  CountTable t({{5, 0}, {6, 7}});
  t.suppress();
  EXPECT_EQ(row(t, 0), (Row{"5", "0", "5"}));
  EXPECT_EQ(row(t, 1), (Row{"6", "7", "13"}));
  EXPECT_EQ(row(t, 2), (Row{"11", "7", "18"}));
}

TEST(CountTable, HidesTheNextSmallestCellSoNoTotalGivesASmallCountAway) {
  //      a   b   | total
  //      1   9   | 10
  //      8   12  | 20
  //      9   21  | 30
  // Primary: 1. Rows first: row 0 has one hidden → hide 9 (its only other non-zero part).
  // Then columns: column a has one hidden (1) → hide 8; column b has one hidden (9) → hide 12.
  // Every line now holds 0 or 2 hidden entries; the margins 10, 20, 9, 21, 30 stay shown.
  CountTable t({{1, 9}, {8, 12}});
  t.suppress();
  EXPECT_EQ(row(t, 0), (Row{"<5", "[c]", "10"}));
  EXPECT_EQ(row(t, 1), (Row{"[c]", "[c]", "20"}));
  EXPECT_EQ(row(t, 2), (Row{"9", "21", "30"}));
  // Running it again changes nothing.
  t.suppress();
  EXPECT_EQ(row(t, 1), (Row{"[c]", "[c]", "20"}));
}

TEST(CountTable, HidesALinesTotalWhenItsOtherPartsAreZero) {
  //      a   b   | total
  //      1   5   | 6
  //      6   0   | 6
  //      7   5   | 12
  // Primary: 1. Pass 1, rows: row 0 has one hidden → hide 5. Columns: column a has one hidden
  // (1) → hide 6; column b has one hidden (5) and no other non-zero part → hide its total 5.
  // Pass 2, rows: row 1 has one hidden (6), its other part is 0 → hide its total 6; the totals
  // row has one hidden (5) → hide 7. The totals column has one hidden (row 1's 6) → hide row
  // 0's 6. Pass 3 finds every line with 0 or >= 2 hidden; only the grand total 12 shows.
  CountTable t({{1, 5}, {6, 0}});
  t.suppress();
  EXPECT_EQ(row(t, 0), (Row{"<5", "[c]", "[c]"}));
  EXPECT_EQ(row(t, 1), (Row{"[c]", "0", "[c]"}));
  EXPECT_EQ(row(t, 2), (Row{"[c]", "[c]", "12"}));
}

}  // namespace
}  // namespace sg::oversight
