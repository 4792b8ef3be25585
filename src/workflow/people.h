// People across agencies (issue 4, items 6 and 7): the online matcher over every child and
// person named in a concern, "known to N other agency records", the as-you-type lookup, an
// entity's records, and the analysts' review queue whose decisions override the model.
//
// A person record's id is "<concern id>:<ref>" (a colon, so it is one URL path segment). The
// matcher lives in memory: rebuild() reads every concern and every match decision from the store at
// start, and Casework calls add_concern() after each concern commits (Casework::use_people).
#pragma once

#include <memory>
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
#include "network/entity.h"
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

// "As known at date D" (issue 6). History is bitemporal: a concern says when things happened
// (received_at, link dates) and its versions say when each was recorded. An as-of view holds
// only what was recorded at or before D, each record as its version stood at D.

// One concern as it stood at an instant: the version current then, parsed.
struct KnownConcern {
  domain::RecordVersion version;
  domain::Concern concern;
  core::Timestamp first_recorded_at;  // Version 1's time (a reviewer's period turns on it).
};
// Every concern recorded at or before `at`, each as its version stood then, in record-id order
// (oldest first). Erased records are absent: erasure blanks every version (MoPI). DataLoss for
// a stored version that no longer parses.
core::Result<std::vector<KnownConcern>> concerns_known_at(storage::Transaction& tx,
                                                          core::Timestamp at);

// A match decision in force at an instant (the match_decision record's version current then).
struct KnownDecision {
  std::string pair_id, record_l, record_r, verdict, by;
  int version = 0;
  core::Timestamp recorded_at;
};

// People as known at `at`: a matcher loaded with the person records of concerns_known_at(at)
// and the analysts' decisions in force at `at`, the way People::rebuild loads today's. The
// entities are those a server started at `at` would have held. Immutable once built.
struct KnownPeople {
  core::Timestamp at;
  std::vector<KnownConcern> concerns;
  std::unique_ptr<resolve::OnlineMatcher> matcher;
  std::unordered_map<std::string, std::string> by_key;  // Subject key -> first record id.
  std::vector<KnownDecision> decisions;                 // Verdicts in force (not withdrawn).

  // As People::entity_of_key, at `at`.
  std::string entity_of_key(const std::string& key) const;
};

// Who a recorded person was in the link graph at `people.at`: the entity KnownPeople held
// then, else exact identity (as MatchedPersonIdentity for today). `people` must outlive it.
class KnownPersonIdentity final : public network::PersonIdentity {
 public:
  explicit KnownPersonIdentity(std::shared_ptr<const KnownPeople> people)
      : people_(std::move(people)) {}
  std::string key_of(const domain::RecordedPerson& person,
                     std::string_view concern_id) const override;

 private:
  std::shared_ptr<const KnownPeople> people_;
  network::ExactPersonIdentity exact_;
};

