// Wires the services together over one store: what both front doors (CLI and server) run on.
#pragma once

#include <memory>

#include "access/accounts.h"
#include "access/public_reports.h"
#include "access/second_factor_key.h"
#include "api/app.h"
#include "audit/ledger.h"
#include "cli/config.h"
#include "core/id.h"
#include "core/time.h"
#include "network/graph.h"
#include "storage/sqlite/sqlite_store.h"
#include "workflow/casework.h"
#include "workflow/grants.h"
#include "workflow/matched_identity.h"
#include "workflow/network_alerts.h"
#include "workflow/people.h"
#include "workflow/retention.h"

namespace sg::cli {

struct Runtime {
  core::SystemClock clock;
  core::OsRandom random;
  core::IdGenerator ids{clock, random};
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<audit::Ledger> ledger;
  std::unique_ptr<access::Accounts> accounts;
  std::unique_ptr<workflow::Casework> casework;
  std::unique_ptr<access::PublicReports> reports;
  std::unique_ptr<workflow::Grants> grants;
  std::unique_ptr<workflow::Retention> retention;
  // The link graph and its alerts, once start_network() has run.
  std::unique_ptr<network::LinkGraph> graph;
  std::unique_ptr<workflow::NetworkAlerts> network_alerts;

  // Opens (creating if `mode` allows) and migrates the database named by the config.
  static core::Result<std::unique_ptr<Runtime>> open(const Config& config, storage::OpenMode mode);
  // Builds the link graph from the store and keeps it current as concerns are recorded,
  // raising an analyst alert when an entity becomes linked to `alert_children` or more
  // children. Call once, before serving or importing. Persons are the online matcher's
  // entities when start_people() has run first, else exact identities.
  core::Status start_network(int alert_children = 3);
  // Builds the online person matcher from every stored concern and match decision, and lets
  // casework use it for "same child" (issue 4). Call once, before serving or importing.
  core::Status start_people();
  std::unique_ptr<resolve::OnlineMatcher> matcher;
  std::unique_ptr<workflow::People> people;

  // Second factors' TOTP secrets are sealed under this key (access/second_factor_key.h),
  // once start_second_factors() has run.
  std::unique_ptr<access::SecondFactorKey> second_factor_key;
  // Reads the key from second_factor_key_file(config), or creates that file (mode 0600) with
  // a new key when there is none; seals every secret still stored in the clear (schema 13),
  // and lets accounts use the key. Call once, before serving. InvalidArgument naming the file
  // when it cannot be read or created, is not a key file, or others may read it. Secrets
  // sealed under another key are counted in a warning: they cannot be checked.
  core::Status start_second_factors(const Config& config);

  // What the API serves: every service, with people and the link graph once started.
  api::Services services();
};

// The actor recorded in the ledger for work done through the command line.
inline constexpr std::string_view kCliActor = "system:cli";

}  // namespace sg::cli
