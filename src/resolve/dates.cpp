#include "resolve/dates.h"

#include <cctype>
#include <cstdio>
#include <vector>

namespace sg::resolve {
namespace {

constexpr int kMinYear = 1850;
constexpr int kMaxYear = 2150;

core::Error bad_date(std::string_view field) {
  return core::invalid_argument("not a date (expected YYYYMMDD, YYYY-MM-DD or DD/MM/YYYY)",
                                std::string(field));
}

// Builds a PartialDate, degrading an impossible day or month to a coarser precision.
core::Result<PartialDate> make(int year, int month, int day, std::string_view field) {
  if (year < kMinYear || year > kMaxYear) return bad_date(field);
  PartialDate d;
  d.year = d.year_min = d.year_max = year;
  if (month < 1 || month > 12) return d;
  d.month = month;
  if (day < 1) return d;
  if (core::Date::from_ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(day)).ok()) {
    d.day = day;
  }
  return d;
}

// Splits "12/03/2001" into digit runs; returns false on any other character.
bool digit_runs(std::string_view text, std::vector<std::string_view>& runs, char& separator) {
  separator = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = i;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
    if (j == i) return false;
    runs.push_back(text.substr(i, j - i));
    if (j == text.size()) break;
    char c = text[j];
    if (c != '-' && c != '/' && c != '.') return false;
    if (separator != 0 && c != separator) return false;
    separator = c;
    i = j + 1;
    if (i == text.size()) return false;
  }
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string PartialDate::to_string() const {
  char buf[32];
  if (year == 0) {
    std::snprintf(buf, sizeof buf, "%04d..%04d", year_min, year_max);
  } else if (day != 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  } else if (month != 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  } else {
    std::snprintf(buf, sizeof buf, "%04d", year);
  }
  return buf;
}

core::Result<PartialDate> parse_partial_date(std::string_view text, std::string_view field) {
  text = trim(text);
  if (text.empty() || text.size() > 10) return bad_date(field);
  std::vector<std::string_view> runs;
  char sep = 0;
  if (!digit_runs(text, runs, sep)) return bad_date(field);
  if (runs.size() == 1) {
    std::string_view r = runs[0];
    if (r.size() == 8)
      return make(to_int(r.substr(0, 4)), to_int(r.substr(4, 2)), to_int(r.substr(6, 2)), field);
    if (r.size() == 6) return make(to_int(r.substr(0, 4)), to_int(r.substr(4, 2)), 0, field);
    if (r.size() == 4) return make(to_int(r), 0, 0, field);
    return bad_date(field);
  }
  if (runs.size() == 2) {
    // YYYY-MM or MM/YYYY.
    if (runs[0].size() == 4 && runs[1].size() <= 2) {
      return make(to_int(runs[0]), to_int(runs[1]), 0, field);
    }
    if (runs[1].size() == 4 && runs[0].size() <= 2)
      return make(to_int(runs[1]), to_int(runs[0]), 0, field);
    return bad_date(field);
  }
  if (runs.size() != 3) return bad_date(field);
  if (runs[0].size() == 4 && runs[1].size() <= 2 && runs[2].size() <= 2) {
    return make(to_int(runs[0]), to_int(runs[1]), to_int(runs[2]), field);
  }
  if (runs[2].size() == 4 && runs[0].size() <= 2 && runs[1].size() <= 2) {
    int first = to_int(runs[0]);
    int second = to_int(runs[1]);
    // UK order (day first) unless that cannot be right and the US order can.
    if (second > 12 && first <= 12) return make(to_int(runs[2]), first, second, field);
    return make(to_int(runs[2]), second, first, field);
  }
  return bad_date(field);
}

core::Result<PartialDate> birth_years_from_age(std::string_view text, core::Date event_date,
                                               std::string_view field) {
  std::string lower;
  for (char c : trim(text)) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view s = lower;
  for (std::string_view prefix : {"approximately", "approx.", "approx", "about", "around", "aged",
                                  "age", "circa", "ca.", "c.", "c", "~"}) {
    if (s.substr(0, prefix.size()) == prefix) {
      s.remove_prefix(prefix.size());
      break;
    }
  }
  s = trim(s);
  std::size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == 0 || i > 3)
    return core::invalid_argument("not an age (expected e.g. \"about 14\")", std::string(field));
  std::string_view rest = trim(s.substr(i));
  if (!rest.empty() && rest != "y" && rest != "yrs" && rest != "yr" && rest != "years" &&
      rest != "years old" && rest != "yo" && rest != "ish") {
    return core::invalid_argument("not an age (expected e.g. \"about 14\")", std::string(field));
  }
  int age = to_int(s.substr(0, i));
  if (age > 130) return core::out_of_range("age over 130", std::string(field));
  PartialDate d;
  // Aged exactly A on the event date: born after (event - A - 1 years) and on or before
  // (event - A years), so the birth year is event year - A - 1 or event year - A.
  d.year_min = event_date.year() - age - 1;
  d.year_max = event_date.year() - age;
  return d;
}

core::Result<PartialDate> parse_birth_date(std::string_view text, std::string_view field) {
  auto date = parse_partial_date(text, field);
  if (date.ok()) return date;
  auto on = text.rfind(" on ");
  if (on == std::string_view::npos) return date;
  auto event = SG_TRY(parse_partial_date(text.substr(on + 4), field));
  if (!event.has_day()) {
    return core::invalid_argument("an age needs the full date it was given on", std::string(field));
  }
  auto event_date = SG_TRY(core::Date::from_ymd(event.year, static_cast<unsigned>(event.month),
                                                static_cast<unsigned>(event.day)));
  return birth_years_from_age(text.substr(0, on), event_date, field);
}

}  // namespace sg::resolve
