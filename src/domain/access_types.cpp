#include "domain/access_types.h"

namespace sg::domain {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kPractitioner:
      return "practitioner";
    case Role::kManager:
      return "manager";
    case Role::kMashCoordinator:
      return "mash_coordinator";
    case Role::kAnalyst:
      return "analyst";
    case Role::kReviewer:
      return "reviewer";
    case Role::kAuditor:
      return "auditor";
    case Role::kAdmin:
      return "admin";
  }
  return "practitioner";
}

core::Result<Role> parse_role(std::string_view text, std::string_view field) {
  for (Role role : kAllRoles) {
    if (role_name(role) == text) return role;
  }
  return core::invalid_argument(
      "must be one of practitioner, manager, mash_coordinator, analyst, reviewer, auditor, admin",
      std::string(field));
}

std::string_view agency_kind_name(AgencyKind kind) {
  switch (kind) {
    case AgencyKind::kPolice:
      return "police";
    case AgencyKind::kChildrensServices:
      return "childrens_services";
    case AgencyKind::kHealth:
      return "health";
    case AgencyKind::kEducation:
      return "education";
    case AgencyKind::kYouthService:
      return "youth_service";
    case AgencyKind::kOther:
      return "other";
  }
  return "other";
}

core::Result<AgencyKind> parse_agency_kind(std::string_view text, std::string_view field) {
  for (auto kind : {AgencyKind::kPolice, AgencyKind::kChildrensServices, AgencyKind::kHealth,
                    AgencyKind::kEducation, AgencyKind::kYouthService, AgencyKind::kOther}) {
    if (agency_kind_name(kind) == text) return kind;
  }
  return core::invalid_argument(
      "must be one of police, childrens_services, health, education, youth_service, other",
      std::string(field));
}

core::Status validate_username(std::string_view username, std::string_view field) {
  if (username.size() < 3 || username.size() > 64) {
    return core::invalid_argument("must be 3 to 64 characters", std::string(field));
  }
  for (char c : username) {
    bool allowed =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!allowed) {
      return core::invalid_argument("may contain only a-z, 0-9, '.', '_' and '-'",
                                    std::string(field));
    }
  }
  return {};
}

core::Status validate_agency_code(std::string_view code, std::string_view field) {
  if (code.size() < 2 || code.size() > 16) {
    return core::invalid_argument("must be 2 to 16 characters", std::string(field));
  }
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
      return core::invalid_argument("may contain only A-Z, 0-9 and '-'", std::string(field));
    }
  }
  return {};
}

core::Status validate_display_text(std::string_view text, std::string_view field,
                                   size_t max_length) {
  if (text.empty()) return core::invalid_argument("must not be empty", std::string(field));
  if (text.size() > max_length) {
    return core::invalid_argument("must be at most " + std::to_string(max_length) + " bytes",
                                  std::string(field));
  }
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      return core::invalid_argument("must not contain control characters", std::string(field));
    }
  }
  // Well-formed UTF-8 only: records are evidence and must round-trip byte for byte.
  size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > text.size()) {
      return core::invalid_argument("must be valid UTF-8", std::string(field));
    }
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 2) {
        return core::invalid_argument("must be valid UTF-8", std::string(field));
      }
    }
    i += n;
  }
  return {};
}

}  // namespace sg::domain
