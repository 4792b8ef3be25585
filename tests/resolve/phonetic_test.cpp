#include "resolve/phonetic.h"

#include <gtest/gtest.h>

namespace sg::resolve {
namespace {

struct Case {
  const char* name;
  const char* primary;
  const char* alternate;
};

TEST(DoubleMetaphone, EncodesPhilipsExamples) {
  const Case cases[] = {
      {"Smith", "SM0", "XMT"},       {"Schmidt", "XMT", "SMT"},  {"Knight", "NT", "NT"},
      {"Thompson", "TMPS", "TMPS"},  {"Thomas", "TMS", "TMS"},   {"Katherine", "K0RN", "KTRN"},
      {"Richard", "RXRT", "RKRT"},   {"Bob", "PP", "PP"},        {"Eric", "ARK", "ARK"},
      {"Geoff", "JF", "KF"},         {"Through", "0R", "TR"},    {"Schwein", "XN", "XFN"},
      {"Dave", "TF", "TF"},          {"Ray", "R", "R"},          {"Steven", "STFN", "STFN"},
      {"Bryce", "PRS", "PRS"},       {"Maurice", "MRS", "MRS"},  {"Aubrey", "APR", "APR"},
      {"Heidi", "HT", "HT"},         {"Robert", "RPRT", "RPRT"}, {"Rupert", "RPRT", "RPRT"},
      {"Xavier", "SF", "SFR"},       {"Jose", "HS", "HS"},       {"Michael", "MKL", "MXL"},
      {"Wasserman", "ASRM", "FSRM"}, {"Caesar", "SSR", "SSR"},   {"Zhao", "J", "J"},
  };
  for (const auto& c : cases) {
    PhoneticKeys k = double_metaphone(c.name);
    EXPECT_EQ(k.primary, c.primary) << c.name;
    EXPECT_EQ(k.alternate, c.alternate) << c.name;
  }
}

TEST(DoubleMetaphone, GivesTransliterationsOfOneNameASharedKey) {
  for (const char* n : {"Mohammed", "Muhammad", "Mohamed", "Mohammad"}) {
    EXPECT_EQ(double_metaphone(n).primary, "MHMT") << n;
  }
  EXPECT_EQ(double_metaphone("Aisha").primary, double_metaphone("Ayesha").primary);
  EXPECT_EQ(double_metaphone("Smith").alternate, double_metaphone("Schmidt").primary);
}

TEST(DoubleMetaphone, IgnoresCaseAndNonLettersAndHandlesEmptyInput) {
  EXPECT_EQ(double_metaphone("smith").primary, "SM0");
  EXPECT_EQ(double_metaphone(" sm1th! ").primary, "SM0");
  EXPECT_EQ(double_metaphone("").primary, "");
  EXPECT_EQ(double_metaphone("123").primary, "");
  EXPECT_EQ(double_metaphone("Christopherson", 6).primary.size(), 6u);
}

}  // namespace
}  // namespace sg::resolve
