#include "network/entity.h"

#include <cctype>

#include "audit/ledger.h"
#include "resolve/contact.h"
#include "resolve/names.h"

namespace sg::network {
namespace {

// Lower-case ASCII letters and digits, other runs collapsed to one space.
std::string fold(std::string_view text) {
  std::string out;
  bool space = false;
  for (unsigned char c : text) {
    if (std::isalnum(c)) {
      if (space && !out.empty()) out.push_back(' ');
      out.push_back(static_cast<char>(std::tolower(c)));
      space = false;
    } else {
      space = true;
    }
  }
  return out;
}

}  // namespace

std::string_view entity_kind_name(EntityKind kind) {
  switch (kind) {
    case EntityKind::kPerson:
      return "person";
    case EntityKind::kVehicle:
      return "vehicle";
    case EntityKind::kPhone:
      return "phone";
    case EntityKind::kAccount:
      return "account";
    case EntityKind::kLocation:
      return "location";
  }
  return "person";
}

std::string vehicle_key(std::string_view registration) {
  if (auto plate = resolve::normalise_vehicle_registration(registration); plate.ok()) {
    return resolve::registration_confusable_key(*plate);
  }
  std::string raw;
  for (unsigned char c : registration) {
    if (std::isalnum(c) || c == '?') raw.push_back(static_cast<char>(std::toupper(c)));
  }
  // A misread plate may fail the format check; fold it the same way so it still meets the
  // plate it was meant to be. Unread characters keep it apart.
  if (raw.find('?') == std::string::npos) return resolve::registration_confusable_key(raw);
  return "partial:" + raw;
}

std::string phone_key(std::string_view number) {
  if (auto e164 = resolve::normalise_phone(number); e164.ok()) return *e164;
  std::string digits;
  for (unsigned char c : number) {
    if (std::isdigit(c)) digits.push_back(static_cast<char>(c));
  }
  return "raw:" + digits;
}

std::string account_key(std::string_view platform, std::string_view handle) {
  while (!handle.empty() && (handle.front() == '@' || handle.front() == ' ')) {
    handle.remove_prefix(1);
  }
  std::string out = fold(platform) + ":";
  for (unsigned char c : handle) {
    if (!std::isspace(c)) out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

std::string location_key(std::string_view name, std::string_view address,
                         std::string_view postcode) {
  std::string pc;
  if (auto parsed = resolve::parse_uk_postcode(postcode); parsed.ok()) {
    pc = parsed->postcode;
  } else {
    pc = fold(postcode);
  }
  // A named place (a takeaway, a hotel) is its name at its postcode; an address is itself.
  std::string where = name.empty() ? fold(address) : fold(name);
  return pc + "|" + where;
}

std::string entity_id(EntityKind kind, std::string_view key) {
  std::string material = std::string(entity_kind_name(kind)) + "\n" + std::string(key);
  return std::string(entity_kind_name(kind)) + "-" + audit::digest_hex(material).substr(0, 16);
}

std::string ExactPersonIdentity::key_of(const domain::RecordedPerson& person,
                                        std::string_view concern_id) const {
  auto key = person.identity_key();
  if (!key.empty()) return key;
  return "unidentified:" + std::string(concern_id) + ":" + person.ref;
}

std::string NameFallbackIdentity::key_of(const domain::RecordedPerson& person,
                                         std::string_view concern_id) const {
  auto key = person.identity_key();
  if (!key.empty()) return key;
  std::string given, family;
  if (!person.given_name.empty() || !person.family_name.empty()) {
    given = resolve::normalise_name(person.given_name);
    family = resolve::normalise_name(person.family_name);
    // Only the first given name: middle names come and go between records.
    given = given.substr(0, given.find(' '));
  } else if (!person.full_name.empty()) {
    auto parsed = resolve::parse_full_name(person.full_name);
    given = parsed.given;
    family = parsed.family;
  }
  if (given.empty() || family.empty()) {
    return "unidentified:" + std::string(concern_id) + ":" + person.ref;
  }
  return "name:" + given + "|" + family;
}

}  // namespace sg::network
