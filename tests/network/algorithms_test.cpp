#include "network/algorithms.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

namespace sg::network {
namespace {

using Edges = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

Adjacency unweighted(std::uint32_t n, const Edges& edges) {
  std::vector<double> w(edges.size(), 1.0);
  return Adjacency::from_edges(n, edges, w);
}

// `cliques` complete graphs of `size` vertices, clique i joined to clique i+1 by one edge
// (a ring): the textbook case where modularity's best partition is the cliques.
Adjacency ring_of_cliques(std::uint32_t cliques, std::uint32_t size) {
  Edges edges;
  for (std::uint32_t c = 0; c < cliques; ++c) {
    for (std::uint32_t i = 0; i < size; ++i) {
      for (std::uint32_t j = i + 1; j < size; ++j) edges.push_back({c * size + i, c * size + j});
    }
    edges.push_back({c * size, ((c + 1) % cliques) * size + 1});
  }
  return unweighted(cliques * size, edges);
}

TEST(Leiden, FindsTheCliquesOfARingOfCliques) {
  auto g = ring_of_cliques(8, 6);
  auto membership = leiden_modularity(g, {.seed = 7});
  for (std::uint32_t c = 0; c < 8; ++c) {
    for (std::uint32_t i = 1; i < 6; ++i) EXPECT_EQ(membership[c * 6 + i], membership[c * 6]);
    if (c > 0) {
      EXPECT_NE(membership[c * 6], membership[(c - 1) * 6]);
    }
  }
  // Numbered in order of each community's lowest vertex.
  EXPECT_EQ(membership[0], 0u);
  EXPECT_EQ(membership[6], 1u);
}

TEST(Leiden, RecoversPlantedGroupsAndIsReproducibleForASeed) {
  // 10 groups of 50: edges inside a group with p = 0.2, between groups with p = 0.005.
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> unit(0, 1);
  Edges edges;
  std::vector<double> weights;
  const std::uint32_t n = 500;
  for (std::uint32_t i = 0; i < n; ++i) {
    for (std::uint32_t j = i + 1; j < n; ++j) {
      if (unit(rng) < (i / 50 == j / 50 ? 0.2 : 0.005)) {
        edges.push_back({i, j});
        weights.push_back(0.2 + 0.8 * unit(rng));
      }
    }
  }
  auto g = Adjacency::from_edges(n, edges, weights);
  auto a = leiden_modularity(g, {.seed = 1});
  auto b = leiden_modularity(g, {.seed = 1});
  EXPECT_EQ(a, b);
  // Each group is one community, give or take a vertex modularity prefers elsewhere: at
  // least 48 of a group's 50 share a community no other group's majority has.
  std::set<std::uint32_t> majorities;
  for (std::uint32_t group = 0; group < 10; ++group) {
    std::map<std::uint32_t, int> count;
    for (std::uint32_t v = group * 50; v < group * 50 + 50; ++v) ++count[a[v]];
    auto best = std::max_element(count.begin(), count.end(),
                                 [](const auto& x, const auto& y) { return x.second < y.second; });
    EXPECT_GE(best->second, 48);
    majorities.insert(best->first);
  }
  EXPECT_EQ(majorities.size(), 10u);
  // And no worse than the planted partition by modularity.
  std::vector<std::uint32_t> truth(n);
  for (std::uint32_t v = 0; v < n; ++v) truth[v] = v / 50;
  EXPECT_GE(modularity(g, a), modularity(g, truth) - 1e-12);
  EXPECT_GT(modularity(g, a), 0.7);
}

TEST(Leiden, LeavesIsolatedVerticesAlone) {
  auto g = unweighted(4, {{0, 1}});
  auto m = leiden_modularity(g, {});
  EXPECT_EQ(m[0], m[1]);
  EXPECT_NE(m[2], m[3]);
  EXPECT_NE(m[2], m[0]);
}

TEST(Modularity, MatchesAHandComputedValue) {
  // Two triangles joined by one edge, split into the triangles: m = 7,
  // Q = (6/7) - 2 * (7/14)^2 = 6/7 - 1/2.
  auto g = unweighted(6, {{0, 1}, {1, 2}, {0, 2}, {3, 4}, {4, 5}, {3, 5}, {2, 3}});
  std::vector<std::uint32_t> split = {0, 0, 0, 1, 1, 1};
  EXPECT_NEAR(modularity(g, split), 6.0 / 7.0 - 0.5, 1e-12);
  std::vector<std::uint32_t> one(6, 0);
  EXPECT_NEAR(modularity(g, one), 0.0, 1e-12);
}

TEST(Betweenness, IsExactFromEverySource) {
  // A path 0-1-2-3-4: vertex 2 lies on the paths 0-3, 0-4, 1-3, 1-4 (4 pairs);
  // vertex 1 on 0-2, 0-3, 0-4 (3).
  auto path = unweighted(5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}});
  auto all = sample_vertices(5, 5, 0);
  auto b = betweenness_from_sources(path, all, 1);
  EXPECT_DOUBLE_EQ(b[0], 0);
  EXPECT_DOUBLE_EQ(b[1], 3);
  EXPECT_DOUBLE_EQ(b[2], 4);
  EXPECT_DOUBLE_EQ(b[3], 3);
  // A 4-cycle: each pair of opposite vertices has two shortest paths, one through each of
  // the others, so every vertex carries 1/2 + ... = 0.5.
  auto cycle = unweighted(4, {{0, 1}, {1, 2}, {2, 3}, {3, 0}});
  auto c = betweenness_from_sources(cycle, sample_vertices(4, 4, 0), 2);
  for (auto x : c) EXPECT_DOUBLE_EQ(x, 0.5);
}

