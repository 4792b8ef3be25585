// Tests for civil dates (core/date.h), RFC 3339 instants (core/time.h) and the Result/SG_TRY
// error propagation that every fallible call in Safeguard relies on.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/result.h"
#include "core/time.h"

namespace sg::core {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;

// --- Date::parse_iso -----------------------------------------------------------------------

TEST(DateParseIso, ReadsAValidDate) {
  Result<Date> d = Date::parse_iso("2026-03-15");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->year(), 2026);
  EXPECT_EQ(d->month(), 3u);
  EXPECT_EQ(d->day(), 15u);
  EXPECT_EQ(d->weekday(), std::chrono::Sunday);
  EXPECT_EQ(d->iso(), "2026-03-15");
}

TEST(DateParseIso, AcceptsLeapDayInALeapYear) {
  Result<Date> d = Date::parse_iso("2024-02-29");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->plus_days(1).iso(), "2024-03-01");
  EXPECT_TRUE(Date::parse_iso("2000-02-29").ok());  // Divisible by 400.
}

TEST(DateParseIso, RejectsLeapDayInACommonYear) {
  for (std::string_view text : {"2023-02-29", "1900-02-29"}) {
    Result<Date> d = Date::parse_iso(text);
    ASSERT_FALSE(d.ok()) << text;
    EXPECT_EQ(d.error().code, Code::kInvalidArgument);
    EXPECT_EQ(d.error().field, "date");
  }
}

TEST(DateParseIso, RejectsWrongShapesWithoutEchoingTheInput) {
  for (std::string_view text :
       {"", "2024-2-29", "20240229", "2024/02/29", "2024-02-29T00:00", " 2024-02-29", "2024-02-29 ",
        "+024-02-29", "2024-13-01", "2024-00-10", "2024-01-32", "2024-01-00", "abcd-ef-gh",
        "2024-0x-01"}) {
    Result<Date> d = Date::parse_iso(text, "child/date_of_birth");
    ASSERT_FALSE(d.ok()) << text;
    EXPECT_EQ(d.error().code, Code::kInvalidArgument) << text;
    EXPECT_EQ(d.error().field, "child/date_of_birth") << text;
    // Error bodies must never carry personal data such as a date of birth.
    if (!text.empty()) {
      EXPECT_EQ(d.error().message.find(text), std::string::npos) << text;
    }
  }
}

TEST(DateFromYmd, RejectsImpossibleDates) {
  EXPECT_TRUE(Date::from_ymd(2026, 12, 31).ok());
  EXPECT_FALSE(Date::from_ymd(2026, 4, 31).ok());
  EXPECT_FALSE(Date::from_ymd(2026, 0, 1).ok());
}

TEST(Date, OrdersChronologically) {
  EXPECT_LT(*Date::parse_iso("2025-12-31"), *Date::parse_iso("2026-01-01"));
  EXPECT_EQ(*Date::parse_iso("2026-01-01"), Date::parse_iso("2025-12-31")->plus_days(1));
}

// --- RFC 3339 ------------------------------------------------------------------------------

