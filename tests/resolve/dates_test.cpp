#include "resolve/dates.h"

#include <gtest/gtest.h>

namespace sg::resolve {
namespace {

std::string parsed(const char* text) {
  auto d = parse_partial_date(text);
  return d.ok() ? d->to_string() : "error";
}

TEST(PartialDate, ReadsTheCommonLayouts) {
  EXPECT_EQ(parsed("20080214"), "2008-02-14");
  EXPECT_EQ(parsed("2008-02-14"), "2008-02-14");
  EXPECT_EQ(parsed("2008/02/14"), "2008-02-14");
  EXPECT_EQ(parsed("14/02/2008"), "2008-02-14");
  EXPECT_EQ(parsed("14.02.2008"), "2008-02-14");
  EXPECT_EQ(parsed(" 4/2/2008 "), "2008-02-04");  // UK order by default.
  EXPECT_EQ(parsed("02/14/2008"), "2008-02-14");  // US order only when it must be.
}

TEST(PartialDate, ReadsPartialDates) {
  EXPECT_EQ(parsed("2008"), "2008");
  EXPECT_EQ(parsed("2008-02"), "2008-02");
  EXPECT_EQ(parsed("02/2008"), "2008-02");
  EXPECT_EQ(parsed("200802"), "2008-02");
}

TEST(PartialDate, DegradesImpossibleDaysAndMonthsInsteadOfGuessing) {
  EXPECT_EQ(parsed("20080231"), "2008-02");  // 31 February: keep year and month.
  EXPECT_EQ(parsed("20081331"), "2008");     // Month 13: keep the year.
  EXPECT_EQ(parsed("20080229"), "2008-02-29");
}

TEST(PartialDate, RejectsTextAndOutOfRangeYearsWithoutEchoingThem) {
  for (const char* bad : {"", "abc", "1/2/3", "12345", "2008--02", "0001-01-01", "14/02/08",
                          "2008-02-14T00:00", "99999999"}) {
    auto d = parse_partial_date(bad);
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.error().field, "date_of_birth");
    if (std::string(bad).size() > 2) {
      EXPECT_EQ(d.error().message.find(bad), std::string::npos);
    }
  }
}

TEST(ApproximateAge, GivesTheRangeOfBirthYears) {
  core::Date on = core::Date::from_ymd(2024, 6, 1).value();
  for (const char* text : {"14", "about 14", "approx. 14", "c14", "~14", "14 yrs", "Aged 14"}) {
    auto d = birth_years_from_age(text, on);
    ASSERT_TRUE(d.ok()) << text;
    EXPECT_EQ(d->year_min, 2009) << text;
    EXPECT_EQ(d->year_max, 2010) << text;
    EXPECT_EQ(d->year, 0);
  }
  EXPECT_EQ(birth_years_from_age("about 14", on)->to_string(), "2009..2010");
  EXPECT_FALSE(birth_years_from_age("fourteen", on).ok());
  EXPECT_FALSE(birth_years_from_age("14 stone", on).ok());
  EXPECT_FALSE(birth_years_from_age("400", on).ok());
}

TEST(BirthDate, ReadsAnApproximateAgeGivenOnADate) {
  auto d = parse_birth_date("about 14 on 2024-06-01");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->to_string(), "2009..2010");
  EXPECT_EQ(parse_birth_date("14 yrs on 01/06/2024")->to_string(), "2009..2010");
  EXPECT_EQ(parse_birth_date("2008-02-14")->to_string(), "2008-02-14");
}

TEST(BirthDate, RefusesAnAgeWithoutAFullEventDateNamingTheField) {
  for (const char* text :
       {"about 15", "about 15 on 2024", "about 15 on never", "old on 2024-06-01"}) {
    auto d = parse_birth_date(text, "dob");
    ASSERT_FALSE(d.ok()) << text;
    EXPECT_EQ(d.error().field, "dob");
    EXPECT_EQ(d.error().message.find("15"), std::string::npos);  // Never echoes the value.
  }
}

}  // namespace
}  // namespace sg::resolve
