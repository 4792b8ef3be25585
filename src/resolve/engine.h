// Batch entity resolution end to end: load and normalise the inputs, generate candidate
// pairs by blocking, compare, train the model, score, cluster, and write the results.
// This is what `safeguard resolve` runs (issue 4, item 8).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "resolve/blocking.h"
#include "resolve/cluster.h"
#include "resolve/model.h"
#include "resolve/records.h"

namespace sg::resolve {

struct ResolveOptions {
  double threshold = 0.9;  // Match probability at which a pair links two records.
  double linkage = 0.5;    // Average linkage needed to merge groups (see cluster.h).
  bool link_only = false;  // Score only pairs of records from different files.
  std::vector<std::string> blocking_rules;  // Empty: default_blocking_rules().
  std::size_t max_block_size = 500;
  int threads = 2;
  TrainingOptions training;
  // Called with a stage name and the fraction done, from the calling thread only.
  std::function<void(std::string_view stage, double fraction)> progress;
};

struct ResolveStats {
  std::size_t records = 0;
  std::vector<RuleStats> rules;
  std::uint64_t candidate_pairs = 0;
  TrainingReport training;
  ClusterStats clustering;
  std::size_t entities = 0;
  double seconds_load = 0, seconds_block = 0, seconds_compare = 0, seconds_train = 0,
         seconds_score = 0, seconds_cluster = 0;

  // One JSON object with the counts, the model's parameters and the timings (no values from
  // the records: ids and counts only).
  std::string to_json(const Model& model, const RecordStore& store) const;
};

struct ResolveResult {
  RecordStore store;
  Model model;
  std::vector<ScoredPair> pairs;      // Every candidate pair with its weight.
  std::vector<std::uint32_t> entity;  // Per record: the record naming its entity.
  ResolveStats stats;
};

// Runs resolution over a loaded store. Errors: InvalidArgument for a bad blocking rule.
core::Result<ResolveResult> resolve(RecordStore store, const ResolveOptions& options);

// Writes clusters.csv: header record_id,entity_id and one row per record in input order.
core::Status write_clusters(const ResolveResult& result, const std::string& path);
// Writes pairs.csv: record_id_l,record_id_r,match_probability,match_weight for each scored
// pair with probability >= min_probability, in input order of the left then right record.
core::Status write_pairs(const ResolveResult& result, const std::string& path,
                         double min_probability);
// Explains the pair of records with these ids. Errors: NotFound naming the unknown id.
core::Result<Explanation> explain_ids(const ResolveResult& result, std::string_view id_l,
                                      std::string_view id_r);

}  // namespace sg::resolve
