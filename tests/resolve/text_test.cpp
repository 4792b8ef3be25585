#include "resolve/text.h"

#include <gtest/gtest.h>

namespace sg::resolve {
namespace {

TEST(Fold, LowerCasesAndTurnsPunctuationIntoSingleSpaces) {
  EXPECT_EQ(fold("  Smith-JONES,  Jr. "), "smith jones jr");
  EXPECT_EQ(fold("O'Brien"), "obrien");
  EXPECT_EQ(fold("St.John"), "st john");
  EXPECT_EQ(fold(""), "");
  EXPECT_EQ(fold("--"), "");
}

TEST(Fold, TransliteratesAccentsAndOtherScriptsToAscii) {
  EXPECT_EQ(fold("Müller"), "muller");
  EXPECT_EQ(fold("Łukasz Wójcik"), "lukasz wojcik");
  EXPECT_EQ(fold("Мария"), "maria");
  EXPECT_EQ(fold("Ζωή"), "zoe");
  EXPECT_EQ(to_ascii("plain ascii"), "plain ascii");
}

TEST(Fold, DropsSymbolsThatHaveNoAsciiForm) { EXPECT_EQ(fold("anna 😀"), "anna"); }

TEST(SplitTokens, SplitsOnSpaces) {
  auto t = split_tokens("a bb  ccc");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[2], "ccc");
  EXPECT_TRUE(split_tokens("").empty());
  EXPECT_EQ(digits_only("+44 (0)7700-900"), "4407700900");
}

}  // namespace
}  // namespace sg::resolve
