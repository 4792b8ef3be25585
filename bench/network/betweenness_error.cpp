// How good is betweenness estimated from sampled sources? On graphs small enough for exact
// betweenness, compares the estimate (k sources, scaled by n/k) with the exact values: the
// overlap of the top 20 and the median relative error over the exact top 100, for several k
// and five sample seeds. Built and run by betweenness_error.sh.
// Usage: network_betweenness_error [VERTICES] [EDGES] [GRAPH_SEED]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>
#include <unordered_set>

#include "network/algorithms.h"

using namespace sg::network;

static std::vector<std::uint32_t> top(const std::vector<double>& b, std::size_t k) {
  std::vector<std::uint32_t> order(b.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t x, std::uint32_t y) { return b[x] > b[y]; });
  order.resize(std::min(k, order.size()));
  return order;
}

static void compare(const char* name, const Adjacency& g) {
  const auto n = g.vertex_count();
  auto exact = betweenness_from_sources(g, sample_vertices(n, n, 0), 2);
  auto top20 = top(exact, 20), top100 = top(exact, 100);
  std::set<std::uint32_t> truth(top20.begin(), top20.end());
  for (std::uint32_t k : {16u, 64u, 256u, 1024u}) {
    double overlap = 0, error = 0;
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      auto estimate = betweenness_from_sources(g, sample_vertices(n, k, seed), 2);
      for (auto& x : estimate) x *= static_cast<double>(n) / k;
      for (auto v : top(estimate, 20)) overlap += truth.count(v);
      std::vector<double> rel;
      for (auto v : top100) rel.push_back(std::abs(estimate[v] - exact[v]) / exact[v]);
      std::nth_element(rel.begin(), rel.begin() + rel.size() / 2, rel.end());
      error += rel[rel.size() / 2];
    }
    std::printf("%-28s k=%-5u top-20 overlap %5.1f/20  median relative error (top 100) %5.1f%%\n",
                name, k, overlap / 5, 100 * error / 5);
  }
}

int main(int argc, char** argv) {
  std::uint32_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 20000;
  std::size_t m = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 100000;
  std::uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::uint32_t> pick(0, n - 1);
  // G(n, m), as scale.cpp.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
  std::unordered_set<std::uint64_t> seen;
  while (edges.size() < m) {
    auto a = pick(rng), b = pick(rng);
    if (a == b) continue;
    if (a > b) std::swap(a, b);
    if (seen.insert((std::uint64_t{a} << 32) | b).second) edges.push_back({a, b});
  }
  std::vector<double> w(edges.size(), 1.0);
  compare("random G(n,m)", Adjacency::from_edges(n, edges, w));
  // Preferential attachment (each new vertex links to m/n earlier ones chosen by degree):
  // hubs and brokers, as in link charts.
  edges.clear();
  std::vector<std::uint32_t> ends{0, 1};
  edges.push_back({0, 1});
  std::uint32_t per = static_cast<std::uint32_t>(std::max<std::size_t>(1, m / n));
  for (std::uint32_t v = 2; v < n; ++v) {
    std::set<std::uint32_t> chosen;
    while (chosen.size() < std::min(per, v)) {
      chosen.insert(ends[std::uniform_int_distribution<std::size_t>(0, ends.size() - 1)(rng)]);
    }
    for (auto u : chosen) {
      edges.push_back({u, v});
      ends.push_back(u);
      ends.push_back(v);
    }
  }
  w.assign(edges.size(), 1.0);
  compare("preferential attachment", Adjacency::from_edges(n, edges, w));
  return 0;
}
