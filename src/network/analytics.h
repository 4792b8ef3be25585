// Network analytics over the link graph: communities (Leiden, modularity), key players
// (exploitation evidence with degree, betweenness, PageRank, coreness), hot spots, evidence paths
// and the children within k hops. Every query runs on a snapshot of the graph as a scope admits it
// (time window and agencies); snapshots and their analytics are cached per graph version.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "network/algorithms.h"
#include "network/graph.h"

namespace sg::network {

// Analytics results per vertex of a snapshot.
struct Centrality {
  std::vector<double> degree;       // Distinct neighbours.
  std::vector<double> betweenness;  // Shortest paths through the vertex (unweighted).
  std::vector<double> pagerank;     // Weighted by link confidence, damping 0.85.
  std::vector<double> coreness;     // k-core number.
  bool betweenness_exact = true;    // False: estimated from `betweenness_sources` sources.
  std::size_t betweenness_sources = 0;
};

struct AnalyticsOptions {
  std::uint64_t seed = 1;  // Leiden's random order and the betweenness sample.
  // Exact betweenness (Brandes from every vertex) costs O(V·E). Above this many vertices it
  // is estimated from a seeded uniform sample of k source vertices, scaled by V/k (Brandes &
  // Pich 2007), with k = max(`betweenness_min_sources`, `betweenness_work` / (2·links)):
  // about `betweenness_work` link visits whatever the graph's size.
  std::size_t exact_betweenness_limit = 50000;
  std::size_t betweenness_min_sources = 16;
  double betweenness_work = 1e8;
  // Leiden passes: until stable up to `leiden_until_stable_limit` vertices; above it
  // `large_iterations` passes (one pass already gives well-connected communities; a second
  // raised modularity from 0.324 to 0.345 on a 1M-vertex random graph for 50% more time).
  std::size_t leiden_until_stable_limit = 200000;
  int large_iterations = 1;
  unsigned threads = 2;  // For betweenness and PageRank.
  // Key players: count suspect nodes that are possibly one person together
  // (suspect_groups.h), each player listing the others as "possible_same_person".
  bool group_possible_same_suspects = true;
  std::size_t cached_snapshots = 8;
};

// A frozen, filtered copy of the graph's structure: the entities and links a scope admits.
// Immutable once built, except for its lazily computed, internally locked analytics.
class Snapshot {
 public:
  struct Vertex {
    std::uint32_t entity = 0;  // Index into GraphData::entities.
    EntityKind kind = EntityKind::kPerson;
    bool child = false;
    bool suspect = false;
  };
  struct Edge {
    std::uint32_t u = 0, v = 0;  // Vertex indices.
    std::uint32_t link = 0;      // Index into GraphData::links.
    double weight = 0;           // Noisy-or of the admitted evidence's confidence weights.
  };
  struct Neighbour {
    std::uint32_t vertex;
    std::uint32_t edge;
  };

  // The part of `data` that `scope` admits: entities with an admitted mention, links with
  // admitted evidence between them. Roles (child, suspect) come from admitted mentions only.
  static std::shared_ptr<const Snapshot> build(const GraphData& data, const Scope& scope,
                                               const AnalyticsOptions& options);
  // A snapshot of given vertices and edges (benchmarks, tests).
  static std::shared_ptr<const Snapshot> from_parts(std::vector<Vertex> vertices,
                                                    std::vector<Edge> edges,
                                                    const AnalyticsOptions& options);

  const std::vector<Vertex>& vertices() const { return vertices_; }
  const std::vector<Edge>& edges() const { return edges_; }
  std::span<const Neighbour> neighbours(std::uint32_t v) const;
  // The vertex of entity index `entity`, if the scope admits it.
  std::optional<std::uint32_t> vertex_of(std::uint32_t entity) const;

  // Leiden communities optimising modularity: a community index per vertex. Computed once
  // per snapshot (algorithms.h).
  core::Result<std::vector<std::int64_t>> communities() const;
  // Degree, betweenness, PageRank and coreness of every vertex, computed once per snapshot
  // (algorithms.h). Betweenness is exact up to `exact_betweenness_limit` vertices, else
  // estimated from sampled sources.
  core::Result<Centrality> centrality() const;
  // BFS distances from `source`, up to `max_hops` (-1 beyond), with the BFS parent edge.
  void bfs(std::uint32_t source, int max_hops, std::vector<int>& distance,
           std::vector<std::int64_t>& parent_edge) const;

  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  ~Snapshot();

 private:
  Snapshot() = default;
  void index();
  // The snapshot's links as a weighted adjacency list (vertex indices as here).
  Adjacency weighted_adjacency() const;

