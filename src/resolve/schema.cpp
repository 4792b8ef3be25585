#include "resolve/schema.h"

#include <array>
#include <utility>

namespace sg::resolve {
namespace {

constexpr std::array<std::pair<std::string_view, FieldKind>, 14> kKinds = {{
    {"given_name", FieldKind::kGivenName},
    {"family_name", FieldKind::kFamilyName},
    {"full_name", FieldKind::kFullName},
    {"date_of_birth", FieldKind::kDateOfBirth},
    {"sex", FieldKind::kSex},
    {"address", FieldKind::kAddress},
    {"locality", FieldKind::kLocality},
    {"postcode", FieldKind::kPostcode},
    {"place_of_birth", FieldKind::kPlaceOfBirth},
    {"phone", FieldKind::kPhone},
    {"email", FieldKind::kEmail},
    {"vehicle_registration", FieldKind::kVehicleRegistration},
    {"identifier", FieldKind::kIdentifier},
    {"attribute", FieldKind::kAttribute},
}};

}  // namespace

core::Result<FieldKind> parse_field_kind(std::string_view text, std::string_view option) {
  for (const auto& [name, kind] : kKinds) {
    if (name == text) return kind;
  }
  std::string all;
  for (const auto& [name, kind] : kKinds) {
    if (!all.empty()) all += ", ";
    all += name;
  }
  return core::invalid_argument("unknown KIND '" + std::string(text) + "' (one of: " + all + ")",
                                std::string(option));
}

std::string_view field_kind_name(FieldKind kind) {
  for (const auto& [name, k] : kKinds) {
    if (k == kind) return name;
  }
  return "attribute";
}

core::Result<FieldMapping> parse_field_mapping(std::string_view text, std::string_view option) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    return core::invalid_argument("expected KIND=COLUMN", std::string(option));
  }
  FieldKind kind = SG_TRY(parse_field_kind(text.substr(0, eq), option));
  return FieldMapping{kind, std::string(text.substr(eq + 1))};
}

core::Result<std::vector<Comparator>> derive_comparators(const std::vector<FieldMapping>& fields) {
  std::vector<Comparator> out;
  auto single = [&](std::string name, CompareKind compare, FieldKind kind) -> Comparator* {
    for (auto& c : out) {
      if (c.name == name) return &c;
    }
    out.push_back(Comparator{std::move(name), compare, kind, {}});
    return &out.back();
  };
  std::vector<std::string> full_names;
  for (const auto& f : fields) {
    if (f.kind == FieldKind::kFullName) full_names.push_back(f.column);
  }
  // Comparators appear in a fixed order (names first) so output does not depend on the order
  // of --field options, except among identifiers and attributes.
  for (FieldKind kind : {FieldKind::kGivenName, FieldKind::kFamilyName}) {
    bool mapped = !full_names.empty();
    for (const auto& f : fields) mapped = mapped || f.kind == kind;
    if (!mapped) continue;
    auto* c = single(std::string(field_kind_name(kind)), CompareKind::kName, kind);
    for (const auto& f : fields) {
      if (f.kind == kind) c->columns.push_back(f.column);
    }
    c->from_full_name = !full_names.empty();
    c->full_name_columns = full_names;
  }
  const std::array<std::pair<FieldKind, CompareKind>, 9> singles = {{
      {FieldKind::kDateOfBirth, CompareKind::kDate},
      {FieldKind::kSex, CompareKind::kExact},
      {FieldKind::kAddress, CompareKind::kAddress},
      {FieldKind::kLocality, CompareKind::kPlace},
      {FieldKind::kPostcode, CompareKind::kPostcode},
      {FieldKind::kPlaceOfBirth, CompareKind::kPlace},
      {FieldKind::kPhone, CompareKind::kPhone},
      {FieldKind::kEmail, CompareKind::kEmail},
      {FieldKind::kVehicleRegistration, CompareKind::kVehicle},
  }};
  for (const auto& [kind, compare] : singles) {
    for (const auto& f : fields) {
      if (f.kind == kind)
        single(std::string(field_kind_name(kind)), compare, kind)->columns.push_back(f.column);
    }
  }
  for (const auto& f : fields) {
    if (f.kind == FieldKind::kIdentifier) {
      single("identifier:" + f.column, CompareKind::kIdentifier, f.kind)->columns = {f.column};
    }
  }
  for (const auto& f : fields) {
    if (f.kind == FieldKind::kAttribute) {
      single("attribute:" + f.column, CompareKind::kAttribute, f.kind)->columns = {f.column};
    }
  }
  if (out.size() > kMaxComparators) {
    return core::invalid_argument("too many compared fields: " + std::to_string(out.size()) +
                                      " (at most " + std::to_string(kMaxComparators) + ")",
                                  "--field");
  }
  return out;
}

}  // namespace sg::resolve
