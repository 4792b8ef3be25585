#include "resolve/model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <thread>

#include "core/log.h"

namespace sg::resolve {
namespace {

constexpr double kMinProbability = 1e-6;
// A personal field trains m in its own session only when this many candidates agree on it.
constexpr double kMinSessionPairs = 50;

std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// u per level for every comparator. The top (exact) level comes from value frequencies,
// sum c(c-1) / (P(P-1)); the others share the rest in the proportions seen in random pairs.
std::vector<std::vector<double>> estimate_u(const RecordStore& store, const TrainingOptions& opt) {
  const std::size_t nk = store.comparators().size();
  const std::uint32_t n = static_cast<std::uint32_t>(store.live());
  std::vector<std::vector<double>> counts(nk);
  for (std::size_t k = 0; k < nk; ++k) {
    counts[k].assign(level_count(store.comparators()[k].compare), 0.0);
  }
  if (n >= 2) {
    // Draw the pairs first, by position in id order so the sample does not depend on input
    // order; then compare them on two threads. Erased records are not drawn.
    std::vector<std::uint32_t> by_id;
    by_id.reserve(n);
    for (std::uint32_t i = 0; i < store.size(); ++i) {
      if (!store.erased(i)) by_id.push_back(i);
    }
    std::sort(by_id.begin(), by_id.end(),
              [&](std::uint32_t x, std::uint32_t y) { return store.id(x) < store.id(y); });
    std::uint64_t state = opt.seed;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> sample;
    sample.reserve(opt.u_sample_pairs);
    for (std::size_t tries = 0;
         sample.size() < opt.u_sample_pairs && tries < opt.u_sample_pairs * 4; ++tries) {
      std::uint32_t a = by_id[splitmix(state) % n];
      std::uint32_t b = by_id[splitmix(state) % n];
      if (a == b) continue;
      if (opt.link_only && store.source(a).file == store.source(b).file) continue;
      sample.emplace_back(a, b);
    }
    const int threads = std::max(1, std::min(opt.threads, 8));
    std::vector<std::vector<std::vector<double>>> partial(threads, counts);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        std::vector<std::uint8_t> levels(nk);
        for (std::size_t i = t; i < sample.size(); i += threads) {
          compare_record_pair(store, sample[i].first, sample[i].second, levels.data());
          for (std::size_t k = 0; k < nk; ++k) {
            if (levels[k] != kMissing) partial[t][k][levels[k]] += 1;
          }
        }
      });
    }
    for (auto& th : pool) th.join();
    for (const auto& part : partial) {
      for (std::size_t k = 0; k < nk; ++k) {
        for (std::size_t l = 0; l < counts[k].size(); ++l) counts[k][l] += part[k][l];
      }
    }
  }
  std::vector<std::vector<double>> u(nk);
  for (std::size_t k = 0; k < nk; ++k) {
    const ValueTable& t = store.table(k);
    const int levels = static_cast<int>(counts[k].size());
    const int top = levels - 1;
    double present = static_cast<double>(t.present);
    double same = 0;
    for (const auto& v : t.values)
      same += static_cast<double>(v.count) * (v.count > 0 ? v.count - 1 : 0);
    double u_top = present > 1 ? same / (present * (present - 1)) : 0.5;
    u_top = std::clamp(u_top, kMinProbability, 1 - kMinProbability);
    double rest = 0;
    for (int l = 0; l < top; ++l) rest += counts[k][l] + 0.5;
    u[k].resize(levels);
    for (int l = 0; l < top; ++l) {
      u[k][l] = std::max(kMinProbability, (1 - u_top) * (counts[k][l] + 0.5) / rest);
    }
    u[k][top] = u_top;
  }
  return u;
}

}  // namespace

Pattern pack_levels(const std::uint8_t* levels, std::size_t n) {
  Pattern p = 0;
  for (std::size_t k = 0; k < n; ++k) {
    std::uint64_t code = levels[k] == kMissing ? 0 : static_cast<std::uint64_t>(levels[k]) + 1;
    p |= code << (4 * k);
  }
  return p;
}

void unpack_levels(Pattern p, std::size_t n, std::uint8_t* levels) {
  for (std::size_t k = 0; k < n; ++k) {
    std::uint64_t code = (p >> (4 * k)) & 0xF;
    levels[k] = code == 0 ? kMissing : static_cast<std::uint8_t>(code - 1);
  }
}

Model::Model(std::vector<FieldParameters> fields, double prior)
    : fields_(std::move(fields)), prior_(prior) {
  refresh_weights();
}

