#include "network/analytics.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <numeric>
#include <set>

#include "network/suspect_groups.h"

namespace sg::network {
namespace {

using nlohmann::json;

constexpr std::uint32_t kAbsent = std::numeric_limits<std::uint32_t>::max();

// Noisy-or: independent pieces of evidence each make the link likelier.
double combined_weight(double current, double add) { return 1.0 - (1.0 - current) * (1.0 - add); }

json roles_json(const Entity& e, const Scope& scope) {
  std::set<std::string> roles;
  for (const auto& m : e.mentions) {
    if (!m.role.empty() && scope.admits(m)) roles.insert(m.role);
  }
  return roles;
}

// The graph's version counts every change, whoever recorded it: only a viewer who sees
// everything (the system) is told it; for anyone else it would count records hidden from them.
json version_shown(const GraphData& data, const Scope& scope) {
  if (scope.all_agencies && !scope.remit) return data.version;
  return nullptr;
}

}  // namespace

json entity_summary(const Entity& e, const Scope& scope) {
  json out = {
      {"id", e.id}, {"kind", entity_kind_name(e.kind)}, {"label", e.label}, {"detail", e.detail}};
  if (e.kind == EntityKind::kPerson) {
    out["roles"] = roles_json(e, scope);
    out["record_ids"] = admitted_record_ids(e, scope);
  }
  if (e.kind == EntityKind::kLocation) out["postcode"] = e.postcode;
  return out;
}

json evidence_json(const Link& link, const Scope& scope) {
  std::vector<const Evidence*> admitted;
  for (const auto& ev : link.evidence) {
    if (scope.admits(ev)) admitted.push_back(&ev);
  }
  std::stable_sort(admitted.begin(), admitted.end(),
                   [](const Evidence* a, const Evidence* b) { return a->date < b->date; });
  json out = json::array();
  for (const auto* ev : admitted) {
    out.push_back({{"concern_id", ev->concern_id},
                   {"type", ev->type},
                   {"date", ev->date.iso()},
                   {"confidence", confidence_name(ev->confidence)}});
  }
  return out;
}

namespace {

// Evidence that a suspect uses an object or place (their side of an exploitation path).
bool uses(std::string_view type, const Entity& other) {
  return type == "suspect_uses_phone" || type == "person_drives_vehicle" ||
         type == "person_uses_account" || type == "person_lives_at" ||
         (type == "person_frequents_place" && is_exploitation_venue(other));
}

// Evidence that a child was in contact with an object or place.
bool contacts(std::string_view type, const Entity& place) {
  return type == "child_seen_in_vehicle" || type == "child_contacted_by_phone" ||
         type == "child_contacted_by_account" || type == "child_found_at_location" ||
         (type == "person_frequents_place" && is_exploitation_venue(place));
}

bool with_child(std::string_view type) {
  return type == "child_seen_with_person" || type == "child_associates_with_person";
}

}  // namespace

bool is_exploitation_venue(const Entity& e) {
  // The places the Jay report (2014) found children were exploited through.
  return e.kind == EntityKind::kLocation && (e.detail == "takeaway" || e.detail == "taxi_firm" ||
                                             e.detail == "hotel" || e.detail == "private_address");
}

std::vector<std::uint32_t> exploitation_children(const GraphData& data, const Snapshot& snap,
                                                 const Scope& scope, std::uint32_t suspect) {
  const auto& vs = snap.vertices();
  const auto& person = data.entities[vs[suspect].entity];
  std::set<std::string_view> as_suspect;  // Concerns naming them as suspect or associate.
  for (const auto& m : person.mentions) {
    if ((m.role == "suspect" || m.role == "associate") && scope.admits(m)) {
      as_suspect.insert(m.concern_id);
    }
  }
  auto any = [&](const Link& link, bool suspect_side, auto&& accept) {
    for (const auto& ev : link.evidence) {
      if (!scope.admits(ev)) continue;
      if (suspect_side && !as_suspect.contains(ev.concern_id)) continue;
      if (accept(ev.type)) return true;
    }
    return false;
  };
  std::vector<std::uint32_t> children;
  for (const auto& n : snap.neighbours(suspect)) {
    const auto& link = data.links[snap.edges()[n.edge].link];
    const auto& other = data.entities[vs[n.vertex].entity];
    if (vs[n.vertex].child) {
      if (any(link, true, with_child)) children.push_back(n.vertex);
      continue;
    }
    if (other.kind == EntityKind::kPerson) continue;
    if (!any(link, true, [&](std::string_view t) { return uses(t, other); })) continue;
    for (const auto& m : snap.neighbours(n.vertex)) {
      if (m.vertex == suspect || !vs[m.vertex].child) continue;
      const auto& contact = data.links[snap.edges()[m.edge].link];
      if (any(contact, false, [&](std::string_view t) { return contacts(t, other); })) {
        children.push_back(m.vertex);
      }
    }
  }
  std::sort(children.begin(), children.end());
  children.erase(std::unique(children.begin(), children.end()), children.end());
  return children;
}

// ---- Snapshot ----

Snapshot::~Snapshot() = default;

std::shared_ptr<const Snapshot> Snapshot::build(const GraphData& data, const Scope& scope,
                                                const AnalyticsOptions& options) {
  std::shared_ptr<Snapshot> s(new Snapshot());
  s->options_ = options;
  s->entity_to_vertex_.assign(data.entities.size(), kAbsent);
  for (std::uint32_t i = 0; i < data.entities.size(); ++i) {
    const auto& e = data.entities[i];
    bool admitted = false;
    for (const auto& m : e.mentions) {
      if (scope.admits(m)) {
        admitted = true;
        break;
      }
    }
    if (!admitted) continue;
    s->entity_to_vertex_[i] = static_cast<std::uint32_t>(s->vertices_.size());
    s->vertices_.push_back({i, e.kind, is_child(e, scope), is_suspect(e, scope)});
  }
  for (std::uint32_t l = 0; l < data.links.size(); ++l) {
    const auto& link = data.links[l];
    auto u = s->entity_to_vertex_[link.a], v = s->entity_to_vertex_[link.b];
    if (u == kAbsent || v == kAbsent) continue;
    double weight = 0;
    for (const auto& ev : link.evidence) {
      if (scope.admits(ev)) {
        weight = combined_weight(weight, confidence_weight(ev.confidence));
      }
    }
    if (weight > 0) s->edges_.push_back({u, v, l, weight});
  }
  s->index();
  return s;
}

std::shared_ptr<const Snapshot> Snapshot::from_parts(std::vector<Vertex> vertices,
                                                     std::vector<Edge> edges,
                                                     const AnalyticsOptions& options) {
  std::shared_ptr<Snapshot> s(new Snapshot());
  s->options_ = options;
  s->vertices_ = std::move(vertices);
  s->edges_ = std::move(edges);
  std::uint32_t max_entity = 0;
  for (const auto& v : s->vertices_) max_entity = std::max(max_entity, v.entity + 1);
  s->entity_to_vertex_.assign(max_entity, kAbsent);
  for (std::uint32_t i = 0; i < s->vertices_.size(); ++i) {
    s->entity_to_vertex_[s->vertices_[i].entity] = i;
  }
  s->index();
  return s;
}

void Snapshot::index() {
  offsets_.assign(vertices_.size() + 1, 0);
  for (const auto& e : edges_) {
    ++offsets_[e.u + 1];
    ++offsets_[e.v + 1];
  }
  for (std::size_t i = 1; i < offsets_.size(); ++i) offsets_[i] += offsets_[i - 1];
  adjacency_.resize(edges_.size() * 2);
  std::vector<std::uint32_t> fill(offsets_.begin(), offsets_.end() - 1);
  for (std::uint32_t i = 0; i < edges_.size(); ++i) {
    adjacency_[fill[edges_[i].u]++] = {edges_[i].v, i};
    adjacency_[fill[edges_[i].v]++] = {edges_[i].u, i};
  }
}

std::span<const Snapshot::Neighbour> Snapshot::neighbours(std::uint32_t v) const {
  return {adjacency_.data() + offsets_[v], adjacency_.data() + offsets_[v + 1]};
}

std::optional<std::uint32_t> Snapshot::vertex_of(std::uint32_t entity) const {
  if (entity >= entity_to_vertex_.size() || entity_to_vertex_[entity] == kAbsent) {
    return std::nullopt;
  }
  return entity_to_vertex_[entity];
}

void Snapshot::bfs(std::uint32_t source, int max_hops, std::vector<int>& distance,
                   std::vector<std::int64_t>& parent_edge) const {
  // Sparse reset: only the vertices reached are written, so a 2-hop query on a large
  // graph costs the neighbourhood, not the graph (beyond the two allocations).
  distance.assign(vertices_.size(), -1);
  parent_edge.assign(vertices_.size(), -1);
  std::deque<std::uint32_t> queue{source};
  distance[source] = 0;
  while (!queue.empty()) {
    auto u = queue.front();
    queue.pop_front();
    if (max_hops >= 0 && distance[u] >= max_hops) continue;
    for (const auto& n : neighbours(u)) {
      if (distance[n.vertex] != -1) continue;
      distance[n.vertex] = distance[u] + 1;
      parent_edge[n.vertex] = n.edge;
      queue.push_back(n.vertex);
    }
  }
}

Adjacency Snapshot::weighted_adjacency() const {
  Adjacency g;
  g.offsets = offsets_;
  g.targets.resize(adjacency_.size());
  g.weights.resize(adjacency_.size());
  for (std::size_t i = 0; i < adjacency_.size(); ++i) {
    g.targets[i] = adjacency_[i].vertex;
    g.weights[i] = static_cast<float>(edges_[adjacency_[i].edge].weight);
  }
  return g;
}

core::Result<std::vector<std::int64_t>> Snapshot::communities() const {
  std::lock_guard lock(mu_);
  if (communities_) return *communities_;
  // Leiden optimising modularity with edge weights (algorithms.h). igraph 0.10's
  // igraph_community_leiden gives the same modularity but took 30 s of CPU for one pass on
  // a 1M-vertex, 5M-edge graph, against 5–10 s here (docs/network.md, "Scale").
  int iterations =
      vertices_.size() <= options_.leiden_until_stable_limit ? -1 : options_.large_iterations;
  auto membership =
      leiden_modularity(weighted_adjacency(), {.seed = options_.seed, .iterations = iterations});
  communities_ = std::vector<std::int64_t>(membership.begin(), membership.end());
  return *communities_;
}

core::Result<Centrality> Snapshot::centrality() const {
  std::lock_guard lock(mu_);
  if (centrality_) return *centrality_;
  auto compute = [&]() -> core::Result<Centrality> {
    Centrality c;
    auto n = vertices_.size();
    c.degree.resize(n);
    for (std::uint32_t v = 0; v < n; ++v) c.degree[v] = static_cast<double>(neighbours(v).size());
    c.betweenness.assign(n, 0);
    c.pagerank.assign(n, 0);
    c.coreness.assign(n, 0);
    if (edges_.empty()) return c;
    auto adjacency = weighted_adjacency();
    std::vector<std::uint32_t> sources;
    if (n <= options_.exact_betweenness_limit) {
      sources = sample_vertices(static_cast<std::uint32_t>(n), static_cast<std::uint32_t>(n), 0);
    } else {
      auto k = std::max<std::size_t>(
          options_.betweenness_min_sources,
          static_cast<std::size_t>(options_.betweenness_work / (2.0 * edges_.size())));
      sources = sample_vertices(static_cast<std::uint32_t>(n),
                                static_cast<std::uint32_t>(std::min(k, n)), options_.seed);
    }
    c.betweenness = betweenness_from_sources(adjacency, sources, options_.threads);
    c.betweenness_sources = sources.size();
    c.betweenness_exact = sources.size() == n;
    if (!c.betweenness_exact) {
      double scale = static_cast<double>(n) / static_cast<double>(sources.size());
      for (auto& b : c.betweenness) b *= scale;
    }
    c.pagerank = pagerank(adjacency, 0.85, options_.threads);
    auto cores = coreness(adjacency);
    c.coreness.assign(cores.begin(), cores.end());
    return c;
  };
  centrality_ = compute();
  return *centrality_;
}

// ---- Analytics ----

Analytics::Analytics(const LinkGraph& graph, AnalyticsOptions options)
    : graph_(graph), options_(options) {}

std::shared_ptr<const Snapshot> Analytics::snapshot(const Scope& scope) {
  auto version = graph_.version();
  {
    std::lock_guard lock(cache_mu_);
    for (auto it = cache_.begin(); it != cache_.end(); ++it) {
      if (it->version == version && it->scope.window == scope.window &&
          it->scope.all_agencies == scope.all_agencies && it->scope.agencies == scope.agencies &&
          it->scope.remit == scope.remit) {
        cache_.splice(cache_.begin(), cache_, it);
        return cache_.front().snapshot;
      }
    }
  }
  std::uint64_t built_version = 0;
  auto snap = graph_.read([&](const GraphData& data) {
    built_version = data.version;
    return Snapshot::build(data, scope, options_);
  });
  std::lock_guard lock(cache_mu_);
  cache_.push_front({built_version, scope, snap});
  // Older versions are never asked for again.
  cache_.remove_if([&](const Cached& c) { return c.version < built_version; });
  while (cache_.size() > options_.cached_snapshots) cache_.pop_back();
  return snap;
}

core::Result<std::uint32_t> Analytics::find(const GraphData& data, const Snapshot& snap,
                                            std::string_view id, std::string_view field) const {
  // One answer for unknown, out-of-window and hidden entities alike.
  auto not_found = [&] {
    auto e = core::not_found("no such entity");
    e.field = std::string(field);
    return e;
  };
  auto it = data.by_id.find(std::string(id));
  if (it == data.by_id.end()) return not_found();
  auto v = snap.vertex_of(it->second);
  if (!v) return not_found();
  return *v;
}

core::Result<json> Analytics::communities(const Scope& scope, std::size_t limit,
                                          std::size_t members) {
  auto snap = snapshot(scope);
  auto membership = SG_TRY(snap->communities());
  struct Group {
    std::int64_t id;
    std::vector<std::uint32_t> vertices;
    std::size_t children = 0, suspects = 0;
  };
  std::map<std::int64_t, Group> groups;
  const auto& vs = snap->vertices();
  for (std::uint32_t v = 0; v < vs.size(); ++v) {
    auto& g = groups[membership[v]];
    g.id = membership[v];
    g.vertices.push_back(v);
    g.children += vs[v].child ? 1 : 0;
    g.suspects += vs[v].suspect ? 1 : 0;
  }
  std::vector<Group*> ranked;
  for (auto& [id, g] : groups) {
    if (g.vertices.size() >= 2) ranked.push_back(&g);
  }
  std::sort(ranked.begin(), ranked.end(), [](const Group* a, const Group* b) {
    if (a->children != b->children) return a->children > b->children;
    if (a->vertices.size() != b->vertices.size()) return a->vertices.size() > b->vertices.size();
    return a->id < b->id;
  });
  return graph_.read([&](const GraphData& data) {
    json out = json::array();
    for (std::size_t r = 0; r < ranked.size() && r < limit; ++r) {
      const auto& g = *ranked[r];
      // Children first, then suspects, then the rest, so a truncated list shows who matters.
      auto order = g.vertices;
      std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        auto rank = [&](std::uint32_t v) { return vs[v].child ? 0 : vs[v].suspect ? 1 : 2; };
        return rank(a) < rank(b);
      });
      json list = json::array();
      for (std::size_t i = 0; i < order.size() && i < members; ++i) {
        list.push_back(entity_summary(data.entities[vs[order[i]].entity], scope));
      }
      out.push_back({{"rank", r + 1},
                     {"size", g.vertices.size()},
                     {"children", g.children},
                     {"suspects", g.suspects},
                     {"members", list},
                     {"members_truncated", order.size() > members}});
    }
    return json{{"algorithm", "leiden_modularity"},
                {"seed", options_.seed},
                {"graph_version", version_shown(data, scope)},
                {"entities", vs.size()},
                {"links", snap->edges().size()},
                {"groups", ranked.size()},
                {"communities", out}};
  });
}

