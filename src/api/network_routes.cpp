// The link-analysis API (issue 7): groups, key players, hot spots, evidence paths,
// neighbourhoods, one entity, and exports, under /api/v1/network. Each query draws only on
// records the caller may see (network/access.h) and is one ledger consultation. With
// ?as_of=RFC3339 each answers on the graph as known then (issue 6, "as known at date D").
#include <memory>
#include <sstream>

#include "api/app.h"
#include "api/errors.h"
#include "api/json_io.h"
#include "network/access.h"
#include "network/export.h"
#include "workflow/need_to_know.h"
#include "workflow/network_viewer.h"
#include "workflow/people.h"

namespace sg::api {
namespace {

using nlohmann::json;

// The viewer as the access policy sees them today (workflow::network_viewer); one who
// cannot be loaded sees nothing.
network::Viewer viewer_of(storage::Store& store, const core::Clock& clock,
                          const access::Principal& p) {
  network::Viewer none{p.user.id, p.user.role, p.user.agency_id, std::set<std::string>{}};
  auto tx = store.begin(storage::TxMode::kRead);
  if (!tx.ok()) return none;
  auto actor = actor_of(p);
  auto need = workflow::NeedToKnow::load(**tx, actor, clock.now());
  if (!need.ok()) return none;
  auto viewer = workflow::network_viewer(**tx, actor, *need);
  return viewer.ok() ? *viewer : none;
}

// The link graph as known at an instant: the concerns recorded by then, each as its version
// stood then, fed through LinkGraph::add_concern as LinkGraph::load feeds the live graph at
// start, with persons resolved by the matcher as it stood then (workflow::KnownPeople) when
// entity resolution runs, else exactly. Built for each request; nothing later can leak in.
struct PastGraph {
  std::unique_ptr<network::LinkGraph> graph;
  std::unique_ptr<network::Analytics> analytics;
};

core::Result<PastGraph> past_graph(const Services& services, core::Timestamp at) {
  std::shared_ptr<const workflow::KnownPeople> people;
  std::vector<workflow::KnownConcern> exact;
  std::shared_ptr<const network::PersonIdentity> identity;
  if (services.people) {
    people = SG_TRY(services.people->known_at(at));
    identity = std::make_shared<workflow::KnownPersonIdentity>(people);
  } else {
    auto tx = SG_TRY(services.store.begin(storage::TxMode::kRead));
    exact = SG_TRY(workflow::concerns_known_at(*tx, at));
    identity = std::make_shared<network::ExactPersonIdentity>();
  }
  PastGraph past;
  past.graph = std::make_unique<network::LinkGraph>(identity);
  for (const auto& c : people ? people->concerns : exact) {
    past.graph->add_concern(c.version.record_id, c.version.agency_id, c.concern,
                            c.first_recorded_at);
  }
  past.analytics = std::make_unique<network::Analytics>(*past.graph);
  return past;
}

// ?as_of=: unset for today; InvalidArgument naming "as_of" when malformed or in the future.
core::Result<std::optional<core::Timestamp>> as_of_param(const Request& request,
                                                         const core::Clock& clock) {
  auto as_of = SG_TRY(time_param(request, "as_of"));
  if (as_of) SG_TRY(workflow::require_past(*as_of, clock.now(), "as_of"));
  return as_of;
}

}  // namespace

void App::add_network_routes() {
  if (!services_.network) return;
  analytics_ = std::make_unique<network::Analytics>(*services_.network);
  auto responses = [](std::string ok) {
    std::map<int, std::pair<std::string, std::optional<std::string>>> r;
    r[200] = {std::move(ok), "NetworkReport"};
    r[400] = {"Invalid input; `field` names it", "Problem"};
    r[401] = {"Not signed in", "Problem"};
    r[403] = {"This role may not query the link graph", "Problem"};
    return r;
  };
  // Runs one query: checks the role, the window and as_of, answers on the live graph or on
  // the graph as known at as_of, and ledgers the consultation (noting as_of).
  using Query = std::function<core::Result<json>(Context&, network::Analytics&,
                                                 const network::Scope&, json&)>;
  auto handle = [this](std::string name, Query query) {
    return [this, name = std::move(name), query = std::move(query)](Context& ctx) {
      auto viewer = viewer_of(services_.store, services_.clock, *ctx.principal);
      if (auto st = network::require_query(viewer); !st.ok()) return error_response(st.error());
      auto since = query_param(ctx.request, "since"), until = query_param(ctx.request, "until");
      auto window = network::parse_window(since, until, "since", "until");
      if (!window.ok()) return error_response(window.error());
      auto as_of = as_of_param(ctx.request, services_.clock);
      if (!as_of.ok()) return error_response(as_of.error());
      json params = {{"since", since.value_or("")}, {"until", until.value_or("")}};
      core::Result<json> report = core::internal("unreachable");
      if (*as_of) {
        auto past = past_graph(services_, **as_of);
        if (!past.ok()) return error_response(past.error());
        params["as_of"] = core::format_rfc3339(**as_of);
        auto scope = network::scope_for(*past->graph, viewer, *window);
        report = query(ctx, *past->analytics, scope, params);
        if (report.ok()) (*report)["as_of"] = params["as_of"];
      } else {
        auto scope = network::scope_for(*services_.network, viewer, *window);
        report = query(ctx, *analytics_, scope, params);
      }
      if (!report.ok()) return error_response(report.error());
      if (auto st = network::record_consultation(services_.store, services_.ledger, viewer, name,
                                                 params, network::evidence_records(*report));
          !st.ok()) {
        return error_response(st.error());
      }
      return json_response(200, *report);
    };
  };
  auto limited = [](Context& ctx, json& params) -> core::Result<int> {
    auto limit = SG_TRY(int_param(ctx.request, "limit", 20, 1, 1000));
    params["limit"] = limit;
    return limit;
  };

  router_.add({.method = "GET",
               .path = "/api/v1/network/communities",
               .operation_id = "networkCommunities",
               .summary = "Groups (Leiden, modularity) ranked by the distinct children they "
                          "touch: ?since=&until= (YYYY-MM-DD), &limit=1..1000, &members=1..1000",
               .tag = "network",
               .responses = responses("Groups"),
               .handler = handle(
                   "communities",
                   [limited](Context& ctx, network::Analytics& analytics,
                             const network::Scope& scope, json& params) -> core::Result<json> {
                     auto limit = SG_TRY(limited(ctx, params));
                     auto members = SG_TRY(int_param(ctx.request, "members", 25, 1, 1000));
                     return analytics.communities(scope, limit, members);
                   })});
  router_.add({.method = "GET",
               .path = "/api/v1/network/key-players",
               .operation_id = "networkKeyPlayers",
               .summary = "Suspects ranked by degree, betweenness, PageRank and coreness: "
                          "?since=&until=&limit=",
               .tag = "network",
               .responses = responses("Key players"),
               .handler = handle(
                   "key_players",
                   [limited](Context& ctx, network::Analytics& analytics,
                             const network::Scope& scope, json& params) -> core::Result<json> {
                     return analytics.key_players(scope, SG_TRY(limited(ctx, params)));
                   })});
  router_.add({.method = "GET",
               .path = "/api/v1/network/hot-spots",
               .operation_id = "networkHotSpots",
               .summary = "Places, vehicles and phones linked to the most distinct children: "
                          "?since=&until=&limit=",
               .tag = "network",
               .responses = responses("Hot spots"),
               .handler = handle(
                   "hot_spots",
                   [limited](Context& ctx, network::Analytics& analytics,
                             const network::Scope& scope, json& params) -> core::Result<json> {
                     return analytics.hot_spots(scope, SG_TRY(limited(ctx, params)));
                   })});
  auto with_404 = [&](std::string ok) {
    auto r = responses(std::move(ok));
    r[404] = {"No such entity (or one the caller may not see)", "Problem"};
    return r;
  };
  router_.add(
      {.method = "GET",
       .path = "/api/v1/network/path",
       .operation_id = "networkPath",
       .summary = "The shortest path between two entities with the evidence behind each "
                  "link: ?from=<entity id>&to=<entity id>&since=&until=",
       .tag = "network",
       .responses = with_404("The path"),
       .handler = handle("path",
                         [](Context& ctx, network::Analytics& analytics,
                            const network::Scope& scope, json& params) -> core::Result<json> {
                           auto from = query_param(ctx.request, "from");
                           auto to = query_param(ctx.request, "to");
                           if (!from) return core::invalid_argument("is required", "from");
                           if (!to) return core::invalid_argument("is required", "to");
                           params["from"] = *from;
                           params["to"] = *to;
                           return analytics.path(scope, *from, *to);
                         })});
  router_.add(
      {.method = "GET",
       .path = "/api/v1/network/neighbourhood",
       .operation_id = "networkNeighbourhood",
       .summary = "The children within k links of an entity, with the evidence: "
                  "?entity=<id>&k=1..4 (default 2)&since=&until=; &as_of=RFC3339 answers on the "
                  "graph as known then (concerns recorded by then, as they stood then)",
       .tag = "network",
       .responses = with_404("The children nearby"),
       .handler = handle("neighbourhood",
                         [](Context& ctx, network::Analytics& analytics,
                            const network::Scope& scope, json& params) -> core::Result<json> {
                           auto entity = query_param(ctx.request, "entity");
                           if (!entity) return core::invalid_argument("is required", "entity");
                           auto k = SG_TRY(
                               int_param(ctx.request, "k", 2, 1, network::Analytics::kMaxHops));
                           params["entity"] = *entity;
                           params["k"] = k;
                           return analytics.neighbourhood(scope, *entity, k);
                         })});
  router_.add(
      {.method = "GET",
       .path = "/api/v1/network/entities/{id}",
       .operation_id = "networkEntity",
       .summary = "One entity with its links and their evidence: ?since=&until=&as_of=",
       .tag = "network",
       .responses = with_404("The entity"),
       .handler = handle("entity",
                         [](Context& ctx, network::Analytics& analytics,
                            const network::Scope& scope, json& params) -> core::Result<json> {
                           const auto& id = ctx.params.at("id");
                           params["id"] = id;
                           return analytics.entity(scope, id);
                         })});
  router_.add(
      {.method = "GET",
       .path = "/api/v1/network/export",
       .operation_id = "networkExport",
       .summary = "The graph for analysts' tools: ?format=graphml|ftm|i2 (i2: &part=entities|"
                  "links), &since=&until=, &as_of=RFC3339 (the graph as known then)",
       .tag = "network",
       .responses = {{200, {"GraphML, FollowTheMoney JSON lines or i2 CSV", std::nullopt}},
                     {400, {"Invalid input; `field` names it", "Problem"}},
                     {401, {"Not signed in", "Problem"}},
                     {403, {"This role may not query the link graph", "Problem"}}},
       .handler = [this](Context& ctx) {
         auto viewer = viewer_of(services_.store, services_.clock, *ctx.principal);
         if (auto st = network::require_query(viewer); !st.ok()) return error_response(st.error());
         auto since = query_param(ctx.request, "since"), until = query_param(ctx.request, "until");
         auto window = network::parse_window(since, until, "since", "until");
         if (!window.ok()) return error_response(window.error());
         auto format = network::parse_export_format(query_param(ctx.request, "format").value_or(""),
                                                    "format");
         if (!format.ok()) return error_response(format.error());
         auto part = query_param(ctx.request, "part").value_or("entities");
         if (*format == network::ExportFormat::kI2 && part != "entities" && part != "links") {
           return error_response(core::invalid_argument("must be entities or links", "part"));
         }
         auto as_of = as_of_param(ctx.request, services_.clock);
         if (!as_of.ok()) return error_response(as_of.error());
         json params = {{"format", query_param(ctx.request, "format").value_or("")},
                        {"part", part},
                        {"since", since.value_or("")},
                        {"until", until.value_or("")}};
         core::Result<PastGraph> past = PastGraph{};
         if (*as_of) {
           past = past_graph(services_, **as_of);
           if (!past.ok()) return error_response(past.error());
           params["as_of"] = core::format_rfc3339(**as_of);
         }
         auto& analytics = *as_of ? *past->analytics : *analytics_;
         const auto& graph = *as_of ? *past->graph : *services_.network;
         auto scope = network::scope_for(graph, viewer, *window);
         std::ostringstream out, other;
         network::ExportSummary summary;
         Response r;
         if (*format == network::ExportFormat::kGraphMl) {
           summary = network::write_graphml(analytics, graph, scope, out);
           r.set_header("Content-Type", "application/graphml+xml");
         } else if (*format == network::ExportFormat::kFtm) {
           summary = network::write_ftm(analytics, graph, scope, out);
           r.set_header("Content-Type", "application/x-ndjson");
         } else {
           summary = part == "links" ? network::write_i2(analytics, graph, scope, other, out)
                                     : network::write_i2(analytics, graph, scope, out, other);
           r.set_header("Content-Type", "text/csv; charset=utf-8");
         }
         if (auto st = network::record_consultation(services_.store, services_.ledger, viewer,
                                                    "export", params, summary.record_ids);
             !st.ok()) {
           return error_response(st.error());
         }
         r.set_header("Content-Disposition", "attachment");
         r.body = out.str();
         return r;
       }});
}

}  // namespace sg::api
