#include "workflow/network_alerts.h"

#include <set>

#include "core/log.h"

namespace sg::workflow {
namespace {

using nlohmann::json;

struct Candidate {
  std::string entity_id;
  std::string kind;
  std::string label;
  std::vector<std::string> children;  // Entity ids.
  std::vector<std::string> concern_ids;
};

}  // namespace

void NetworkAlerts::attach(Casework& casework) {
  casework.add_listener([this](const domain::Concern& concern, const IntakeResult& result) {
    // The concern is committed; a failure here must not undo it or reach the caller.
    // Ids only in the log.
    if (auto raised = on_concern(concern, result); !raised.ok()) {
      core::log(core::LogLevel::kError, "network_alert_failed",
                {{"concern_id", result.concern_id}, {"error", raised.error().message}});
    }
  });
}

core::Result<std::vector<std::string>> NetworkAlerts::on_concern(const domain::Concern& concern,
                                                                 const IntakeResult& result) {
  auto touched =
      graph_.add_concern(result.concern_id, result.agency_id, concern, result.recorded_at);
  // Alerts look at everything the partnership knows, whoever recorded it.
  network::Scope all{.window = {}, .all_agencies = true, .agencies = {}};
  auto candidates = graph_.read([&](const network::GraphData& data) {
    std::vector<Candidate> out;
    for (auto idx : touched) {
      const auto& e = data.entities[idx];
      bool eligible = e.kind == network::EntityKind::kVehicle ||
                      e.kind == network::EntityKind::kLocation ||
                      e.kind == network::EntityKind::kPhone ||
                      (e.kind == network::EntityKind::kPerson && network::is_suspect(e, all));
      if (!eligible) continue;
      std::set<std::string> children, concerns;
      for (auto l : data.incident[idx]) {
        const auto& link = data.links[l];
        const auto& other = data.entities[link.a == idx ? link.b : link.a];
        if (!network::is_child(other, all)) continue;
        children.insert(other.id);
        for (const auto& ev : link.evidence) concerns.insert(ev.concern_id);
      }
      if (children.size() < static_cast<std::size_t>(threshold_)) continue;
      out.push_back({e.id,
                     std::string(network::entity_kind_name(e.kind)),
                     e.label,
                     {children.begin(), children.end()},
                     {concerns.begin(), concerns.end()}});
    }
    return out;
  });

  std::vector<std::string> raised;
  for (const auto& c : candidates) {
    auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
    // One alert per entity, ever: acknowledging it does not invite a second for the same
    // entity; the open work shows the growing list of children.
    auto existing = SG_TRY(tx->work_items({.kind = "alert",
                                           .subkind = std::string(kNetworkAlertRule),
                                           .subject_key = c.entity_id,
                                           .open_only = false,
                                           .limit = 1}));
    if (!existing.empty()) continue;
    auto id = ids_.next();
    auto now = clock_.now();
    json body = {
        {"id", id},
        {"label", c.label},
        {"rule", kNetworkAlertRule},
        {"summary", c.kind + " linked to " + std::to_string(c.children.size()) + " children"},
        {"subject_key", c.entity_id},
        {"entity_id", c.entity_id},
        {"child_entity_ids", c.children},
        {"case_id", ""},
        {"concern_ids", c.concern_ids},
        {"raised_at", core::format_rfc3339(now)},
        {"inbox", kAnalystsInbox},
        {"status", "open"}};
    domain::RecordVersion draft;
    draft.record_id = id;
    draft.kind = "alert";
    draft.agency_id = result.agency_id;
    draft.body = body.dump();
    draft.recorded_at = now;
    draft.recorded_by = "system:network";
    SG_TRY(tx->put_record(draft, 0));
    SG_TRY(tx->upsert_work_item({.id = id,
                                 .kind = "alert",
                                 .subkind = std::string(kNetworkAlertRule),
                                 .subject_key = c.entity_id,
                                 .inbox = std::string(kAnalystsInbox),
                                 .status = "open",
                                 .agency_id = result.agency_id,
                                 .updated_at = now,
                                 .label = c.label}));
    auto records = c.concern_ids;
    records.push_back(id);
    auto payload = body.dump();
    SG_TRY(ledger_.append(*tx, {.actor = "system:network",
                                .operation = domain::Operation::kCombination,
                                .reason = "network_alert",
                                .record_ids = records,
                                .payload = payload}));
    SG_TRY(tx->commit());
    raised.push_back(id);
  }
  return raised;
}

}  // namespace sg::workflow
