// Builds the England and Wales bank holiday table from the standing rules plus the published
// one-off changes, then precomputes working-day counts so deadline queries never loop.
#include "core/calendar.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <utility>

#include "core/assert.h"

namespace sg::core {
namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;
using namespace std::chrono_literals;

constexpr sys_days kFirstDay = sys_days(std::chrono::year(WorkingDayCalendar::kFirstYear) / 1 / 1);
constexpr sys_days kLastDay = sys_days(std::chrono::year(WorkingDayCalendar::kLastYear) / 12 / 31);
constexpr int kDayCount = static_cast<int>((kLastDay - kFirstDay).count()) + 1;

// The holidays that follow a standing rule every year. One-off changes refer to them.
enum class RuleHoliday {
  kNewYear,
  kGoodFriday,
  kEasterMonday,
  kEarlyMay,
  kSpring,
  kSummer,
  kChristmas,
  kBoxingDay,
};

// A change announced for one year, usually by Royal Proclamation under section 1 of the
// Banking and Financial Dealings Act 1971: either a rule holiday moved to another date in the
// same year, or an extra holiday.
struct OneOffChange {
  enum class Kind { kMove, kExtra };
  Kind kind;
  RuleHoliday moved;  // kMove only.
  year_month_day date;
  std::string_view name;  // For a move, the name the moved holiday is published under.
  std::string_view source;
};

constexpr OneOffChange move_to(RuleHoliday holiday, year_month_day date, std::string_view name,
                               std::string_view source) {
  return {OneOffChange::Kind::kMove, holiday, date, name, source};
}

constexpr OneOffChange extra(year_month_day date, std::string_view name, std::string_view source) {
  return {OneOffChange::Kind::kExtra, RuleHoliday::kNewYear, date, name, source};
}

// Every one-off change in England and Wales from 1995 as published on gov.uk. Future one-offs
// (jubilees, royal weddings, funerals) are unknown until proclaimed: add them here.
constexpr OneOffChange kOneOffChanges[] = {
    move_to(RuleHoliday::kEarlyMay, 1995y / 5 / 8, "Early May bank holiday (VE Day)",
            "Royal Proclamation: moved from Mon 1 May for the 50th anniversary of VE Day"),
    extra(1999y / 12 / 31, "Millennium bank holiday",
          "Royal Proclamation: extra bank holiday to mark the Millennium"),
    move_to(RuleHoliday::kSpring, 2002y / 6 / 4, "Spring bank holiday",
            "Royal Proclamation: moved from Mon 27 May for the Golden Jubilee"),
    extra(2002y / 6 / 3, "Golden Jubilee bank holiday",
          "Royal Proclamation: extra bank holiday for the Golden Jubilee of Queen Elizabeth II"),
    extra(2011y / 4 / 29, "Royal wedding",
          "Royal Proclamation: wedding of Prince William and Catherine Middleton"),
    move_to(RuleHoliday::kSpring, 2012y / 6 / 4, "Spring bank holiday",
            "Royal Proclamation: moved from Mon 28 May for the Diamond Jubilee"),
    extra(2012y / 6 / 5, "Queen's Diamond Jubilee",
          "Royal Proclamation: extra bank holiday for the Diamond Jubilee; gov.uk/bank-holidays"),
    move_to(RuleHoliday::kEarlyMay, 2020y / 5 / 8, "Early May bank holiday (VE day)",
            "Royal Proclamation: moved from Mon 4 May for the 75th anniversary of VE Day; "
            "gov.uk/bank-holidays"),
    move_to(RuleHoliday::kSpring, 2022y / 6 / 2, "Spring bank holiday",
            "Royal Proclamation: moved from Mon 30 May for the Platinum Jubilee; "
            "gov.uk/bank-holidays"),
    extra(2022y / 6 / 3, "Platinum Jubilee bank holiday",
          "Royal Proclamation: extra bank holiday for the Platinum Jubilee; gov.uk/bank-holidays"),
    extra(2022y / 9 / 19, "Bank Holiday for the State Funeral of Queen Elizabeth II",
          "Royal Proclamation: State Funeral of Queen Elizabeth II; gov.uk/bank-holidays"),
    extra(2023y / 5 / 8, "Bank holiday for the coronation of King Charles III",
          "Royal Proclamation: Coronation of King Charles III; gov.uk/bank-holidays"),
};

Date civil(year_month_day ymd) {
  SG_ASSERT(ymd.ok());
  return Date::from_days(sys_days(ymd));
}

Date civil(int year, unsigned month, unsigned day) {
  return civil(std::chrono::year(year) / month / day);
}

Date first_monday(int year, unsigned month) {
  return Date::from_days(sys_days(std::chrono::year(year) / month / std::chrono::Monday[1]));
}

Date last_monday(int year, unsigned month) {
  return Date::from_days(
      sys_days(std::chrono::year(year) / month / std::chrono::Monday[std::chrono::last]));
}

struct RuleDate {
  RuleHoliday rule;
  BankHoliday holiday;
};

// The standing rules for one year, before one-off changes.
std::vector<RuleDate> rule_holidays(int year) {
  using std::chrono::Saturday;
  using std::chrono::Sunday;
  std::vector<RuleDate> out;

  // New Year's Day is kept by proclamation on the next Monday when 1 January is a weekend.
  Date new_year = civil(year, 1, 1);
  if (new_year.weekday() == Saturday) {
    out.push_back({RuleHoliday::kNewYear, {civil(year, 1, 3), "New Year's Day (substitute day)"}});
  } else if (new_year.weekday() == Sunday) {
    out.push_back({RuleHoliday::kNewYear, {civil(year, 1, 2), "New Year's Day (substitute day)"}});
  } else {
    out.push_back({RuleHoliday::kNewYear, {new_year, "New Year's Day"}});
  }

  Date easter = easter_sunday(year);
  out.push_back({RuleHoliday::kGoodFriday, {easter.plus_days(-2), "Good Friday"}});
  out.push_back({RuleHoliday::kEasterMonday, {easter.plus_days(1), "Easter Monday"}});
  out.push_back({RuleHoliday::kEarlyMay, {first_monday(year, 5), "Early May bank holiday"}});
  out.push_back({RuleHoliday::kSpring, {last_monday(year, 5), "Spring bank holiday"}});
  out.push_back({RuleHoliday::kSummer, {last_monday(year, 8), "Summer bank holiday"}});

  // Schedule 1 of the 1971 Act gives 26 December "if it be not a Sunday" and 27 December when
  // 25 or 26 December is a Sunday; 28 December for a Saturday comes by proclamation. Together
  // each weekend day moves to the next weekday not already a holiday.
  Date christmas = civil(year, 12, 25);
  if (christmas.weekday() == Saturday) {
    out.push_back(
        {RuleHoliday::kChristmas, {civil(year, 12, 27), "Christmas Day (substitute day)"}});
    out.push_back({RuleHoliday::kBoxingDay, {civil(year, 12, 28), "Boxing Day (substitute day)"}});
  } else if (christmas.weekday() == Sunday) {
    out.push_back({RuleHoliday::kBoxingDay, {civil(year, 12, 26), "Boxing Day"}});
    out.push_back(
        {RuleHoliday::kChristmas, {civil(year, 12, 27), "Christmas Day (substitute day)"}});
  } else if (christmas.weekday() == std::chrono::Friday) {
    out.push_back({RuleHoliday::kChristmas, {christmas, "Christmas Day"}});
    out.push_back({RuleHoliday::kBoxingDay, {civil(year, 12, 28), "Boxing Day (substitute day)"}});
  } else {
    out.push_back({RuleHoliday::kChristmas, {christmas, "Christmas Day"}});
    out.push_back({RuleHoliday::kBoxingDay, {civil(year, 12, 26), "Boxing Day"}});
  }
  return out;
}

std::vector<BankHoliday> build_england_and_wales() {
  std::vector<BankHoliday> all;
  for (int year = WorkingDayCalendar::kFirstYear; year <= WorkingDayCalendar::kLastYear; ++year) {
    std::vector<RuleDate> rules = rule_holidays(year);
    for (const OneOffChange& change : kOneOffChanges) {
      if (static_cast<int>(change.date.year()) != year) continue;
      if (change.kind == OneOffChange::Kind::kExtra) {
        all.push_back({civil(change.date), change.name});
        continue;
      }
      auto it = std::find_if(rules.begin(), rules.end(),
                             [&](const RuleDate& r) { return r.rule == change.moved; });
      SG_ASSERT(it != rules.end());
      it->holiday = {civil(change.date), change.name};
    }
    for (const RuleDate& r : rules) all.push_back(r.holiday);
  }
  std::sort(all.begin(), all.end(),
            [](const BankHoliday& a, const BankHoliday& b) { return a.date < b.date; });
  // Two holidays on one date would mean a mistake in the one-off table: a move onto an
  // existing holiday silently loses a day off.
  for (size_t i = 1; i < all.size(); ++i) SG_ASSERT(all[i - 1].date < all[i].date);
  return all;
}

bool is_weekend(Date d) {
  return d.weekday() == std::chrono::Saturday || d.weekday() == std::chrono::Sunday;
}

}  // namespace

