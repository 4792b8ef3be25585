// Entities of the link graph and their canonical keys: persons, vehicles, phones, online
// accounts and locations (POLE, DESIGN.md). Two records that name the same plate, phone,
// account or place meet at one node because their keys are equal after normalisation.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/concern.h"

namespace sg::network {

enum class EntityKind { kPerson, kVehicle, kPhone, kAccount, kLocation };

// "person", "vehicle", "phone", "account", "location".
std::string_view entity_kind_name(EntityKind kind);

// Canonical keys. They hold personal data (plates, numbers, names): never log them.
// A registration normalised and folded over the usual misreadings (O/0, I/1, S/5, B/8), so
// "YX65 KLM" and "yx65klm" and "YX65 K1M" meet; a partial plate ("YX65 K??") keeps its
// unread characters and meets only the same partial reading.
std::string vehicle_key(std::string_view registration);
// E.164 when the number parses as a UK-dialled number, else its digits.
std::string phone_key(std::string_view number);
// Platform and handle, lower case, without a leading '@'.
std::string account_key(std::string_view platform, std::string_view handle);
// The postcode (normalised) with the folded name, else the folded address.
std::string location_key(std::string_view name, std::string_view address,
                         std::string_view postcode);

// The opaque, stable id of an entity: its kind and 16 hex digits of BLAKE2b-256 over the
// key ("vehicle-3fa2..."). Safe for URLs and logs; equal keys give equal ids.
std::string entity_id(EntityKind kind, std::string_view key);

// Who a recorded person is. Until the online matcher of entity resolution (src/resolve/
// online.*) answers this, persons are keyed exactly (domain::RecordedPerson::identity_key).
// A matcher plugs in by implementing this interface; the graph asks it for every person of
// every concern it adds. Implementations must be thread-safe.
class PersonIdentity {
 public:
  virtual ~PersonIdentity() = default;
  // The entity key of `person` as named in concern `concern_id`; never empty.
  virtual std::string key_of(const domain::RecordedPerson& person,
                             std::string_view concern_id) const = 0;
};

// Exact identity: an identifier, else normalised name with full date of birth. A person
// with neither is unidentifiable and gets a key of their own in that concern, so two
// vague descriptions ("male, about 30") never merge.
class ExactPersonIdentity final : public PersonIdentity {
 public:
  std::string key_of(const domain::RecordedPerson& person,
                     std::string_view concern_id) const override;
};

// Exact identity, falling back to the normalised given and family name alone (nicknames,
// honorifics and spacing folded; "KHAN, Ayesha" = "Ayesha Khan") when a person has neither
// an identifier nor a full date of birth. Suspects are often recorded that way; the price is
// that two different people with the same name meet. For evaluation and for analysts who
// accept that trade until the online matcher arrives (`--identity name`).
class NameFallbackIdentity final : public PersonIdentity {
 public:
  std::string key_of(const domain::RecordedPerson& person,
                     std::string_view concern_id) const override;
};

}  // namespace sg::network
