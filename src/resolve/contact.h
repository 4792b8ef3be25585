// Normalisers for contact and vehicle fields: phone numbers (E.164 via libphonenumber),
// e-mail addresses, UK postcodes and UK vehicle registrations.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace sg::resolve {

// Parses a phone number as dialled in `region` (ISO 3166 code, GB by default) and returns it
// in E.164 ("07700 900123" -> "+447700900123"). Errors: InvalidArgument when it is not a
// possible number. Thread-safe.
core::Result<std::string> normalise_phone(std::string_view text, std::string_view region = "GB");

// Lower-cases an e-mail address and removes a "+tag" from the local part; for Gmail also the
// dots ("John.Smith+x@GoogleMail.com" -> "johnsmith@gmail.com"). Errors: InvalidArgument
// when it is not of the form local@domain.tld.
core::Result<std::string> normalise_email(std::string_view text);

// A UK postcode and the units it belongs to: for "SW1A 1AA", area "SW", district "SW1A" and
// sector "SW1A 1".
struct UkPostcode {
  std::string postcode;
  std::string area;
  std::string district;
  std::string sector;
};
// Parses a UK postcode in any case and spacing ("sw1a1aa"). Errors: InvalidArgument when the
// text is not in a UK postcode format.
core::Result<UkPostcode> parse_uk_postcode(std::string_view text);

// Normalises a UK vehicle registration to upper case without spaces ("ab12 cde" -> "AB12CDE").
// Accepts the current, prefix, suffix and dateless formats. Errors: InvalidArgument otherwise.
core::Result<std::string> normalise_vehicle_registration(std::string_view text);
// A key under which registrations that differ only by the usual misreadings are equal:
// letters that look like digits become the digit (O, Q, D -> 0; I, L -> 1; S -> 5; B -> 8;
// Z -> 2; G -> 6), so "AB12 CDE" and "A812 CDE" share the key "A812C0E".
std::string registration_confusable_key(std::string_view normalised);

}  // namespace sg::resolve