void Model::refresh_weights() {
  log2_ratio_.assign(fields_.size(), {});
  for (std::size_t k = 0; k < fields_.size(); ++k) {
    for (std::size_t l = 0; l < fields_[k].m.size(); ++l) {
      log2_ratio_[k].push_back(std::log2(std::max(fields_[k].m[l], kMinProbability) /
                                         std::max(fields_[k].u[l], kMinProbability)));
    }
  }
  double p = std::clamp(prior_, 1e-15, 0.5);
  log2_prior_odds_ = std::log2(p / (1 - p));
}

Model Model::train(const RecordStore& store,
                   const std::unordered_map<Pattern, std::uint64_t>& pattern_counts,
                   const TrainingOptions& options, TrainingReport* report) {
  const auto& comparators = store.comparators();
  const std::size_t nk = comparators.size();
  Model model;
  auto u = estimate_u(store, options);
  for (std::size_t k = 0; k < nk; ++k) {
    FieldParameters f;
    f.name = comparators[k].name;
    f.kind = comparators[k].compare;
    f.term_frequency = uses_term_frequency(f.kind);
    f.location = comparators[k].kind == FieldKind::kAddress ||
                 comparators[k].kind == FieldKind::kPostcode ||
                 comparators[k].kind == FieldKind::kLocality;
    f.u = u[k];
    const int levels = level_count(f.kind);
    // Start from "same people mostly agree exactly".
    f.m.assign(levels, 0.0);
    double rest = 0;
    for (int l = 0; l < levels - 1; ++l) rest += l + 1;
    for (int l = 0; l < levels - 1; ++l) f.m[l] = 0.1 * (l + 1) / rest;
    f.m[levels - 1] = 0.9;
    model.fields_.push_back(std::move(f));
  }

  // The patterns as level arrays, with their counts.
  std::vector<std::uint8_t> levels;
  std::vector<double> counts;
  double candidates = 0;
  // In pattern order, so that sums (and so results) do not depend on hash-map order.
  std::vector<std::pair<Pattern, std::uint64_t>> sorted(pattern_counts.begin(),
                                                        pattern_counts.end());
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [p, c] : sorted) {
    std::size_t at = levels.size();
    levels.resize(at + nk);
    unpack_levels(p, nk, levels.data() + at);
    counts.push_back(static_cast<double>(c));
    candidates += static_cast<double>(c);
  }
  const std::size_t np = counts.size();
  // All pairs the model could be asked about: every pair, or every pair across files.
  double all_pairs = 0;
  const double n = static_cast<double>(store.live());
  if (options.link_only) {
    std::vector<double> per_file(store.source_names().size() + 1, 0);
    for (std::uint32_t r = 0; r < store.size(); ++r) {
      if (!store.erased(r)) per_file[store.source(r).file] += 1;
    }
    double sum = 0, sum_sq = 0;
    for (double c : per_file) {
      sum += c;
      sum_sq += c * c;
    }
    all_pairs = (sum * sum - sum_sq) / 2;
  } else {
    all_pairs = n * (n - 1) / 2;
  }
  all_pairs = std::max(all_pairs, 1.0);
  model.prior_ = std::clamp(std::min(0.1 * candidates, n / 2) / all_pairs, 1e-12, 0.5);

  // EM over all candidate patterns. Its latent class is whatever group of pairs agrees
  // most on many fields together; where records of one household share family name,
  // address, postcode and phone, that group is the household, not the person (the
  // agreement on those fields is not independent given "different people"). So m is first
  // estimated in sessions restricted to pairs that agree exactly on a personal field (given
  // name, date of birth, an identifier), which members of one household do not share: within
  // such a session the latent class is the person. Each field's m is the average over the
  // sessions not restricted on it, weighted by their expected matches; the prior then comes
  // from EM over all candidates with m fixed. With fewer than two usable personal fields, m
  // comes from EM over all candidates as before.
  std::vector<std::size_t> anchors;
  for (std::size_t k = 0; k < nk; ++k) {
    const FieldKind kind = comparators[k].kind;
    if (kind != FieldKind::kGivenName && kind != FieldKind::kDateOfBirth &&
        kind != FieldKind::kIdentifier)
      continue;
    const auto top = static_cast<std::uint8_t>(model.fields_[k].m.size() - 1);
    double in_session = 0;
    for (std::size_t i = 0; i < np; ++i) {
      if (levels[i * nk + k] == top) in_session += counts[i];
    }
    if (in_session >= kMinSessionPairs) anchors.push_back(k);
  }
  int iteration = 0;
  bool converged = false;
  if (anchors.size() >= 2) {
    const std::vector<FieldParameters> start = model.fields_;
    std::vector<std::vector<double>> m_sum(nk), w_sum(nk);
    for (std::size_t k = 0; k < nk; ++k) {
      m_sum[k].assign(start[k].m.size(), 0.0);
      w_sum[k].assign(start[k].m.size(), 0.0);
    }
    std::vector<std::uint8_t> session_levels;
    std::vector<double> session_counts;
    for (std::size_t j : anchors) {
      const auto top = static_cast<std::uint8_t>(start[j].m.size() - 1);
      session_levels.clear();
      session_counts.clear();
      for (std::size_t i = 0; i < np; ++i) {
        const std::uint8_t* lv = levels.data() + i * nk;
        if (lv[j] != top) continue;
        session_levels.insert(session_levels.end(), lv, lv + nk);
        session_levels[session_levels.size() - nk + j] = kMissing;  // Not evidence here.
        session_counts.push_back(counts[i]);
      }
      // All pairs that agree exactly on field j (the session's candidates are a subset
      // chosen by blocking keys, as the candidates are of all pairs).
      const ValueTable& t = store.table(j);
      double same = 0;
      for (const auto& v : t.values)
        same += static_cast<double>(v.count) * (v.count > 0 ? v.count - 1 : 0) / 2;
      if (options.link_only) same *= all_pairs / std::max(1.0, n * (n - 1) / 2);
      double session_total = 0;
      for (double c : session_counts) session_total += c;
      same = std::max(same, session_total);
      model.fields_ = start;
      model.prior_ = std::clamp(0.5 * session_total / same, 1e-12, 0.5);
      double expected = 0;
      int it = run_em(model, session_levels, session_counts, same, options, true, &expected);
      iteration += it;
      for (std::size_t k = 0; k < nk; ++k) {
        if (k == j) continue;
        for (std::size_t l = 0; l < m_sum[k].size(); ++l) {
          m_sum[k][l] += expected * model.fields_[k].m[l];
          w_sum[k][l] += expected;
        }
      }
    }
    model.fields_ = start;
    for (std::size_t k = 0; k < nk; ++k) {
      if (w_sum[k].empty() || w_sum[k][0] <= 0) continue;
      for (std::size_t l = 0; l < m_sum[k].size(); ++l)
        model.fields_[k].m[l] = m_sum[k][l] / w_sum[k][l];
    }
    model.prior_ = std::clamp(std::min(0.1 * candidates, n / 2) / all_pairs, 1e-12, 0.5);
    double expected = 0;
    int it = run_em(model, levels, counts, all_pairs, options, false, &expected);
    iteration += it;
    converged = it < options.max_iterations;
    if (report) report->expected_matches = expected;
  } else if (np > 0) {
    double expected = 0;
    iteration = run_em(model, levels, counts, all_pairs, options, true, &expected);
    converged = iteration < options.max_iterations;
    if (report) report->expected_matches = expected;
  }
  model.refresh_weights();
  if (report) {
    report->iterations = iteration;
    report->converged = converged;
    report->patterns = np;
    report->all_pairs = all_pairs;
  }
  return model;
}

