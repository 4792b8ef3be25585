#include "core/time.h"

#include <cstdio>

namespace sg::core {
namespace {

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

Timestamp SystemClock::now() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

Date utc_date(Timestamp t) { return Date::from_days(std::chrono::floor<std::chrono::days>(t)); }

Date london_date(Timestamp t) {
  using namespace std::chrono;
  auto year = utc_date(t).ymd().year();
  auto last_sunday = [&](month m) {
    return sys_days(year_month_weekday_last(year, m, weekday_last(Sunday)));
  };
  auto bst_start = Timestamp(last_sunday(March) + hours(1));
  auto bst_end = Timestamp(last_sunday(October) + hours(1));
  bool summer = t >= bst_start && t < bst_end;
  return utc_date(summer ? t + hours(1) : t);
}

Timestamp london_midnight(Date d) {
  auto utc = Timestamp(std::chrono::sys_days(d.ymd()));
  // In summer time, local midnight is 23:00 UTC the day before.
  auto summer = utc - std::chrono::hours(1);
  return london_date(summer) == d ? summer : utc;
}

std::string format_rfc3339(Timestamp t) {
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd(day);
  std::chrono::hh_mm_ss<std::chrono::microseconds> hms(t - day);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<long long>(hms.subseconds().count()));
  return buf;
}

Result<Timestamp> parse_rfc3339(std::string_view s, std::string_view field) {
  auto bad = [&] {
    return invalid_argument("expected an RFC 3339 time such as 2026-01-31T09:00:00Z",
                            std::string(field));
  };
  int y, mo, d, h, mi, se;
  if (s.size() < 20 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' ||
      !digits(s, 17, 2, se)) {
    return bad();
  }
  auto date = Date::from_ymd(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  if (!date.ok() || h > 23 || mi > 59 || se > 60) return bad();
  size_t pos = 19;
  std::int64_t micros = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int n = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (n < 6) micros = micros * 10 + (s[pos] - '0');
      ++n;
      ++pos;
    }
    if (n == 0) return bad();
    for (; n < 6; ++n) micros *= 10;
  }
  std::int64_t offset_minutes = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
      return bad();
    }
    offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return bad();
  }
  if (pos != s.size()) return bad();
  using namespace std::chrono;
  auto t = Timestamp(date->days()) + hours(h) + minutes(mi) + seconds(se) + microseconds(micros) -
           minutes(offset_minutes);
  return Timestamp(t);
}

}  // namespace sg::core
