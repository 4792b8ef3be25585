// Tests for the England and Wales working-day calendar against the dates published on
// gov.uk/bank-holidays, plus the deadline arithmetic built on it.
#include "core/calendar.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <climits>
#include <random>
#include <string>
#include <vector>

namespace sg::core {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

Date day(std::string_view iso) {
  auto d = Date::parse_iso(iso);
  EXPECT_TRUE(d.ok()) << iso;
  return *d;
}

const WorkingDayCalendar& calendar() { return WorkingDayCalendar::england_and_wales(); }

std::vector<std::string> holiday_dates(int year) {
  std::vector<std::string> out;
  for (const BankHoliday& h : calendar().bank_holidays(year)) out.push_back(h.date.iso());
  return out;
}

std::vector<std::string> holiday_names(int year) {
  std::vector<std::string> out;
  for (const BankHoliday& h : calendar().bank_holidays(year)) out.emplace_back(h.name);
  return out;
}

// The slow, obviously right definition the fast tables must agree with.
Date naive_add_working_days(Date from, int n) {
  Date d = from;
  while (n > 0) {
    d = d.plus_days(1);
    if (calendar().is_working_day(d)) --n;
  }
  return d;
}

// --- Easter --------------------------------------------------------------------------------

TEST(EasterSunday, MatchesPublishedDates) {
  EXPECT_EQ(easter_sunday(1995).iso(), "1995-04-16");
  EXPECT_EQ(easter_sunday(2000).iso(), "2000-04-23");
  EXPECT_EQ(easter_sunday(2008).iso(), "2008-03-23");
  EXPECT_EQ(easter_sunday(2011).iso(), "2011-04-24");
  EXPECT_EQ(easter_sunday(2019).iso(), "2019-04-21");
  EXPECT_EQ(easter_sunday(2024).iso(), "2024-03-31");
  EXPECT_EQ(easter_sunday(2038).iso(), "2038-04-25");
  EXPECT_EQ(easter_sunday(2045).iso(), "2045-04-09");
}

TEST(EasterSunday, IsAlwaysASundayBetween22MarchAnd25April) {
  for (int year = 1900; year <= 2100; ++year) {
    Date easter = easter_sunday(year);
    EXPECT_EQ(easter.weekday(), std::chrono::Sunday) << year;
    EXPECT_GE(easter, *Date::from_ymd(year, 3, 22)) << year;
    EXPECT_LE(easter, *Date::from_ymd(year, 4, 25)) << year;
  }
}

// --- Published lists -----------------------------------------------------------------------

TEST(WorkingDayCalendar, Lists1995WithEarlyMayMovedForVeDay50) {
  EXPECT_THAT(holiday_dates(1995),
              ElementsAre("1995-01-02", "1995-04-14", "1995-04-17", "1995-05-08", "1995-05-29",
                          "1995-08-28", "1995-12-25", "1995-12-26"));
}

TEST(WorkingDayCalendar, Lists1999WithMillenniumHolidayAndChristmasSubstitutes) {
  EXPECT_THAT(holiday_dates(1999),
              ElementsAre("1999-01-01", "1999-04-02", "1999-04-05", "1999-05-03", "1999-05-31",
                          "1999-08-30", "1999-12-27", "1999-12-28", "1999-12-31"));
  // 1 January 2000 was a Saturday, so the Millennium weekend ran Friday to Monday.
  EXPECT_EQ(holiday_dates(2000).front(), "2000-01-03");
}

TEST(WorkingDayCalendar, Lists2002WithGoldenJubilee) {
  EXPECT_THAT(holiday_dates(2002),
              ElementsAre("2002-01-01", "2002-03-29", "2002-04-01", "2002-05-06", "2002-06-03",
                          "2002-06-04", "2002-08-26", "2002-12-25", "2002-12-26"));
}

TEST(WorkingDayCalendar, Lists2010WithBothChristmasDaysOnAWeekend) {
  EXPECT_THAT(holiday_dates(2010),
              ElementsAre("2010-01-01", "2010-04-02", "2010-04-05", "2010-05-03", "2010-05-31",
                          "2010-08-30", "2010-12-27", "2010-12-28"));
}

TEST(WorkingDayCalendar, Lists2011WithRoyalWedding) {
  EXPECT_THAT(holiday_dates(2011),
              ElementsAre("2011-01-03", "2011-04-22", "2011-04-25", "2011-04-29", "2011-05-02",
                          "2011-05-30", "2011-08-29", "2011-12-26", "2011-12-27"));
}

TEST(WorkingDayCalendar, Lists2012WithDiamondJubilee) {
  EXPECT_THAT(holiday_dates(2012),
              ElementsAre("2012-01-02", "2012-04-06", "2012-04-09", "2012-05-07", "2012-06-04",
                          "2012-06-05", "2012-08-27", "2012-12-25", "2012-12-26"));
}

TEST(WorkingDayCalendar, Lists2016WithChristmasOnSunday) {
  EXPECT_THAT(holiday_dates(2016),
              ElementsAre("2016-01-01", "2016-03-25", "2016-03-28", "2016-05-02", "2016-05-30",
                          "2016-08-29", "2016-12-26", "2016-12-27"));
}

TEST(WorkingDayCalendar, Lists2020WithEarlyMayMovedForVeDay75) {
  EXPECT_THAT(holiday_dates(2020),
              ElementsAre("2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25",
                          "2020-08-31", "2020-12-25", "2020-12-28"));
}

TEST(WorkingDayCalendar, Lists2021WithChristmasOnSaturday) {
  EXPECT_THAT(holiday_dates(2021),
              ElementsAre("2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31",
                          "2021-08-30", "2021-12-27", "2021-12-28"));
}

TEST(WorkingDayCalendar, Lists2022WithPlatinumJubileeAndStateFuneral) {
  EXPECT_THAT(holiday_dates(2022),
              ElementsAre("2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02",
                          "2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27"));
}

TEST(WorkingDayCalendar, Lists2023WithCoronation) {
  EXPECT_THAT(holiday_dates(2023),
              ElementsAre("2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08",
                          "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26"));
}

TEST(WorkingDayCalendar, Lists2024And2025) {
  EXPECT_THAT(holiday_dates(2024),
              ElementsAre("2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27",
                          "2024-08-26", "2024-12-25", "2024-12-26"));
  EXPECT_THAT(holiday_dates(2025),
              ElementsAre("2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26",
                          "2025-08-25", "2025-12-25", "2025-12-26"));
}

TEST(WorkingDayCalendar, Lists2026WithBoxingDayOnSaturday) {
  EXPECT_THAT(holiday_dates(2026),
              ElementsAre("2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25",
                          "2026-08-31", "2026-12-25", "2026-12-28"));
}

TEST(WorkingDayCalendar, Lists2027WithChristmasOnSaturday) {
  EXPECT_THAT(holiday_dates(2027),
              ElementsAre("2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31",
                          "2027-08-30", "2027-12-27", "2027-12-28"));
}

TEST(WorkingDayCalendar, NamesSubstituteDaysAsGovUkDoes) {
  EXPECT_THAT(holiday_names(2022),
              ElementsAreArray({"New Year's Day (substitute day)", "Good Friday", "Easter Monday",
                                "Early May bank holiday", "Spring bank holiday",
                                "Platinum Jubilee bank holiday", "Summer bank holiday",
                                "Bank Holiday for the State Funeral of Queen Elizabeth II",
                                "Boxing Day", "Christmas Day (substitute day)"}));
  EXPECT_EQ(holiday_names(2026).back(), "Boxing Day (substitute day)");
}

TEST(WorkingDayCalendar, HasEightHolidaysInEveryYearWithoutOneOffs) {
  for (int year = WorkingDayCalendar::kFirstYear; year <= WorkingDayCalendar::kLastYear; ++year) {
    if (year == 1999 || year == 2002 || year == 2011 || year == 2012 || year == 2022 ||
        year == 2023) {
      continue;
    }
    std::vector<BankHoliday> holidays = calendar().bank_holidays(year);
    ASSERT_EQ(holidays.size(), 8u) << year;
    for (const BankHoliday& h : holidays) {
      EXPECT_NE(h.date.weekday(), std::chrono::Saturday) << h.date.iso();
      EXPECT_NE(h.date.weekday(), std::chrono::Sunday) << h.date.iso();
      EXPECT_EQ(h.date.year(), year);
    }
  }
}

TEST(WorkingDayCalendar, KnowsNoHolidaysOutsideCoveredYears) {
  EXPECT_TRUE(calendar().bank_holidays(1994).empty());
  EXPECT_TRUE(calendar().bank_holidays(2046).empty());
  EXPECT_FALSE(calendar().is_bank_holiday(day("1994-12-26")));
  EXPECT_FALSE(calendar().is_bank_holiday(day("2046-12-25")));
  EXPECT_FALSE(calendar().is_working_day(day("2046-12-29")));  // A Saturday.
  EXPECT_TRUE(calendar().is_working_day(day("2046-12-25")));   // Unknown, so only a Tuesday.
}

TEST(WorkingDayCalendar, ExcludesWeekendsAndBankHolidaysFromWorkingDays) {
  EXPECT_TRUE(calendar().is_bank_holiday(day("2022-09-19")));
  EXPECT_FALSE(calendar().is_working_day(day("2022-09-19")));
  EXPECT_TRUE(calendar().is_working_day(day("2022-09-20")));
  EXPECT_FALSE(calendar().is_working_day(day("2026-12-26")));   // Saturday Boxing Day.
  EXPECT_FALSE(calendar().is_bank_holiday(day("2026-12-26")));  // Its substitute is the 28th.
  EXPECT_TRUE(calendar().is_bank_holiday(day("2026-12-28")));
  EXPECT_FALSE(calendar().is_working_day(day("2026-12-27")));  // Sunday.
}

TEST(WorkingDayCalendar, IsTheSameInstanceOnEveryCall) {
  EXPECT_EQ(&WorkingDayCalendar::england_and_wales(), &WorkingDayCalendar::england_and_wales());
}

// --- add_working_days ----------------------------------------------------------------------

TEST(AddWorkingDays, SkipsChristmasAndBoxingDaySubstitute) {
  // Christmas Friday 25, Boxing Day Saturday 26 -> substitute Monday 28 December 2026.
  EXPECT_EQ(calendar().add_working_days(day("2026-12-24"), 1)->iso(), "2026-12-29");
}

TEST(AddWorkingDays, CountsStrictlyAfterTheStartDate) {
  EXPECT_EQ(calendar().add_working_days(day("2026-03-02"), 1)->iso(), "2026-03-03");  // Mon.
  EXPECT_EQ(calendar().add_working_days(day("2026-03-06"), 1)->iso(), "2026-03-09");  // Fri.
  EXPECT_EQ(calendar().add_working_days(day("2026-03-07"), 1)->iso(), "2026-03-09");  // Sat.
  EXPECT_EQ(calendar().add_working_days(day("2026-03-02"), 5)->iso(), "2026-03-09");
}

TEST(AddWorkingDays, ReturnsTheStartDateForZeroEvenOnAHoliday) {
  EXPECT_EQ(calendar().add_working_days(day("2026-12-25"), 0)->iso(), "2026-12-25");
  EXPECT_EQ(calendar().add_working_days(day("2026-03-07"), 0)->iso(), "2026-03-07");
}

TEST(AddWorkingDays, SkipsEasterAndOneOffHolidays) {
  // Thursday before Easter 2026: Good Friday 3 April and Easter Monday 6 April.
  EXPECT_EQ(calendar().add_working_days(day("2026-04-02"), 1)->iso(), "2026-04-07");
  // Platinum Jubilee: Thursday 2 and Friday 3 June 2022.
  EXPECT_EQ(calendar().add_working_days(day("2022-06-01"), 1)->iso(), "2022-06-06");
  // 2020: Friday 8 May was the holiday, Monday 4 May was a working day.
  EXPECT_EQ(calendar().add_working_days(day("2020-05-01"), 1)->iso(), "2020-05-04");
  EXPECT_EQ(calendar().add_working_days(day("2020-05-07"), 1)->iso(), "2020-05-11");
}

TEST(AddWorkingDays, SpansTheWholeCoveredRangeWithoutLooping) {
  const int all = *calendar().working_days_between(day("1995-01-01"), day("2045-12-31"));
  // 1 January 1995 is a Sunday, so the range's last working day is `all` days after it.
  Result<Date> last = calendar().add_working_days(day("1995-01-01"), all);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->iso(), "2045-12-29");  // Fri; 25 and 26 December 2045 are Mon and Tue.
  EXPECT_TRUE(calendar().add_working_days(day("2045-12-30"), 0).ok());
}

