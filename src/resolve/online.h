// The online matcher (issue 4, item 6): an in-memory index of every person record the
// agencies have recorded, which matches one new record against all of them in milliseconds,
// keeps the entities (clusters) current as records arrive, and applies analysts' review
// decisions. It reuses the batch engine's parts: the same normalisers (RecordStore), blocking
// rules (as inverted indexes), comparison levels, Fellegi-Sunter model and waterfall.
//
// Model parameters online: with fewer than OnlineOptions::min_training_records records the
// shipped default model (default_person_model) is used, since EM needs many pairs; at or
// above it, load() and retrain() estimate the model by the batch EM on the records held (no
// ground truth, as in batch). Entities follow the batch rules: links at or above
// link_threshold, merged strongest first with the average-linkage check against chaining, and
// an entity's id is the smallest record id among its members.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "resolve/blocking.h"
#include "resolve/model.h"
#include "resolve/records.h"

namespace sg::resolve {

// One person as one agency recorded them, in the fields the matcher compares. Empty = missing.
struct PersonRecord {
  std::string id;  // Unique, e.g. "<concern id>:<person ref>".
  std::string agency_id;
  std::string given_name, family_name, full_name;
  // As recorded (see parse_partial_date), or an approximate age on a date ("about 14 on
  // 2024-06-01", see parse_birth_date).
  std::string date_of_birth;
  std::string sex, address, postcode, phone, email;
  std::string nhs_number, pnc_id, upn;
};

// The field mappings of PersonRecord, in the order records are added.
const std::vector<FieldMapping>& person_fields();
// The model used until there are enough records to estimate one: hand-set m and u per level
// (docs/entity-resolution.md, "Online matching"), prior 1e-4, no term-frequency adjustment
// (frequencies mean little in a small store).
Model default_person_model(const std::vector<Comparator>& comparators);

enum class Verdict { kSame, kDifferent, kUnsure };
std::string_view verdict_name(Verdict verdict);  // same, different, unsure
core::Result<Verdict> parse_verdict(std::string_view text, std::string_view field);

struct OnlineOptions {
  // At or above: a link, and "the same person" for alerts and case lookup.
  double link_threshold = 0.95;
  // At or above (and below link_threshold): a possible match for an analyst to review.
  double review_threshold = 0.5;
  double linkage = 0.5;                     // Average linkage needed to merge groups.
  std::size_t max_block = 250;              // Newest records read per block when matching.
  std::size_t min_training_records = 2000;  // Below this, the default model.
  std::size_t max_linkage_pairs = 4000;     // Cross pairs scored per merge check, at most.
};

struct OnlineMatch {
  std::string record_id;
  std::string entity_id;
  std::string agency_id;
  double weight = 0;
  double probability = 0;
  Explanation explanation;
};

struct EntityView {
  std::string entity_id;
  std::vector<std::string> record_ids;  // In id order.
};

// Thread-safe: a reader/writer lock guards the index. Calls that only read (entity_of, entity,
// explain, review_candidates_of) share it; load, add, match, decide, undo, retrain and forget
// hold it alone (match scores its query as a temporary record).
class OnlineMatcher {
 public:
  explicit OnlineMatcher(OnlineOptions options = {});

  // Bulk-loads records (the store at start): indexes them, estimates the model by EM when
  // there are enough, links every blocked pair at or above the link threshold and clusters.
  // Records already held are kept. Errors: AlreadyExists / InvalidArgument for a bad id.
  core::Status load(const std::vector<PersonRecord>& records);
  // Adds one record, links it to what it matches and re-clusters around it. Returns its
  // entity id. Errors: AlreadyExists for a known id, InvalidArgument for an empty id.
  core::Result<std::string> add(const PersonRecord& record);
  // The records `query` matches with probability >= min_probability, best first, at most
  // `limit`, with their waterfalls (the query's side is named query.id or "query"). The
  // query is not kept. A record with the query's id is not matched with itself.
  std::vector<OnlineMatch> match(const PersonRecord& query, double min_probability,
                                 std::size_t limit = 50);
  // The entity holding a record, or nullopt for an unknown record.
  std::optional<std::string> entity_of(std::string_view record_id) const;
  // The records of an entity (by entity id or any member's id). NotFound when unknown.
  core::Result<EntityView> entity(std::string_view id) const;
  // The waterfall of two held records. NotFound naming the side that is unknown.
  core::Result<Explanation> explain(std::string_view id_l, std::string_view id_r) const;
  // Pairs of held records scored in [review_threshold, link_threshold) where both are
  // held, as (record_l, record_r, probability), found when the later record was added.
  struct Candidate {
    std::string record_l, record_r;
    double probability;
  };
  std::vector<Candidate> review_candidates_of(std::string_view record_id) const;

