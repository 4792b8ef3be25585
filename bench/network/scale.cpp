// Times communities (Leiden) and key-player ranking on a random graph: the issue 7 target is
// 1M vertices and 5M edges in at most 15 s on 2 cores. Built and run by scale.sh.
// Usage: network_scale [VERTICES] [EDGES] [SEED]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <unordered_set>

#include "network/analytics.h"

using namespace sg::network;
using Clock = std::chrono::steady_clock;

static double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

int main(int argc, char** argv) {
  std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  std::size_t m = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 5000000;
  std::uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(n - 1));
  std::uniform_real_distribution<double> unit(0, 1);
  // G(n, m) without loops or repeated pairs; one vertex in ten a suspect, one in twenty a child.
  std::vector<Snapshot::Vertex> vertices(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    double r = unit(rng);
    vertices[i] = {i, EntityKind::kPerson, r < 0.05, r >= 0.05 && r < 0.15};
  }
  std::vector<Snapshot::Edge> edges;
  edges.reserve(m);
  std::unordered_set<std::uint64_t> seen;
  seen.reserve(m * 2);
  while (edges.size() < m) {
    auto a = pick(rng), b = pick(rng);
    if (a == b) continue;
    if (a > b) std::swap(a, b);
    if (!seen.insert((std::uint64_t{a} << 32) | b).second) continue;
    edges.push_back({a, b, static_cast<std::uint32_t>(edges.size()), 0.2 + 0.8 * unit(rng)});
  }
  auto t0 = Clock::now();
  auto snap = Snapshot::from_parts(std::move(vertices), std::move(edges), {.seed = seed});
  double t_build = since(t0);
  auto t1 = Clock::now();
  auto communities = snap->communities();
  double t_communities = since(t1);
  if (!communities.ok()) {
    std::fprintf(stderr, "communities failed: %s\n", communities.error().message.c_str());
    return 1;
  }
  // Rank groups by children, as Analytics::communities does.
  std::int64_t groups = 0;
  for (auto c : *communities) groups = std::max(groups, c + 1);
  std::vector<std::size_t> children(static_cast<std::size_t>(groups), 0);
  for (std::size_t v = 0; v < snap->vertices().size(); ++v) {
    if (snap->vertices()[v].child) ++children[static_cast<std::size_t>((*communities)[v])];
  }
  std::sort(children.begin(), children.end(), std::greater<>());
  double t_groups = since(t1);
  // Printed before the key players start, so a slow centrality run still reports this.
  std::printf("leiden+ranking %.2f s (%lld groups)\n", t_groups, static_cast<long long>(groups));
  std::fflush(stdout);
  auto t2 = Clock::now();
  auto centrality = snap->centrality();
  if (!centrality.ok()) {
    std::fprintf(stderr, "centrality failed: %s\n", centrality.error().message.c_str());
    return 1;
  }
  double t_centrality = since(t2);
  std::printf(
      "vertices %zu edges %zu | snapshot %.2f s | leiden+ranking %.2f s (%lld groups) | "
      "key players (degree, betweenness %s, pagerank, coreness) %.2f s | total %.2f s\n",
      snap->vertices().size(), snap->edges().size(), t_build, t_groups,
      static_cast<long long>(groups), centrality->betweenness_exact ? "exact" : "cutoff 3",
      t_centrality, since(t0));
  (void)t_communities;
  return 0;
}
