// Narrative extraction: proposes POLE items found in free text — UK vehicle registrations,
// phone numbers, e-mail addresses, UK postcodes and dates — for a practitioner to confirm.
// It proposes; it never records. Analysts also run it over legacy narratives
// (`safeguard extract`).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sg::workflow {

struct ExtractedItem {
  std::string kind;   // vehicle_registration | phone | email | postcode | date
  std::string value;  // Normalised: AB12CDE, +447700900123, a@b.uk, NF1 2AB, 2024-03-14.
  std::string text;   // Exactly as written.
  // Offsets of `text` in the input, in Unicode code points (so text == input[start:end] in
  // languages that index by code point); the input is UTF-8.
  std::size_t start = 0;
  std::size_t end = 0;
};

// Finds the items in `text`, in order of appearance, never overlapping. Numeric dates are
// read in UK order (day first). Invalid UTF-8 bytes are skipped, never matched.
std::vector<ExtractedItem> extract_items(std::string_view text);

}  // namespace sg::workflow
