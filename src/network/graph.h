// The link graph: entities (POLE persons, vehicles, phones, online accounts, locations) and
// the links between them that concerns record, each link with its type, date, source
// concern and confidence. Built once from the store, then kept current as concerns arrive.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "core/time.h"
#include "domain/concern.h"
#include "domain/policy.h"
#include "network/entity.h"
#include "storage/store.h"

namespace sg::network {

// How sure the recorder was of a link (docs/import-formats.md §1.5). Co-occurrence (being
// named in the same concern) is weaker than any stated link.
enum class Confidence { kConfirmed, kProbable, kPossible, kCoOccurrence };
std::string_view confidence_name(Confidence c);  // confirmed|probable|possible|co_occurrence
// 1.0, 0.7, 0.4 and 0.2: the weight one piece of evidence gives a link.
double confidence_weight(Confidence c);

// A closed date range; an unset end is open.
struct Window {
  std::optional<core::Date> from;
  std::optional<core::Date> to;
  bool contains(core::Date d) const { return (!from || d >= *from) && (!to || d <= *to); }
  friend bool operator==(const Window&, const Window&) = default;
};

// Parses a window from optional ISO dates. InvalidArgument naming `from_field` or
// `to_field` when a date is malformed, outside 1900-01-01..2100-12-31, or from > to.
core::Result<Window> parse_window(std::optional<std::string_view> from,
                                  std::optional<std::string_view> to,
                                  std::string_view from_field = "from",
                                  std::string_view to_field = "to");

// One source record behind a link.
struct Evidence {
  std::string concern_id;  // The stored concern record.
  std::string agency_id;   // The agency that recorded it.
  std::string type;        // A link type of §1.5, "co_occurrence", "recorded_phone" or
                           // "recorded_address".
  core::Date date;         // The link's date, else the day the concern was received.
  Confidence confidence = Confidence::kCoOccurrence;
  core::Timestamp recorded_at;  // When the concern was first recorded (reviewers' periods).
};

// One concern naming an entity, with the role a person had in it ("child", "suspect"...;
// empty for objects and locations).
struct Mention {
  std::string concern_id;
  std::string agency_id;
  core::Date date;
  std::string role;
  core::Timestamp recorded_at;  // When the concern was first recorded (reviewers' periods).
};

// What a query may draw on: evidence dated within the window, recorded by an admitted
// agency and, for an independent reviewer, from a concern their remit covers (its agency and
// when it was first recorded: domain::ReviewerScope::covers, the rule every other read path
// applies). Build one with scope_for (network/access.h), not by hand, in request handling.
struct Scope {
  Window window;
  bool all_agencies = false;
  std::set<std::string> agencies;              // Agency ids, when !all_agencies.
  std::optional<domain::ReviewerScope> remit;  // Set for a reviewer reading by their remit.
  bool admits(std::string_view agency_id, core::Date date, core::Timestamp first_recorded) const {
    return window.contains(date) &&
           (all_agencies || agencies.find(std::string(agency_id)) != agencies.end()) &&
           (!remit || remit->covers(agency_id, first_recorded));
  }
  bool admits(const Evidence& e) const { return admits(e.agency_id, e.date, e.recorded_at); }
  bool admits(const Mention& m) const { return admits(m.agency_id, m.date, m.recorded_at); }
};

// What one concern says about who a person is, folded for comparison: the evidence on which
// two person nodes may be one person (key players' "possible same person"). Personal data:
// never log it.
struct PersonDescription {
  std::string concern_id;
  std::string given, family, nickname;  // Folded (resolve::fold); empty when not recorded.
  bool order_uncertain = false;    // From a full name without a comma: "Brown Jacob" may be either.
  std::string address;             // The first line of the recorded address, folded.
  int born_from = 0, born_to = 0;  // Birth years it allows; 0 when unknown.
  char sex = 0;                    // 'm', 'f', or 0 when not recorded.
};

struct Entity {
  std::string id;  // Opaque and stable: entity_id(kind, key).
  EntityKind kind = EntityKind::kPerson;
  std::string key;     // Canonical key; personal data.
  std::string label;   // What an analyst reads: a name, a plate, a number, a place.
  std::string detail;  // Location kind, account platform, vehicle make and colour.
  std::string postcode;
  std::string address;
  std::vector<std::string> record_ids;          // Persons: the agencies' person-record ids.
  std::vector<std::string> record_id_concerns;  // The concern that gave each of record_ids.
  std::vector<Mention> mentions;
  std::vector<PersonDescription> descriptions;  // Persons: one per concern naming them.
};

// All the evidence between two entities (a < b): one undirected edge.
struct Link {
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  std::vector<Evidence> evidence;
};

// The graph's state. Read it through LinkGraph::read; entities and links are only ever
// appended, so an index stays valid for the life of the graph.
struct GraphData {
  std::vector<Entity> entities;
  std::vector<Link> links;
  std::vector<std::vector<std::uint32_t>> incident;  // Entity index → its link indices.
  std::unordered_map<std::string, std::uint32_t> by_id;
  std::unordered_map<std::string, std::uint32_t> by_key;  // "<kind>\n<key>" → index.
  std::unordered_map<std::uint64_t, std::uint32_t> by_pair;
  std::set<std::string> agencies;  // Every agency id that recorded evidence.
  std::set<std::string> concerns;  // Concern ids already added.
  std::uint64_t version = 0;       // Bumped by every change.
};

// True when `scope` admits a mention of `entity` in concern `concern_id`.
bool admits_concern(const Entity& entity, const Scope& scope, std::string_view concern_id);
// The entity's person-record ids that come from concerns `scope` admits.
std::vector<std::string> admitted_record_ids(const Entity& entity, const Scope& scope);
// True when `entity` was named as a child in a mention `scope` admits.
bool is_child(const Entity& entity, const Scope& scope);
// True when `entity` was named as a suspect or associate in a mention `scope` admits.
bool is_suspect(const Entity& entity, const Scope& scope);

class LinkGraph {
 public:
  // `identity` decides who recorded persons are (see PersonIdentity).
  explicit LinkGraph(
      std::shared_ptr<const PersonIdentity> identity = std::make_shared<ExactPersonIdentity>());

