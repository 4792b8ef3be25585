// The password blocklists (OWASP ASVS 5.0 V6.2.4, V6.2.11, V6.1.2): the commonest passwords,
// padded forms of them, and the context words of the product, the agencies and the account.
#include "access/password_blocklist.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace sg::access {
namespace {

// The vendored list as it is in the repository, read independently of the embedded copy.
std::vector<std::string> vendored_list() {
  std::ifstream in(std::string(SG_SOURCE_DIR) + "/data/passwords/common_passwords.txt");
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(CommonPasswords, TheWholeVendoredListIsLoadedAndEveryEntryIsRefused) {
  auto list = vendored_list();
  ASSERT_EQ(list.size(), 49233u) << "data/passwords/common_passwords.txt";
  EXPECT_EQ(common_password_count(), list.size());
  // ASVS V6.2.4 asks for at least the top 3,000; every entry is checked, not a sample.
  size_t refused = 0;
  for (const auto& p : list) refused += is_common_password(p) ? 1 : 0;
  EXPECT_EQ(refused, list.size());
  EXPECT_EQ(list.front(), "123456");
  EXPECT_TRUE(is_common_password(list.at(2999)));
}

TEST(CommonPasswords, AreComparedWithoutRegardToCase) {
  EXPECT_TRUE(is_common_password("PASSWORD1234"));
  EXPECT_TRUE(is_common_password("QwErTyUiOp"));
  EXPECT_TRUE(is_common_password("Sonyericsson"));
}

TEST(CommonPasswords, PaddingWithDigitsOrSymbolsDoesNotHideOne) {
  EXPECT_TRUE(is_common_password("dragon123456"));
  EXPECT_TRUE(is_common_password("2024Monkey!!"));
  EXPECT_TRUE(is_common_password("!!!password!!!"));
  EXPECT_TRUE(is_common_password("123456!!!!!!")) << "digits kept, symbols trimmed";
  EXPECT_TRUE(is_common_password("  letmein   2025  "));
}

TEST(CommonPasswords, PassphrasesAndWordsInsideThemAreAccepted) {
  EXPECT_FALSE(is_common_password("correct horse battery"));
  EXPECT_FALSE(is_common_password("dragon fruit on toast"))
      << "a common password inside a longer one is not the common password";
  EXPECT_FALSE(is_common_password("kettle-orbit-lantern-97"));
}

TEST(ContextWords, NameTheProductTheAgenciesAndTheAccount) {
  std::vector<domain::Agency> agencies{
      {"a1", "NFP", "Northfield Police", domain::AgencyKind::kPolice, {}},
      {"a2", "NHS-NF", "Northfield NHS Trust", domain::AgencyKind::kHealth, {}}};
  auto words = context_words("sam.okafor", "Sam O'Kafor-Reyes", agencies);
  auto has = [&](const std::string& w) {
    return std::find(words.begin(), words.end(), w) != words.end();
  };
  for (const char* w :
       {"safeguard", "safeguarding", "mash", "administrator", "sam.okafor", "sam", "okafor",
        "kafor", "reyes", "nfp", "northfield", "police", "nhs-nf", "nhs", "trust"}) {
    EXPECT_TRUE(has(w)) << w;
  }
  EXPECT_FALSE(has("o")) << "one- and two-letter parts are left out";
  EXPECT_FALSE(has("nf"));
  EXPECT_FALSE(has("Northfield")) << "lower case only";
}

TEST(ContextWords, APasswordContainingOneIsRefusedWhateverItsCase) {
  std::vector<std::string> words{"safeguard", "okafor", "northfield", "nfp"};
  EXPECT_TRUE(contains_context_word("MySafeGuardLogin2026", words));
  EXPECT_TRUE(contains_context_word("the okafor family car", words));
  EXPECT_TRUE(contains_context_word("NORTHFIELD rocks!", words));
  EXPECT_FALSE(contains_context_word("correct horse battery", words));
}

TEST(ContextWords, AShortWordCountsOnlyAsTheWholePasswordGiveOrTakePadding) {
  std::vector<std::string> words{"nfp"};
  EXPECT_TRUE(contains_context_word("NFP123456789", words));
  EXPECT_TRUE(contains_context_word("!!nfp!!2026!!", words));
  EXPECT_FALSE(contains_context_word("unfpaid invoices", words))
      << "three letters inside a longer password are coincidence, not a guessable word";
}

TEST(PasswordBlocklists, TheErrorNamesTheFieldAndNeverTheWordOrPassword) {
  auto common = check_password_blocklists("Password1234", {}, "new_password");
  ASSERT_FALSE(common.ok());
  EXPECT_EQ(common.error().code, core::Code::kInvalidArgument);
  EXPECT_EQ(common.error().field, "new_password");
  EXPECT_EQ(common.error().message.find("assword1234"), std::string::npos);
  auto context = check_password_blocklists("okafor-family-bike", {"okafor"}, "password");
  ASSERT_FALSE(context.ok());
  EXPECT_EQ(context.error().field, "password");
  EXPECT_EQ(context.error().message.find("okafor"), std::string::npos);
  EXPECT_TRUE(check_password_blocklists("correct horse battery", {"okafor"}, "password").ok());
}

}  // namespace
}  // namespace sg::access