Date easter_sunday(int year) {
  SG_ASSERT(year >= 1583);
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher), as in Meeus, Astronomical
  // Algorithms, ch. 8.
  const int a = year % 19;  // Position in the 19-year Metonic cycle.
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;                 // Lunar correction.
  const int h = (19 * a + b - d - g + 15) % 30;  // Epact-based days to the paschal full moon.
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;  // Days from the full moon to Sunday.
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

const WorkingDayCalendar& WorkingDayCalendar::england_and_wales() {
  static const WorkingDayCalendar calendar(build_england_and_wales());
  return calendar;
}

WorkingDayCalendar::WorkingDayCalendar(std::vector<BankHoliday> holidays)
    : holidays_(std::move(holidays)) {
  std::vector<bool> holiday_flag(kDayCount, false);
  for (const BankHoliday& h : holidays_) {
    const int index = day_index(h.date);
    SG_ASSERT(index >= 0);
    holiday_flag[index] = true;
  }
  working_through_.reserve(kDayCount);
  int count = 0;
  for (int index = 0; index < kDayCount; ++index) {
    Date day = Date::from_days(kFirstDay + std::chrono::days(index));
    if (!holiday_flag[index] && !is_weekend(day)) {
      ++count;
      working_day_index_.push_back(index);
    }
    working_through_.push_back(count);
  }
}