int Model::run_em(Model& model, const std::vector<std::uint8_t>& levels,
                  const std::vector<double>& counts, double all_pairs,
                  const TrainingOptions& options, bool update_m, double* expected_out) {
  const std::size_t nk = model.fields_.size();
  const std::size_t np = counts.size();
  std::vector<std::vector<double>> m_acc(nk);
  int iteration = 0;
  for (; iteration < options.max_iterations && np > 0; ++iteration) {
    model.refresh_weights();
    for (std::size_t k = 0; k < nk; ++k) m_acc[k].assign(model.fields_[k].m.size(), 0.0);
    double expected = 0;
    for (std::size_t i = 0; i < np; ++i) {
      const std::uint8_t* lv = levels.data() + i * nk;
      double g = probability(model.log2_prior_odds_ + model.levels_weight(lv)) * counts[i];
      expected += g;
      if (!update_m) continue;
      for (std::size_t k = 0; k < nk; ++k) {
        if (lv[k] != kMissing) m_acc[k][lv[k]] += g;
      }
    }
    double change = 0;
    for (std::size_t k = 0; k < nk && update_m; ++k) {
      auto& m = model.fields_[k].m;
      double total = 0;
      for (double v : m_acc[k]) total += v;
      // A small pseudo-count keeps every level possible.
      const double alpha = 0.5;
      for (std::size_t l = 0; l < m.size(); ++l) {
        double next = (m_acc[k][l] + alpha) / (total + alpha * static_cast<double>(m.size()));
        change = std::max(change, std::abs(next - m[l]));
        m[l] = next;
      }
    }
    double next_prior = std::clamp(expected / all_pairs, 1e-12, 0.5);
    change = std::max(change, std::abs(next_prior - model.prior_) / model.prior_);
    model.prior_ = next_prior;
    if (expected_out) *expected_out = expected;
    if (change < options.tolerance) {
      ++iteration;
      break;
    }
  }
  model.refresh_weights();
  return iteration;
}

