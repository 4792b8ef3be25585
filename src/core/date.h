// Civil dates (no time of day, no zone) for deadlines, dates of birth and calendars.
#pragma once

#include <chrono>
#include <compare>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sg::core {

// A proleptic Gregorian calendar date. Cheap to copy; always valid once constructed.
class Date {
 public:
  // 1970-01-01, so that structs holding a Date can be default-constructed; always assign.
  Date() = default;
  // Parses strict ISO 8601 "YYYY-MM-DD". Errors name `field` and never echo the input.
  static Result<Date> parse_iso(std::string_view text, std::string_view field = "date");
  // Returns the date, or InvalidArgument when y-m-d is not a real date.
  static Result<Date> from_ymd(int year, unsigned month, unsigned day);
  static Date from_days(std::chrono::sys_days days) { return Date(days); }

  int year() const { return static_cast<int>(ymd().year()); }
  unsigned month() const { return static_cast<unsigned>(ymd().month()); }
  unsigned day() const { return static_cast<unsigned>(ymd().day()); }
  std::chrono::weekday weekday() const { return std::chrono::weekday(days_); }
  std::chrono::sys_days days() const { return days_; }
  std::chrono::year_month_day ymd() const { return std::chrono::year_month_day(days_); }

  Date plus_days(int n) const { return Date(days_ + std::chrono::days(n)); }
  std::string iso() const;

  friend auto operator<=>(const Date&, const Date&) = default;
  friend bool operator==(const Date&, const Date&) = default;

 private:
  explicit Date(std::chrono::sys_days days) : days_(days) {}
  std::chrono::sys_days days_{};
};

}  // namespace sg::core