TEST(Rfc3339, ParsesUtcAndFormatsWithMicroseconds) {
  Result<Timestamp> t = parse_rfc3339("2026-11-30T09:38:05Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(format_rfc3339(*t), "2026-11-30T09:38:05.000000Z");
}

TEST(Rfc3339, RoundTripsCanonicalText) {
  for (std::string_view text : {"2026-11-30T09:38:05.123456Z", "1970-01-01T00:00:00.000000Z",
                                "2024-02-29T23:59:59.999999Z", "1969-12-31T23:59:59.999999Z"}) {
    Result<Timestamp> t = parse_rfc3339(text);
    ASSERT_TRUE(t.ok()) << text;
    EXPECT_EQ(format_rfc3339(*t), text);
  }
}

TEST(Rfc3339, RoundTripsInstants) {
  for (std::int64_t us : {0LL, 1LL, -1LL, 1'790'000'000'123'456LL, -86'400'000'000LL}) {
    Timestamp t = from_micros(us);
    Result<Timestamp> back = parse_rfc3339(format_rfc3339(t));
    ASSERT_TRUE(back.ok()) << us;
    EXPECT_EQ(*back, t) << format_rfc3339(t);
  }
}

TEST(Rfc3339, AppliesOffsetsToReachUtc) {
  EXPECT_EQ(format_rfc3339(*parse_rfc3339("2026-06-01T10:00:00+01:00")),
            "2026-06-01T09:00:00.000000Z");
  EXPECT_EQ(format_rfc3339(*parse_rfc3339("2026-06-01T10:00:00-05:30")),
            "2026-06-01T15:30:00.000000Z");
  EXPECT_EQ(*parse_rfc3339("2026-06-01T09:00:00+00:00"), *parse_rfc3339("2026-06-01T09:00:00Z"));
  // An offset can move the instant into the previous UTC day, and year.
  Timestamp t = *parse_rfc3339("2026-01-01T00:30:00+01:00");
  EXPECT_EQ(format_rfc3339(t), "2025-12-31T23:30:00.000000Z");
  EXPECT_EQ(utc_date(t).iso(), "2025-12-31");
}

TEST(Rfc3339, ReadsFractionalSeconds) {
  Timestamp whole = *parse_rfc3339("2026-06-01T09:00:00Z");
  EXPECT_EQ(*parse_rfc3339("2026-06-01T09:00:00.5Z") - whole, microseconds(500'000));
  EXPECT_EQ(*parse_rfc3339("2026-06-01T09:00:00.000001Z") - whole, microseconds(1));
  EXPECT_EQ(*parse_rfc3339("2026-06-01T10:00:00.25+01:00") - whole, microseconds(250'000));
  // Digits beyond microseconds are dropped, not rounded.
  EXPECT_EQ(*parse_rfc3339("2026-06-01T09:00:00.1234569Z") - whole, microseconds(123'456));
}

TEST(Rfc3339, RejectsMalformedTimesNamingTheField) {
  for (std::string_view text :
       {"", "2026-06-01", "2026-06-01T09:00:00", "2026-06-01T09:00Z", "2026-06-01T24:00:00Z",
        "2026-06-01T09:60:00Z", "2026-02-30T09:00:00Z", "2026-06-01T09:00:00.Z",
        "2026-06-01T09:00:00+0100", "2026-06-01T09:00:00+01", "2026-06-01T09:00:00Z ",
        "2026-06-01X09:00:00Z", "2026-06-01T09:00:00+24:00"}) {
    Result<Timestamp> t = parse_rfc3339(text, "received_at");
    ASSERT_FALSE(t.ok()) << text;
    EXPECT_EQ(t.error().code, Code::kInvalidArgument) << text;
    EXPECT_EQ(t.error().field, "received_at") << text;
  }
}

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock clock(*parse_rfc3339("2026-06-01T09:00:00Z"));
  EXPECT_EQ(clock.now(), clock.now());
  clock.advance(hours(2));
  EXPECT_EQ(format_rfc3339(clock.now()), "2026-06-01T11:00:00.000000Z");
  clock.set(from_micros(0));
  EXPECT_EQ(to_micros(clock.now()), 0);
}

// --- Result and SG_TRY ---------------------------------------------------------------------

// Parses a date and returns its day of month doubled; counts how far it got, so tests can
// see that SG_TRY returned before the rest of the function ran.
Result<int> doubled_day(std::string_view text, int& reached_end) {
  Date d = SG_TRY(Date::parse_iso(text, "when"));
  ++reached_end;
  return static_cast<int>(d.day()) * 2;
}

Status check_both(std::string_view a, std::string_view b, int& reached_end) {
  SG_TRY(doubled_day(a, reached_end));
  SG_TRY(doubled_day(b, reached_end));
  return ok_status();
}

TEST(SgTry, YieldsTheValueOnSuccess) {
  int reached_end = 0;
  Result<int> r = doubled_day("2026-06-14", reached_end);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 28);
  EXPECT_EQ(reached_end, 1);
}

TEST(SgTry, ReturnsTheErrorEarlyUnchanged) {
  int reached_end = 0;
  Result<int> r = doubled_day("2023-02-29", reached_end);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Code::kInvalidArgument);
  EXPECT_EQ(r.error().field, "when");
  EXPECT_EQ(reached_end, 0);
  EXPECT_EQ(r.value_or(-1), -1);
}

TEST(SgTry, PropagatesThroughStatusFunctions) {
  int reached_end = 0;
  EXPECT_TRUE(check_both("2026-01-01", "2026-01-02", reached_end).ok());
  EXPECT_EQ(reached_end, 2);

  reached_end = 0;
  Status s = check_both("not a date", "2026-01-02", reached_end);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "when");
  EXPECT_EQ(reached_end, 0);  // The second call never ran.
}

TEST(Error, DescribesItselfWithCodeAndField) {
  EXPECT_EQ(out_of_range("outside the calendar", "date").to_string(),
            "out_of_range: outside the calendar (field: date)");
  EXPECT_EQ(not_found("no such case").to_string(), "not_found: no such case");
}

}  // namespace
}  // namespace sg::core

namespace sg::core {
namespace {

TEST(LondonDate, FollowsBritishSummerTime) {
  auto at = [](const char* s) { return parse_rfc3339(s).value(); };
  // Winter: GMT, the UTC date.
  EXPECT_EQ(london_date(at("2026-01-15T23:30:00Z")).iso(), "2026-01-15");
  // Summer: 23:30 UTC is 00:30 BST the next day.
  EXPECT_EQ(london_date(at("2026-07-15T23:30:00Z")).iso(), "2026-07-16");
  // BST starts 01:00 UTC on Sunday 29 March 2026 and ends 01:00 UTC on Sunday 25 October.
  EXPECT_EQ(london_date(at("2026-03-29T00:59:59Z")).iso(), "2026-03-29");
  EXPECT_EQ(london_date(at("2026-03-28T23:30:00Z")).iso(), "2026-03-28");
  EXPECT_EQ(london_date(at("2026-10-24T23:30:00Z")).iso(), "2026-10-25");
  EXPECT_EQ(london_date(at("2026-10-25T23:30:00Z")).iso(), "2026-10-25");
}

}  // namespace
}  // namespace sg::core