double Model::probability(double weight) { return 1.0 / (1.0 + std::exp2(-weight)); }

int Model::counted_location(const std::uint8_t* levels) const {
  int best = -1;
  for (std::size_t k = 0; k < fields_.size(); ++k) {
    if (!fields_[k].location || levels[k] == kMissing) continue;
    double w = log2_ratio_[k][levels[k]];
    if (w > 0 && (best < 0 || w > log2_ratio_[best][levels[best]])) best = static_cast<int>(k);
  }
  return best;
}

double Model::levels_weight(const std::uint8_t* levels) const {
  const int counted = counted_location(levels);
  double w = 0;
  for (std::size_t k = 0; k < fields_.size(); ++k) {
    if (levels[k] == kMissing) continue;
    double r = log2_ratio_[k][levels[k]];
    if (fields_[k].location && r > 0 && static_cast<int>(k) != counted) continue;
    w += r;
  }
  return w;
}

double Model::pattern_weight(Pattern p) const {
  std::uint8_t levels[kMaxComparators];
  unpack_levels(p, fields_.size(), levels);
  return log2_prior_odds_ + levels_weight(levels);
}

double Model::tf_adjustment(const RecordStore& store, std::uint32_t a, std::uint32_t /*b*/,
                            const std::uint8_t* levels) const {
  double adj = 0;
  for (std::size_t k = 0; k < fields_.size(); ++k) {
    const auto& f = fields_[k];
    if (!f.term_frequency || levels[k] != f.m.size() - 1) continue;
    const ValueTable& t = store.table(k);
    if (t.present == 0) continue;
    // Exact agreement on value v: u becomes the share of records holding v (Splink's
    // term-frequency adjustment), in place of the average u of the exact level.
    double tf =
        static_cast<double>(t.values[store.value_id(k, a)].count) / static_cast<double>(t.present);
    tf = std::max(tf, 1.0 / static_cast<double>(t.present));
    adj += std::log2(f.u.back() / tf);
  }
  return adj;
}

double Model::weight(const RecordStore& store, std::uint32_t a, std::uint32_t b) const {
  std::uint8_t levels[kMaxComparators];
  compare_record_pair(store, a, b, levels);
  return pattern_weight(pack_levels(levels, fields_.size())) + tf_adjustment(store, a, b, levels);
}

std::optional<double> Model::weight_at_least(const RecordStore& store, std::uint32_t a,
                                             std::uint32_t b, double min_weight) const {
  const auto& comparators = store.comparators();
  const std::size_t n = comparators.size();
  std::uint8_t levels[kMaxComparators];
  std::size_t pending[kMaxComparators];
  std::size_t waiting = 0;
  int given = -1, family = -1;
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint32_t va = store.value_id(k, a), vb = store.value_id(k, b);
    if (comparators[k].compare == CompareKind::kName) {
      (comparators[k].kind == FieldKind::kGivenName ? given : family) = static_cast<int>(k);
    }
    if (comparators[k].compare != CompareKind::kName || va == 0 || vb == 0 || va == vb) {
      levels[k] = compare_level(store, k, a, b);
      continue;
    }
    // Until it is compared, a name that differs counts at its most favourable level below
    // exact, which bounds the weight from above: names add log2(m/u) of their level, and
    // only exact agreement carries a term-frequency adjustment.
    const auto& ratio = log2_ratio_[k];
    levels[k] =
        static_cast<std::uint8_t>(std::max_element(ratio.begin(), ratio.end() - 1) - ratio.begin());
    pending[waiting++] = k;
  }
  auto bound = [&] {
    return pattern_weight(pack_levels(levels, fields_.size())) + tf_adjustment(store, a, b, levels);
  };
  // Names written the other way round are scored by compare_record_pair as a pair; leave
  // such records to weight().
  if (given >= 0 && family >= 0 && store.value_id(given, a) != 0 &&
      store.value_id(family, a) != 0 && store.value(given, a).text == store.value(family, b).text &&
      store.value(family, a).text == store.value(given, b).text) {
    double w = weight(store, a, b);
    return w >= min_weight ? std::optional<double>(w) : std::nullopt;
  }
  for (std::size_t i = 0; i < waiting; ++i) {
    if (bound() < min_weight) return std::nullopt;
    levels[pending[i]] = compare_level(store, pending[i], a, b);
  }
  // Every level is now what compare_record_pair gives, so this is weight() exactly.
  double w = bound();
  return w >= min_weight ? std::optional<double>(w) : std::nullopt;
}

