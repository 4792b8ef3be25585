// The England and Wales working-day calendar (bank holidays, 1995–2045) used by every
// statutory deadline: "N working days after D". Rules and one-off changes: docs/calendar.md.
#pragma once

#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace sg::core {

struct BankHoliday {
  Date date;
  // The gov.uk name, e.g. "Boxing Day (substitute day)". Points at static storage.
  std::string_view name;
};

// Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm).
// REQUIRES: year >= 1583.
Date easter_sunday(int year);

// An immutable table of bank holidays with precomputed working-day counts, so every query is
// O(1) or O(log h) for h bank holidays. Safe to share between threads.
class WorkingDayCalendar {
 public:
  static constexpr int kFirstYear = 1995, kLastYear = 2045;

  // The England and Wales calendar, built on first use (thread-safe static), never mutated.
  static const WorkingDayCalendar& england_and_wales();

  // True if `d` is a bank holiday (including substitute days and one-off holidays).
  // False outside kFirstYear..kLastYear: no bank holidays are known there.
  bool is_bank_holiday(Date d) const;

  // True if `d` is Monday to Friday and not a bank holiday. Outside the covered years only
  // weekends are excluded, so callers that need certainty should check the range first.
  bool is_working_day(Date d) const;

  // The bank holidays of `year` in date order; empty outside kFirstYear..kLastYear.
  std::vector<BankHoliday> bank_holidays(int year) const;

  // The nth working day strictly after `from`; n == 0 returns `from` itself, even when it is
  // not a working day. So a deadline of "5 working days after Thursday 24 December" counts
  // from Friday 25 December onwards.
  // Errors: InvalidArgument (field "days") if n < 0; OutOfRange (field "date") if `from` or the
  // result falls outside 1995-01-01..2045-12-31.
  Result<Date> add_working_days(Date from, int n) const;

  // The number of working days d with from < d <= to. If to < from, the negative of the number
  // of working days d with to < d <= from. Zero when from == to.
  // Errors: OutOfRange (field "from" or "to") for a date outside 1995-01-01..2045-12-31.
  // Invariant: working_days_between(d, *add_working_days(d, n)) == n.
  Result<int> working_days_between(Date from, Date to) const;

 private:
  explicit WorkingDayCalendar(std::vector<BankHoliday> holidays);

  // Index of `d` in the per-day tables, or -1 outside the covered years.
  int day_index(Date d) const;

  // All bank holidays of all covered years, sorted by date, no duplicates.
  std::vector<BankHoliday> holidays_;
  // working_through_[i]: the number of working days among the first i + 1 covered days.
  std::vector<int> working_through_;
  // working_day_index_[k]: the day index of the (k + 1)th working day in the covered range.
  std::vector<int> working_day_index_;
};

}  // namespace sg::core