// InvalidArgument naming `field` when `as_of` is after `now`: nobody can know the future.
core::Status require_past(core::Timestamp as_of, core::Timestamp now, std::string_view field);

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
         resolve::OnlineMatcher& matcher)
      : store_(store), ledger_(ledger), clock_(clock), matcher_(matcher) {}

  // Loads every concern's people and then every match decision from the store. Call once,
  // before serving. Errors: DataLoss for a stored concern that no longer parses.
  core::Status rebuild();
  // Adds the people of a committed concern (Casework calls it after commit).
  void add_concern(const domain::Concern& concern, const std::string& concern_id,
                   const std::string& agency_id);
  // Forgets the person records of an erased concern (Retention::on_erased calls it after the
  // erasure commits): the matcher forgets them (OnlineMatcher::forget) and no subject key
  // leads to them any more. A key other concerns also hold leads to the earliest of those.
  // Any other id (a case, a task, a concern never held) is a no-op.
  void forget_concern(std::string_view concern_id);
  // The matcher's answer for a record not yet added; `own_key` is its exact subject key.
  SamePerson same_person(const resolve::PersonRecord& record, const std::string& own_key);
  // The entity of the record holding exact subject key `key`, or "" when none is held.
  std::string entity_of_key(const std::string& key) const;

  // For each child and person of a recorded concern: other agencies' records in the same
  // entity and possible matches, with waterfalls. NotFound for an unknown concern.
  core::Result<std::vector<KnownTo>> known_to(const Actor& actor, std::string_view concern_id);
  // The same for a concern in hand, as recorded under `agency_id` (just recorded, so not read
  // back and parsed again).
  core::Result<std::vector<KnownTo>> known_to(const Actor& actor, const domain::Concern& concern,
                                              std::string_view concern_id,
                                              std::string_view agency_id);
  // As-you-type: the entities `query` matches (probability >= the review threshold), for
  // roles that read casework. One ledger consultation naming the matched records.
  core::Result<std::vector<resolve::OnlineMatch>> lookup(const Actor& actor,
                                                         const resolve::PersonRecord& query);
  // An entity (by entity or record id): every record with its agency, role, concern and the
  // waterfall against the entity's first record. Ledger consultation. NotFound when unknown.
  core::Result<nlohmann::json> entity(const Actor& actor, std::string_view id);
  // The entity as known at `as_of` (KnownPeople): only records recorded at or before then,
  // each as its version stood then, clustered with the decisions in force then, which are
  // listed ("decisions"). `id` is an entity or record id of today; when it names a record
  // unknown at `as_of`, the earliest record of today's entity known then stands for it. Need
  // to know is today's grants (a reviewer's remit: its agencies and period). A ledger
  // consultation whose payload notes as_of. InvalidArgument ("as_of") for a future instant;
  // NotFound when nothing of the entity was known then or the caller may see none of it.
  core::Result<nlohmann::json> entity_as_of(const Actor& actor, std::string_view id,
                                            core::Timestamp as_of);
  // People as known at `at` (see KnownPeople). Reads the store in one transaction and loads
  // a matcher over every person record known then: O(records) per call; callers may cache
  // the result while `at` lies in the past and nothing is erased.
  core::Result<std::shared_ptr<const KnownPeople>> known_at(core::Timestamp at);

  // The review queue (analysts and managers). `status`: "open" (default), a verdict, or "all".
  // Pairs naming a record no longer held (its concern erased) are left out.
  core::Result<std::vector<storage::ReviewPair>> queue(const Actor& actor, std::string_view status,
                                                       std::size_t limit);
  // One queued pair with its waterfall and current decision; `version` is the decision
  // record's version (0 when undecided), for If-Match. NotFound when a side is erased.
  struct PairView {
    storage::ReviewPair pair;
    resolve::Explanation explanation;
    int version = 0;
    nlohmann::json decision;  // Null when undecided.
  };
  core::Result<PairView> pair(const Actor& actor, std::string_view pair_id);
  // Records a decision (a ledger "combination" event) and applies it to the matcher.
  // Aborted when `if_match` is not the current version; NotFound when a side is erased;
  // returns the new version.
  core::Result<int> decide(const Actor& actor, std::string_view pair_id, resolve::Verdict verdict,
                           std::string_view note, std::optional<int> if_match);
  // Withdraws the decision on a pair (a "combination" event): the model decides again.
  // FailedPrecondition when the pair has no decision; NotFound when a side is erased.
  core::Result<int> undo(const Actor& actor, std::string_view pair_id, std::optional<int> if_match);

  resolve::OnlineMatcher& matcher() { return matcher_; }

 private:
  core::Result<std::vector<KnownTo>> known_to(storage::Transaction& tx, const Actor& actor,
                                              const domain::Concern& concern,
                                              std::string_view concern_id,
                                              std::string_view agency_id);
  bool held(const std::string& record_id) const;  // Takes mutex_.
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
  resolve::OnlineMatcher& matcher_;
  // Guards held_, by_key_ and by_concern_. Taken before the matcher's lock, never after.
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Held> held_;  // By record id.
  // Subject key -> the record ids holding it, in the order added (the first answers).
  std::unordered_map<std::string, std::vector<std::string>> by_key_;
  std::unordered_map<std::string, std::vector<std::string>> by_concern_;  // -> record ids.
};

}  // namespace sg::workflow