TEST(AddWorkingDays, RejectsNegativeCountsAsInvalidDays) {
  Result<Date> result = calendar().add_working_days(day("2026-01-05"), -1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, Code::kInvalidArgument);
  EXPECT_EQ(result.error().field, "days");
}

TEST(AddWorkingDays, RejectsStartDatesOutsideTheCoveredYears) {
  for (const char* iso : {"1994-12-31", "2046-01-01"}) {
    Result<Date> result = calendar().add_working_days(day(iso), 1);
    ASSERT_FALSE(result.ok()) << iso;
    EXPECT_EQ(result.error().code, Code::kOutOfRange);
    EXPECT_EQ(result.error().field, "date");
  }
}

TEST(AddWorkingDays, RejectsResultsBeyondTheCoveredYears) {
  Result<Date> one_too_far = calendar().add_working_days(day("2045-12-29"), 1);
  ASSERT_FALSE(one_too_far.ok());
  EXPECT_EQ(one_too_far.error().code, Code::kOutOfRange);
  EXPECT_EQ(one_too_far.error().field, "date");
  // A huge count must not overflow into a plausible index.
  Result<Date> huge = calendar().add_working_days(day("2026-01-05"), INT_MAX);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().code, Code::kOutOfRange);
}

TEST(AddWorkingDays, AgreesWithDayByDayCountingForRandomStarts) {
  std::mt19937 rng(20260105);  // Fixed seed: failures reproduce.
  const Date first = day("1995-01-01");
  // Starts end in 2040 so that every count below stays inside the covered years.
  const int span = static_cast<int>((day("2040-12-31").days() - first.days()).count());
  std::uniform_int_distribution<int> offset(0, span);
  std::uniform_int_distribution<int> count(0, 400);
  for (int i = 0; i < 500; ++i) {
    const Date from = first.plus_days(offset(rng));
    const int n = count(rng);
    Result<Date> fast = calendar().add_working_days(from, n);
    ASSERT_TRUE(fast.ok()) << from.iso() << " + " << n;
    EXPECT_EQ(*fast, naive_add_working_days(from, n)) << from.iso() << " + " << n;
  }
}

