// Times each phase of communities (Leiden), group ranking and the key-player measures on a
// random graph: the issue 7 target is 1M vertices and 5M edges in at most 15 s on 2 cores.
// Built and run by scale.sh.
// Usage: network_scale [VERTICES] [EDGES] [SEED]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
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
  // Each phase separately, wall and process CPU time (2 threads may run at once).
  auto report = [](const char* phase, Clock::time_point wall, std::clock_t cpu) {
    std::printf("%-36s %7.2f s wall %7.2f s cpu\n", phase, since(wall),
                static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC);
    std::fflush(stdout);
  };
  auto t0 = Clock::now();
  auto c0 = std::clock();
  auto t = t0;
  auto c = c0;
  auto snap = Snapshot::from_parts(std::move(vertices), std::move(edges), {.seed = seed});
  report("snapshot (CSR adjacency)", t, c);
  t = Clock::now();
  c = std::clock();
  auto communities = snap->communities();
  if (!communities.ok()) {
    std::fprintf(stderr, "communities failed: %s\n", communities.error().message.c_str());
    return 1;
  }
  report("leiden (conversion + passes)", t, c);
  t = Clock::now();
  c = std::clock();
  // Rank groups by children, as Analytics::communities does.
  std::int64_t groups = 0;
  for (auto g : *communities) groups = std::max(groups, g + 1);
  std::vector<std::size_t> children(static_cast<std::size_t>(groups), 0);
  for (std::size_t v = 0; v < snap->vertices().size(); ++v) {
    if (snap->vertices()[v].child) ++children[static_cast<std::size_t>((*communities)[v])];
  }
  std::sort(children.begin(), children.end(), std::greater<>());
  report("ranking groups by children", t, c);
  t = Clock::now();
  c = std::clock();
  auto centrality = snap->centrality();
  if (!centrality.ok()) {
    std::fprintf(stderr, "centrality failed: %s\n", centrality.error().message.c_str());
    return 1;
  }
  report("key players (4 measures)", t, c);
  std::printf(
      "vertices %zu edges %zu | %lld groups | betweenness %s (%zu sources) | total %.2f s wall "
      "%.2f s cpu\n",
      snap->vertices().size(), snap->edges().size(), static_cast<long long>(groups),
      centrality->betweenness_exact ? "exact" : "sampled", centrality->betweenness_sources,
      since(t0), static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
  return 0;
}
