#include "core/ascii.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace sg::core {
namespace {

using Lines = std::vector<std::string_view>;

TEST(TextLines, SkipsBlankLinesAndCarriageReturnsAndCommentsOnlyWhenAsked) {
  constexpr std::string_view kText = "# a comment\nfirst\r\n\nsecond\n#hash\nlast";
  EXPECT_EQ(text_lines(kText, true), (Lines{"first", "second", "last"}));
  // A password list may hold entries that start with '#': they are lines like any other.
  EXPECT_EQ(text_lines(kText, false), (Lines{"# a comment", "first", "second", "#hash", "last"}));
  EXPECT_TRUE(text_lines("", true).empty());
  EXPECT_EQ(text_lines("only\n", true), (Lines{"only"}));
}

}  // namespace
}  // namespace sg::core
