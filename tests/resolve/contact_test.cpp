#include "resolve/contact.h"

#include <gtest/gtest.h>

namespace sg::resolve {
namespace {

TEST(Phone, NormalisesUkNumbersToE164) {
  EXPECT_EQ(normalise_phone("07700 900123").value(), "+447700900123");
  EXPECT_EQ(normalise_phone("+44 (0)7700-900123").value(), "+447700900123");
  EXPECT_EQ(normalise_phone("0114 496 0000").value(), "+441144960000");
  EXPECT_EQ(normalise_phone("+1 202 555 0143").value(), "+12025550143");
  EXPECT_EQ(normalise_phone("202 555 0143", "US").value(), "+12025550143");
}

TEST(Phone, RejectsWhatCannotBeANumber) {
  EXPECT_FALSE(normalise_phone("hello").ok());
  EXPECT_FALSE(normalise_phone("12").ok());
  EXPECT_FALSE(normalise_phone(std::string(100, '1')).ok());
}

TEST(Email, LowerCasesAndDropsTagsAndGmailDots) {
  EXPECT_EQ(normalise_email(" John.Smith+school@Example.org ").value(), "john.smith@example.org");
  EXPECT_EQ(normalise_email("J.Smith@GoogleMail.com").value(), "jsmith@gmail.com");
  for (const char* bad : {"", "nobody", "@x.com", "a@b", "a@@b.com", "a@b."}) {
    EXPECT_FALSE(normalise_email(bad).ok()) << bad;
  }
}

TEST(Postcode, ParsesUkPostcodesIntoAreaDistrictAndSector) {
  auto pc = parse_uk_postcode("sw1a1aa");
  ASSERT_TRUE(pc.ok());
  EXPECT_EQ(pc->postcode, "SW1A 1AA");
  EXPECT_EQ(pc->area, "SW");
  EXPECT_EQ(pc->district, "SW1A");
  EXPECT_EQ(pc->sector, "SW1A 1");
  auto s = parse_uk_postcode(" S1 2hE ");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->postcode, "S1 2HE");
  EXPECT_EQ(s->area, "S");
  EXPECT_EQ(parse_uk_postcode("M60 1NW")->district, "M60");
}

TEST(Postcode, RejectsNonUkPostcodes) {
  for (const char* bad : {"4011", "90210", "SW1A", "1AA SW1", "SW1A 1A1", ""}) {
    EXPECT_FALSE(parse_uk_postcode(bad).ok()) << bad;
  }
}

TEST(VehicleRegistration, NormalisesUkFormats) {
  EXPECT_EQ(normalise_vehicle_registration("ab12 cde").value(), "AB12CDE");  // Current.
  EXPECT_EQ(normalise_vehicle_registration("P123 ABC").value(), "P123ABC");  // Prefix.
  EXPECT_EQ(normalise_vehicle_registration("ABC 123D").value(), "ABC123D");  // Suffix.
  EXPECT_EQ(normalise_vehicle_registration("1 ABC").value(), "1ABC");        // Dateless.
  EXPECT_FALSE(normalise_vehicle_registration("not a plate").ok());
  EXPECT_FALSE(normalise_vehicle_registration("").ok());
}

TEST(VehicleRegistration, ConfusableKeyEquatesTheUsualMisreadings) {
  EXPECT_EQ(registration_confusable_key("AB12CDE"), registration_confusable_key("A812CDE"));
  EXPECT_EQ(registration_confusable_key("BO51ABC"), registration_confusable_key("B05IA8C"));
  EXPECT_NE(registration_confusable_key("AB12CDE"), registration_confusable_key("AB13CDE"));
}

}  // namespace
}  // namespace sg::resolve
