// Fuzzes the date and time parsers: never crash, and whatever parses must round-trip.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/date.h"
#include "core/time.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto date = sg::core::Date::parse_iso(text); date.ok()) {
    if (date->iso() != text) std::abort();
  }
  if (auto t = sg::core::parse_rfc3339(text); t.ok()) {
    auto again = sg::core::parse_rfc3339(sg::core::format_rfc3339(*t));
    if (!again.ok() || *again != *t) std::abort();
  }
  return 0;
}
