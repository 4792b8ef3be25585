#include "resolve/cluster.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sg::resolve {

std::vector<std::uint32_t> cluster_records(const RecordStore& store, const Model& model,
                                           const std::vector<ScoredPair>& pairs,
                                           const ClusterOptions& options, ClusterStats* stats) {
  const std::uint32_t n = static_cast<std::uint32_t>(store.size());
  const double t = std::clamp(options.threshold, 1e-9, 1 - 1e-9);
  const float min_weight = static_cast<float>(std::log2(t / (1 - t)));
  // Rank of each record by id, to break ties independently of input order.
  std::vector<std::uint32_t> by_id(n), rank(n);
  std::iota(by_id.begin(), by_id.end(), 0u);
  std::sort(by_id.begin(), by_id.end(),
            [&](std::uint32_t x, std::uint32_t y) { return store.id(x) < store.id(y); });
  for (std::uint32_t i = 0; i < n; ++i) rank[by_id[i]] = i;

  struct Edge {
    float weight;
    std::uint32_t lo, hi;  // Ranks.
  };
  std::vector<Edge> edges;
  for (const auto& p : pairs) {
    if (p.weight < min_weight) continue;
    std::uint32_t ra = rank[p.a], rb = rank[p.b];
    edges.push_back({p.weight, std::min(ra, rb), std::max(ra, rb)});
  }
  std::sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) {
    if (x.weight != y.weight) return x.weight > y.weight;
    if (x.lo != y.lo) return x.lo < y.lo;
    return x.hi < y.hi;
  });

  // Union-find over ranks, with the members of each root.
  std::vector<std::uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  std::vector<std::vector<std::uint32_t>> members(n);
  for (std::uint32_t i = 0; i < n; ++i) members[i] = {i};
  auto find = [&](std::uint32_t x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  ClusterStats local;
  for (const auto& e : edges) {
    std::uint32_t ra = find(e.lo), rb = find(e.hi);
    if (ra == rb) continue;
    const auto& ma = members[ra];
    const auto& mb = members[rb];
    bool merge = ma.size() == 1 && mb.size() == 1;
    if (!merge) {
      // Average linkage over the cross pairs (a bounded, deterministic subset if huge).
      std::size_t la = ma.size(), lb = mb.size();
      while (la * lb > options.max_linkage_pairs && (la > 1 || lb > 1)) {
        if (la >= lb) {
          la = (la + 1) / 2;
        } else {
          lb = (lb + 1) / 2;
        }
      }
      double sum = 0;
      for (std::size_t i = 0; i < la; ++i) {
        for (std::size_t j = 0; j < lb; ++j) {
          sum += Model::probability(model.weight(store, by_id[ma[i]], by_id[mb[j]]));
        }
      }
      local.linkage_pairs_scored += la * lb;
      merge = sum / static_cast<double>(la * lb) >= options.linkage;
    }
    if (!merge) {
      ++local.refused_merges;
      continue;
    }
    ++local.merges;
    if (members[ra].size() < members[rb].size()) std::swap(ra, rb);
    parent[rb] = ra;
    auto& into = members[ra];
    into.insert(into.end(), members[rb].begin(), members[rb].end());
    std::vector<std::uint32_t>().swap(members[rb]);
  }
  local.links = edges.size();
  if (stats) *stats = local;

  // Name each entity by its smallest member id: the smallest rank in the group.
  std::vector<std::uint32_t> smallest(n, UINT32_MAX);
  for (std::uint32_t r = 0; r < n; ++r) {
    std::uint32_t root = find(r);
    smallest[root] = std::min(smallest[root], r);
  }
  std::vector<std::uint32_t> entity(n);
  for (std::uint32_t r = 0; r < n; ++r) entity[by_id[r]] = by_id[smallest[find(r)]];
  return entity;
}

}  // namespace sg::resolve
