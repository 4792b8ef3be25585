#include "resolve/contact.h"

#include <phonenumbers/phonenumberutil.h>

#include <cctype>

#include "resolve/text.h"

namespace sg::resolve {
namespace {

bool is_letter(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Matches `text` against a pattern of 'A' (letter) and '9' (digit).
bool shape(std::string_view text, std::string_view pattern) {
  if (text.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (pattern[i] == 'A' ? !is_letter(text[i]) : !is_digit(text[i])) return false;
  }
  return true;
}

std::string upper_alnum(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

}  // namespace

core::Result<std::string> normalise_phone(std::string_view text, std::string_view region) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  if (text.size() > 64) return core::invalid_argument("phone number too long", "phone");
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  auto err = util.Parse(std::string(text), std::string(region), &number);
  if (err != PhoneNumberUtil::NO_PARSING_ERROR || !util.IsPossibleNumber(number)) {
    return core::invalid_argument("not a phone number", "phone");
  }
  std::string out;
  util.Format(number, PhoneNumberUtil::E164, &out);
  return out;
}

core::Result<std::string> normalise_email(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (c == ' ' || c == '\t') continue;
    s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  std::size_t at = s.find('@');
  if (at == std::string::npos || at == 0 || s.find('@', at + 1) != std::string::npos) {
    return core::invalid_argument("not an e-mail address", "email");
  }
  std::string local = s.substr(0, at);
  std::string domain = s.substr(at + 1);
  if (domain.find('.') == std::string::npos || domain.front() == '.' || domain.back() == '.') {
    return core::invalid_argument("not an e-mail address", "email");
  }
  if (auto plus = local.find('+'); plus != std::string::npos && plus > 0) local.resize(plus);
  if (domain == "googlemail.com") domain = "gmail.com";
  if (domain == "gmail.com") {
    std::string undotted;
    for (char c : local) {
      if (c != '.') undotted += c;
    }
    local = undotted;
  }
  if (local.empty()) return core::invalid_argument("not an e-mail address", "email");
  return local + "@" + domain;
}

core::Result<UkPostcode> parse_uk_postcode(std::string_view text) {
  std::string s = upper_alnum(text);
  if (s.size() < 5 || s.size() > 7) return core::invalid_argument("not a UK postcode", "postcode");
  std::string outward = s.substr(0, s.size() - 3);
  std::string inward = s.substr(s.size() - 3);
  if (!shape(inward, "9AA")) return core::invalid_argument("not a UK postcode", "postcode");
  // Outward formats: A9, A99, AA9, AA99, A9A, AA9A.
  bool ok = false;
  for (std::string_view p : {"A9", "A99", "AA9", "AA99", "A9A", "AA9A"}) {
    if (shape(outward, p)) ok = true;
  }
  if (!ok) return core::invalid_argument("not a UK postcode", "postcode");
  UkPostcode pc;
  pc.postcode = outward + " " + inward;
  std::size_t letters = is_letter(outward[1]) ? 2 : 1;
  pc.area = outward.substr(0, letters);
  pc.district = outward;
  pc.sector = outward + " " + inward.substr(0, 1);
  return pc;
}

core::Result<std::string> normalise_vehicle_registration(std::string_view text) {
  std::string s = upper_alnum(to_ascii(text));
  // Current (2001-): AB12CDE. Suffix (1963-82): ABC123D. Prefix (1983-2001): A123BCD.
  for (std::string_view p :
       {"AA99AAA", "AAA9A", "AAA99A", "AAA999A", "A9AAA", "A99AAA", "A999AAA"}) {
    if (shape(s, p)) return s;
  }
  // Dateless: 1-3 letters then 1-4 digits, or 1-4 digits then 1-3 letters.
  auto dateless = [](const std::string& r) {
    std::size_t i = 0;
    while (i < r.size() && is_letter(r[i])) ++i;
    std::size_t j = i;
    while (j < r.size() && is_digit(r[j])) ++j;
    if (j == r.size() && i >= 1 && i <= 3 && j - i >= 1 && j - i <= 4) return true;
    i = 0;
    while (i < r.size() && is_digit(r[i])) ++i;
    j = i;
    while (j < r.size() && is_letter(r[j])) ++j;
    return j == r.size() && i >= 1 && i <= 4 && j - i >= 1 && j - i <= 3;
  };
  if (dateless(s)) return s;
  return core::invalid_argument("not a UK vehicle registration", "vehicle_registration");
}

std::string registration_confusable_key(std::string_view normalised) {
  std::string out(normalised);
  for (char& c : out) {
    switch (c) {
      case 'O':
      case 'Q':
      case 'D':
        c = '0';
        break;
      case 'I':
      case 'L':
        c = '1';
        break;
      case 'S':
        c = '5';
        break;
      case 'B':
        c = '8';
        break;
      case 'Z':
        c = '2';
        break;
      case 'G':
        c = '6';
        break;
      default:
        break;
    }
  }
  return out;
}

}  // namespace sg::resolve