Explanation explain_pair(const Model& model, const RecordStore& store, std::uint32_t a,
                         std::uint32_t b) {
  Explanation e;
  e.record_l = store.id(a);
  e.record_r = store.id(b);
  e.prior = model.prior();
  e.prior_weight = model.pattern_weight(0);
  std::uint8_t levels[kMaxComparators];
  compare_record_pair(store, a, b, levels);
  const auto& fields = model.fields();
  double total = e.prior_weight;
  for (std::size_t k = 0; k < fields.size(); ++k) {
    ExplanationTerm t;
    t.field = fields[k].name;
    if (levels[k] == kMissing) {
      t.label = "missing";
    } else {
      t.level = levels[k];
      t.label = level_labels(fields[k].kind)[levels[k]];
      t.m = fields[k].m[levels[k]];
      t.u = fields[k].u[levels[k]];
      t.weight = std::log2(std::max(t.m, kMinProbability) / std::max(t.u, kMinProbability));
      const int counted = model.counted_location(levels);
      if (fields[k].location && t.weight > 0 && static_cast<int>(k) != counted) {
        t.label += " (counted in " + fields[counted].name + ")";
        t.weight = 0;
      }
      std::uint8_t only[kMaxComparators];
      std::fill(only, only + fields.size(), kMissing);
      only[k] = levels[k];
      t.tf_adjustment = model.tf_adjustment(store, a, b, only);
    }
    total += t.weight + t.tf_adjustment;
    e.terms.push_back(std::move(t));
  }
  e.total_weight = total;
  e.probability = Model::probability(total);
  return e;
}

std::string Explanation::to_text() const {
  std::string out;
  char buf[256];
  out += "pair " + record_l + " / " + record_r + "\n";
  std::snprintf(buf, sizeof buf, "  %-28s %-48s %+8.2f  (P(match) = %.3g)\n", "prior", "",
                prior_weight, prior);
  out += buf;
  for (const auto& t : terms) {
    std::string level = t.level < 0 ? t.label : std::to_string(t.level) + " " + t.label;
    std::snprintf(buf, sizeof buf, "  %-28s %-48s %+8.2f", t.field.c_str(), level.c_str(),
                  t.weight + t.tf_adjustment);
    out += buf;
    if (t.level >= 0) {
      std::snprintf(buf, sizeof buf, "  (m=%.4g u=%.4g", t.m, t.u);
      out += buf;
      if (t.tf_adjustment != 0) {
        std::snprintf(buf, sizeof buf, ", term frequency %+.2f", t.tf_adjustment);
        out += buf;
      }
      out += ")";
    }
    out += "\n";
  }
  std::snprintf(buf, sizeof buf, "  %-28s %-48s %+8.2f\n  match probability %.6f\n", "total", "",
                total_weight, probability);
  out += buf;
  return out;
}

std::string Explanation::to_json() const {
  std::string out;
  char buf[128];
  out += "{\"record_id_l\":\"" + core::json_escape(record_l) + "\",\"record_id_r\":\"" +
         core::json_escape(record_r) + "\"";
  std::snprintf(buf, sizeof buf, ",\"prior\":%.9g,\"prior_weight\":%.6f,\"terms\":[", prior,
                prior_weight);
  out += buf;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const auto& t = terms[i];
    if (i) out += ",";
    out += "{\"field\":\"" + core::json_escape(t.field) +
           "\",\"level\":" + std::to_string(t.level) + ",\"label\":\"" +
           core::json_escape(t.label) + "\"";
    std::snprintf(buf, sizeof buf, ",\"m\":%.9g,\"u\":%.9g,\"weight\":%.6f,\"tf_adjustment\":%.6f}",
                  t.m, t.u, t.weight, t.tf_adjustment);
    out += buf;
  }
  std::snprintf(buf, sizeof buf, "],\"match_weight\":%.6f,\"match_probability\":%.9f}",
                total_weight, probability);
  out += buf;
  return out;
}

}  // namespace sg::resolve
