// Role checks for the workflow services. The table itself is the access policy
// (domain/policy.h); this header gives the services their vocabulary for it, so that the API
// and the CLI cannot disagree.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/access_types.h"
#include "domain/policy.h"

namespace sg::workflow {

using Action = domain::Function;

inline std::string_view action_name(Action action) { return domain::function_name(action); }
using domain::allowed;
using domain::require;  // PermissionDenied naming the action when `role` may not do it.

// Who is acting. The service trusts these fields: the API fills them from the session,
// the CLI from the tool's own system identity.
struct Actor {
  std::string user_id;  // Or "system:<component>".
  domain::Role role = domain::Role::kPractitioner;
  std::string agency_id;
  std::string manager_id;

  // The command line on the server itself: whoever runs it already holds the database file,
  // so role checks do not apply; the ledger still records "system:cli".
  bool is_system() const { return user_id.rfind("system:", 0) == 0; }
};

// As require(role, action), letting system actors through.
inline core::Status require(const Actor& actor, Action action) {
  if (actor.is_system()) return {};
  return require(actor.role, action);
}

}  // namespace sg::workflow
