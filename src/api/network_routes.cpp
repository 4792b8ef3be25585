// The link-analysis API (issue 7): groups, key players, hot spots, evidence paths,
// neighbourhoods, one entity, and exports, under /api/v1/network. Each query draws only on
// records the caller may see (network/access.h) and is one ledger consultation.
#include <sstream>

#include "api/app.h"
#include "api/errors.h"
#include "api/json_io.h"
#include "network/access.h"
#include "network/export.h"
#include "workflow/need_to_know.h"

namespace sg::api {
namespace {

using nlohmann::json;

// The viewer, with the agencies whose concerns the access policy lets them see today.
network::Viewer viewer_of(storage::Store& store, const core::Clock& clock,
                          const access::Principal& p) {
  network::Viewer viewer{p.user.id, p.user.role, p.user.agency_id, std::set<std::string>{}};
  auto tx = store.begin(storage::TxMode::kRead);
  if (!tx.ok()) return viewer;  // Sees nothing.
  auto need = workflow::NeedToKnow::load(**tx, actor_of(p), clock.now());
  auto agencies = (*tx)->agencies();
  if (!need.ok() || !agencies.ok()) return viewer;
  for (const auto& a : *agencies) {
    if (need->may_see_agency(a.id, domain::Category::kConcerns)) viewer.agencies->insert(a.id);
  }
  return viewer;
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
  // Runs one query: checks the role and the window, answers, and ledgers the consultation.
  using Query = std::function<core::Result<json>(Context&, const network::Scope&, json&)>;
  auto handle = [this](std::string name, Query query) {
    return [this, name = std::move(name), query = std::move(query)](Context& ctx) {
      auto viewer = viewer_of(services_.store, services_.clock, *ctx.principal);
      if (auto st = network::require_query(viewer); !st.ok()) return error_response(st.error());
      auto since = query_param(ctx.request, "since"), until = query_param(ctx.request, "until");
      auto window = network::parse_window(since, until, "since", "until");
      if (!window.ok()) return error_response(window.error());
      auto scope = network::scope_for(*services_.network, viewer, *window);
      json params = {{"since", since.value_or("")}, {"until", until.value_or("")}};
      auto report = query(ctx, scope, params);
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
               .handler = handle("communities",
                                 [this, limited](Context& ctx, const network::Scope& scope,
                                                 json& params) -> core::Result<json> {
                                   auto limit = SG_TRY(limited(ctx, params));
                                   auto members =
                                       SG_TRY(int_param(ctx.request, "members", 25, 1, 1000));
                                   return analytics_->communities(scope, limit, members);
                                 })});
  router_.add({.method = "GET",
               .path = "/api/v1/network/key-players",
               .operation_id = "networkKeyPlayers",
               .summary = "Suspects ranked by degree, betweenness, PageRank and coreness: "
                          "?since=&until=&limit=",
               .tag = "network",
               .responses = responses("Key players"),
               .handler = handle("key_players",
                                 [this, limited](Context& ctx, const network::Scope& scope,
                                                 json& params) -> core::Result<json> {
                                   return analytics_->key_players(scope,
                                                                  SG_TRY(limited(ctx, params)));
                                 })});
  router_.add({.method = "GET",
               .path = "/api/v1/network/hot-spots",
               .operation_id = "networkHotSpots",
               .summary = "Places, vehicles and phones linked to the most distinct children: "
                          "?since=&until=&limit=",
               .tag = "network",
               .responses = responses("Hot spots"),
               .handler = handle("hot_spots",
                                 [this, limited](Context& ctx, const network::Scope& scope,
                                                 json& params) -> core::Result<json> {
                                   return analytics_->hot_spots(scope,
                                                                SG_TRY(limited(ctx, params)));
                                 })});
  auto with_404 = [&](std::string ok) {
    auto r = responses(std::move(ok));
    r[404] = {"No such entity (or one the caller may not see)", "Problem"};
    return r;
  };
  router_.add({.method = "GET",
               .path = "/api/v1/network/path",
               .operation_id = "networkPath",
               .summary = "The shortest path between two entities with the evidence behind each "
                          "link: ?from=<entity id>&to=<entity id>&since=&until=",
               .tag = "network",
               .responses = with_404("The path"),
               .handler = handle("path",
                                 [this](Context& ctx, const network::Scope& scope,
                                        json& params) -> core::Result<json> {
                                   auto from = query_param(ctx.request, "from");
                                   auto to = query_param(ctx.request, "to");
                                   if (!from) return core::invalid_argument("is required", "from");
                                   if (!to) return core::invalid_argument("is required", "to");
                                   params["from"] = *from;
                                   params["to"] = *to;
                                   return analytics_->path(scope, *from, *to);
                                 })});
  router_.add(
      {.method = "GET",
       .path = "/api/v1/network/neighbourhood",
       .operation_id = "networkNeighbourhood",
       .summary = "The children within k links of an entity, with the evidence: "
                  "?entity=<id>&k=1..4 (default 2)&since=&until=",
       .tag = "network",
       .responses = with_404("The children nearby"),
       .handler = handle(
           "neighbourhood",
           [this](Context& ctx, const network::Scope& scope, json& params) -> core::Result<json> {
             auto entity = query_param(ctx.request, "entity");
             if (!entity) return core::invalid_argument("is required", "entity");
             auto k = SG_TRY(int_param(ctx.request, "k", 2, 1, network::Analytics::kMaxHops));
             params["entity"] = *entity;
             params["k"] = k;
             return analytics_->neighbourhood(scope, *entity, k);
           })});
  router_.add({.method = "GET",
               .path = "/api/v1/network/entities/{id}",
               .operation_id = "networkEntity",
               .summary = "One entity with its links and their evidence: ?since=&until=",
               .tag = "network",
               .responses = with_404("The entity"),
               .handler = handle("entity",
                                 [this](Context& ctx, const network::Scope& scope,
                                        json& params) -> core::Result<json> {
                                   const auto& id = ctx.params.at("id");
                                   params["id"] = id;
                                   return analytics_->entity(scope, id);
                                 })});
  router_.add(
      {.method = "GET",
       .path = "/api/v1/network/export",
       .operation_id = "networkExport",
       .summary = "The graph for analysts' tools: ?format=graphml|ftm|i2 (i2: &part=entities|"
                  "links), &since=&until=",
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
         auto scope = network::scope_for(*services_.network, viewer, *window);
         std::ostringstream out, other;
         network::ExportSummary summary;
         Response r;
         if (*format == network::ExportFormat::kGraphMl) {
           summary = network::write_graphml(*analytics_, *services_.network, scope, out);
           r.set_header("Content-Type", "application/graphml+xml");
         } else if (*format == network::ExportFormat::kFtm) {
           summary = network::write_ftm(*analytics_, *services_.network, scope, out);
           r.set_header("Content-Type", "application/x-ndjson");
         } else {
           summary = part == "links"
                         ? network::write_i2(*analytics_, *services_.network, scope, other, out)
                         : network::write_i2(*analytics_, *services_.network, scope, out, other);
           r.set_header("Content-Type", "text/csv; charset=utf-8");
         }
         json params = {{"format", query_param(ctx.request, "format").value_or("")},
                        {"part", part},
                        {"since", since.value_or("")},
                        {"until", until.value_or("")}};
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
