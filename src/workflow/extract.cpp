#include "workflow/extract.h"

#include <algorithm>
#include <array>
#include <optional>

#include "core/date.h"
#include "resolve/contact.h"

namespace sg::workflow {
namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_alpha(char c) { return is_upper(c) || is_lower(c); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

struct Match {
  std::size_t begin, end;  // Byte offsets.
  std::string kind, value;
  int priority;  // Higher wins an overlap.
};

// True when position `i` is not inside a word (the previous byte is not alphanumeric).
bool word_start(std::string_view t, std::size_t i) { return i == 0 || !is_alnum(t[i - 1]); }
bool word_end(std::string_view t, std::size_t i) { return i >= t.size() || !is_alnum(t[i]); }

// Counts a run of characters satisfying `pred` starting at i, up to `max`.
template <typename Pred>
std::size_t run(std::string_view t, std::size_t i, Pred pred, std::size_t max) {
  std::size_t n = 0;
  while (i + n < t.size() && n < max && pred(t[i + n])) ++n;
  return n;
}

// UK registrations, written in capitals as they appear on plates:
//   current (2001-): AB12 CDE; prefix (1983-2001): A123 BCD; suffix (1963-83): ABC 123D.
std::optional<Match> registration_at(std::string_view t, std::size_t i) {
  if (!word_start(t, i) || !is_upper(t[i])) return std::nullopt;
  auto space = [&](std::size_t& j) {
    if (j < t.size() && t[j] == ' ') ++j;
  };
  auto finish = [&](std::size_t j) -> std::optional<Match> {
    if (!word_end(t, j)) return std::nullopt;
    auto value = resolve::normalise_vehicle_registration(t.substr(i, j - i));
    if (!value.ok()) return std::nullopt;
    return Match{i, j, "vehicle_registration", *value, 3};
  };
  // Current: two letters, two digits, three letters.
  if (run(t, i, is_upper, 2) == 2 && run(t, i + 2, is_digit, 2) == 2) {
    std::size_t j = i + 4;
    space(j);
    if (run(t, j, is_upper, 3) == 3) {
      if (auto m = finish(j + 3)) return m;
    }
  }
  // Prefix: one letter, one to three digits, three letters.
  std::size_t d = run(t, i + 1, is_digit, 3);
  if (std::size_t j = i + 1 + d; d >= 1 && (j >= t.size() || !is_digit(t[j]))) {
    space(j);
    if (run(t, j, is_upper, 3) == 3) {
      if (auto m = finish(j + 3)) return m;
    }
  }
  // Suffix: three letters, one to three digits, one letter.
  if (run(t, i, is_upper, 3) == 3) {
    std::size_t j = i + 3;
    space(j);
    std::size_t n = run(t, j, is_digit, 3);
    if (n >= 1 && j + n < t.size() && is_upper(t[j + n])) {
      if (auto m = finish(j + n + 1)) return m;
    }
  }
  return std::nullopt;
}

// UK postcodes: outward code (A9, A99, A9A, AA9, AA99, AA9A), optional space, inward (9AA).
std::optional<Match> postcode_at(std::string_view t, std::size_t i) {
  if (!word_start(t, i) || !is_alpha(t[i])) return std::nullopt;
  std::size_t letters = run(t, i, is_alpha, 2);
  std::size_t j = i + letters;
  std::size_t digits = run(t, j, is_digit, 2);
  if (digits == 0) return std::nullopt;
  j += digits;
  if (digits == 1 && j < t.size() && is_alpha(t[j]) && j + 1 < t.size() &&
      (t[j + 1] == ' ' || is_digit(t[j + 1]))) {
    ++j;  // A9A / AA9A.
  }
  if (j < t.size() && t[j] == ' ') ++j;
  if (!(j + 3 <= t.size() && is_digit(t[j]) && is_alpha(t[j + 1]) && is_alpha(t[j + 2]))) {
    return std::nullopt;
  }
  j += 3;
  if (!word_end(t, j)) return std::nullopt;
  // Lower-case postcodes in prose are rare and words like "at 3pm" are not: require capitals.
  for (std::size_t k = i; k < j; ++k) {
    if (is_lower(t[k])) return std::nullopt;
  }
  auto parsed = resolve::parse_uk_postcode(t.substr(i, j - i));
  if (!parsed.ok()) return std::nullopt;
  return Match{i, j, "postcode", parsed->postcode, 2};
}

bool email_local(char c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool email_domain(char c) { return is_alnum(c) || c == '.' || c == '-'; }

std::optional<Match> email_at(std::string_view t, std::size_t at) {
  // `at` is the position of '@'.
  std::size_t b = at;
  while (b > 0 && email_local(t[b - 1])) --b;
  std::size_t e = at + 1;
  while (e < t.size() && email_domain(t[e])) ++e;
  while (e > at + 1 && (t[e - 1] == '.' || t[e - 1] == '-')) --e;  // Sentence punctuation.
  while (b < at && t[b] == '.') ++b;
  if (b == at || e == at + 1) return std::nullopt;
  auto value = resolve::normalise_email(t.substr(b, e - b));
  if (!value.ok()) return std::nullopt;
  return Match{b, e, "email", *value, 4};
}

std::optional<Match> phone_at(std::string_view t, std::size_t i) {
  if (!word_start(t, i) && !(i > 0 && t[i - 1] == '(')) return std::nullopt;
  if (!(t[i] == '+' || t[i] == '0' || t[i] == '(')) return std::nullopt;
  std::size_t j = i, digits = 0, end = i;
  while (j < t.size() && digits < 16) {
    char c = t[j];
    if (is_digit(c)) {
      ++digits;
      end = j + 1;
    } else if (!(c == ' ' || c == '-' || c == '(' || c == ')' || (c == '+' && j == i))) {
      break;
    } else if (c == ' ' && j + 1 < t.size() && !is_digit(t[j + 1]) && t[j + 1] != '(') {
      break;
    }
    ++j;
  }
  // National numbers have 10-11 digits; "+44", "0044" and "+44 (0)" add up to 4 more.
  if (digits < 10 || digits > 15 || !word_end(t, end)) return std::nullopt;
  auto value = resolve::normalise_phone(t.substr(i, end - i), "GB");
  if (!value.ok()) return std::nullopt;
  return Match{i, end, "phone", *value, 1};
}

constexpr std::array<std::string_view, 12> kMonths = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

std::optional<int> month_named(std::string_view word) {
  std::string lower;
  for (char c : word) lower += static_cast<char>(is_upper(c) ? c + 32 : c);
  for (std::size_t m = 0; m < kMonths.size(); ++m) {
    if (lower == kMonths[m] ||
        (lower.size() >= 3 && lower.size() <= 4 && kMonths[m].substr(0, lower.size()) == lower &&
         (lower.size() == 3 || lower == "sept"))) {
      return static_cast<int>(m + 1);
    }
  }
  return std::nullopt;
}

int number(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::optional<Match> date_match(std::size_t b, std::size_t e, int y, int m, int d) {
  auto date = core::Date::from_ymd(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  if (!date.ok() || y < 1900 || y > 2100) return std::nullopt;
  return Match{b, e, "date", date->iso(), 0};
}

std::optional<Match> date_at(std::string_view t, std::size_t i) {
  if (!word_start(t, i) || !is_digit(t[i])) return std::nullopt;
  std::size_t a = run(t, i, is_digit, 4);
  // YYYY-MM-DD
  if (a == 4 && i + 10 <= t.size() && t[i + 4] == '-' && run(t, i + 5, is_digit, 2) == 2 &&
      t[i + 7] == '-' && run(t, i + 8, is_digit, 2) == 2 && word_end(t, i + 10)) {
    return date_match(i, i + 10, number(t.substr(i, 4)), number(t.substr(i + 5, 2)),
                      number(t.substr(i + 8, 2)));
  }
  if (a > 2) return std::nullopt;
  // DD/MM/YYYY or DD.MM.YYYY or DD-MM-YYYY (UK order).
  std::size_t j = i + a;
  if (j < t.size() && (t[j] == '/' || t[j] == '.' || t[j] == '-')) {
    char sep = t[j];
    std::size_t b = run(t, j + 1, is_digit, 2);
    std::size_t k = j + 1 + b;
    if (b >= 1 && k < t.size() && t[k] == sep && run(t, k + 1, is_digit, 4) == 4 &&
        word_end(t, k + 5)) {
      return date_match(i, k + 5, number(t.substr(k + 1, 4)), number(t.substr(j + 1, b)),
                        number(t.substr(i, a)));
    }
    return std::nullopt;
  }
  // "14 March 2024", "14th Mar 2024".
  std::size_t k = j;
  for (std::string_view suffix : {"st", "nd", "rd", "th"}) {
    if (t.substr(k, 2) == suffix) {
      k += 2;
      break;
    }
  }
  if (k >= t.size() || t[k] != ' ') return std::nullopt;
  ++k;
  std::size_t w = run(t, k, is_alpha, 9);
  auto month = month_named(t.substr(k, w));
  if (!month) return std::nullopt;
  std::size_t after = k + w;
  if (after < t.size() && t[after] == '.') ++after;
  if (after + 5 <= t.size() && t[after] == ' ' && run(t, after + 1, is_digit, 4) == 4 &&
      word_end(t, after + 5)) {
    return date_match(i, after + 5, number(t.substr(after + 1, 4)), *month, number(t.substr(i, a)));
  }
  return std::nullopt;
}

// Code point index of each byte offset (invalid bytes count as one each).
std::vector<std::size_t> code_point_offsets(std::string_view t) {
  std::vector<std::size_t> out(t.size() + 1);
  std::size_t cp = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    out[i] = cp;
    auto c = static_cast<unsigned char>(t[i]);
    if ((c & 0xC0) != 0x80)
      ++cp;  // Continuation bytes belong to the previous code point.
    else
      out[i] = cp - 1;
  }
  out[t.size()] = cp;
  return out;
}

}  // namespace

std::vector<ExtractedItem> extract_items(std::string_view t) {
  std::vector<Match> found;
  for (std::size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '@') {
      if (auto m = email_at(t, i)) found.push_back(*m);
      continue;
    }
    if (is_upper(c)) {
      if (auto m = registration_at(t, i)) found.push_back(*m);
      if (auto m = postcode_at(t, i)) found.push_back(*m);
    }
    if (c == '+' || c == '0' || c == '(') {
      if (auto m = phone_at(t, i)) found.push_back(*m);
    }
    if (is_digit(c)) {
      if (auto m = date_at(t, i)) found.push_back(*m);
    }
  }
  // Keep the best of overlapping matches: higher priority, then longer, then earlier.
  std::sort(found.begin(), found.end(), [](const Match& a, const Match& b) {
    if (a.priority != b.priority) return a.priority > b.priority;
    if (a.end - a.begin != b.end - b.begin) return a.end - a.begin > b.end - b.begin;
    return a.begin < b.begin;
  });
  std::vector<Match> kept;
  for (const auto& m : found) {
    bool overlaps = std::any_of(kept.begin(), kept.end(),
                                [&](const Match& k) { return m.begin < k.end && k.begin < m.end; });
    if (!overlaps) kept.push_back(m);
  }
  std::sort(kept.begin(), kept.end(),
            [](const Match& a, const Match& b) { return a.begin < b.begin; });
  auto cps = code_point_offsets(t);
  std::vector<ExtractedItem> out;
  for (const auto& m : kept) {
    out.push_back({m.kind, m.value, std::string(t.substr(m.begin, m.end - m.begin)), cps[m.begin],
                   cps[m.end]});
  }
  return out;
}

}  // namespace sg::workflow
