#include "resolve/engine.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <thread>

#include "core/log.h"
#include "resolve/csv.h"

namespace sg::resolve {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Runs fn(begin, end, worker) over [0, n) split across `threads` workers.
template <typename Fn>
void parallel_for(std::size_t n, int threads, Fn fn) {
  threads = std::max(1, std::min<int>(threads, static_cast<int>(n / 4096 + 1)));
  if (threads == 1) {
    fn(std::size_t{0}, n, 0);
    return;
  }
  std::vector<std::thread> pool;
  std::size_t chunk = (n + threads - 1) / threads;
  for (int t = 0; t < threads; ++t) {
    std::size_t begin = std::min(n, chunk * t);
    std::size_t end = std::min(n, begin + chunk);
    pool.emplace_back([=, &fn] { fn(begin, end, t); });
  }
  for (auto& th : pool) th.join();
}

void report(const ResolveOptions& options, std::string_view stage, double fraction) {
  if (options.progress) options.progress(stage, fraction);
}

}  // namespace

core::Result<ResolveResult> resolve(RecordStore store, const ResolveOptions& options) {
  ResolveStats stats;
  stats.records = store.size();
  const std::size_t nk = store.comparators().size();

  auto start = Clock::now();
  std::vector<BlockingRule> rules;
  if (options.blocking_rules.empty()) {
    rules = default_blocking_rules(store.comparators());
  } else {
    for (const auto& text : options.blocking_rules) {
      rules.push_back(SG_TRY(parse_blocking_rule(text, store.comparators())));
    }
  }
  report(options, "blocking", 0);
  BlockingOptions blocking;
  blocking.max_block_size = options.max_block_size;
  blocking.link_only = options.link_only;
  Candidates candidates = generate_candidates(store, rules, blocking);
  stats.rules = candidates.rules;
  stats.candidate_pairs = candidates.pairs.size();
  stats.seconds_block = seconds_since(start);
  for (const auto& r : stats.rules) {
    core::log(core::LogLevel::kDebug, "resolve_blocking_rule",
              {{"rule", r.name},
               {"pairs", static_cast<std::int64_t>(r.pairs)},
               {"capped_blocks", static_cast<std::int64_t>(r.capped_blocks)}});
  }

  // Compare every candidate pair; each worker counts its own patterns.
  start = Clock::now();
  report(options, "comparing", 0);
  const std::size_t np = candidates.pairs.size();
  std::vector<Pattern> patterns(np);
  const int threads = std::max(1, options.threads);
  std::vector<std::unordered_map<Pattern, std::uint64_t>> partial(threads);
  parallel_for(np, threads, [&](std::size_t begin, std::size_t end, int worker) {
    std::uint8_t levels[kMaxComparators];
    auto& counts = partial[worker];
    for (std::size_t i = begin; i < end; ++i) {
      compare_record_pair(store, candidates.pairs[i].a, candidates.pairs[i].b, levels);
      Pattern p = pack_levels(levels, nk);
      patterns[i] = p;
      ++counts[p];
    }
  });
  std::unordered_map<Pattern, std::uint64_t> counts;
  for (const auto& part : partial) {
    for (const auto& [p, c] : part) counts[p] += c;
  }
  stats.seconds_compare = seconds_since(start);

  start = Clock::now();
  report(options, "training", 0);
  TrainingOptions training = options.training;
  training.link_only = options.link_only;
  training.threads = threads;
  Model model = Model::train(store, counts, training, &stats.training);
  stats.seconds_train = seconds_since(start);

  // Score: the pattern's weight plus term-frequency adjustments.
  start = Clock::now();
  report(options, "scoring", 0);
  std::unordered_map<Pattern, double> pattern_weights;
  for (const auto& [p, c] : counts) pattern_weights[p] = model.pattern_weight(p);
  std::vector<ScoredPair> scored(np);
  parallel_for(np, threads, [&](std::size_t begin, std::size_t end, int) {
    std::uint8_t levels[kMaxComparators];
    for (std::size_t i = begin; i < end; ++i) {
      const auto& cp = candidates.pairs[i];
      unpack_levels(patterns[i], nk, levels);
      double w = pattern_weights.at(patterns[i]) + model.tf_adjustment(store, cp.a, cp.b, levels);
      scored[i] = {cp.a, cp.b, static_cast<float>(w)};
    }
  });
  std::vector<Pattern>().swap(patterns);
  std::vector<CandidatePair>().swap(candidates.pairs);
  stats.seconds_score = seconds_since(start);

  start = Clock::now();
  report(options, "clustering", 0);
  ClusterOptions cluster;
  cluster.threshold = options.threshold;
  cluster.linkage = options.linkage;
  std::vector<std::uint32_t> entity =
      cluster_records(store, model, scored, cluster, &stats.clustering);
  for (std::uint32_t r = 0; r < entity.size(); ++r) stats.entities += entity[r] == r;
  stats.seconds_cluster = seconds_since(start);
  report(options, "done", 1);

  return ResolveResult{std::move(store), std::move(model), std::move(scored), std::move(entity),
                       std::move(stats)};
}

