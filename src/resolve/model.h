// The Fellegi-Sunter match model, estimated without supervision.
//
// For each comparator and comparison level, m = P(level | same person) and u = P(level |
// different people). A pair's match weight is log2 of the prior odds plus, for each compared
// field, log2(m/u) of its level, plus a term-frequency adjustment when the field agrees
// exactly on a value (a rare surname weighs more than a common one). Missing values add 0.
//
// u comes from random pairs (exact levels from value frequencies). m and the prior come from
// EM over the counts of distinct agreement patterns among the candidate pairs (as fastLink
// does): with u fixed, the E-step gives each pattern a match probability and the M-step
// re-estimates m and the expected number of matches, whose share of all pairs is the prior.
// Because the candidate pairs are chosen by blocking keys that depend only on compared
// values, the posterior computed with the all-pairs prior and u is the posterior for the
// candidates too, so no correction for blocking is needed.
//
// A trained Model is immutable and scores any pair of records in a RecordStore, including
// records added after training: the online matcher (issue 4, item 6) reuses it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "resolve/compare.h"
#include "resolve/records.h"

namespace sg::resolve {

// A comparison vector packed 4 bits per comparator: 0 = missing, level + 1 otherwise.
using Pattern = std::uint64_t;
Pattern pack_levels(const std::uint8_t* levels, std::size_t n);
void unpack_levels(Pattern p, std::size_t n, std::uint8_t* levels);

struct FieldParameters {
  std::string name;
  CompareKind kind;
  std::vector<double> m;  // Per level, lowest first.
  std::vector<double> u;
  bool term_frequency = false;
  // Address, postcode, locality: where one agrees the others mostly do too, for different
  // people as much as for one (a household, a street), so of their positive weights only the
  // largest counts. Disagreement still counts on each.
  bool location = false;
};

struct TrainingOptions {
  std::size_t u_sample_pairs = 200000;  // Random pairs sampled to estimate u.
  int threads = 2;
  std::uint64_t seed = 20240601;  // For the random pairs; fixed so runs repeat.
  int max_iterations = 200;
  double tolerance = 1e-7;
  bool link_only = false;  // Random pairs, and the count of all pairs, span files.
};

struct TrainingReport {
  int iterations = 0;
  bool converged = false;
  std::size_t patterns = 0;
  double expected_matches = 0;  // Among the candidate pairs.
  double all_pairs = 0;
};

class Model {
 public:
  // Fits u from random pairs of `store` and m and the prior by EM on `pattern_counts` (distinct
  // comparison patterns of the candidate pairs and how many pairs had each).
  static Model train(const RecordStore& store,
                     const std::unordered_map<Pattern, std::uint64_t>& pattern_counts,
                     const TrainingOptions& options, TrainingReport* report = nullptr);
  // A model from given parameters (tests; a stored model).
  Model(std::vector<FieldParameters> fields, double prior);

  // P(two random records are the same person).
  double prior() const { return prior_; }
  const std::vector<FieldParameters>& fields() const { return fields_; }

  // The match weight of a pattern, without term-frequency adjustments.
  double pattern_weight(Pattern p) const;
  // The sum of log2(m/u) over fields at these levels (kMissing adds 0), with only the largest
  // positive weight of the location fields counted.
  double levels_weight(const std::uint8_t* levels) const;
  // The location field whose positive weight counts, or -1 when none agrees.
  int counted_location(const std::uint8_t* levels) const;
  // The term-frequency adjustment (bits) for records a, b with these levels.
  double tf_adjustment(const RecordStore& store, std::uint32_t a, std::uint32_t b,
                       const std::uint8_t* levels) const;
  // The full match weight of records a and b. Thread-safe.
  double weight(const RecordStore& store, std::uint32_t a, std::uint32_t b) const;
  // weight(store, a, b) when it is at least `min_weight`, else std::nullopt. Cheaper than
  // weight() for most pairs that fall short: names that differ are compared (Jaro-Winkler)
  // only while the pair could still reach `min_weight`. Thread-safe.
  std::optional<double> weight_at_least(const RecordStore& store, std::uint32_t a, std::uint32_t b,
                                        double min_weight) const;

  static double probability(double weight);

 private:
  Model() = default;
  void refresh_weights();
  // EM over patterns (`levels`, nk per pattern, with `counts`) drawn from `all_pairs` pairs:
  // updates the prior, and m too when `update_m`. Returns the iterations run.
  static int run_em(Model& model, const std::vector<std::uint8_t>& levels,
                    const std::vector<double>& counts, double all_pairs,
                    const TrainingOptions& options, bool update_m, double* expected_out);

  std::vector<FieldParameters> fields_;
  std::vector<std::vector<double>> log2_ratio_;  // [field][level] = log2(m/u).
  double prior_ = 0;
  double log2_prior_odds_ = 0;
};

// A waterfall: how a pair's weight builds up from the prior, field by field.
struct ExplanationTerm {
  std::string field;
  int level = -1;  // -1 when a value is missing.
  std::string label;
  double m = 0, u = 0;
  double weight = 0;         // log2(m/u), 0 when missing.
  double tf_adjustment = 0;  // Added for exact agreement on a rarer or commoner value.
};
struct Explanation {
  std::string record_l, record_r;
  double prior = 0;
  double prior_weight = 0;
  std::vector<ExplanationTerm> terms;
  double total_weight = 0;
  double probability = 0;

  std::string to_text() const;
  std::string to_json() const;
};
Explanation explain_pair(const Model& model, const RecordStore& store, std::uint32_t a,
                         std::uint32_t b);

}  // namespace sg::resolve