  // Adds what one stored concern records: its entities, its typed links, the attributes of
  // its persons (phone, address) and co-occurrence links between everyone it names other
  // than reporters and professionals. A concern id already added is ignored (the start-up
  // load and the listener may both see it). `recorded_at` is when the concern was first
  // recorded (its version 1), on which a reviewer's remit turns. Returns the indices of the
  // entities touched. Thread-safe; takes the write lock.
  std::vector<std::uint32_t> add_concern(std::string_view concern_id, std::string_view agency_id,
                                         const domain::Concern& concern,
                                         core::Timestamp recorded_at = {});

  // Forgets an erased concern (MoPI review; workflow::Retention): its mentions, evidence and
  // descriptions leave every entity and link, so no snapshot, query or export admits them,
  // and an entity no other concern names is blanked (label, detail, address, record ids).
  // Entities and links stay in place, so indices held elsewhere remain valid; version()
  // grows. Returns false for a concern the graph does not hold. Thread-safe; takes the write
  // lock. What the erased concern alone added to an entity that others still name (a label
  // spelling, an agency's person-record id) stays until the graph is next loaded.
  bool forget_concern(std::string_view concern_id);

  // Adds every concern in the store (records of kind "concern"). `now` bounds the dates
  // the stored documents are re-validated against. DataLoss naming the record when a
  // stored concern no longer parses.
  core::Status load(storage::Store& store, core::Timestamp now);

  // Calls `f(const GraphData&)` under the shared lock and returns what it returns.
  // Many readers may run at once; `f` must not call back into this graph.
  template <typename F>
  auto read(F&& f) const {
    std::shared_lock lock(mu_);
    return f(data_);
  }

  std::uint64_t version() const;

 private:
  std::shared_ptr<const PersonIdentity> identity_;
  mutable std::shared_mutex mu_;
  GraphData data_;
};

}  // namespace sg::network