  // An analyst's decision on a pair overrides the model: same forces a merge, different
  // forbids one (directly or by chaining), unsure changes nothing. Re-clusters the pair's
  // neighbourhood. NotFound for an unknown record; InvalidArgument for a pair with itself.
  core::Status decide(std::string_view id_l, std::string_view id_r, Verdict verdict);
  // Withdraws the decision on a pair (no-op when none). NotFound for an unknown record.
  core::Status undo(std::string_view id_l, std::string_view id_r);

  // Re-estimates the model by EM on the records held (when there are enough) and rebuilds the
  // links and entities. Returns true when an estimated model is in use afterwards.
  bool retrain();

  // Forgets the held records among `record_ids` (retention erasure, docs/retention.md) as if
  // they had never been added: their values leave the value tables and counts (a value no
  // other record holds is forgotten outright), their blocking postings, links, review-band
  // pairs and the analysts' decisions naming them go, pairs they had crowded out of a capped
  // block (max_block) are compared, and the entities around them are re-clustered, so records
  // they alone joined split. Unknown ids are skipped; returns how many were forgotten.
  // Entity ids are record ids, never reused: an entity that a forgotten record named takes
  // the smallest remaining member's id, as on any split, and an entity whose records are all
  // forgotten is gone (entity() and entity_of() answer NotFound / nullopt for the old id). An
  // estimated model (trained()) keeps its parameters until retrain() or the next load().
  std::size_t forget(const std::vector<std::string>& record_ids);

  // Records held (forgotten ones excluded).
  std::size_t size() const;
  bool trained() const;
  const OnlineOptions& options() const { return options_; }

 private:
  struct Edge {
    std::uint32_t other;
    float weight;
  };
  core::Result<std::uint32_t> append(const PersonRecord& record);
  void index_record(std::uint32_t r);
  // Held records sharing a blocking key with `r` (excluding r), newest first per block.
  std::vector<std::uint32_t> candidates(std::uint32_t r) const;
  void link(std::uint32_t a, std::uint32_t b, double weight);
  // Links or queues a pair by its weight, weighing it only when it can reach the review band.
  void link_if_close(std::uint32_t a, std::uint32_t b);
  void rebuild_links();
  // Forgets one held record (see forget()).
  void forget_record(std::uint32_t r);
  // Pairs that a capped block compares once `r` leaves it, in the order records were linked:
  // for a record linked when added, the next older record moves into its window; for records
  // linked by the last rebuild_links, the record just outside the newest max_block.
  void pairs_uncovered_by(std::uint32_t r,
                          std::vector<std::pair<std::uint32_t, std::uint32_t>>& out) const;
  bool weighed(std::uint32_t a, std::uint32_t b) const;  // A link or review-band pair exists.
  // Re-clusters the component (strong links and "same" decisions) holding `seed`.
  void recluster(std::uint32_t seed);
  double probability(std::uint32_t a, std::uint32_t b) const;
  core::Result<std::uint32_t> require(std::string_view id, std::string_view field) const;
  static std::uint64_t pair_key(std::uint32_t a, std::uint32_t b);

  OnlineOptions options_;
  mutable std::shared_mutex mutex_;
  RecordStore store_;
  Model model_;
  bool trained_ = false;
  std::vector<BlockingRule> rules_;
  std::vector<std::unordered_map<std::uint64_t, std::vector<std::uint32_t>>> index_;
  std::vector<std::string> agency_;
  std::vector<std::vector<Edge>> links_;                  // Strong links per record.
  std::vector<std::vector<Edge>> possible_;               // Review-band pairs, to the earlier.
  std::unordered_map<std::uint64_t, Verdict> decisions_;  // By pair_key.
  std::vector<std::vector<std::uint32_t>> same_;          // "same" decisions per record.
  std::vector<std::uint32_t> entity_;                     // Record naming each record's entity.
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> members_;
  // Records numbered below this were linked by the last rebuild_links (load, retrain); the
  // rest when they were added.
  std::uint32_t rebuilt_below_ = 0;
};

}  // namespace sg::resolve
