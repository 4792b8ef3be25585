#include "cli/runtime.h"

#include "access/second_factor.h"
#include "cli/command_support.h"
#include "core/log.h"

namespace sg::cli {
namespace {

// The key in `path`, or a new one written there when the file does not exist. A key that
// could not be read is never replaced: that would strand every secret sealed under it.
core::Result<access::SecondFactorKey> load_or_create_second_factor_key(const std::string& path) {
  auto text = read_private_file(path, "second-factor key");
  if (text.ok()) return access::SecondFactorKey::parse(*text, path);
  if (text.error().code != core::Code::kNotFound) return std::move(text).error();
  auto key = access::SecondFactorKey::generate();
  SG_TRY(write_new_file(path, key.encode() + "\n", 0600));
  core::log(core::LogLevel::kInfo, "second_factor_key_created", {{"key_id", key.id()}});
  return key;
}

}  // namespace

core::Result<std::unique_ptr<Runtime>> Runtime::open(const Config& config, storage::OpenMode mode) {
  auto rt = std::make_unique<Runtime>();
  rt->store = SG_TRY(storage::open_sqlite_store(config.db_path, mode));
  rt->ledger = std::make_unique<audit::Ledger>(rt->clock, rt->ids, rt->random);
  access::SessionPolicy policy;
  policy.idle = std::chrono::minutes(config.session_idle_minutes);
  policy.absolute = std::chrono::hours(config.session_absolute_hours);
  policy.second_factor_required = config.session_require_second_factor;
  rt->accounts =
      std::make_unique<access::Accounts>(*rt->store, *rt->ledger, rt->clock, rt->ids, policy);
  rt->casework = std::make_unique<workflow::Casework>(*rt->store, *rt->ledger, rt->clock, rt->ids);
  rt->grants = std::make_unique<workflow::Grants>(*rt->store, *rt->ledger, rt->clock, rt->ids);
  rt->retention =
      std::make_unique<workflow::Retention>(*rt->store, *rt->ledger, rt->clock, rt->ids);
  rt->reports = std::make_unique<access::PublicReports>(*rt->store, *rt->ledger, *rt->casework,
                                                        rt->clock, rt->ids);
  return rt;
}

core::Status Runtime::start_network(int alert_children) {
  if (people) {
    graph = std::make_unique<network::LinkGraph>(
        std::make_shared<workflow::MatchedPersonIdentity>(*people));
  } else {
    graph = std::make_unique<network::LinkGraph>();
  }
  // Listen first, then load: a concern committed in between is seen twice, and the graph
  // ignores the second sighting, rather than not at all.
  network_alerts = std::make_unique<workflow::NetworkAlerts>(*store, *ledger, clock, ids, *graph,
                                                             alert_children);
  network_alerts->attach(*casework);
  // An erased concern leaves the graph at once, not at the next start.
  retention->on_erased([g = graph.get()](const std::vector<std::string>& record_ids) {
    for (const auto& id : record_ids) g->forget_concern(id);
  });
  return graph->load(*store, clock.now());
}

core::Status Runtime::start_people() {
  matcher = std::make_unique<resolve::OnlineMatcher>();
  people = std::make_unique<workflow::People>(*store, *ledger, clock, *matcher);
  // An erased concern's people leave the matcher at once, not at the next start.
  retention->on_erased([p = people.get()](const std::vector<std::string>& record_ids) {
    for (const auto& id : record_ids) p->forget_concern(id);
  });
  SG_TRY(people->rebuild());
  casework->use_people(*people);
  return {};
}

core::Status Runtime::start_second_factors(const Config& config) {
  auto key = SG_TRY(load_or_create_second_factor_key(second_factor_key_file(config)));
  second_factor_key = std::make_unique<access::SecondFactorKey>(std::move(key));
  auto found = SG_TRY(
      access::seal_second_factor_secrets(*store, *ledger, *second_factor_key, "system:serve"));
  if (found.under_other_key > 0) {
    // Their users cannot sign in with the app until the right key is back, or an
    // administrator resets each factor (docs/deployment.md).
    core::log(core::LogLevel::kWarn, "second_factors_under_another_key",
              {{"accounts", static_cast<std::int64_t>(found.under_other_key)},
               {"key_id", second_factor_key->id()}});
  }
  accounts->use_second_factor_key(*second_factor_key);
  return {};
}

api::Services Runtime::services() {
  api::Services out{*store, *ledger, *accounts, clock, *casework, *reports};
  out.people = people.get();
  out.grants = grants.get();
  out.retention = retention.get();
  out.network = graph.get();
  return out;
}

}  // namespace sg::cli