TEST(Betweenness, DoesNotDependOnTheNumberOfThreads) {
  auto g = ring_of_cliques(10, 5);
  auto all = sample_vertices(50, 50, 0);
  auto one = betweenness_from_sources(g, all, 1);
  auto two = betweenness_from_sources(g, all, 2);
  for (std::size_t v = 0; v < one.size(); ++v) EXPECT_NEAR(one[v], two[v], 1e-9);
}

TEST(Betweenness, SampledSourcesScaledEstimateTheBrokers) {
  // In a ring of cliques the two vertices of each clique that carry the ring are the
  // brokers; a quarter of the sources, scaled by 4, still ranks exactly them on top.
  auto g = ring_of_cliques(20, 6);
  const std::uint32_t n = 120;
  auto exact = betweenness_from_sources(g, sample_vertices(n, n, 0), 1);
  auto sample = sample_vertices(n, 30, 42);
  EXPECT_EQ(sample.size(), 30u);
  EXPECT_EQ(sample, sample_vertices(n, 30, 42));  // Seeded.
  auto estimate = betweenness_from_sources(g, sample, 2);
  for (auto& x : estimate) x *= static_cast<double>(n) / 30;
  auto top = [](const std::vector<double>& b) {
    std::vector<std::uint32_t> order(b.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t x, std::uint32_t y) { return b[x] > b[y]; });
    order.resize(40);
    return std::set<std::uint32_t>(order.begin(), order.end());
  };
  EXPECT_EQ(top(estimate), top(exact));
  double sum_exact = 0, sum_estimate = 0;
  for (std::uint32_t v = 0; v < n; ++v) {
    sum_exact += exact[v];
    sum_estimate += estimate[v];
  }
  EXPECT_NEAR(sum_estimate / sum_exact, 1.0, 0.1);
}

TEST(Coreness, PeelsToTheDensestCore) {
  // A 4-clique (0-3) with a triangle hanging off it (3, 4, 5), a pendant 6 on 5, and an
  // isolated 7: cores 3, 3, 3, 3, 2, 2, 1, 0.
  auto g = unweighted(
      8, {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}, {3, 4}, {4, 5}, {3, 5}, {5, 6}});
  EXPECT_EQ(coreness(g), (std::vector<std::uint32_t>{3, 3, 3, 3, 2, 2, 1, 0}));
}

TEST(PageRank, MatchesTheClosedFormOfAStar) {
  // A star with 4 leaves, unit weights, damping d, N = 5. Centre c and leaf l satisfy
  // c = (1-d)/N + d·4l and l = (1-d)/N + d·c/4.
  auto g = unweighted(5, {{0, 1}, {0, 2}, {0, 3}, {0, 4}});
  const double d = 0.85, base = (1 - d) / 5;
  double centre = (base + 4 * d * base) / (1 - d * d);
  double leaf = base + d * centre / 4;
  auto pr = pagerank(g, d, 2);
  EXPECT_NEAR(pr[0], centre, 1e-9);
  for (int i = 1; i < 5; ++i) EXPECT_NEAR(pr[i], leaf, 1e-9);
}

TEST(PageRank, FollowsHeavierLinksAndSpreadsIsolatedVerticesEvenly) {
  // 0 links to 1 strongly and to 2 weakly; 3 has no links.
  std::vector<double> w = {1.0, 0.2};
  auto g = Adjacency::from_edges(4, Edges{{0, 1}, {0, 2}}, w);
  auto pr = pagerank(g, 0.85, 1);
  EXPECT_GT(pr[1], pr[2]);
  double sum = pr[0] + pr[1] + pr[2] + pr[3];
  EXPECT_NEAR(sum, 1.0, 1e-9);
  EXPECT_GT(pr[3], 0);
}

}  // namespace
}  // namespace sg::network