core::Status write_clusters(const ResolveResult& result, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return core::invalid_argument(path + ": cannot open for writing", "--output");
  std::string buf = "record_id,entity_id\n";
  for (std::uint32_t r = 0; r < result.store.size(); ++r) {
    append_csv_field(buf, result.store.id(r));
    buf += ',';
    append_csv_field(buf, result.store.id(result.entity[r]));
    buf += '\n';
    if (buf.size() > (1 << 20)) {
      out << buf;
      buf.clear();
    }
  }
  out << buf;
  out.flush();
  if (!out) return core::unavailable(path + ": write failed");
  return core::ok_status();
}

core::Status write_pairs(const ResolveResult& result, const std::string& path,
                         double min_probability) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return core::invalid_argument(path + ": cannot open for writing", "--pairs");
  std::vector<ScoredPair> pairs;
  for (const auto& p : result.pairs) {
    if (Model::probability(p.weight) >= min_probability) pairs.push_back(p);
  }
  std::sort(pairs.begin(), pairs.end(), [](const ScoredPair& x, const ScoredPair& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  std::string buf = "record_id_l,record_id_r,match_probability,match_weight\n";
  char num[64];
  for (const auto& p : pairs) {
    append_csv_field(buf, result.store.id(p.a));
    buf += ',';
    append_csv_field(buf, result.store.id(p.b));
    std::snprintf(num, sizeof num, ",%.6f,%.4f\n", Model::probability(p.weight), p.weight);
    buf += num;
    if (buf.size() > (1 << 20)) {
      out << buf;
      buf.clear();
    }
  }
  out << buf;
  out.flush();
  if (!out) return core::unavailable(path + ": write failed");
  return core::ok_status();
}

core::Result<Explanation> explain_ids(const ResolveResult& result, std::string_view id_l,
                                      std::string_view id_r) {
  std::int64_t a = result.store.find(id_l);
  if (a < 0) return core::not_found("no record with id '" + std::string(id_l) + "'");
  std::int64_t b = result.store.find(id_r);
  if (b < 0) return core::not_found("no record with id '" + std::string(id_r) + "'");
  return explain_pair(result.model, result.store, static_cast<std::uint32_t>(a),
                      static_cast<std::uint32_t>(b));
}

std::string ResolveStats::to_json(const Model& model, const RecordStore& store) const {
  std::string out = "{";
  char buf[256];
  std::snprintf(buf, sizeof buf, "\"records\":%zu,\"candidate_pairs\":%llu,\"entities\":%zu,",
                records, static_cast<unsigned long long>(candidate_pairs), entities);
  out += buf;
  out += "\"blocking_rules\":[";
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& r = rules[i];
    if (i) out += ",";
    std::snprintf(buf, sizeof buf,
                  "\"pairs\":%llu,\"blocks\":%llu,\"capped_blocks\":%llu,\"capped_records\":%llu}",
                  static_cast<unsigned long long>(r.pairs),
                  static_cast<unsigned long long>(r.blocks),
                  static_cast<unsigned long long>(r.capped_blocks),
                  static_cast<unsigned long long>(r.capped_records));
    out += "{\"rule\":\"" + core::json_escape(r.name) + "\"," + buf;
  }
  out += "],";
  std::snprintf(buf, sizeof buf,
                "\"training\":{\"iterations\":%d,\"converged\":%s,\"patterns\":%zu,"
                "\"expected_matches\":%.3f,\"all_pairs\":%.0f,\"prior\":%.9g},",
                training.iterations, training.converged ? "true" : "false", training.patterns,
                training.expected_matches, training.all_pairs, model.prior());
  out += buf;
  out += "\"fields\":[";
  for (std::size_t k = 0; k < model.fields().size(); ++k) {
    const auto& f = model.fields()[k];
    const auto& t = store.table(k);
    if (k) out += ",";
    out += "{\"field\":\"" + core::json_escape(f.name) + "\"";
    std::snprintf(buf, sizeof buf, ",\"present\":%llu,\"unparsed\":%llu,\"distinct\":%zu",
                  static_cast<unsigned long long>(t.present),
                  static_cast<unsigned long long>(t.unparsed), t.values.size() - 1);
    out += buf;
    out += ",\"levels\":[";
    for (std::size_t l = 0; l < f.m.size(); ++l) {
      if (l) out += ",";
      std::snprintf(buf, sizeof buf, "{\"m\":%.6g,\"u\":%.6g,\"weight\":%.3f}", f.m[l], f.u[l],
                    std::log2(std::max(f.m[l], 1e-6) / std::max(f.u[l], 1e-6)));
      out += buf;
    }
    out += "]}";
  }
  out += "],";
  std::snprintf(buf, sizeof buf,
                "\"clustering\":{\"links\":%llu,\"merges\":%llu,\"refused_merges\":%llu,"
                "\"linkage_pairs_scored\":%llu},",
                static_cast<unsigned long long>(clustering.links),
                static_cast<unsigned long long>(clustering.merges),
                static_cast<unsigned long long>(clustering.refused_merges),
                static_cast<unsigned long long>(clustering.linkage_pairs_scored));
  out += buf;
  std::snprintf(buf, sizeof buf,
                "\"seconds\":{\"load\":%.3f,\"block\":%.3f,\"compare\":%.3f,\"train\":%.3f,"
                "\"score\":%.3f,\"cluster\":%.3f}}",
                seconds_load, seconds_block, seconds_compare, seconds_train, seconds_score,
                seconds_cluster);
  out += buf;
  return out;
}

}  // namespace sg::resolve