// --- working_days_between ------------------------------------------------------------------

TEST(WorkingDaysBetween, CountsDaysAfterFromUpToAndIncludingTo) {
  // Mon 2 March 2026 to Fri 6 March: Tue, Wed, Thu, Fri.
  EXPECT_EQ(*calendar().working_days_between(day("2026-03-02"), day("2026-03-06")), 4);
  // Fri to Mon: only the Monday.
  EXPECT_EQ(*calendar().working_days_between(day("2026-03-06"), day("2026-03-09")), 1);
  // Christmas week 2026: 29, 30, 31 December.
  EXPECT_EQ(*calendar().working_days_between(day("2026-12-24"), day("2026-12-31")), 3);
}

TEST(WorkingDaysBetween, IsZeroForTheSameDay) {
  EXPECT_EQ(*calendar().working_days_between(day("2026-03-04"), day("2026-03-04")), 0);
  EXPECT_EQ(*calendar().working_days_between(day("2026-12-25"), day("2026-12-25")), 0);
}

TEST(WorkingDaysBetween, IsNegativeWhenReversed) {
  // Working days d with Mon 2 < d <= Fri 6 March 2026, negated.
  EXPECT_EQ(*calendar().working_days_between(day("2026-03-06"), day("2026-03-02")), -4);
  EXPECT_EQ(*calendar().working_days_between(day("2026-12-31"), day("2026-12-24")), -3);
}

