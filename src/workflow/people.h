// People across agencies (issue 4, items 6 and 7): the online matcher over every child and
// person named in a concern, "known to N other agency records", the as-you-type lookup, an
// entity's records, and the analysts' review queue whose decisions override the model.
//
// A person record's id is "<concern id>:<ref>" (a colon, so it is one URL path segment). The
// matcher lives in memory: rebuild() reads every concern and every match decision from the store at
// start, and Casework calls add_concern() after each concern commits (Casework::use_people).
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "audit/ledger.h"
#include "core/id.h"
#include "core/time.h"
#include "domain/concern.h"
#include "resolve/online.h"
#include "storage/store.h"
#include "workflow/permissions.h"

namespace sg::workflow {

std::string person_record_id(std::string_view concern_id, std::string_view ref);
// The exact subject key of a recorded person (domain::RecordedPerson::identity_key), or a key
// that can never match another record when the person cannot be identified.
std::string subject_key_of(const domain::RecordedPerson& person, std::string_view concern_id);
// The matcher's view of one recorded child or person. An approximate age becomes "about A on
// <date received>", a range of birth years.
resolve::PersonRecord person_record(const domain::RecordedPerson& person,
                                    std::string_view concern_id, std::string_view agency_id,
                                    core::Timestamp received_at);

// What the matcher says about a new record before it is added (see Casework::intake).
struct SamePerson {
  std::vector<std::string> subject_keys;       // Keys of every record of the matched entities.
  std::string entity_id;                       // The best high-confidence match's entity, or "".
  std::vector<resolve::OnlineMatch> possible;  // Between the review and link thresholds.
};

// One other-agency record known to be (or possibly be) the same person.
struct KnownMatch {
  std::string record_id, entity_id, agency_id;
  double probability = 0;
  resolve::Explanation explanation;
};
struct KnownTo {
  std::string ref, record_id, entity_id;
  std::vector<KnownMatch> matches;   // Same entity, other agencies.
  std::vector<KnownMatch> possible;  // Review band, other agencies.
};
nlohmann::json known_to_json(const std::vector<KnownTo>& known);
nlohmann::json explanation_json(const resolve::Explanation& e);

class People {
 public:
  // All references must outlive the service. Thread-safe.
  People(storage::Store& store, audit::Ledger& ledger, const core::Clock& clock,
         core::IdGenerator& ids, resolve::OnlineMatcher& matcher)
      : store_(store), ledger_(ledger), clock_(clock), ids_(ids), matcher_(matcher) {}

  // Loads every concern's people and then every match decision from the store. Call once,
  // before serving. Errors: DataLoss for a stored concern that no longer parses.
  core::Status rebuild();
  // Adds the people of a committed concern (Casework calls it after commit).
  void add_concern(const domain::Concern& concern, const std::string& concern_id,
                   const std::string& agency_id);
  // The matcher's answer for a record not yet added; `own_key` is its exact subject key.
  SamePerson same_person(const resolve::PersonRecord& record, const std::string& own_key);
  // The entity of the record holding exact subject key `key`, or "" when none is held.
  std::string entity_of_key(const std::string& key) const;

  // For each child and person of a recorded concern: other agencies' records in the same
  // entity and possible matches, with waterfalls. NotFound for an unknown concern.
  core::Result<std::vector<KnownTo>> known_to(const Actor& actor, std::string_view concern_id);
  // As-you-type: the entities `query` matches (probability >= the review threshold), for
  // roles that read casework. One ledger consultation naming the matched records.
  core::Result<std::vector<resolve::OnlineMatch>> lookup(const Actor& actor,
                                                         const resolve::PersonRecord& query);
  // An entity (by entity or record id): every record with its agency, role, concern and the
  // waterfall against the entity's first record. Ledger consultation. NotFound when unknown.
  core::Result<nlohmann::json> entity(const Actor& actor, std::string_view id);

  // The review queue (analysts and managers). `status`: "open" (default), a verdict, or "all".
  core::Result<std::vector<storage::ReviewPair>> queue(const Actor& actor, std::string_view status,
                                                       std::size_t limit);
  // One queued pair with its waterfall and current decision; `version` is the decision
  // record's version (0 when undecided), for If-Match.
  struct PairView {
    storage::ReviewPair pair;
    resolve::Explanation explanation;
    int version = 0;
    nlohmann::json decision;  // Null when undecided.
  };
  core::Result<PairView> pair(const Actor& actor, std::string_view pair_id);
  // Records a decision (a ledger "combination" event) and applies it to the matcher.
  // Aborted when `if_match` is not the current version; returns the new version.
  core::Result<int> decide(const Actor& actor, std::string_view pair_id, resolve::Verdict verdict,
                           std::string_view note, std::optional<int> if_match);
  // Withdraws the decision on a pair (a "combination" event): the model decides again.
  // FailedPrecondition when the pair has no decision.
  core::Result<int> undo(const Actor& actor, std::string_view pair_id, std::optional<int> if_match);

  resolve::OnlineMatcher& matcher() { return matcher_; }

 private:
  void remember(const std::string& record_id, const std::string& subject_key,
                const std::string& role, const std::string& concern_id);
  core::Result<int> write_decision(const Actor& actor, std::string_view pair_id,
                                   std::optional<resolve::Verdict> verdict, std::string_view note,
                                   std::optional<int> if_match);

  struct Held {
    std::string subject_key, role, concern_id;
  };
  storage::Store& store_;
  audit::Ledger& ledger_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  resolve::OnlineMatcher& matcher_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Held> held_;           // By record id.
  std::unordered_map<std::string, std::string> by_key_;  // Subject key -> first record id.
};

}  // namespace sg::workflow