OffenderProjection offender_projection(std::span<const std::vector<std::uint32_t>> children_of,
                                       const AnalyticsOptions& options) {
  auto n = static_cast<std::uint32_t>(children_of.size());
  OffenderProjection out;
  out.co_offenders.assign(n, 0);
  out.brokerage.assign(n, 0);
  std::map<std::uint32_t, std::vector<std::uint32_t>> players_of;  // Child → players, ascending.
  for (std::uint32_t p = 0; p < n; ++p) {
    for (auto child : children_of[p]) players_of[child].push_back(p);
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (const auto& [child, players] : players_of) {
    for (std::size_t a = 0; a < players.size(); ++a) {
      for (std::size_t b = a + 1; b < players.size(); ++b)
        pairs.emplace_back(players[a], players[b]);
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  if (pairs.empty()) return out;
  std::vector<double> weights(pairs.size(), 1.0);
  auto graph = Adjacency::from_edges(n, pairs, weights);
  std::vector<std::uint32_t> sources;
  for (std::uint32_t p = 0; p < n; ++p) {
    out.co_offenders[p] = graph.offsets[p + 1] - graph.offsets[p];
    if (out.co_offenders[p] > 0) sources.push_back(p);
  }
  // Exact on the players who share a child with another; above the exact limit, sampled and
  // scaled as the snapshot's betweenness is.
  double scale = 1.0;
  if (sources.size() > options.exact_betweenness_limit) {
    auto k = std::max<std::size_t>(
        options.betweenness_min_sources,
        static_cast<std::size_t>(options.betweenness_work / (2.0 * pairs.size())));
    k = std::min(k, sources.size());
    auto picked = sample_vertices(static_cast<std::uint32_t>(sources.size()),
                                  static_cast<std::uint32_t>(k), options.seed);
    scale = static_cast<double>(sources.size()) / static_cast<double>(k);
    std::vector<std::uint32_t> sampled;
    for (auto i : picked) sampled.push_back(sources[i]);
    sources = std::move(sampled);
  }
  out.brokerage = betweenness_from_sources(graph, sources, options.threads);
  for (auto& b : out.brokerage) b *= scale;
  return out;
}

core::Result<json> Analytics::key_players(const Scope& scope, std::size_t limit) {
  auto snap = snapshot(scope);
  auto c = SG_TRY(snap->centrality());
  const auto& vs = snap->vertices();
  return graph_.read([&](const GraphData& data) -> core::Result<json> {
    // Players are groups of suspect nodes that are possibly one person (suspect_groups.h),
    // or single suspects when grouping is off.
    SuspectGrouping grouping;
    if (options_.group_possible_same_suspects) {
      grouping = group_possible_same_suspects(data, *snap, scope);
    } else {
      grouping.group_of.assign(vs.size(), kNoVertex);
      for (std::uint32_t v = 0; v < vs.size(); ++v) {
        if (!vs[v].suspect) continue;
        grouping.group_of[v] = static_cast<std::uint32_t>(grouping.groups.size());
        grouping.groups.push_back({{{v, kNoVertex, 1.0, {}}}});
      }
    }
    const auto& groups = grouping.groups;
    const auto& group_of = grouping.group_of;
    // The measures of a group, as if its members were one node: the distinct children its
    // members reach through exploitation evidence; the distinct other suspects (groups) and
    // the distinct other entities linked to any member; betweenness and PageRank summed
    // (PageRank is additive when nodes merge; betweenness approximately); the highest
    // coreness. Suspect ties are the people an organiser works through. Then, from the
    // offender projection (offender_projection), the co-offenders sharing a child with the
    // group and its brokerage between them.
    constexpr std::size_t kMeasures = 8;
    static constexpr const char* kNames[kMeasures] = {
        "exploitation_children", "suspect_ties", "degree", "betweenness", "pagerank", "coreness",
        "co_offenders",          "brokerage"};
    constexpr std::size_t kCoOffenders = 6, kBrokerage = 7;
    std::vector<std::array<double, kMeasures>> value(groups.size());
    std::array<double, kMeasures> max{};
    std::vector<std::uint32_t> representative(groups.size());
    std::vector<std::vector<std::uint32_t>> children_of(groups.size());
    for (std::size_t g = 0; g < groups.size(); ++g) {
      std::set<std::uint32_t> children, ties, neighbours;
      double betweenness = 0, pagerank = 0, coreness = 0, best = -1;
      for (const auto& m : groups[g].members) {
        auto v = m.vertex;
        auto reached = exploitation_children(data, *snap, scope, v);
        children.insert(reached.begin(), reached.end());
        for (const auto& n : snap->neighbours(v)) {
          auto other = group_of[n.vertex];
          if (other == g) continue;
          if (vs[n.vertex].suspect) {
            ties.insert(other);
            // A possible same person counts once among the neighbours too.
            neighbours.insert(static_cast<std::uint32_t>(vs.size()) + other);
          } else {
            neighbours.insert(n.vertex);
          }
        }
        betweenness += c.betweenness[v];
        pagerank += c.pagerank[v];
        coreness = std::max(coreness, c.coreness[v]);
        // The member standing for the group: the most evidence, then the most links.
        double weight = static_cast<double>(reached.size()) * 1e6 + c.degree[v];
        if (weight > best) {
          best = weight;
          representative[g] = v;
        }
      }
      children_of[g].assign(children.begin(), children.end());
      value[g] = {static_cast<double>(children.size()),
                  static_cast<double>(ties.size()),
                  static_cast<double>(neighbours.size()),
                  betweenness,
                  pagerank,
                  coreness,
                  0,
                  0};
    }
    auto projection = offender_projection(children_of, options_);
    for (std::size_t g = 0; g < groups.size(); ++g) {
      value[g][kCoOffenders] = projection.co_offenders[g];
      value[g][kBrokerage] = projection.brokerage[g];
      for (std::size_t m = 0; m < kMeasures; ++m) max[m] = std::max(max[m], value[g][m]);
    }
    // Suspects with exploitation evidence against them come first (score above 0.5), then
    // the rest; within each, by position: the mean of suspect ties, degree, betweenness,
    // PageRank and coreness, each divided by its maximum over the suspects. A household
    // member central through co-occurrence alone thus ranks below anyone seen exploiting a
    // child, however central. Co-offenders and brokerage are shown, not scored: on the
    // synthetic town they did not set organisers apart from drivers (whose cars carry every
    // man's victims) and, scored, placed fewer organisers in the top 20 on held-out seeds
    // (docs/benchmarks.md).
    static constexpr std::size_t kPosition[] = {1, 2, 3, 4, 5};
    std::vector<double> score(groups.size());
    for (std::size_t i = 0; i < groups.size(); ++i) {
      double position = 0;
      for (auto m : kPosition) position += max[m] > 0 ? value[i][m] / max[m] : 0.0;
      score[i] = (value[i][0] > 0 ? 0.5 : 0.0) +
                 0.5 * position / static_cast<double>(std::size(kPosition));
    }
    // Each group's rank (1 = highest) on each measure, ties sharing the better rank.
    std::vector<std::array<std::size_t, kMeasures>> rank(groups.size());
    std::vector<std::size_t> order(groups.size());
    for (std::size_t m = 0; m < kMeasures; ++m) {
      std::iota(order.begin(), order.end(), std::size_t{0});
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return value[a][m] > value[b][m]; });
      for (std::size_t r = 0; r < order.size(); ++r) {
        bool tie = r > 0 && value[order[r]][m] == value[order[r - 1]][m];
        rank[order[r]][m] = tie ? rank[order[r - 1]][m] : r + 1;
      }
    }
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
    auto id_of = [&](std::uint32_t v) { return data.entities[vs[v].entity].id; };
    json out = json::array();
    for (std::size_t r = 0; r < order.size() && r < limit; ++r) {
      auto i = order[r];
      auto v = representative[i];
      json ranks = json::object(), because = json::array();
      for (std::size_t m = 0; m < kMeasures; ++m) {
        ranks[kNames[m]] = rank[i][m];
        if (value[i][m] > 0 && rank[i][m] <= limit) because.push_back(kNames[m]);
      }
      // The others, each with the member it shares context with, how sure and why: the
      // group's tree of links hung from the representative.
      auto members = groups[i].members;
      hang(members, v, kNoVertex);
      json same = json::array();
      for (const auto& m : members) {
        if (m.vertex == v) continue;
        same.push_back({{"entity", entity_summary(data.entities[vs[m.vertex].entity], scope)},
                        {"with", id_of(m.joined_with)},
                        {"confidence", m.confidence},
                        {"because", m.because}});
      }
      out.push_back({{"rank", r + 1},
                     {"entity", entity_summary(data.entities[vs[v].entity], scope)},
                     {"possible_same_person", same},
                     {"score", score[i]},
                     {"exploitation_children", value[i][0]},
                     {"suspect_ties", value[i][1]},
                     {"degree", value[i][2]},
                     {"betweenness", value[i][3]},
                     {"pagerank", value[i][4]},
                     {"coreness", value[i][5]},
                     {"co_offenders", value[i][kCoOffenders]},
                     {"brokerage", value[i][kBrokerage]},
                     {"measure_ranks", ranks},
                     {"top_in", because}});
    }
    return json{{"graph_version", version_shown(data, scope)},
                {"suspects", std::count_if(vs.begin(), vs.end(),
                                           [](const Snapshot::Vertex& x) { return x.suspect; })},
                {"players", groups.size()},
                {"betweenness", c.betweenness_exact ? json("exact")
                                                    : json("estimated from " +
                                                           std::to_string(c.betweenness_sources) +
                                                           " sampled sources")},
                {"score",
                 "0.5 when exploitation_children > 0, + 0.5 × mean(suspect_ties, degree, "
                 "betweenness, pagerank, coreness each / max)"},
                {"key_players", out}};
  });
}

core::Result<json> Analytics::hot_spots(const Scope& scope, std::size_t limit) {
  auto snap = snapshot(scope);
  const auto& vs = snap->vertices();
  struct Spot {
    std::uint32_t v;
    std::vector<std::uint32_t> children;
  };
  std::vector<Spot> spots;
  for (std::uint32_t v = 0; v < vs.size(); ++v) {
    auto kind = vs[v].kind;
    if (kind != EntityKind::kLocation && kind != EntityKind::kVehicle &&
        kind != EntityKind::kPhone) {
      continue;
    }
    Spot s{v, {}};
    for (const auto& n : snap->neighbours(v)) {
      if (vs[n.vertex].child) s.children.push_back(n.vertex);
    }
    if (!s.children.empty()) spots.push_back(std::move(s));
  }
  std::stable_sort(spots.begin(), spots.end(), [](const Spot& a, const Spot& b) {
    return a.children.size() > b.children.size();
  });
  return graph_.read([&](const GraphData& data) {
    json out = json::array();
    for (std::size_t r = 0; r < spots.size() && r < limit; ++r) {
      json children = json::array();
      for (auto c : spots[r].children) children.push_back(data.entities[vs[c].entity].id);
      out.push_back({{"rank", r + 1},
                     {"entity", entity_summary(data.entities[vs[spots[r].v].entity], scope)},
                     {"children", spots[r].children.size()},
                     {"child_ids", children}});
    }
    return json{{"graph_version", version_shown(data, scope)}, {"hot_spots", out}};
  });
}

core::Result<json> Analytics::path(const Scope& scope, std::string_view from, std::string_view to) {
  auto snap = snapshot(scope);
  return graph_.read([&](const GraphData& data) -> core::Result<json> {
    auto a = SG_TRY(find(data, *snap, from, "from"));
    auto b = SG_TRY(find(data, *snap, to, "to"));
    std::vector<int> distance;
    std::vector<std::int64_t> parent;
    snap->bfs(a, -1, distance, parent);
    json out = {{"from", data.entities[snap->vertices()[a].entity].id},
                {"to", data.entities[snap->vertices()[b].entity].id},
                {"found", distance[b] >= 0}};
    if (distance[b] < 0) return out;
    // Walk back from b to a along the BFS tree.
    std::vector<std::uint32_t> vertices{b};
    std::vector<std::uint32_t> edges;
    for (auto v = b; v != a;) {
      const auto& e = snap->edges()[parent[v]];
      edges.push_back(static_cast<std::uint32_t>(parent[v]));
      v = e.u == v ? e.v : e.u;
      vertices.push_back(v);
    }
    std::reverse(vertices.begin(), vertices.end());
    std::reverse(edges.begin(), edges.end());
    json steps = json::array(), links = json::array();
    for (auto v : vertices) {
      steps.push_back(entity_summary(data.entities[snap->vertices()[v].entity], scope));
    }
    for (std::size_t i = 0; i < edges.size(); ++i) {
      const auto& e = snap->edges()[edges[i]];
      links.push_back({{"from", steps[i]["id"]},
                       {"to", steps[i + 1]["id"]},
                       {"weight", e.weight},
                       {"evidence", evidence_json(data.links[e.link], scope)}});
    }
    out["length"] = edges.size();
    out["entities"] = steps;
    out["links"] = links;
    return out;
  });
}

core::Result<json> Analytics::neighbourhood(const Scope& scope, std::string_view entity, int k) {
  if (k < 1 || k > kMaxHops) {
    return core::invalid_argument("must be between 1 and " + std::to_string(kMaxHops), "k");
  }
  auto snap = snapshot(scope);
  return graph_.read([&](const GraphData& data) -> core::Result<json> {
    auto source = SG_TRY(find(data, *snap, entity, "entity"));
    std::vector<int> distance;
    std::vector<std::int64_t> parent;
    snap->bfs(source, k, distance, parent);
    const auto& vs = snap->vertices();
    std::vector<std::uint32_t> reached;
    for (std::uint32_t v = 0; v < vs.size(); ++v) {
      if (v != source && distance[v] > 0 && vs[v].child) reached.push_back(v);
    }
    std::stable_sort(reached.begin(), reached.end(),
                     [&](std::uint32_t x, std::uint32_t y) { return distance[x] < distance[y]; });
    json children = json::array();
    for (auto c : reached) {
      json via = json::array();
      for (auto v = c; v != source;) {
        const auto& e = snap->edges()[parent[v]];
        auto prev = e.u == v ? e.v : e.u;
        via.push_back({{"from", data.entities[vs[prev].entity].id},
                       {"to", data.entities[vs[v].entity].id},
                       {"evidence", evidence_json(data.links[e.link], scope)}});
        v = prev;
      }
      std::reverse(via.begin(), via.end());
      children.push_back({{"entity", entity_summary(data.entities[vs[c].entity], scope)},
                          {"distance", distance[c]},
                          {"path", via}});
    }
    return json{{"entity", entity_summary(data.entities[vs[source].entity], scope)},
                {"k", k},
                {"graph_version", version_shown(data, scope)},
                {"children", children}};
  });
}

core::Result<json> Analytics::entity(const Scope& scope, std::string_view id) {
  auto snap = snapshot(scope);
  return graph_.read([&](const GraphData& data) -> core::Result<json> {
    auto v = SG_TRY(find(data, *snap, id, "id"));
    const auto& vs = snap->vertices();
    json links = json::array();
    for (const auto& n : snap->neighbours(v)) {
      const auto& e = snap->edges()[n.edge];
      links.push_back({{"other", entity_summary(data.entities[vs[n.vertex].entity], scope)},
                       {"weight", e.weight},
                       {"evidence", evidence_json(data.links[e.link], scope)}});
    }
    return json{{"entity", entity_summary(data.entities[vs[v].entity], scope)},
                {"graph_version", version_shown(data, scope)},
                {"links", links}};
  });
}

}  // namespace sg::network
