#include "resolve/names.h"

#include <gtest/gtest.h>

namespace sg::resolve {
namespace {

TEST(NameTables, TreatsTransliteratedSpellingsAsVariants) {
  const auto& t = NameTables::builtin();
  for (const char* v : {"muhammad", "mohamed", "mohd", "mo", "mohammad"}) {
    EXPECT_TRUE(t.are_variants("mohammed", v)) << v;
  }
  EXPECT_TRUE(t.are_variants("aisha", "ayesha"));
  EXPECT_TRUE(t.are_variants("yusuf", "yousef"));
  EXPECT_TRUE(t.are_variants("chaudhry", "chowdhury"));
}

TEST(NameTables, TreatsNicknamesAsVariants) {
  const auto& t = NameTables::builtin();
  EXPECT_TRUE(t.are_variants("robert", "bob"));
  EXPECT_TRUE(t.are_variants("rob", "robert"));
  EXPECT_TRUE(t.are_variants("katherine", "kate"));
  EXPECT_TRUE(t.are_variants("katherine", "kathryn"));
  EXPECT_TRUE(t.are_variants("alfie", "alfred"));
  EXPECT_FALSE(t.are_variants("robert", "aisha"));
  EXPECT_FALSE(t.are_variants("", ""));
  EXPECT_TRUE(t.are_variants("zebedee", "zebedee"));
}

TEST(NameTables, EmbedsEveryDataFileInTheBinary) {
  for (const char* f : {"nicknames.csv", "variants.csv", "honorifics.csv"}) {
    EXPECT_GT(embedded_name_data(f).size(), 100u) << f;
  }
  EXPECT_TRUE(embedded_name_data("nope.csv").empty());
  EXPECT_FALSE(NameTables::builtin().groups("robert").empty());
}

TEST(NameTables, ParsesGroupsAndJoinsInitials) {
  auto t = NameTables::parse("# comment\nann,annie,nan\nkenneth,k.c.\n", "", "mr\n");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->are_variants("annie", "nan"));
  EXPECT_TRUE(t->are_variants("kenneth", "kc"));
  EXPECT_FALSE(t->are_variants("ann", "kenneth"));
  EXPECT_TRUE(t->is_honorific("mr"));
  auto bad = NameTables::parse("ann," + std::string(80, 'a') + "\n", "", "");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("nicknames.csv:1"), std::string::npos);
}

TEST(NormaliseName, DropsHonorificsAndPunctuation) {
  EXPECT_EQ(normalise_name("Dr. Ayesha KHAN"), "ayesha khan");
  EXPECT_EQ(normalise_name("Mr John Smith Jr."), "john smith");
  EXPECT_EQ(normalise_name("Mr"), "mr");  // A title alone is kept rather than lost.
}

TEST(ParseFullName, SplitsGivenMiddleAndFamily) {
  ParsedName n = parse_full_name("Mr John Paul Smith");
  EXPECT_EQ(n.given, "john");
  EXPECT_EQ(n.middle, "paul");
  EXPECT_EQ(n.family, "smith");
}

TEST(ParseFullName, ReadsFamilyFirstWhenThereIsAComma) {
  ParsedName n = parse_full_name("KHAN, Ayesha Noor");
  EXPECT_EQ(n.given, "ayesha");
  EXPECT_EQ(n.middle, "noor");
  EXPECT_EQ(n.family, "khan");
}

TEST(ParseFullName, KeepsParticlesWithTheFamilyName) {
  EXPECT_EQ(parse_full_name("Mohammed Al Hassan").family, "al hassan");
  EXPECT_EQ(parse_full_name("Pieter van der Berg").family, "van der berg");
  EXPECT_EQ(parse_full_name("Cher").given, "cher");
  EXPECT_EQ(parse_full_name("Cher").family, "");
  EXPECT_EQ(parse_full_name("").given, "");
}

}  // namespace
}  // namespace sg::resolve
