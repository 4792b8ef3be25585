// Keeps the link graph current as concerns are recorded, and raises an analyst alert when
// a suspect, vehicle, place or phone becomes linked to N or more distinct children
// (issue 7; N is configurable, 3 by default). Lives in workflow because alerts are work
// items; the graph itself (src/network) knows nothing of casework.
#pragma once

#include <string>
#include <vector>

#include "audit/ledger.h"
#include "core/id.h"
#include "core/time.h"
#include "network/graph.h"
#include "storage/store.h"
#include "workflow/casework.h"

namespace sg::workflow {

// The alert's rule name (its work item's subkind) and the inbox analysts work.
inline constexpr std::string_view kNetworkAlertRule = "network_linked_to_children";
inline constexpr std::string_view kAnalystsInbox = "analysts";

class NetworkAlerts {
 public:
  // All references must outlive the service. `threshold` is N, at least 2.
  NetworkAlerts(storage::Store& store, audit::Ledger& ledger, const core::Clock& clock,
                core::IdGenerator& ids, network::LinkGraph& graph, int threshold = 3)
      : store_(store),
        ledger_(ledger),
        clock_(clock),
        ids_(ids),
        graph_(graph),
        threshold_(threshold) {}

  // Listens to `casework`: every committed concern is added to the graph, then checked.
  // Call before serving (Casework::add_listener).
  void attach(Casework& casework);

  // Adds one committed concern to the graph and raises an alert for each entity it touched
  // that is now directly linked to `threshold` or more distinct children and has never had
  // one. One transaction per alert, with its record, work item and ledger event. Returns the
  // ids of the alerts raised.
  core::Result<std::vector<std::string>> on_concern(const domain::Concern& concern,
                                                    const IntakeResult& result);

 private:
  storage::Store& store_;
  audit::Ledger& ledger_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  network::LinkGraph& graph_;
  int threshold_;
};

}  // namespace sg::workflow
