#include "resolve/text.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <memory>

namespace sg::resolve {
namespace {

bool is_ascii(std::string_view text) {
  for (unsigned char c : text) {
    if (c >= 0x80) return false;
  }
  return true;
}

// ICU transliterators are not safe to share between threads, and are slow to build, so
// each thread builds one on first use.
icu::Transliterator* thread_transliterator() {
  thread_local std::unique_ptr<icu::Transliterator> instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(
        icu::Transliterator::createInstance("Any-Latin; Latin-ASCII", UTRANS_FORWARD, status));
    if (U_FAILURE(status)) t.reset();
    return t;
  }();
  return instance.get();
}

}  // namespace

std::string to_ascii(std::string_view text) {
  if (is_ascii(text)) return std::string(text);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  if (auto* t = thread_transliterator()) t->transliterate(u);
  std::string out;
  u.toUTF8String(out);
  // Anything the transliterator could not map to ASCII (symbols, emoji) is dropped.
  std::string ascii;
  ascii.reserve(out.size());
  for (unsigned char c : out) {
    if (c < 0x80) ascii += static_cast<char>(c);
  }
  return ascii;
}

std::string fold(std::string_view text) {
  std::string ascii = to_ascii(text);
  std::string out;
  out.reserve(ascii.size());
  bool pending_space = false;
  for (unsigned char c : ascii) {
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (pending_space && !out.empty()) out += ' ';
      pending_space = false;
      out += static_cast<char>(c);
    } else if (c == '\'' || c == '`') {
      // Elided: O'Brien, D'Souza -> obrien, dsouza.
    } else {
      pending_space = true;
    }
  }
  return out;
}

std::vector<std::string_view> split_tokens(std::string_view folded) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && folded[i] == ' ') ++i;
    std::size_t j = i;
    while (j < folded.size() && folded[j] != ' ') ++j;
    if (j > i) out.push_back(folded.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string digits_only(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out;
}

}  // namespace sg::resolve
