#include "access/password_blocklist.h"

#include <algorithm>
#include <unordered_set>

#include "core/ascii.h"

namespace sg::embedded {
std::string_view common_passwords_txt();
std::string_view context_words_txt();
}  // namespace sg::embedded

namespace sg::access {
namespace {

// Words shorter than this count as context words only when they are the whole password.
constexpr size_t kContainedWordMin = 4;

// The list is lower case already (SOURCES.md), so its lines are the keys as they are.
const std::unordered_set<std::string_view>& common_passwords() {
  static const std::unordered_set<std::string_view> set = [] {
    auto lines = core::text_lines(embedded::common_passwords_txt(), false);
    return std::unordered_set<std::string_view>(lines.begin(), lines.end());
  }();
  return set;
}

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
// Padding: ASCII that is neither a letter nor a digit (symbols, spaces, controls).
bool is_ascii_symbol(char c) {
  auto u = static_cast<unsigned char>(c);
  return u < 0x80 && !is_ascii_letter(c) && !is_ascii_digit(c);
}

template <typename Pad>
std::string_view trim(std::string_view s, Pad pad) {
  while (!s.empty() && pad(s.front())) s.remove_prefix(1);
  while (!s.empty() && pad(s.back())) s.remove_suffix(1);
  return s;
}

// The forms of a lower-cased password a person is likely to have padded to a length rule:
// itself, without digits and symbols at either end, and without symbols at either end
// ("123456!!!!!!" → "123456"). Empty forms are left out.
std::vector<std::string_view> padded_forms(std::string_view lower) {
  std::vector<std::string_view> forms{lower};
  for (auto form : {trim(lower, [](char c) { return is_ascii_digit(c) || is_ascii_symbol(c); }),
                    trim(lower, is_ascii_symbol)}) {
    if (!form.empty() && std::find(forms.begin(), forms.end(), form) == forms.end()) {
      forms.push_back(form);
    }
  }
  return forms;
}

void add_word(std::vector<std::string>& words, std::string_view word) {
  auto lower = core::to_lower(word);
  if (lower.size() < 3) return;
  if (std::find(words.begin(), words.end(), lower) == words.end()) words.push_back(lower);
}

// Adds `text`'s parts: the runs between any of `separators`.
void add_parts(std::vector<std::string>& words, std::string_view text,
               std::string_view separators) {
  while (!text.empty()) {
    auto end = text.find_first_of(separators);
    add_word(words, text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

}  // namespace

size_t common_password_count() { return common_passwords().size(); }

bool is_common_password(std::string_view password) {
  const auto& set = common_passwords();
  auto lower = core::to_lower(password);
  for (auto form : padded_forms(lower)) {
    if (set.contains(form)) return true;
  }
  return false;
}

const std::vector<std::string>& product_context_words() {
  static const std::vector<std::string> words = [] {
    std::vector<std::string> out;
    for (auto line : core::text_lines(embedded::context_words_txt(), true)) {
      out.push_back(core::to_lower(line));
    }
    return out;
  }();
  return words;
}

std::vector<std::string> context_words(std::string_view username, std::string_view display_name,
                                       const std::vector<domain::Agency>& agencies) {
  std::vector<std::string> words = product_context_words();
  add_word(words, username);
  add_parts(words, username, "._-");
  // Names are split wherever a name's parts are: spaces, hyphens, apostrophes, dots, commas.
  add_parts(words, display_name, " -'.,\t");
  for (const auto& agency : agencies) {
    add_word(words, agency.code);
    add_parts(words, agency.code, "-");
    add_parts(words, agency.name, " -'.,()&/\t");
  }
  return words;
}

bool contains_context_word(std::string_view password, const std::vector<std::string>& words) {
  auto lower = core::to_lower(password);
  auto forms = padded_forms(lower);
  for (const auto& word : words) {
    if (word.empty()) continue;
    if (word.size() >= kContainedWordMin) {
      if (lower.find(word) != std::string::npos) return true;
    } else if (std::find(forms.begin(), forms.end(), word) != forms.end()) {
      return true;
    }
  }
  return false;
}

core::Status check_password_blocklists(std::string_view password,
                                       const std::vector<std::string>& context,
                                       std::string_view field) {
  if (is_common_password(password)) {
    return core::invalid_argument(
        "is one of the most commonly used passwords; choose another, such as a few unrelated "
        "words",
        std::string(field));
  }
  if (contains_context_word(password, context)) {
    return core::invalid_argument(
        "contains a word easy to guess here (the product's, an agency's or your own name or "
        "username); choose another",
        std::string(field));
  }
  return {};
}

}  // namespace sg::access
