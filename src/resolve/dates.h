// Dates of birth as agencies record them: full dates in several layouts, partial dates
// (a year, or a year and month), and approximate ages ("about 14" on the date of the event).
#pragma once

#include <string>
#include <string_view>

#include "core/date.h"
#include "core/result.h"

namespace sg::resolve {

// A date that may be known only in part. Unknown parts are 0. For an approximate age only
// the range of birth years is known: year is 0 and year_min..year_max holds the range.
struct PartialDate {
  int year = 0;
  int month = 0;
  int day = 0;
  int year_min = 0;
  int year_max = 0;

  bool has_day() const { return day != 0; }
  bool has_month() const { return month != 0; }
  // "YYYY-MM-DD", "YYYY-MM", "YYYY" or "YYYY..YYYY".
  std::string to_string() const;
  friend bool operator==(const PartialDate&, const PartialDate&) = default;
};

// Parses YYYYMMDD, YYYY-MM-DD (or YYYY/MM/DD), DD/MM/YYYY (or DD-MM-YYYY, DD.MM.YYYY; read
// as MM/DD/YYYY only when the second number is over 12), YYYYMM, YYYY-MM, MM/YYYY and YYYY. A day
// that does not exist in its month (31 April) keeps the year and month; a month over 12 keeps the
// year. Years must lie in 1850..2150. Errors: InvalidArgument naming `field`, never echoing the
// text.
core::Result<PartialDate> parse_partial_date(std::string_view text,
                                             std::string_view field = "date_of_birth");

// Reads an approximate age such as "14", "about 14", "approx. 14", "c14", "~14", "14 yrs"
// given on `event_date`, and returns the birth years it allows: someone aged 14 on 2024-06-01
// was born between 2009 and 2010.
core::Result<PartialDate> birth_years_from_age(std::string_view text, core::Date event_date,
                                               std::string_view field = "age");

// A date of birth as any input may hold it: what parse_partial_date reads, or an approximate
// age with the date it was given on, "AGE on DATE" ("about 14 on 2024-06-01", "14 on
// 01/06/2024"), read as birth_years_from_age(AGE, DATE). This is how an age recorded with an
// event reaches batch and online comparison. Errors: InvalidArgument naming `field`.
core::Result<PartialDate> parse_birth_date(std::string_view text,
                                           std::string_view field = "date_of_birth");

}  // namespace sg::resolve
