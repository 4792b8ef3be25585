#include "core/date.h"

#include <cstdio>

namespace sg::core {
namespace {

bool parse_digits(std::string_view text, int& out) {
  if (text.empty()) return false;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

}  // namespace

Result<Date> Date::from_ymd(int year, unsigned month, unsigned day) {
  std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month),
                                  std::chrono::day(day)};
  if (!ymd.ok()) return invalid_argument("not a calendar date");
  return Date(std::chrono::sys_days(ymd));
}

Result<Date> Date::parse_iso(std::string_view text, std::string_view field) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !parse_digits(text.substr(0, 4), y) || !parse_digits(text.substr(5, 2), m) ||
      !parse_digits(text.substr(8, 2), d)) {
    return invalid_argument("expected a date as YYYY-MM-DD", std::string(field));
  }
  auto date = from_ymd(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  if (!date.ok()) return invalid_argument("not a calendar date", std::string(field));
  return date;
}

std::string Date::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year(), month(), day());
  return buf;
}

}  // namespace sg::core
