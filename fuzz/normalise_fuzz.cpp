// Fuzzes the resolution normalisers and string comparisons: never crash, and check the
// properties the engine relies on (folded text is lower-case ASCII; within_one_edit agrees
// with the OSA distance; similarities stay in [0, 1]; accepted postcodes re-parse to
// themselves).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "resolve/contact.h"
#include "resolve/dates.h"
#include "resolve/names.h"
#include "resolve/phonetic.h"
#include "resolve/similarity.h"
#include "resolve/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sg::resolve;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (size > 4096) return 0;
  std::string folded = fold(text);
  for (char c : folded) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ';
    if (!ok) std::abort();
  }
  if (!folded.empty() && (folded.front() == ' ' || folded.back() == ' ')) std::abort();
  (void)double_metaphone(folded);
  (void)double_metaphone(text);
  ParsedName name = parse_full_name(text);
  (void)normalise_name(text);
  (void)name;
  if (auto d = parse_partial_date(text); d.ok()) {
    auto again = parse_partial_date(d->to_string());
    if (!again.ok() || !(*again == *d)) std::abort();
  }
  (void)birth_years_from_age(text, sg::core::Date::from_ymd(2024, 6, 1).value());
  (void)normalise_phone(text);
  (void)normalise_email(text);
  if (auto pc = parse_uk_postcode(text); pc.ok()) {
    auto again = parse_uk_postcode(pc->postcode);
    if (!again.ok() || again->postcode != pc->postcode) std::abort();
  }
  if (auto v = normalise_vehicle_registration(text); v.ok()) {
    (void)registration_confusable_key(*v);
  }
  // Split the input in two for the pairwise comparisons.
  std::string_view a = text.substr(0, size / 2), b = text.substr(size / 2);
  if (a.size() <= 64 && b.size() <= 64) {
    if (within_one_edit(a, b) != (osa_distance(a, b) <= 1)) std::abort();
  }
  double jw = jaro_winkler(a, b);
  if (jw < 0 || jw > 1.0000001) std::abort();
  if (jaro_winkler_upper_bound(a, b) + 1e-9 < jw) std::abort();
  return 0;
}
