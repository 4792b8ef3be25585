// Agencies, users, roles and sessions: the people and organisations who use Safeguard.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"

namespace sg::domain {

// Each role grants a set of functions (DESIGN.md "Users"). Administrators manage accounts
// and never see case content; reviewers and auditors are read-only.
enum class Role {
  kPractitioner,
  kManager,
  kMashCoordinator,
  kAnalyst,
  kReviewer,
  kAuditor,
  kAdmin,
};

inline constexpr Role kAllRoles[] = {Role::kPractitioner, Role::kManager,  Role::kMashCoordinator,
                                     Role::kAnalyst,      Role::kReviewer, Role::kAuditor,
                                     Role::kAdmin};

// "practitioner", "manager", "mash_coordinator", "analyst", "reviewer", "auditor", "admin".
std::string_view role_name(Role role);
core::Result<Role> parse_role(std::string_view text, std::string_view field = "role");

// The kinds of organisation that share a safeguarding partnership.
enum class AgencyKind { kPolice, kChildrensServices, kHealth, kEducation, kYouthService, kOther };
std::string_view agency_kind_name(AgencyKind kind);
core::Result<AgencyKind> parse_agency_kind(std::string_view text, std::string_view field = "kind");

struct Agency {
  std::string id;
  std::string code;  // Short stable code, e.g. "SYP" for a police force: [A-Z0-9-]{2,16}.
  std::string name;
  AgencyKind kind = AgencyKind::kOther;
  core::Timestamp created_at;
};

struct User {
  std::string id;
  std::string username;  // Login name: [a-z0-9._-]{3,64}.
  std::string display_name;
  std::string agency_id;
  Role role = Role::kPractitioner;
  std::string password_hash;  // argon2id string (libsodium crypto_pwhash_str).
  bool active = true;
  core::Timestamp created_at;
  std::string manager_id;  // The user's line manager, to whom overdue work escalates.
};

// A signed-in browser session. Only the hash of the bearer token is stored.
struct Session {
  std::string token_hash;  // Hex BLAKE2b-256 of the token.
  std::string user_id;
  std::string csrf_token;  // Sent back in X-CSRF-Token on state-changing requests.
  core::Timestamp created_at;
  core::Timestamp last_seen_at;
};

// Validation shared by every front door. Errors name the field, never echo the value.
core::Status validate_username(std::string_view username, std::string_view field = "username");
core::Status validate_agency_code(std::string_view code, std::string_view field = "code");
core::Status validate_display_text(std::string_view text, std::string_view field,
                                   size_t max_length = 200);

}  // namespace sg::domain
