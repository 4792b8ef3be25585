// Who may query the link graph, and what they may see in it. Every graph query draws only
// on records the caller may see, and is logged as a consultation (DPA 2018 s.62).
//
// Visibility is decided in one place, may_see_agency: a record is visible to users of the
// agency that recorded it (and to the system itself), or of the agencies the access policy
// lists in Viewer::agencies; a reviewer's remit also bounds the period, by the rule every
// other read path uses (domain::ReviewerScope::covers). scope_for, and through it every
// snapshot, path and export, follows.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "audit/ledger.h"
#include "domain/access_types.h"
#include "domain/policy.h"
#include "network/graph.h"
#include "storage/store.h"

namespace sg::network {

// The caller of a graph query.
struct Viewer {
  std::string user_id;  // Or "system:<component>" for the command line and the server itself.
  domain::Role role = domain::Role::kAnalyst;
  std::string agency_id;
  // The agencies whose records the viewer may see, as the access policy decides (own agency,
  // sharing agreements for concerns, a reviewer's remit); the API fills it per request.
  // Unset: the viewer's own agency only.
  std::optional<std::set<std::string>> agencies;
  // An independent reviewer's remit (workflow::NeedToKnow::remit): beside its agencies, only
  // concerns first recorded within its period are admitted. Unset for everyone else.
  std::optional<domain::ReviewerScope> remit;
  bool is_system() const { return user_id.rfind("system:", 0) == 0; }
};

// Intelligence analysts work the link charts; managers and independent reviewers may
// read them. PermissionDenied for every other role. System viewers may always query.
core::Status require_query(const Viewer& viewer);

// True when `viewer` may see records of agency `agency_id`. The single visibility rule.
bool may_see_agency(const Viewer& viewer, std::string_view agency_id);

// The scope of a viewer's query over `graph` in `window`: the agencies they may see and,
// for a reviewer, their remit.
Scope scope_for(const LinkGraph& graph, const Viewer& viewer, const Window& window);

// Appends one "consultation" ledger event for a graph query, in its own transaction:
// reason "network_analysis", the query's name and parameters as the payload, and the
// concern records whose evidence the answer showed (deduplicated).
core::Status record_consultation(storage::Store& store, audit::Ledger& ledger, const Viewer& viewer,
                                 std::string_view query, const nlohmann::json& parameters,
                                 std::vector<std::string> record_ids);

// The concern ids named in a report's "evidence" arrays, for the consultation event.
std::vector<std::string> evidence_records(const nlohmann::json& report);

}  // namespace sg::network