  AnalyticsOptions options_;
  std::vector<Vertex> vertices_;
  std::vector<Edge> edges_;
  std::vector<std::uint32_t> offsets_;
  std::vector<Neighbour> adjacency_;
  std::vector<std::uint32_t> entity_to_vertex_;  // UINT32_MAX when absent.
  mutable std::mutex mu_;
  mutable std::optional<core::Result<std::vector<std::int64_t>>> communities_;
  mutable std::optional<core::Result<Centrality>> centrality_;
};

// The query service both front doors use. Reports are JSON documents; an entity id the
// scope does not admit — unknown, outside the window, or recorded only by agencies the
// caller may not see — is NotFound with the same message either way, so an answer never
// reveals that a hidden entity exists. Thread-safe.
class Analytics {
 public:
  // `graph` must outlive the service.
  explicit Analytics(const LinkGraph& graph, AnalyticsOptions options = {});

  // Groups ranked by the distinct children they touch; each lists up to `members` members.
  core::Result<nlohmann::json> communities(const Scope& scope, std::size_t limit,
                                           std::size_t members);
  // Suspects and associates ranked first by whether there is exploitation evidence against
  // them (exploitation_children > 0), then by position: the mean of their suspect ties
  // (distinct suspects linked), degree, betweenness, PageRank and coreness, each divided by
  // its maximum over the suspects. Each player lists its rank on every measure and the
  // measures on which it is within the top `limit`.
  core::Result<nlohmann::json> key_players(const Scope& scope, std::size_t limit);
  // Places, vehicles and phones ranked by the distinct children linked to them.
  core::Result<nlohmann::json> hot_spots(const Scope& scope, std::size_t limit);
  // The shortest path (fewest links) between two entities with the evidence behind each link.
  core::Result<nlohmann::json> path(const Scope& scope, std::string_view from, std::string_view to);
  // The children within `k` links of an entity, each with the path and its evidence.
  // InvalidArgument (field "k") unless 1 <= k <= kMaxHops.
  core::Result<nlohmann::json> neighbourhood(const Scope& scope, std::string_view entity, int k);
  // One entity with its links and their evidence.
  core::Result<nlohmann::json> entity(const Scope& scope, std::string_view id);

  // The snapshot for `scope`, built or taken from the cache.
  std::shared_ptr<const Snapshot> snapshot(const Scope& scope);

  static constexpr int kMaxHops = 4;

 private:
  core::Result<std::uint32_t> find(const GraphData& data, const Snapshot& snap, std::string_view id,
                                   std::string_view field) const;

  const LinkGraph& graph_;
  AnalyticsOptions options_;
  struct Cached {
    std::uint64_t version;
    Scope scope;
    std::shared_ptr<const Snapshot> snapshot;
  };
  std::mutex cache_mu_;
  std::list<Cached> cache_;  // Most recently used first.
};

// A short JSON summary of an entity as `scope` shows it: id, kind, label, detail and the
// roles from admitted mentions.
nlohmann::json entity_summary(const Entity& entity, const Scope& scope);
// The admitted evidence of a link, oldest first.
nlohmann::json evidence_json(const Link& link, const Scope& scope);

// True for a location of kind takeaway, taxi firm, hotel or private address.
bool is_exploitation_venue(const Entity& entity);

// The distinct children (vertices) that suspect vertex `suspect` reaches through
// exploitation-typed evidence the scope admits: a child seen with or associating with them;
// or a phone, vehicle, account or home they use (or a takeaway, taxi firm, hotel or private
// address they frequent) through which a child was seen, contacted, found or frequents. The
// suspect's side counts only from concerns naming them as suspect or associate, so links
// recorded about a relative in a domestic concern are not exploitation evidence; being named
// in the same concern (co-occurrence) and recorded addresses never count. Sorted.
std::vector<std::uint32_t> exploitation_children(const GraphData& data, const Snapshot& snap,
                                                 const Scope& scope, std::uint32_t suspect);

// The offender projection of the players' exploitation evidence: two players are linked when
// exploitation evidence links each of them to one child (co-offending through a shared victim,
// as Cockbain, Brayley & Laycock (2011) analysed Operation Retriever's offender network).
struct OffenderProjection {
  std::vector<double> co_offenders;  // Distinct other players sharing a child with the player.
  // Betweenness in the projection (unweighted shortest paths): how far the player is the one
  // through whom the other offenders are connected (a broker between sub-groups). Exact up to
  // `exact_betweenness_limit` linked players, else estimated from sampled sources.
  std::vector<double> brokerage;
};
// `children_of[p]`: the distinct children (any ids) player p reaches through exploitation
// evidence, sorted. Uses `options`' betweenness limits, seed and threads.
OffenderProjection offender_projection(std::span<const std::vector<std::uint32_t>> children_of,
                                       const AnalyticsOptions& options);

}  // namespace sg::network
