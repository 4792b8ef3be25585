// Clustering: turns scored pairs into entities.
//
// Pairs at or above the match threshold are taken strongest first. Two singletons joined by
// such a pair merge. Otherwise two groups merge only when their average linkage, the mean
// match probability over every pair across them (scored with the model, whether or not the
// pair was a blocking candidate), reaches `linkage`; so one strong edge between two
// well-separated groups (a weak bridge) does not chain them into one entity.
//
// Entity ids are stable: an entity's id is the smallest record id (byte order) among its
// members. It depends only on which records are in the entity, not on input order or on
// other entities, so re-running on unchanged records gives the same ids, and adding an
// unrelated record changes no id.
#pragma once

#include <cstdint>
#include <vector>

#include "resolve/model.h"
#include "resolve/records.h"

namespace sg::resolve {

struct ScoredPair {
  std::uint32_t a;
  std::uint32_t b;
  float weight;  // Match weight in bits; probability = 1 / (1 + 2^-weight).
};

struct ClusterOptions {
  double threshold = 0.9;                 // Pairs at or above this probability are links.
  double linkage = 0.5;                   // Average probability needed to merge two groups.
  std::size_t max_linkage_pairs = 40000;  // Cross pairs scored per merge check, at most.
};

struct ClusterStats {
  std::uint64_t links = 0;  // Pairs at or above the threshold.
  std::uint64_t merges = 0;
  std::uint64_t refused_merges = 0;  // Weak bridges not followed.
  std::uint64_t linkage_pairs_scored = 0;
};

// Returns, for each record, the index of the record whose id names its entity.
std::vector<std::uint32_t> cluster_records(const RecordStore& store, const Model& model,
                                           const std::vector<ScoredPair>& pairs,
                                           const ClusterOptions& options,
                                           ClusterStats* stats = nullptr);

}  // namespace sg::resolve
