#include "workflow/extract.h"

#include <gtest/gtest.h>

namespace sg::workflow {
namespace {

std::vector<std::string> kinds_and_values(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& item : extract_items(text)) out.push_back(item.kind + "=" + item.value);
  return out;
}

TEST(Extract, FindsEachKindWithNormalisedValuesAndOffsets) {
  std::string text =
      "On 14/03/2024 she was seen getting into YX65 KLM near NF1 2AB; call 07700 900123 or "
      "mail Kaz.Smith@Example.com.";
  auto items = extract_items(text);
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0].kind, "date");
  EXPECT_EQ(items[0].value, "2024-03-14");
  EXPECT_EQ(items[1].kind, "vehicle_registration");
  EXPECT_EQ(items[1].value, "YX65KLM");
  EXPECT_EQ(items[1].text, "YX65 KLM");
  EXPECT_EQ(items[1].start, 40u);
  EXPECT_EQ(items[1].end, 48u);
  EXPECT_EQ(items[2].kind, "postcode");
  EXPECT_EQ(items[2].value, "NF1 2AB");
  EXPECT_EQ(items[3].kind, "phone");
  EXPECT_EQ(items[3].value, "+447700900123");
  EXPECT_EQ(items[4].kind, "email");
  EXPECT_EQ(items[4].text, "Kaz.Smith@Example.com");
  for (const auto& item : items) {
    EXPECT_EQ(text.substr(item.start, item.end - item.start), item.text) << item.kind;
  }
}

TEST(Extract, ReadsPrefixAndSuffixPlates) {
  EXPECT_EQ(
      kinds_and_values("a red Escort, A123 BCD, and ABC 123D"),
      (std::vector<std::string>{"vehicle_registration=A123BCD", "vehicle_registration=ABC123D"}));
  EXPECT_EQ(kinds_and_values("unspaced AB12CDE too"),
            (std::vector<std::string>{"vehicle_registration=AB12CDE"}));
}

TEST(Extract, ReadsPhonesInEveryUkFormat) {
  for (const char* phone :
       {"07700 900123", "+44 7700 900123", "07700-900-123", "(07700) 900123", "0044 7700 900123"}) {
    EXPECT_EQ(kinds_and_values(std::string("ring ") + phone + " now"),
              (std::vector<std::string>{"phone=+447700900123"}))
        << phone;
  }
}

TEST(Extract, ReadsDatesInUkOrder) {
  EXPECT_EQ(kinds_and_values("on 03/04/2024"), (std::vector<std::string>{"date=2024-04-03"}));
  EXPECT_EQ(kinds_and_values("on 3rd April 2024 and 2024-04-05 and 7 Sept 2024"),
            (std::vector<std::string>{"date=2024-04-03", "date=2024-04-05", "date=2024-09-07"}));
  EXPECT_TRUE(kinds_and_values("on 31/02/2024").empty()) << "not a real date";
}

TEST(Extract, IgnoresOrdinaryProse) {
  EXPECT_TRUE(kinds_and_values("She was 14 and came home at 11pm on Friday with Mo.").empty());
  EXPECT_TRUE(kinds_and_values("was 12a the number? at 3 pm").empty());
  EXPECT_TRUE(kinds_and_values("").empty());
}

TEST(Extract, CountsOffsetsInCodePoints) {
  std::string text = "Zoë and Siân saw AB12 CDE";
  auto items = extract_items(text);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].start, 17u) << "two 2-byte characters before it";
  EXPECT_EQ(items[0].end, 25u);
}

TEST(Extract, SurvivesInvalidUtf8) {
  auto items = extract_items("\xff\xfe AB12 CDE \xc3");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].value, "AB12CDE");
}

}  // namespace
}  // namespace sg::workflow