TEST(WorkingDaysBetween, RejectsDatesOutsideTheCoveredYears) {
  Result<int> early = calendar().working_days_between(day("1994-12-30"), day("2026-01-01"));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, Code::kOutOfRange);
  EXPECT_EQ(early.error().field, "from");
  Result<int> late = calendar().working_days_between(day("2026-01-01"), day("2046-01-01"));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, Code::kOutOfRange);
  EXPECT_EQ(late.error().field, "to");
}

TEST(WorkingDaysBetween, InvertsAddWorkingDaysForRandomDatesAndCounts) {
  std::mt19937 rng(42);  // Fixed seed: failures reproduce.
  const Date first = day("1995-01-01");
  const int span = static_cast<int>((day("2045-12-31").days() - first.days()).count());
  std::uniform_int_distribution<int> offset(0, span);
  std::uniform_int_distribution<int> count(0, 5000);
  int checked = 0;
  for (int i = 0; i < 5000; ++i) {
    const Date from = first.plus_days(offset(rng));
    const int n = count(rng);
    Result<Date> to = calendar().add_working_days(from, n);
    if (!to.ok()) {
      EXPECT_EQ(to.error().code, Code::kOutOfRange);
      continue;
    }
    ++checked;
    EXPECT_EQ(*calendar().working_days_between(from, *to), n) << from.iso() << " + " << n;
    EXPECT_EQ(*calendar().working_days_between(*to, from), -n) << from.iso() << " + " << n;
    if (n > 0) {
      // The result is the first date that far away: a working day, and one day earlier falls
      // short.
      EXPECT_TRUE(calendar().is_working_day(*to)) << to->iso();
      EXPECT_EQ(*calendar().working_days_between(from, to->plus_days(-1)), n - 1);
    }
  }
  EXPECT_GT(checked, 4000);
}

}  // namespace
}  // namespace sg::core