int WorkingDayCalendar::day_index(Date d) const {
  if (d.days() < kFirstDay || d.days() > kLastDay) return -1;
  return static_cast<int>((d.days() - kFirstDay).count());
}

bool WorkingDayCalendar::is_bank_holiday(Date d) const {
  auto it = std::lower_bound(holidays_.begin(), holidays_.end(), d,
                             [](const BankHoliday& h, Date date) { return h.date < date; });
  return it != holidays_.end() && it->date == d;
}

bool WorkingDayCalendar::is_working_day(Date d) const {
  return !is_weekend(d) && !is_bank_holiday(d);
}

std::vector<BankHoliday> WorkingDayCalendar::bank_holidays(int year) const {
  if (year < kFirstYear || year > kLastYear) return {};
  const Date first = civil(year, 1, 1);
  const Date last = civil(year, 12, 31);
  auto begin = std::lower_bound(holidays_.begin(), holidays_.end(), first,
                                [](const BankHoliday& h, Date date) { return h.date < date; });
  auto end = std::upper_bound(begin, holidays_.end(), last,
                              [](Date date, const BankHoliday& h) { return date < h.date; });
  return {begin, end};
}

Result<Date> WorkingDayCalendar::add_working_days(Date from, int n) const {
  if (n < 0) return invalid_argument("working days to add must not be negative", "days");
  const int index = day_index(from);
  if (index < 0) return out_of_range("date outside the years the calendar covers", "date");
  if (n == 0) return from;
  // working_through_[index] working days lie on or before `from`, so the nth one after it is
  // number working_through_[index] + n counting from one. 64-bit: n may be near INT_MAX.
  const std::int64_t target = std::int64_t{working_through_[index]} + n - 1;
  if (target >= static_cast<std::int64_t>(working_day_index_.size())) {
    return out_of_range("result falls after the years the calendar covers", "date");
  }
  return Date::from_days(kFirstDay + std::chrono::days(working_day_index_[target]));
}

Result<int> WorkingDayCalendar::working_days_between(Date from, Date to) const {
  const int from_index = day_index(from);
  if (from_index < 0) return out_of_range("date outside the years the calendar covers", "from");
  const int to_index = day_index(to);
  if (to_index < 0) return out_of_range("date outside the years the calendar covers", "to");
  // Both orders reduce to one subtraction of inclusive prefix counts.
  return working_through_[to_index] - working_through_[from_index];
}

}  // namespace sg::core
