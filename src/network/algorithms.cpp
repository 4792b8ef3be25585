#include "network/algorithms.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <thread>

namespace sg::network {
namespace {

// A uniform integer in [0, bound) from a 64-bit generator (Lemire's multiply-shift; the tiny
// bias is irrelevant here, and unlike std::uniform_int_distribution it is the same on every
// standard library, so a seed gives the same groups everywhere).
std::uint32_t below(std::mt19937_64& rng, std::uint32_t bound) {
  return static_cast<std::uint32_t>((static_cast<unsigned __int128>(rng()) * bound) >>
                                    64);  // NOLINT
}
double unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

template <typename T>
void shuffle(std::vector<T>& v, std::mt19937_64& rng) {
  for (std::size_t i = v.size(); i > 1; --i) {
    std::swap(v[i - 1], v[below(rng, static_cast<std::uint32_t>(i))]);
  }
}

// Renumbers labels 0, 1, ... in order of first appearance; returns how many there are.
std::uint32_t renumber(std::vector<std::uint32_t>& labels, std::uint32_t bound) {
  std::vector<std::uint32_t> map(bound, UINT32_MAX);
  std::uint32_t next = 0;
  for (auto& l : labels) {
    if (map[l] == UINT32_MAX) map[l] = next++;
    l = map[l];
  }
  return next;
}

// Groups the vertices by label (labels < count): members of label c are
// order[start[c] .. start[c+1]).
void group_by(const std::vector<std::uint32_t>& labels, std::uint32_t count,
              std::vector<std::uint32_t>& start, std::vector<std::uint32_t>& order) {
  start.assign(count + 1, 0);
  for (auto l : labels) ++start[l + 1];
  for (std::uint32_t c = 0; c < count; ++c) start[c + 1] += start[c];
  order.resize(labels.size());
  std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
  for (std::uint32_t v = 0; v < labels.size(); ++v) order[fill[labels[v]]++] = v;
}

// One level of Leiden: the (aggregated) graph, its node weights (strengths) and the
// resolution per unit of node weight, γ/2m.
struct Level {
  const Adjacency* graph;
  std::vector<double> weight;
  double resolution;
};

// Phase 1, the fast local moving of nodes: each node in the queue moves to the neighbouring
// community (or an empty one) with the largest modularity gain; when it moves, its neighbours
// outside the new community are queued again. Returns the number of communities, renumbered.
std::uint32_t move_nodes(const Level& level, std::vector<std::uint32_t>& membership,
                         std::mt19937_64& rng) {
  const auto& g = *level.graph;
  const auto n = g.vertex_count();
  std::vector<double> community_weight(n, 0), to(n, 0);
  std::vector<std::uint32_t> size(n, 0), empty, touched;
  std::vector<char> queued(n, 1);
  for (std::uint32_t v = 0; v < n; ++v) {
    community_weight[membership[v]] += level.weight[v];
    ++size[membership[v]];
  }
  for (std::uint32_t c = n; c-- > 0;) {
    if (size[c] == 0) empty.push_back(c);
  }
  std::vector<std::uint32_t> queue(n);
  std::iota(queue.begin(), queue.end(), 0u);
  shuffle(queue, rng);
  std::size_t head = 0, count = n;  // A ring buffer: each node is queued at most once.
  while (count > 0) {
    auto v = queue[head];
    head = head + 1 == n ? 0 : head + 1;
    --count;
    queued[v] = 0;
    auto current = membership[v];
    double kv = level.weight[v];
    community_weight[current] -= kv;
    if (--size[current] == 0) empty.push_back(current);
    touched.clear();
    // Weights are positive, so a zero total marks a community not yet seen.
    for (auto i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
      auto c = membership[g.targets[i]];
      if (to[c] == 0) touched.push_back(c);
      to[c] += g.weights[i];
    }
    auto best = current;
    double best_gain = to[current] - kv * community_weight[current] * level.resolution;
    for (auto c : touched) {
      double gain = to[c] - kv * community_weight[c] * level.resolution;
      if (gain > best_gain) {
        best = c;
        best_gain = gain;
      }
      to[c] = 0;
    }
    // Alone in an empty community the gain is 0.
    if (best_gain < 0) best = empty.back();
    community_weight[best] += kv;
    if (size[best]++ == 0) {
      // `best` is empty only when it is the top of the stack (the empty community chosen
      // above, or `current` when v was alone and stays).
      empty.pop_back();
    }
    if (best != current) {
      membership[v] = best;
      for (auto i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
        auto u = g.targets[i];
        if (!queued[u] && membership[u] != best) {
          queued[u] = 1;
          queue[(head + count) % n] = u;
          ++count;
        }
      }
    }
  }
  return renumber(membership, n);
}

// Phase 2, refinement: within each community, start from singletons and merge only singletons
// that are well connected to the rest of the community, into well-connected sub-communities,
// choosing among the non-negative gains at random with weight exp(gain/β). The result's
// sub-communities are connected and become the next level's nodes. Returns their count.
std::uint32_t refine(const Level& level, const std::vector<std::uint32_t>& membership,
                     std::uint32_t communities, double beta, std::mt19937_64& rng,
                     std::vector<std::uint32_t>& refined) {
  const auto& g = *level.graph;
  const auto n = g.vertex_count();
  const double res = level.resolution;
  std::vector<std::uint32_t> start, order;
  group_by(membership, communities, start, order);
  std::vector<double> community_weight(communities, 0);
  for (std::uint32_t v = 0; v < n; ++v) community_weight[membership[v]] += level.weight[v];
  // Sub-communities are named by a member vertex, so they need no renumbering until the end.
  refined.resize(n);
  std::iota(refined.begin(), refined.end(), 0u);
  std::vector<double> weight(level.weight), external(n, 0), to(n, 0), cumulative;
  std::vector<char> merged(n, 0), marked(n, 0);
  std::vector<std::uint32_t> touched;
  std::vector<std::pair<std::uint32_t, double>> options;
  for (std::uint32_t v = 0; v < n; ++v) {
    for (auto i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
      if (membership[g.targets[i]] == membership[v]) external[v] += g.weights[i];
    }
  }
  for (std::uint32_t c = 0; c < communities; ++c) {
    std::vector<std::uint32_t> nodes(order.begin() + start[c], order.begin() + start[c + 1]);
    shuffle(nodes, rng);
    const double total = community_weight[c];
    for (auto v : nodes) {
      const double kv = level.weight[v];
      // Only a singleton, and only one well connected to its community, moves.
      if (refined[v] != v || merged[v] || external[v] < kv * (total - kv) * res) continue;
      weight[v] = 0;
      touched.clear();
      touched.push_back(v);
      marked[v] = 1;
      for (auto i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
        auto u = g.targets[i];
        if (membership[u] != c) continue;
        auto r = refined[u];
        if (!marked[r]) {
          marked[r] = 1;
          touched.push_back(r);
        }
        to[r] += g.weights[i];
      }
      // Candidates: v alone (gain 0) and well-connected sub-communities with gain >= 0.
      double max_gain = 0;
      options.clear();
      for (auto r : touched) {
        double gain = to[r] - kv * weight[r] * res;
        bool connected = external[r] >= weight[r] * (total - weight[r]) * res;
        if (r == v || (connected && gain >= 0)) {
          options.emplace_back(r, gain);
          max_gain = std::max(max_gain, gain);
        }
      }
      // exp((gain - max)/β): the same distribution as exp(gain/β), without overflow.
      cumulative.clear();
      double sum = 0;
      for (const auto& [r, gain] : options) {
        sum += std::exp((gain - max_gain) / beta);
        cumulative.push_back(sum);
      }
      double pick = unit(rng) * sum;
      std::size_t chosen = static_cast<std::size_t>(
          std::upper_bound(cumulative.begin(), cumulative.end(), pick) - cumulative.begin());
      auto target = options[std::min(chosen, options.size() - 1)].first;
      weight[target] += kv;
      if (target != v) {
        // The merged sub-community's links to the rest of the community: both parts' links,
        // less the links between them, counted from each side.
        external[target] += external[v] - 2 * to[target];
        refined[v] = target;
        merged[target] = 1;
      }
      for (auto r : touched) {
        to[r] = 0;
        marked[r] = 0;
      }
    }
  }
  return renumber(refined, n);
}

// Phase 3, aggregation: one node per sub-community, edge weights summed, links inside a
// sub-community dropped (they do not change any move's gain; node weights keep them).
Adjacency aggregate(const Adjacency& g, const std::vector<std::uint32_t>& refined,
                    std::uint32_t count) {
  std::vector<std::uint32_t> start, order;
  group_by(refined, count, start, order);
  Adjacency out;
  out.offsets.assign(count + 1, 0);
  std::vector<double> to(count, 0);
  std::vector<char> marked(count, 0);
  std::vector<std::uint32_t> touched;
  for (std::uint32_t r = 0; r < count; ++r) {
    touched.clear();
    for (auto k = start[r]; k < start[r + 1]; ++k) {
      auto v = order[k];
      for (auto i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
        auto r2 = refined[g.targets[i]];
        if (r2 == r) continue;
        if (!marked[r2]) {
          marked[r2] = 1;
          touched.push_back(r2);
        }
        to[r2] += g.weights[i];
      }
    }
    for (auto r2 : touched) {
      out.targets.push_back(r2);
      out.weights.push_back(static_cast<float>(to[r2]));
      to[r2] = 0;
      marked[r2] = 0;
    }
    out.offsets[r + 1] = static_cast<std::uint32_t>(out.targets.size());
  }
  return out;
}

std::vector<double> strengths(const Adjacency& g) {
  std::vector<double> s(g.vertex_count(), 0);
  for (std::uint32_t v = 0; v < g.vertex_count(); ++v) {
    for (auto i = g.offsets[v]; i < g.offsets[v + 1]; ++i) s[v] += g.weights[i];
  }
  return s;
}

// One Leiden pass from `membership` (Traag et al. 2019, Algorithm A.2): move, refine,
// aggregate, until every community is one node.
void leiden_pass(const Adjacency& base, const std::vector<double>& base_weight, double resolution,
                 double beta, std::mt19937_64& rng, std::vector<std::uint32_t>& membership) {
  const auto n = base.vertex_count();
  std::vector<std::uint32_t> node_of(n);  // Each vertex's node at the current level.
  std::iota(node_of.begin(), node_of.end(), 0u);
  Adjacency aggregated;
  Level level{&base, base_weight, resolution};
  std::vector<std::uint32_t> current = membership, refined;
  for (;;) {
    auto communities = move_nodes(level, current, rng);
    if (communities == level.graph->vertex_count()) break;
    auto count = refine(level, current, communities, beta, rng, refined);
    // When refinement merges nothing, aggregate by the communities themselves.
    if (count == level.graph->vertex_count()) {
      refined = current;
      count = communities;
    }
    std::vector<double> weight(count, 0);
    std::vector<std::uint32_t> next(count, 0);
    for (std::uint32_t v = 0; v < level.graph->vertex_count(); ++v) {
      weight[refined[v]] += level.weight[v];
      next[refined[v]] = current[v];
    }
    for (auto& node : node_of) node = refined[node];
    aggregated = aggregate(*level.graph, refined, count);
    level.graph = &aggregated;
    level.weight = std::move(weight);
    current = std::move(next);
  }
  for (std::uint32_t v = 0; v < n; ++v) membership[v] = current[node_of[v]];
  renumber(membership, n);
}

}  // namespace

Adjacency Adjacency::from_edges(std::uint32_t vertices,
                                std::span<const std::pair<std::uint32_t, std::uint32_t>> edges,
                                std::span<const double> weights) {
  Adjacency g;
  g.offsets.assign(vertices + 1, 0);
  for (const auto& [u, v] : edges) {
    ++g.offsets[u + 1];
    ++g.offsets[v + 1];
  }
  for (std::uint32_t v = 0; v < vertices; ++v) g.offsets[v + 1] += g.offsets[v];
  g.targets.resize(edges.size() * 2);
  g.weights.resize(edges.size() * 2);
  std::vector<std::uint32_t> fill(g.offsets.begin(), g.offsets.end() - 1);
  for (std::size_t e = 0; e < edges.size(); ++e) {
    auto [u, v] = edges[e];
    auto w = static_cast<float>(weights[e]);
    g.targets[fill[u]] = v;
    g.weights[fill[u]++] = w;
    g.targets[fill[v]] = u;
    g.weights[fill[v]++] = w;
  }
  return g;
}

std::vector<std::uint32_t> leiden_modularity(const Adjacency& graph, const LeidenOptions& options) {
  const auto n = graph.vertex_count();
  std::vector<std::uint32_t> membership(n);
  std::iota(membership.begin(), membership.end(), 0u);
  auto weight = strengths(graph);
  double total = std::accumulate(weight.begin(), weight.end(), 0.0);  // 2m.
  if (total <= 0) return membership;
  std::mt19937_64 rng(options.seed);
  int passes = options.iterations < 0 ? 100 : options.iterations;
  for (int i = 0; i < passes; ++i) {
    auto before = membership;
    leiden_pass(graph, weight, options.resolution / total, options.beta, rng, membership);
    if (membership == before) break;  // Both are numbered by first appearance.
  }
  return membership;
}

double modularity(const Adjacency& graph, std::span<const std::uint32_t> membership,
                  double resolution) {
  auto weight = strengths(graph);
  double total = std::accumulate(weight.begin(), weight.end(), 0.0);
  if (total <= 0) return 0;
  std::uint32_t count = 0;
  for (auto c : membership) count = std::max(count, c + 1);
  std::vector<double> community(count, 0);
  double inside = 0;
  for (std::uint32_t v = 0; v < graph.vertex_count(); ++v) {
    community[membership[v]] += weight[v];
    for (auto i = graph.offsets[v]; i < graph.offsets[v + 1]; ++i) {
      if (membership[graph.targets[i]] == membership[v]) inside += graph.weights[i];
    }
  }
  double expected = 0;
  for (auto k : community) expected += k * k;
  return (inside - resolution * expected / total) / total;
}

std::vector<double> betweenness_from_sources(const Adjacency& graph,
                                             std::span<const std::uint32_t> sources,
                                             unsigned threads) {
  const auto n = graph.vertex_count();
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(sources.size())));
  std::vector<std::vector<double>> partial(threads);
  auto work = [&](unsigned t) {
    auto& result = partial[t];
    result.assign(n, 0);
    std::vector<std::int32_t> distance(n, -1);
    std::vector<double> paths(n, 0), dependency(n, 0);
    std::vector<std::uint32_t> order;
    order.reserve(n);
    // Contiguous slices, so the sum does not depend on scheduling.
    std::size_t from = sources.size() * t / threads, to = sources.size() * (t + 1) / threads;
    for (std::size_t k = from; k < to; ++k) {
      auto s = sources[k];
      order.clear();
      order.push_back(s);
      distance[s] = 0;
      paths[s] = 1;
      // Breadth-first, counting shortest paths; `order` doubles as the queue.
      for (std::size_t head = 0; head < order.size(); ++head) {
        auto v = order[head];
        for (auto i = graph.offsets[v]; i < graph.offsets[v + 1]; ++i) {
          auto u = graph.targets[i];
          if (distance[u] < 0) {
            distance[u] = distance[v] + 1;
            order.push_back(u);
          }
          if (distance[u] == distance[v] + 1) paths[u] += paths[v];
        }
      }
      // Dependencies accumulate from the farthest vertices back (Brandes 2001).
      for (auto it = order.rbegin(); it != order.rend(); ++it) {
        auto v = *it;
        double d = 0;
        for (auto i = graph.offsets[v]; i < graph.offsets[v + 1]; ++i) {
          auto u = graph.targets[i];
          if (distance[u] == distance[v] + 1) d += paths[v] / paths[u] * (1 + dependency[u]);
        }
        dependency[v] = d;
        if (v != s) result[v] += d;
      }
      for (auto v : order) {
        distance[v] = -1;
        paths[v] = 0;
        dependency[v] = 0;
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
  std::vector<double> out(n, 0);
  for (const auto& p : partial) {
    for (std::uint32_t v = 0; v < n && !p.empty(); ++v) out[v] += p[v];
  }
  for (auto& x : out) x /= 2;
  return out;
}

std::vector<std::uint32_t> sample_vertices(std::uint32_t n, std::uint32_t count,
                                           std::uint64_t seed) {
  std::vector<std::uint32_t> all(n);
  std::iota(all.begin(), all.end(), 0u);
  if (count >= n) return all;
  std::mt19937_64 rng(seed);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::swap(all[i], all[i + below(rng, n - i)]);
  }
  all.resize(count);
  std::sort(all.begin(), all.end());
  return all;
}

std::vector<std::uint32_t> coreness(const Adjacency& graph) {
  const auto n = graph.vertex_count();
  std::vector<std::uint32_t> degree(n), bin, position(n), order(n);
  std::uint32_t max_degree = 0;
  for (std::uint32_t v = 0; v < n; ++v) {
    degree[v] = graph.offsets[v + 1] - graph.offsets[v];
    max_degree = std::max(max_degree, degree[v]);
  }
  // Vertices sorted by degree, bin[d] the first position of degree d.
  bin.assign(max_degree + 2, 0);
  for (auto d : degree) ++bin[d + 1];
  for (std::uint32_t d = 0; d <= max_degree; ++d) bin[d + 1] += bin[d];
  std::vector<std::uint32_t> fill(bin.begin(), bin.end() - 1);
  for (std::uint32_t v = 0; v < n; ++v) {
    position[v] = fill[degree[v]]++;
    order[position[v]] = v;
  }
  // Take vertices in order of current degree; each lowers its higher-degree neighbours'
  // degree by one, moving them to the front of their bin.
  for (std::uint32_t i = 0; i < n; ++i) {
    auto v = order[i];
    for (auto k = graph.offsets[v]; k < graph.offsets[v + 1]; ++k) {
      auto u = graph.targets[k];
      if (degree[u] > degree[v]) {
        auto du = degree[u];
        auto first = bin[du];
        auto w = order[first];
        if (w != u) {
          std::swap(order[first], order[position[u]]);
          position[w] = position[u];
          position[u] = first;
        }
        ++bin[du];
        --degree[u];
      }
    }
  }
  return degree;
}

std::vector<double> pagerank(const Adjacency& graph, double damping, unsigned threads) {
  const auto n = graph.vertex_count();
  if (n == 0) return {};
  auto strength = strengths(graph);
  std::vector<double> rank(n, 1.0 / n), next(n, 0), share(n, 0);
  threads = std::max(1u, threads);
  for (int step = 0; step < 1000; ++step) {
    double dangling = 0;
    for (std::uint32_t v = 0; v < n; ++v) {
      if (strength[v] > 0) {
        share[v] = rank[v] / strength[v];
      } else {
        dangling += rank[v];
      }
    }
    const double base = (1 - damping) / n + damping * dangling / n;
    std::vector<double> change(threads, 0);
    auto work = [&](unsigned t) {
      std::uint32_t from = static_cast<std::uint32_t>(std::uint64_t{n} * t / threads);
      std::uint32_t to = static_cast<std::uint32_t>(std::uint64_t{n} * (t + 1) / threads);
      double delta = 0;
      for (auto v = from; v < to; ++v) {
        double in = 0;
        for (auto i = graph.offsets[v]; i < graph.offsets[v + 1]; ++i) {
          in += share[graph.targets[i]] * graph.weights[i];
        }
        next[v] = base + damping * in;
        delta += std::abs(next[v] - rank[v]);
      }
      change[t] = delta;
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
    rank.swap(next);
    if (std::accumulate(change.begin(), change.end(), 0.0) < 1e-10) break;
  }
  return rank;
}

}  // namespace sg::network
