#include "core/csv_writer.h"

#include <gtest/gtest.h>

namespace sg::core {
namespace {

TEST(CsvWriter, QuotesCommasQuotesAndLineBreaksPerRfc4180) {
  EXPECT_EQ(csv_text_cell("plain"), "plain");
  EXPECT_EQ(csv_text_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_text_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_text_cell("two\r\nlines"), "\"two\r\nlines\"");
  EXPECT_EQ(csv_text_cell(" padded"), "\" padded\"");
  EXPECT_EQ(csv_text_cell(""), "");
}

TEST(CsvWriter, NeutralisesCellsASpreadsheetWouldRunAsFormulas) {
  EXPECT_EQ(csv_text_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(csv_text_cell("+1"), "\"'+1\"");
  EXPECT_EQ(csv_text_cell("-2+3"), "\"'-2+3\"");
  EXPECT_EQ(csv_text_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(csv_text_cell("\tx"), "\"'\tx\"");
  EXPECT_EQ(csv_text_cell("a=b"), "a=b");  // Only a leading sign makes a formula.
}

TEST(CsvWriter, WritesHeaderAndRowsWithCrlfAndLeavesProgramNumbersAlone) {
  CsvWriter csv({"name", "count", "share"});
  csv.text("=cmd").number(std::int64_t{-3}).number(66.666, 1).end_row();
  csv.text("b").empty().number(0.0, 1).end_row();
  EXPECT_EQ(csv.str(), "name,count,share\r\n\"'=cmd\",-3,66.7\r\nb,,0.0\r\n");
}

}  // namespace
}  // namespace sg::core
