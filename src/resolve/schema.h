// What the columns of an input mean: the KIND=COLUMN mappings of `safeguard resolve`, and
// the comparators (compared fields) derived from them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sg::resolve {

enum class FieldKind {
  kGivenName,
  kFamilyName,
  kFullName,
  kDateOfBirth,
  kSex,
  kAddress,
  kLocality,
  kPostcode,
  kPlaceOfBirth,
  kPhone,
  kEmail,
  kVehicleRegistration,
  kIdentifier,
  kAttribute,
};

// "given_name" -> kGivenName, ... Errors: InvalidArgument naming `option` and listing the kinds.
core::Result<FieldKind> parse_field_kind(std::string_view text,
                                         std::string_view option = "--field");
std::string_view field_kind_name(FieldKind kind);

// One --field KIND=COLUMN.
struct FieldMapping {
  FieldKind kind;
  std::string column;
};
core::Result<FieldMapping> parse_field_mapping(std::string_view text,
                                               std::string_view option = "--field");

// How a comparator compares its values (each has its own comparison levels; see compare.h).
enum class CompareKind {
  kName,
  kDate,
  kExact,  // Sex: equal or not.
  kAddress,
  kPlace,
  kPostcode,
  kPhone,
  kEmail,
  kVehicle,
  kIdentifier,
  kAttribute,
};

// One compared field. Its value for a record comes from the first non-empty of `columns`,
// except for addresses, whose columns are joined in order.
struct Comparator {
  std::string name;  // "given_name", "address", "identifier:nhs_number", "attribute:state".
  CompareKind compare;
  FieldKind kind;
  std::vector<std::string> columns;
  bool from_full_name = false;  // given/family parts are taken from full_name columns too.
  std::vector<std::string> full_name_columns;
};

// Derives the comparators: one each for given name, family name (also fed by full_name),
// date of birth, sex, address (joined), locality, postcode, place of birth, phone, e-mail
// and vehicle; one per identifier column and one per attribute column.
// Errors: InvalidArgument when more than kMaxComparators would result.
inline constexpr std::size_t kMaxComparators = 16;
core::Result<std::vector<Comparator>> derive_comparators(const std::vector<FieldMapping>& fields);

}  // namespace sg::resolve
