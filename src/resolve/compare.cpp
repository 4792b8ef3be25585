#include "resolve/compare.h"

#include <algorithm>
#include <cstdlib>

#include "resolve/similarity.h"

namespace sg::resolve {
namespace {

bool sorted_lists_intersect(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) return true;
    if (a[i] < b[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return false;
}

// Names: 3 exact; 2 one edit, Jaro-Winkler >= 0.92, a nickname or variant, or one name
// contained in the other ("smith" in "smithjones"); 1 Jaro-Winkler >= 0.80 or a shared
// Double Metaphone key; 0 otherwise.
std::uint8_t name_level(const ValueTable& t, const Value& x, const Value& y) {
  if (sorted_lists_intersect(t.list(x), t.list(y))) return 2;
  const std::string& a = x.text;
  const std::string& b = y.text;
  if (within_one_edit(a, b)) return 2;
  double jw = jaro_winkler_upper_bound(a, b) >= 0.80 ? jaro_winkler(a, b) : 0.0;
  if (jw >= 0.92) return 2;
  std::size_t shorter = std::min(a.size(), b.size());
  if (shorter >= 4 && (a.find(b) != std::string::npos || b.find(a) != std::string::npos)) return 2;
  if (jw >= 0.80) return 1;
  if (x.key_a != 0 && (x.key_a == y.key_a || x.key_a == y.key_b || x.key_b == y.key_a ||
                       (x.key_b != 0 && x.key_b == y.key_b))) {
    return 1;
  }
  return 0;
}

struct Ymd {
  int y, m, d;
};
Ymd unpack(std::uint32_t v) {
  return {static_cast<int>(v / 10000), static_cast<int>(v / 100 % 100), static_cast<int>(v % 100)};
}

int days_from_civil(int y, int m, int d) {
  // Howard Hinnant's algorithm; exact for the proleptic Gregorian calendar.
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Dates: 3 exact; 2 near: one digit wrong, day and month swapped, within 31 days, or the same
// day and month a year (or a decade, a common slip) apart, or the same year and month when a
// day is unknown; 1 the same year, or partial dates and age ranges that agree; 0 otherwise.
std::uint8_t date_level(const Value& x, const Value& y) {
  Ymd a = unpack(x.key_a);
  Ymd b = unpack(y.key_a);
  int a_min = static_cast<int>(x.key_b / 10000), a_max = static_cast<int>(x.key_b % 10000);
  int b_min = static_cast<int>(y.key_b / 10000), b_max = static_cast<int>(y.key_b % 10000);
  if (a.d != 0 && b.d != 0) {
    // One wrong or transposed digit in YYYYMMDD.
    char sa[8], sb[8];
    std::uint32_t va = x.key_a, vb = y.key_a;
    for (int i = 7; i >= 0; --i) {
      sa[i] = static_cast<char>('0' + va % 10);
      sb[i] = static_cast<char>('0' + vb % 10);
      va /= 10;
      vb /= 10;
    }
    if (within_one_edit(std::string_view(sa, 8), std::string_view(sb, 8))) return 2;
    if (a.y == b.y && a.m == b.d && a.d == b.m) return 2;
    if (std::abs(days_from_civil(a.y, a.m, a.d) - days_from_civil(b.y, b.m, b.d)) <= 31) return 2;
    int dy = std::abs(a.y - b.y);
    if (a.m == b.m && a.d == b.d && (dy == 1 || dy == 10)) return 2;
    return a.y == b.y ? 1 : 0;
  }
  if (a.y != 0 && b.y != 0) {
    if (a.y != b.y) return 0;
    if (a.m != 0 && b.m != 0) return a.m == b.m ? 2 : 0;
    return 1;
  }
  // At least one side is an age range.
  return (a_min <= b_max && b_min <= a_max) ? 1 : 0;
}

// Addresses: 3 exact; 2 token overlap (Dice) >= 0.8; 1 overlap >= 0.5; 0 otherwise. Tokens
// of four letters or more match with one edit ("stret" for "street"); numbers must be equal.
std::uint8_t address_level(const ValueTable& t, const Value& x, const Value& y) {
  auto ta = t.list(x);
  auto tb = t.list(y);
  if (ta.empty() || tb.empty()) return 0;
  int matched = 0;
  std::uint64_t used = 0;  // Tokens of b already matched (the first 64).
  for (auto tok : ta) {
    const std::string& sa = t.keys[tok];
    for (std::size_t j = 0; j < tb.size(); ++j) {
      if (j < 64 && (used >> j & 1)) continue;
      bool same = tok == tb[j];
      if (!same && sa.size() >= 4) {
        const std::string& sb = t.keys[tb[j]];
        same = sb.size() >= 4 && within_one_edit(sa, sb);
      }
      if (same) {
        ++matched;
        if (j < 64) used |= std::uint64_t{1} << j;
        break;
      }
    }
  }
  double dice = 2.0 * matched / static_cast<double>(ta.size() + tb.size());
  if (dice >= 0.8) return 2;
  if (dice >= 0.5) return 1;
  return 0;
}

}  // namespace

int level_count(CompareKind kind) {
  switch (kind) {
    case CompareKind::kName:
    case CompareKind::kDate:
    case CompareKind::kAddress:
    case CompareKind::kPlace:
    case CompareKind::kPostcode:
      return 4;
    case CompareKind::kPhone:
    case CompareKind::kEmail:
    case CompareKind::kVehicle:
    case CompareKind::kIdentifier:
    case CompareKind::kAttribute:
      return 3;
    case CompareKind::kExact:
      return 2;
  }
  return 2;
}

const std::vector<std::string>& level_labels(CompareKind kind) {
  static const std::vector<std::string> kName = {
      "different", "similar (jaro-winkler >= 0.80 or same sound)",
      "close (one edit, jaro-winkler >= 0.92, or variant)", "exact"};
  static const std::vector<std::string> kDate = {
      "different", "same year", "close (typo, swapped day/month, <= 31 days)", "exact"};
  static const std::vector<std::string> kAddress = {"different", "half the words agree",
                                                    "most words agree", "exact"};
  static const std::vector<std::string> kPlace = {"different", "similar (jaro-winkler >= 0.80)",
                                                  "close (one edit or jaro-winkler >= 0.92)",
                                                  "exact"};
  static const std::vector<std::string> kPostcode = {"different", "same district",
                                                     "same sector or one edit", "exact"};
  static const std::vector<std::string> kPhone = {"different", "same last 7 digits or one edit",
                                                  "exact"};
  static const std::vector<std::string> kEmail = {"different", "same local part or one edit",
                                                  "exact"};
  static const std::vector<std::string> kVehicle = {
      "different", "misreading (O/0, I/1...) or one edit", "exact"};
  static const std::vector<std::string> kIdentifier = {"different", "one edit or transposition",
                                                       "exact"};
  static const std::vector<std::string> kAttribute = {"different", "close (jaro-winkler >= 0.90)",
                                                      "exact"};
  static const std::vector<std::string> kExact = {"different", "exact"};
  switch (kind) {
    case CompareKind::kName:
      return kName;
    case CompareKind::kDate:
      return kDate;
    case CompareKind::kAddress:
      return kAddress;
    case CompareKind::kPlace:
      return kPlace;
    case CompareKind::kPostcode:
      return kPostcode;
    case CompareKind::kPhone:
      return kPhone;
    case CompareKind::kEmail:
      return kEmail;
    case CompareKind::kVehicle:
      return kVehicle;
    case CompareKind::kIdentifier:
      return kIdentifier;
    case CompareKind::kAttribute:
      return kAttribute;
    case CompareKind::kExact:
      return kExact;
  }
  return kExact;
}

bool uses_term_frequency(CompareKind kind) {
  return kind == CompareKind::kName || kind == CompareKind::kPlace ||
         kind == CompareKind::kAttribute;
}

std::uint8_t compare_level(const RecordStore& store, std::size_t k, std::uint32_t a,
                           std::uint32_t b) {
  std::uint32_t va = store.value_id(k, a);
  std::uint32_t vb = store.value_id(k, b);
  if (va == 0 || vb == 0) return kMissing;
  const CompareKind kind = store.comparators()[k].compare;
  const int top = level_count(kind) - 1;
  if (va == vb) return static_cast<std::uint8_t>(top);
  const ValueTable& t = store.table(k);
  const Value& x = t.values[va];
  const Value& y = t.values[vb];
  switch (kind) {
    case CompareKind::kName:
      return name_level(t, x, y);
    case CompareKind::kDate:
      return date_level(x, y);
    case CompareKind::kAddress:
      return address_level(t, x, y);
    case CompareKind::kPlace: {
      if (within_one_edit(x.text, y.text)) return 2;
      if (jaro_winkler_upper_bound(x.text, y.text) < 0.80) return 0;
      double jw = jaro_winkler(x.text, y.text);
      if (jw >= 0.92) return 2;
      return jw >= 0.80 ? 1 : 0;
    }
    case CompareKind::kPostcode:
      if (x.key_a != 0 && x.key_a == y.key_a) return 2;
      if (within_one_edit(x.text, y.text)) return 2;
      if (x.key_b != 0 && x.key_b == y.key_b) return 1;
      return 0;
    case CompareKind::kPhone:
    case CompareKind::kEmail:
      if (x.key_a != 0 && x.key_a == y.key_a) return 1;
      return within_one_edit(x.text, y.text) ? 1 : 0;
    case CompareKind::kVehicle:
      if (x.key_a != 0 && x.key_a == y.key_a) return 1;
      return within_one_edit(x.text, y.text) ? 1 : 0;
    case CompareKind::kIdentifier:
      return within_one_edit(x.text, y.text) ? 1 : 0;
    case CompareKind::kAttribute:
      if (jaro_winkler_upper_bound(x.text, y.text) < 0.90) return 0;
      return jaro_winkler(x.text, y.text) >= 0.90 ? 1 : 0;
    case CompareKind::kExact:
      return 0;
  }
  return 0;
}

void compare_record_pair(const RecordStore& store, std::uint32_t a, std::uint32_t b,
                         std::uint8_t* levels) {
  const auto& comparators = store.comparators();
  const std::size_t n = comparators.size();
  int given = -1, family = -1;
  for (std::size_t k = 0; k < n; ++k) {
    levels[k] = compare_level(store, k, a, b);
    if (comparators[k].compare == CompareKind::kName) {
      (comparators[k].kind == FieldKind::kGivenName ? given : family) = static_cast<int>(k);
    }
  }
  // Given and family names recorded the other way round ("Khan Ayesha" / "Ayesha Khan").
  if (given >= 0 && family >= 0 && levels[given] < 2 && levels[family] < 2 &&
      levels[given] != kMissing && levels[family] != kMissing) {
    const std::string& ga = store.value(given, a).text;
    const std::string& fa = store.value(family, a).text;
    const std::string& gb = store.value(given, b).text;
    const std::string& fb = store.value(family, b).text;
    if (ga == fb && fa == gb) levels[given] = levels[family] = 2;
  }
}

}  // namespace sg::resolve
