#include "resolve/similarity.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace sg::resolve {
namespace {

TEST(JaroWinkler, MatchesPublishedValues) {
  // Winkler (1990) / Wikipedia examples.
  EXPECT_NEAR(jaro("MARTHA", "MARHTA"), 0.9444, 1e-4);
  EXPECT_NEAR(jaro_winkler("MARTHA", "MARHTA"), 0.9611, 1e-4);
  EXPECT_NEAR(jaro_winkler("DWAYNE", "DUANE"), 0.84, 1e-4);
  EXPECT_NEAR(jaro_winkler("DIXON", "DICKSONX"), 0.8133, 1e-4);
  EXPECT_DOUBLE_EQ(jaro_winkler("same", "same"), 1.0);
  EXPECT_DOUBLE_EQ(jaro_winkler("", "abc"), 0.0);
  EXPECT_DOUBLE_EQ(jaro_winkler("abc", "xyz"), 0.0);
}

TEST(JaroWinkler, HandlesStringsLongerThanTheStackBuffers) {
  std::string a(300, 'a'), b(300, 'a');
  b[150] = 'b';
  EXPECT_GT(jaro_winkler(a, b), 0.99);
}

TEST(OsaDistance, CountsATranspositionAsOneEdit) {
  EXPECT_EQ(osa_distance("abcd", "acbd"), 1);
  EXPECT_EQ(osa_distance("kitten", "sitting"), 3);
  EXPECT_EQ(osa_distance("ca", "abc"), 3);  // OSA, unlike full Damerau-Levenshtein (2).
  EXPECT_EQ(osa_distance("", "abc"), 3);
  EXPECT_EQ(osa_distance("abc", "abc"), 0);
  EXPECT_EQ(osa_distance("abcdef", "uvwxyz", 2), 3);  // Stops past the limit.
}

TEST(WithinOneEdit, AgreesWithOsaDistanceOnRandomStrings) {
  std::mt19937 rng(7);
  auto random_string = [&](int max_len) {
    std::string s(rng() % (max_len + 1), 'a');
    for (auto& c : s) c = static_cast<char>('a' + rng() % 3);
    return s;
  };
  for (int i = 0; i < 20000; ++i) {
    std::string a = random_string(6), b = random_string(6);
    ASSERT_EQ(within_one_edit(a, b), osa_distance(a, b) <= 1) << a << " / " << b;
  }
}

TEST(JaroWinklerUpperBound, IsNeverBelowTheTrueScore) {
  std::mt19937 rng(11);
  for (int i = 0; i < 20000; ++i) {
    std::string a(1 + rng() % 8, 'a'), b(1 + rng() % 8, 'a');
    for (auto& c : a) c = static_cast<char>('a' + rng() % 5);
    for (auto& c : b) c = static_cast<char>('a' + rng() % 5);
    ASSERT_GE(jaro_winkler_upper_bound(a, b) + 1e-12, jaro_winkler(a, b)) << a << " / " << b;
  }
}

}  // namespace
}  // namespace sg::resolve
