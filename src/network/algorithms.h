// Graph algorithms the analytics need at the scale of a whole force area (10^6 entities),
// written over a compact adjacency list because igraph 0.10's versions were measured too slow
// there (docs/network.md "Scale"): Leiden for modularity, Brandes betweenness from a set of
// sources (all of them: exact; a seeded random sample: an unbiased estimate), weighted
// PageRank by power iteration and k-core numbers. Pure C++; no igraph.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace sg::network {

// An undirected graph as a compressed adjacency list: the neighbours of v are
// targets[offsets[v] .. offsets[v+1]), each with the weight of that edge. Every edge appears
// once from each end. No self-loops.
struct Adjacency {
  std::vector<std::uint32_t> offsets;  // vertex_count() + 1 entries.
  std::vector<std::uint32_t> targets;
  std::vector<float> weights;  // Same length as targets; positive.

  std::uint32_t vertex_count() const {
    return offsets.empty() ? 0 : static_cast<std::uint32_t>(offsets.size() - 1);
  }
  // Builds the adjacency of `vertices` vertices from undirected edges (u, v, w), u != v.
  static Adjacency from_edges(std::uint32_t vertices,
                              std::span<const std::pair<std::uint32_t, std::uint32_t>> edges,
                              std::span<const double> weights);
};

struct LeidenOptions {
  std::uint64_t seed = 1;
  // Whole Leiden passes (move, refine, aggregate until one node per community), each starting
  // from the last partition. -1: until a pass changes nothing (at most 100 passes).
  int iterations = -1;
  double resolution = 1.0;  // γ of modularity; 1 is Newman–Girvan modularity.
  double beta = 0.01;       // Randomness of the refinement (Traag, Waltman & van Eck 2019).
};

// Leiden communities maximising modularity (Traag, Waltman & van Eck 2019, "From Louvain to
// Leiden: guaranteeing well-connected communities"): a community index per vertex, numbered
// 0, 1, ... in the order of each community's lowest vertex. The same seed gives the same
// partition.
std::vector<std::uint32_t> leiden_modularity(const Adjacency& graph, const LeidenOptions& options);

// Newman–Girvan modularity of `membership` (weighted), at resolution γ. 0 for a graph with
// no edges.
double modularity(const Adjacency& graph, std::span<const std::uint32_t> membership,
                  double resolution = 1.0);

// Sum over `sources` s of Brandes' dependency δ_s(v) = Σ_t σ_st(v)/σ_st (shortest paths by
// number of links, weights ignored), halved because each unordered pair is counted from both
// ends. With every vertex as a source this is exact betweenness (as igraph_betweenness); with a
// uniform random sample of k sources, multiplying by n/k gives an unbiased estimate (Brandes &
// Pich 2007). Runs on up to `threads` threads; the result does not depend on the count.
std::vector<double> betweenness_from_sources(const Adjacency& graph,
                                             std::span<const std::uint32_t> sources,
                                             unsigned threads = 1);

// `count` distinct vertices out of `n`, drawn uniformly with `seed` (partial Fisher–Yates),
// sorted. All of them when count >= n.
std::vector<std::uint32_t> sample_vertices(std::uint32_t n, std::uint32_t count,
                                           std::uint64_t seed);

// The k-core number of every vertex (links counted, weights ignored), by Batagelj and
// Zaveršnik's O(V + E) bucket algorithm: the largest k such that the vertex is in a subgraph
// where every vertex has at least k links.
std::vector<std::uint32_t> coreness(const Adjacency& graph);

// Weighted PageRank of an undirected graph: a walker follows an edge with probability
// proportional to its weight, and with probability 1 − damping (or from a vertex without
// edges) jumps to a uniformly chosen vertex. Power iteration until the L1 change is below
// 1e-10 (at most 1,000 steps). Sums to 1.
std::vector<double> pagerank(const Adjacency& graph, double damping = 0.85, unsigned threads = 1);

}  // namespace sg::network
