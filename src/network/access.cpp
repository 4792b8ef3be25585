#include "network/access.h"

#include <algorithm>

#include "domain/policy.h"

namespace sg::network {

core::Status require_query(const Viewer& viewer) {
  if (viewer.is_system()) return {};
  return domain::require(viewer.role, domain::Function::kQueryNetwork);
}

bool may_see_agency(const Viewer& viewer, std::string_view agency_id) {
  if (viewer.is_system()) return true;
  if (viewer.agencies) return viewer.agencies->contains(std::string(agency_id));
  return !viewer.agency_id.empty() && viewer.agency_id == agency_id;
}

Scope scope_for(const LinkGraph& graph, const Viewer& viewer, const Window& window) {
  Scope scope;
  scope.window = window;
  scope.remit = viewer.remit;
  if (viewer.is_system()) {
    scope.all_agencies = true;
    return scope;
  }
  graph.read([&](const GraphData& data) {
    for (const auto& agency : data.agencies) {
      if (may_see_agency(viewer, agency)) scope.agencies.insert(agency);
    }
    return 0;
  });
  return scope;
}

core::Status record_consultation(storage::Store& store, audit::Ledger& ledger, const Viewer& viewer,
                                 std::string_view query, const nlohmann::json& parameters,
                                 std::vector<std::string> record_ids) {
  std::sort(record_ids.begin(), record_ids.end());
  record_ids.erase(std::unique(record_ids.begin(), record_ids.end()), record_ids.end());
  auto payload = nlohmann::json{{"query", query}, {"parameters", parameters}}.dump();
  auto tx = SG_TRY(store.begin(storage::TxMode::kWrite));
  SG_TRY(ledger.append(*tx, {.actor = viewer.user_id,
                             .operation = domain::Operation::kConsultation,
                             .reason = "network_analysis",
                             .record_ids = std::move(record_ids),
                             .payload = payload}));
  return tx->commit();
}

std::vector<std::string> evidence_records(const nlohmann::json& report) {
  std::vector<std::string> out;
  auto walk = [&](auto&& self, const nlohmann::json& node) -> void {
    if (node.is_object()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (it.key() == "evidence" && it->is_array()) {
          for (const auto& ev : *it) {
            if (ev.contains("concern_id")) out.push_back(ev["concern_id"].get<std::string>());
          }
        } else {
          self(self, *it);
        }
      }
    } else if (node.is_array()) {
      for (const auto& item : node) self(self, item);
    }
  };
  walk(walk, report);
  return out;
}

}  // namespace sg::network
