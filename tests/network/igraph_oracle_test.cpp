// Our graph algorithms (network/algorithms.h) replaced igraph's in the product because
// igraph 0.10's were too slow at a million vertices (docs/network.md "Scale"). igraph stays
// as the oracle: on seeded random graphs, with and without hubs, each of ours must give
// igraph's answer — exactly for betweenness, coreness and modularity, to 1e-6 for PageRank —
// and our Leiden must find partitions as good as igraph's Leiden.
#include <gtest/gtest.h>
#include <igraph.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "network/algorithms.h"

namespace sg::network {
namespace {

struct TestGraph {
  std::uint32_t n = 0;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
  std::vector<double> weights;  // Multiples of 1/4: exact in the float Adjacency stores.
};

// G(n, m): `m` distinct random edges, no self-loops.
TestGraph random_graph(std::uint32_t n, std::size_t m, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::uint32_t> vertex(0, n - 1);
  std::uniform_int_distribution<int> quarter(1, 8);
  std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
  TestGraph g{.n = n, .edges = {}, .weights = {}};
  while (g.edges.size() < m) {
    auto u = vertex(rng), v = vertex(rng);
    if (u == v) continue;
    if (u > v) std::swap(u, v);
    if (!seen.insert({u, v}).second) continue;
    g.edges.push_back({u, v});
    g.weights.push_back(quarter(rng) / 4.0);
  }
  return g;
}

// Preferential attachment: each new vertex links to `k` earlier ones chosen by degree, so
// the graph has hubs, as exploitation networks do.
TestGraph hub_graph(std::uint32_t n, std::uint32_t k, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> quarter(1, 8);
  std::vector<std::uint32_t> ends = {0, 1};
  TestGraph g{.n = n, .edges = {{0, 1}}, .weights = {1.0}};
  for (std::uint32_t v = 2; v < n; ++v) {
    std::set<std::uint32_t> chosen;
    while (chosen.size() < std::min(k, v)) {
      chosen.insert(ends[std::uniform_int_distribution<std::size_t>(0, ends.size() - 1)(rng)]);
    }
    for (auto u : chosen) {
      g.edges.push_back({u, v});
      g.weights.push_back(quarter(rng) / 4.0);
      ends.push_back(u);
      ends.push_back(v);
    }
  }
  return g;
}

// The same graph on igraph's side, freed on scope exit.
struct Igraph {
  igraph_t graph;
  igraph_vector_t weights;
  explicit Igraph(const TestGraph& g) {
    igraph_vector_int_t edges;
    igraph_vector_int_init(&edges, static_cast<igraph_integer_t>(g.edges.size() * 2));
    for (std::size_t e = 0; e < g.edges.size(); ++e) {
      VECTOR(edges)[2 * e] = g.edges[e].first;
      VECTOR(edges)[2 * e + 1] = g.edges[e].second;
    }
    igraph_create(&graph, &edges, g.n, IGRAPH_UNDIRECTED);
    igraph_vector_int_destroy(&edges);
    igraph_vector_init(&weights, static_cast<igraph_integer_t>(g.weights.size()));
    for (std::size_t e = 0; e < g.weights.size(); ++e) VECTOR(weights)[e] = g.weights[e];
  }
  ~Igraph() {
    igraph_vector_destroy(&weights);
    igraph_destroy(&graph);
  }
  Igraph(const Igraph&) = delete;
  Igraph& operator=(const Igraph&) = delete;
};

Adjacency ours(const TestGraph& g) { return Adjacency::from_edges(g.n, g.edges, g.weights); }

std::vector<TestGraph> graphs() {
  return {random_graph(300, 1200, 1), random_graph(500, 900, 2), hub_graph(400, 3, 3),
          hub_graph(250, 2, 4)};
}

TEST(IgraphOracle, ExactBetweennessIsIgraphs) {
  for (const auto& g : graphs()) {
    Igraph ig(g);
    igraph_vector_t expected;
    igraph_vector_init(&expected, 0);
    ASSERT_EQ(
        igraph_betweenness(&ig.graph, &expected, igraph_vss_all(), IGRAPH_UNDIRECTED, nullptr),
        IGRAPH_SUCCESS);
    std::vector<std::uint32_t> all(g.n);
    std::iota(all.begin(), all.end(), 0u);
    auto got = betweenness_from_sources(ours(g), all, 2);
    ASSERT_EQ(got.size(), g.n);
    for (std::uint32_t v = 0; v < g.n; ++v) {
      EXPECT_NEAR(got[v], VECTOR(expected)[v], 1e-9 * std::max(1.0, VECTOR(expected)[v]))
          << "vertex " << v;
    }
    igraph_vector_destroy(&expected);
  }
}

TEST(IgraphOracle, CorenessIsIgraphs) {
  for (const auto& g : graphs()) {
    Igraph ig(g);
    igraph_vector_int_t expected;
    igraph_vector_int_init(&expected, 0);
    ASSERT_EQ(igraph_coreness(&ig.graph, &expected, IGRAPH_ALL), IGRAPH_SUCCESS);
    auto got = coreness(ours(g));
    ASSERT_EQ(got.size(), g.n);
    for (std::uint32_t v = 0; v < g.n; ++v) {
      EXPECT_EQ(static_cast<igraph_integer_t>(got[v]), VECTOR(expected)[v]) << "vertex " << v;
    }
    igraph_vector_int_destroy(&expected);
  }
}

TEST(IgraphOracle, WeightedPageRankIsIgraphs) {
  for (const auto& g : graphs()) {
    Igraph ig(g);
    igraph_vector_t expected;
    igraph_vector_init(&expected, 0);
    igraph_real_t value = 0;
    ASSERT_EQ(igraph_pagerank(&ig.graph, IGRAPH_PAGERANK_ALGO_PRPACK, &expected, &value,
                              igraph_vss_all(), IGRAPH_UNDIRECTED, 0.85, &ig.weights, nullptr),
              IGRAPH_SUCCESS);
    auto got = pagerank(ours(g), 0.85, 2);
    ASSERT_EQ(got.size(), g.n);
    for (std::uint32_t v = 0; v < g.n; ++v) {
      EXPECT_NEAR(got[v], VECTOR(expected)[v], 1e-6) << "vertex " << v;
    }
    igraph_vector_destroy(&expected);
  }
}

TEST(IgraphOracle, ModularityOfAPartitionIsIgraphs) {
  for (const auto& g : graphs()) {
    Igraph ig(g);
    // Any partition will do: take ours, and a crude one by vertex number.
    auto leiden = leiden_modularity(ours(g), {.seed = 11});
    std::vector<std::uint32_t> crude(g.n);
    for (std::uint32_t v = 0; v < g.n; ++v) crude[v] = v % 7;
    for (const auto& membership : {leiden, crude}) {
      igraph_vector_int_t m;
      igraph_vector_int_init(&m, g.n);
      for (std::uint32_t v = 0; v < g.n; ++v) VECTOR(m)[v] = membership[v];
      igraph_real_t expected = 0;
      ASSERT_EQ(igraph_modularity(&ig.graph, &m, &ig.weights, 1.0, IGRAPH_UNDIRECTED, &expected),
                IGRAPH_SUCCESS);
      EXPECT_NEAR(modularity(ours(g), membership, 1.0), expected, 1e-9);
      igraph_vector_int_destroy(&m);
    }
  }
}

TEST(IgraphOracle, OurLeidenFindsPartitionsAsGoodAsIgraphsLeiden) {
  for (const auto& g : graphs()) {
    Igraph ig(g);
    // igraph's Leiden optimises modularity when node weights are strengths and the
    // resolution is 1 / 2m; run it until it stops improving.
    igraph_vector_t strength;
    igraph_vector_init(&strength, 0);
    igraph_strength(&ig.graph, &strength, igraph_vss_all(), IGRAPH_ALL, IGRAPH_NO_LOOPS,
                    &ig.weights);
    double two_m = 2 * std::accumulate(g.weights.begin(), g.weights.end(), 0.0);
    igraph_vector_int_t membership;
    igraph_vector_int_init(&membership, 0);
    igraph_integer_t clusters = 0;
    igraph_real_t quality = 0;
    igraph_rng_seed(igraph_rng_default(), 5);
    ASSERT_EQ(igraph_community_leiden(&ig.graph, &ig.weights, &strength, 1.0 / two_m, 0.01, false,
                                      -1, &membership, &clusters, &quality),
              IGRAPH_SUCCESS);
    igraph_real_t theirs = 0;
    igraph_modularity(&ig.graph, &membership, &ig.weights, 1.0, IGRAPH_UNDIRECTED, &theirs);
    auto mine = modularity(ours(g), leiden_modularity(ours(g), {.seed = 5}), 1.0);
    // Both are heuristics: ours must come within 1% of igraph's, and may beat it.
    EXPECT_GE(mine, theirs * 0.99) << "igraph " << theirs << ", ours " << mine;
    igraph_vector_int_destroy(&membership);
    igraph_vector_destroy(&strength);
  }
}

}  // namespace
}  // namespace sg::network
