// People across agencies: the online matcher fed from concerns, and the review queue.
#include "workflow/people.h"

#include <algorithm>
#include <set>

#include "workflow/need_to_know.h"

namespace sg::workflow {
namespace {

using nlohmann::json;

template <typename F>
void for_each_person(const domain::Concern& concern, F f) {
  for (const auto& child : concern.children) f(child);
  for (const auto& person : concern.persons) f(person);
}

core::Result<std::pair<std::string, std::string>> split_record_id(std::string_view id) {
  auto colon = id.find(':');
  if (colon == std::string_view::npos) return core::not_found("no such person record");
  return std::pair{std::string(id.substr(0, colon)), std::string(id.substr(colon + 1))};
}

// True when the viewer may know that the agency holds the concern `concern_id` (the person
// index): need to know of its agency's person index, and for a reviewer, first recorded
// within their remit's period.
bool indexed_concern(storage::Transaction& tx, const NeedToKnow& need,
                     std::string_view concern_id) {
  auto version = tx.record(concern_id);
  if (!version.ok()) return need.grants().is_system();
  auto first = first_recorded_at(tx, *version);
  return first.ok() &&
         need.may_see_agency(version->agency_id, domain::Category::kPersonIndex, *first);
}

// The same for a person record ("<concern id>:<ref>").
bool indexed(storage::Transaction& tx, const NeedToKnow& need, std::string_view record_id) {
  auto parts = split_record_id(record_id);
  if (!parts.ok()) return need.grants().is_system();
  return indexed_concern(tx, need, parts->first);
}

// The person `ref` in a concern document, or null.
json person_in(const json& body, std::string_view ref) {
  json person;
  for (const char* list : {"children", "persons"}) {
    if (!body.is_object() || !body.contains(list) || !body[list].is_array()) continue;
    for (const auto& p : body[list]) {
      if (p.is_object() && p.value("ref", "") == ref) person = p;
    }
  }
  return person;
}

// Stored concerns were valid when recorded; re-reading them against their own recording time
// with generous limits only rebuilds the typed view (as network::LinkGraph::load does).
core::Result<domain::Concern> reparse(const domain::RecordVersion& v) {
  auto body = json::parse(v.body, nullptr, false);
  if (body.is_discarded()) return core::data_loss("stored concern " + v.record_id + " is corrupt");
  auto concern = domain::parse_concern(
      body, v.recorded_at,
      {.max_narrative_bytes = 1 << 30, .max_field_bytes = 1 << 20, .max_items = 1 << 20});
  if (!concern.ok()) {
    return core::data_loss("stored concern " + v.record_id + " no longer parses");
  }
  return concern;
}

}  // namespace

core::Result<std::vector<KnownConcern>> concerns_known_at(storage::Transaction& tx,
                                                          core::Timestamp at) {
  // for_each_record visits today's versions. One recorded at or before `at` is the version
  // of then too; a later one means an earlier version (or none: recorded after `at`) stood.
  std::vector<domain::RecordVersion> versions;
  std::vector<std::string> later;
  SG_TRY(tx.for_each_record("concern", [&](const domain::RecordVersion& v) -> core::Status {
    if (v.recorded_at <= at) {
      versions.push_back(v);
    } else if (v.version > 1) {
      later.push_back(v.record_id);
    }
    return {};
  }));
  for (const auto& id : later) {
    auto v = tx.record(id, at);
    if (v.ok()) {
      versions.push_back(std::move(*v));
    } else if (v.error().code != core::Code::kNotFound) {
      return v.error();
    }
  }
  std::sort(versions.begin(), versions.end(),
            [](const auto& a, const auto& b) { return a.record_id < b.record_id; });
  std::vector<KnownConcern> out;
  out.reserve(versions.size());
  for (auto& v : versions) {
    auto concern = SG_TRY(reparse(v));
    auto first = SG_TRY(first_recorded_at(tx, v));
    out.push_back({std::move(v), std::move(concern), first});
  }
  return out;
}

std::string KnownPeople::entity_of_key(const std::string& key) const {
  auto it = by_key.find(key);
  if (it == by_key.end()) return {};
  return matcher->entity_of(it->second).value_or("");
}

std::string KnownPersonIdentity::key_of(const domain::RecordedPerson& person,
                                        std::string_view concern_id) const {
  auto entity = people_->entity_of_key(subject_key_of(person, concern_id));
  if (entity.empty()) return exact_.key_of(person, concern_id);
  return "entity:" + entity;
}

core::Status require_past(core::Timestamp as_of, core::Timestamp now, std::string_view field) {
  if (as_of > now) return core::invalid_argument("must not be in the future", std::string(field));
  return {};
}

std::string person_record_id(std::string_view concern_id, std::string_view ref) {
  return std::string(concern_id) + ":" + std::string(ref);
}

std::string subject_key_of(const domain::RecordedPerson& p, std::string_view concern_id) {
  auto key = p.identity_key();
  return key.empty() ? "unidentified:" + std::string(concern_id) + ":" + p.ref : key;
}

resolve::PersonRecord person_record(const domain::RecordedPerson& p, std::string_view concern_id,
                                    std::string_view agency_id, core::Timestamp received_at) {
  resolve::PersonRecord r;
  r.id = person_record_id(concern_id, p.ref);
  r.agency_id = std::string(agency_id);
  r.given_name = p.given_name;
  r.family_name = p.family_name;
  r.full_name = p.full_name;
  r.date_of_birth = p.date_of_birth;
  if (r.date_of_birth.empty() && p.approx_age) {
    r.date_of_birth =
        "about " + std::to_string(*p.approx_age) + " on " + core::london_date(received_at).iso();
  }
  r.sex = p.sex;
  r.address = p.address;
  r.postcode = p.postcode;
  r.phone = p.phone;
  r.email = p.email;
  r.nhs_number = p.nhs_number;
  r.pnc_id = p.pnc_id;
  r.upn = p.upn;
  return r;
}

json explanation_json(const resolve::Explanation& e) { return json::parse(e.to_json()); }

json known_to_json(const std::vector<KnownTo>& known) {
  auto matches = [](const std::vector<KnownMatch>& list) {
    json out = json::array();
    for (const auto& m : list) {
      out.push_back({{"record_id", m.record_id},
                     {"entity_id", m.entity_id},
                     {"agency_id", m.agency_id},
                     {"match_probability", m.probability},
                     {"explanation", explanation_json(m.explanation)}});
    }
    return out;
  };
  json out = json::array();
  for (const auto& k : known) {
    std::set<std::string> agencies;
    for (const auto& m : k.matches) agencies.insert(m.agency_id);
    out.push_back({{"ref", k.ref},
                   {"record_id", k.record_id},
                   {"entity_id", k.entity_id},
                   {"known_to", k.matches.size()},
                   {"agencies", agencies},
                   {"matches", matches(k.matches)},
                   {"possible", matches(k.possible)}});
  }
  return out;
}

void People::remember(const std::string& record_id, const std::string& subject_key,
                      const std::string& role, const std::string& concern_id) {
  std::lock_guard lock(mutex_);
  // A concern added twice (never expected) is remembered once.
  if (!held_.try_emplace(record_id, Held{subject_key, role, concern_id}).second) return;
  by_key_[subject_key].push_back(record_id);
  by_concern_[concern_id].push_back(record_id);
}

bool People::held(const std::string& record_id) const {
  std::lock_guard lock(mutex_);
  return held_.contains(record_id);
}

void People::forget_concern(std::string_view concern_id) {
  std::lock_guard lock(mutex_);
  auto concern = by_concern_.find(std::string(concern_id));
  if (concern == by_concern_.end()) return;
  const std::vector<std::string> records = std::move(concern->second);
  by_concern_.erase(concern);
  // Under our lock, so no one reads a key that leads to a record the matcher has forgotten.
  (void)matcher_.forget(records);
  for (const auto& id : records) {
    auto held = held_.find(id);
    if (held == held_.end()) continue;
    if (auto keyed = by_key_.find(held->second.subject_key); keyed != by_key_.end()) {
      std::erase(keyed->second, id);
      if (keyed->second.empty()) by_key_.erase(keyed);
    }
    held_.erase(held);
  }
}

core::Status People::rebuild() {
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  std::vector<resolve::PersonRecord> records;
  SG_TRY(tx->for_each_record("concern", [&](const domain::RecordVersion& v) -> core::Status {
    auto body = json::parse(v.body, nullptr, false);
    if (body.is_discarded()) return core::data_loss("stored concern is corrupt");
    auto concern = domain::parse_concern(body, v.recorded_at);
    if (!concern.ok()) return core::data_loss("stored concern no longer parses");
    for_each_person(*concern, [&](const domain::RecordedPerson& p) {
      records.push_back(person_record(p, v.record_id, v.agency_id, concern->received_at));
      remember(records.back().id, subject_key_of(p, v.record_id), p.role.empty() ? "child" : p.role,
               v.record_id);
    });
    return {};
  }));
  SG_TRY(matcher_.load(records));
  // Decisions are applied after every record is held; an undone decision has verdict null.
  return tx->for_each_record("match_decision", [&](const domain::RecordVersion& v) {
    auto body = json::parse(v.body, nullptr, false);
    if (body.is_discarded() || !body.contains("verdict")) return core::ok_status();
    if (!body["verdict"].is_string()) return core::ok_status();
    auto verdict = resolve::parse_verdict(body["verdict"].get<std::string>(), "verdict");
    if (!verdict.ok()) return core::ok_status();
    // A record missing from the matcher (never expected) leaves the decision unapplied.
    (void)matcher_.decide(body.value("record_l", ""), body.value("record_r", ""), *verdict);
    return core::ok_status();
  });
}

void People::add_concern(const domain::Concern& concern, const std::string& concern_id,
                         const std::string& agency_id) {
  for_each_person(concern, [&](const domain::RecordedPerson& p) {
    auto record = person_record(p, concern_id, agency_id, concern.received_at);
    remember(record.id, subject_key_of(p, concern_id), p.role.empty() ? "child" : p.role,
             concern_id);
    (void)matcher_.add(record);  // AlreadyExists only if the concern was added twice.
  });
}

SamePerson People::same_person(const resolve::PersonRecord& record, const std::string& own_key) {
  SamePerson out;
  out.subject_keys.push_back(own_key);
  const double link = matcher_.options().link_threshold;
  std::set<std::string> entities;
  for (auto& m : matcher_.match(record, matcher_.options().review_threshold)) {
    if (m.probability >= link) {
      if (out.entity_id.empty()) out.entity_id = m.entity_id;
      entities.insert(m.entity_id);
    } else {
      out.possible.push_back(std::move(m));
    }
  }
  std::set<std::string> keys = {own_key};
  for (const auto& e : entities) {
    auto view = matcher_.entity(e);
    if (!view.ok()) continue;
    std::lock_guard lock(mutex_);
    for (const auto& id : view->record_ids) {
      auto it = held_.find(id);
      if (it != held_.end() && keys.insert(it->second.subject_key).second) {
        out.subject_keys.push_back(it->second.subject_key);
      }
    }
  }
  return out;
}

std::string People::entity_of_key(const std::string& key) const {
  std::string record;
  {
    std::lock_guard lock(mutex_);
    auto it = by_key_.find(key);
    if (it == by_key_.end()) return {};
    record = it->second.front();
  }
  return matcher_.entity_of(record).value_or("");
}

core::Result<std::vector<KnownTo>> People::known_to(const Actor& actor,
                                                    std::string_view concern_id) {
  SG_TRY(require(actor, Action::kSearch));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  auto version = tx->record(concern_id);
  if (!version.ok() || version->kind != "concern") return core::not_found("concern not found");
  auto concern = domain::parse_concern(json::parse(version->body), version->recorded_at);
  if (!concern.ok()) return core::data_loss("stored concern no longer parses");
  return known_to(*tx, actor, *concern, concern_id, version->agency_id);
}

core::Result<std::vector<KnownTo>> People::known_to(const Actor& actor,
                                                    const domain::Concern& concern,
                                                    std::string_view concern_id,
                                                    std::string_view agency_id) {
  SG_TRY(require(actor, Action::kSearch));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  return known_to(*tx, actor, concern, concern_id, agency_id);
}

core::Result<std::vector<KnownTo>> People::known_to(storage::Transaction& tx, const Actor& actor,
                                                    const domain::Concern& concern,
                                                    std::string_view concern_id,
                                                    std::string_view agency_id) {
  // Only what the viewer's agency may know of other agencies' records is shown.
  auto need = SG_TRY(NeedToKnow::load(tx, actor, clock_.now()));
  std::vector<KnownTo> out;
  for_each_person(concern, [&](const domain::RecordedPerson& p) {
    KnownTo k;
    k.ref = p.ref;
    k.record_id = person_record_id(concern_id, p.ref);
    k.entity_id = matcher_.entity_of(k.record_id).value_or("");
    if (auto view = matcher_.entity(k.record_id); view.ok()) {
      for (const auto& other : view->record_ids) {
        if (other == k.record_id) continue;
        auto e = matcher_.explain(k.record_id, other);
        if (!e.ok()) continue;
        std::string agency;
        if (auto parts = split_record_id(other); parts.ok()) {
          if (auto v = tx.record(parts->first); v.ok()) agency = v->agency_id;
        }
        if (agency == agency_id) continue;
        if (!indexed(tx, need, other)) continue;
        k.matches.push_back({other, k.entity_id, agency, e->probability, *e});
      }
    }
    for (const auto& c : matcher_.review_candidates_of(k.record_id)) {
      auto e = matcher_.explain(c.record_l, c.record_r);
      auto parts = split_record_id(c.record_l);
      if (!e.ok() || !parts.ok()) continue;
      auto v = tx.record(parts->first);
      if (!v.ok() || v->agency_id == agency_id) continue;
      if (!indexed_concern(tx, need, parts->first)) continue;
      k.possible.push_back({c.record_l, matcher_.entity_of(c.record_l).value_or(""), v->agency_id,
                            c.probability, *e});
    }
    out.push_back(std::move(k));
  });
  return out;
}

core::Result<std::vector<resolve::OnlineMatch>> People::lookup(const Actor& actor,
                                                               const resolve::PersonRecord& query) {
  SG_TRY(require(actor, Action::kSearch));
  auto matches = matcher_.match(query, matcher_.options().review_threshold, 20);
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto need = SG_TRY(NeedToKnow::load(*tx, actor, clock_.now()));
  std::erase_if(matches, [&](const auto& m) { return !indexed(*tx, need, m.record_id); });
  std::vector<std::string> ids;
  for (const auto& m : matches) ids.push_back(m.record_id);
  // DPA 2018 s.62: a lookup is a consultation of every record it returns.
  json payload = {{"lookup", "person_match"}, {"matches", ids}};
  std::string bytes = payload.dump();
  SG_TRY(ledger_.append(*tx, {.actor = actor.user_id,
                              .operation = domain::Operation::kConsultation,
                              .reason = "person_match",
                              .record_ids = ids,
                              .payload = bytes}));
  SG_TRY(tx->commit());
  return matches;
}

core::Result<json> People::entity(const Actor& actor, std::string_view id) {
  SG_TRY(require(actor, Action::kSearch));
  auto view = SG_TRY(matcher_.entity(id));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto need = SG_TRY(NeedToKnow::load(*tx, actor, clock_.now()));
  std::erase_if(view.record_ids, [&](const auto& r) { return !indexed(*tx, need, r); });
  if (view.record_ids.empty()) return core::not_found("person not found");
  json records = json::array();
  for (const auto& record_id : view.record_ids) {
    auto parts = SG_TRY(split_record_id(record_id));
    auto version = SG_TRY(tx->record(parts.first));
    auto body = json::parse(version.body, nullptr, false);
    json person;
    for (const char* list : {"children", "persons"}) {
      if (!body.is_object() || !body.contains(list) || !body[list].is_array()) continue;
      for (const auto& p : body[list]) {
        if (p.is_object() && p.value("ref", "") == parts.second) person = p;
      }
    }
    json explanation = nullptr;
    if (record_id != view.record_ids.front()) {
      if (auto e = matcher_.explain(view.record_ids.front(), record_id); e.ok()) {
        explanation = explanation_json(*e);
      }
    }
    records.push_back({{"record_id", record_id},
                       {"concern_id", parts.first},
                       {"agency_id", version.agency_id},
                       {"recorded_at", core::format_rfc3339(version.recorded_at)},
                       {"person", person},
                       {"explanation", explanation}});
  }
  std::vector<std::string> ids = view.record_ids;
  std::string bytes = json{{"entity_id", view.entity_id}}.dump();
  SG_TRY(ledger_.append(*tx, {.actor = actor.user_id,
                              .operation = domain::Operation::kConsultation,
                              .reason = "person_match",
                              .record_ids = ids,
                              .payload = bytes}));
  SG_TRY(tx->commit());
  return json{{"entity_id", view.entity_id}, {"records", records}};
}

core::Result<std::shared_ptr<const KnownPeople>> People::known_at(core::Timestamp at) {
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  auto known = std::make_shared<KnownPeople>();
  known->at = at;
  known->concerns = SG_TRY(concerns_known_at(*tx, at));
  known->matcher = std::make_unique<resolve::OnlineMatcher>(matcher_.options());
  std::vector<resolve::PersonRecord> records;
  for (const auto& c : known->concerns) {
    const auto& v = c.version;
    for_each_person(c.concern, [&](const domain::RecordedPerson& p) {
      records.push_back(person_record(p, v.record_id, v.agency_id, c.concern.received_at));
      known->by_key.try_emplace(subject_key_of(p, v.record_id), records.back().id);
    });
  }
  SG_TRY(known->matcher->load(records));
  // The decisions in force at `at`, applied after every record is held as rebuild() does. A
  // decision is a versioned record: a later verdict or an undo is a new version.
  std::vector<domain::RecordVersion> decisions;
  std::vector<std::string> later;
  SG_TRY(tx->for_each_record("match_decision", [&](const domain::RecordVersion& v) {
    if (v.recorded_at <= at) {
      decisions.push_back(v);
    } else if (v.version > 1) {
      later.push_back(v.record_id);
    }
    return core::ok_status();
  }));
  for (const auto& id : later) {
    if (auto v = tx->record(id, at); v.ok()) decisions.push_back(std::move(*v));
  }
  std::sort(decisions.begin(), decisions.end(),
            [](const auto& a, const auto& b) { return a.record_id < b.record_id; });
  for (const auto& v : decisions) {
    auto body = json::parse(v.body, nullptr, false);
    if (body.is_discarded() || !body.contains("verdict") || !body["verdict"].is_string()) continue;
    auto verdict = resolve::parse_verdict(body["verdict"].get<std::string>(), "verdict");
    if (!verdict.ok()) continue;
    KnownDecision d{.pair_id = v.record_id,
                    .record_l = body.value("record_l", ""),
                    .record_r = body.value("record_r", ""),
                    .verdict = std::string(resolve::verdict_name(*verdict)),
                    .by = body.value("by", ""),
                    .version = v.version,
                    .recorded_at = v.recorded_at};
    // A record unknown at `at` (never expected: a decision names records already held).
    if (!known->matcher->decide(d.record_l, d.record_r, *verdict).ok()) continue;
    known->decisions.push_back(std::move(d));
  }
  return std::shared_ptr<const KnownPeople>(std::move(known));
}

core::Result<json> People::entity_as_of(const Actor& actor, std::string_view id,
                                        core::Timestamp as_of) {
  SG_TRY(require(actor, Action::kSearch));
  SG_TRY(require_past(as_of, clock_.now(), "as_of"));
  auto known = SG_TRY(known_at(as_of));
  const auto& then = *known->matcher;
  auto view = then.entity(id);
  if (!view.ok()) {
    // Today's id may name a record made after `as_of`: its entity's earliest record known
    // then stands for it.
    if (auto today = matcher_.entity(id); today.ok()) {
      for (const auto& r : today->record_ids) {
        if (view = then.entity(r); view.ok()) break;
      }
    }
  }
  if (!view.ok()) return core::not_found("person not found");
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto need = SG_TRY(NeedToKnow::load(*tx, actor, clock_.now()));
  struct Shown {
    std::string record_id, concern_id, ref;
    domain::RecordVersion version;
  };
  std::vector<Shown> shown;
  for (const auto& record_id : view->record_ids) {
    auto parts = SG_TRY(split_record_id(record_id));
    auto version = tx->record(parts.first, as_of);
    if (!version.ok()) continue;  // Erased since the matcher was loaded.
    auto first = SG_TRY(first_recorded_at(*tx, *version));
    if (!need.may_see_agency(version->agency_id, domain::Category::kPersonIndex, first)) continue;
    shown.push_back({record_id, parts.first, parts.second, std::move(*version)});
  }
  if (shown.empty()) return core::not_found("person not found");
  json records = json::array();
  std::set<std::string> ids;
  for (const auto& s : shown) {
    ids.insert(s.record_id);
    json explanation = nullptr;
    if (s.record_id != shown.front().record_id) {
      if (auto e = then.explain(shown.front().record_id, s.record_id); e.ok()) {
        explanation = explanation_json(*e);
      }
    }
    records.push_back({{"record_id", s.record_id},
                       {"concern_id", s.concern_id},
                       {"agency_id", s.version.agency_id},
                       {"version", s.version.version},
                       {"recorded_at", core::format_rfc3339(s.version.recorded_at)},
                       {"person", person_in(json::parse(s.version.body, nullptr, false), s.ref)},
                       {"explanation", explanation}});
  }
  // The decisions then on this person's records, where the caller may see both sides (as
  // pair() requires).
  json decisions = json::array();
  for (const auto& d : known->decisions) {
    if (!ids.contains(d.record_l) && !ids.contains(d.record_r)) continue;
    if (!indexed(*tx, need, d.record_l) || !indexed(*tx, need, d.record_r)) continue;
    decisions.push_back({{"pair_id", d.pair_id},
                         {"record_l", d.record_l},
                         {"record_r", d.record_r},
                         {"verdict", d.verdict},
                         {"by", d.by},
                         {"version", d.version},
                         {"recorded_at", core::format_rfc3339(d.recorded_at)}});
  }
  std::vector<std::string> consulted(ids.begin(), ids.end());
  std::string as_of_text = core::format_rfc3339(as_of);
  // DPA 2018 s.62: reading the past is a consultation like reading the present; the payload
  // says which past.
  std::string bytes = json{{"entity_id", view->entity_id}, {"as_of", as_of_text}}.dump();
  SG_TRY(ledger_.append(*tx, {.actor = actor.user_id,
                              .operation = domain::Operation::kConsultation,
                              .reason = "person_match",
                              .record_ids = consulted,
                              .payload = bytes}));
  SG_TRY(tx->commit());
  return json{{"entity_id", view->entity_id},
              {"as_of", as_of_text},
              {"records", records},
              {"decisions", decisions}};
}

core::Result<std::vector<storage::ReviewPair>> People::queue(const Actor& actor,
                                                             std::string_view status,
                                                             std::size_t limit) {
  SG_TRY(require(actor, Action::kReviewMatches));
  if (status.empty()) status = "open";
  if (status != "open" && status != "all" && !resolve::parse_verdict(status, "status").ok()) {
    return core::invalid_argument("must be open, same, different, unsure or all", "status");
  }
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  auto need = SG_TRY(NeedToKnow::load(*tx, actor, clock_.now()));
  auto pairs = SG_TRY(tx->review_pairs(status == "all" ? "" : status, limit));
  std::erase_if(pairs, [&](const storage::ReviewPair& p) {
    return !indexed(*tx, need, p.record_l) || !indexed(*tx, need, p.record_r) ||
           !held(p.record_l) || !held(p.record_r);
  });
  return pairs;
}

core::Result<People::PairView> People::pair(const Actor& actor, std::string_view pair_id) {
  SG_TRY(require(actor, Action::kReviewMatches));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  PairView view;
  view.pair = SG_TRY(tx->review_pair(pair_id));
  if (!held(view.pair.record_l) || !held(view.pair.record_r)) {
    return core::not_found("the pair names a person record that has been erased");
  }
  auto need = SG_TRY(NeedToKnow::load(*tx, actor, clock_.now()));
  if (!indexed(*tx, need, view.pair.record_l) || !indexed(*tx, need, view.pair.record_r)) {
    return core::permission_denied("the pair names records your agency may not see");
  }
  view.explanation = SG_TRY(matcher_.explain(view.pair.record_l, view.pair.record_r));
  if (auto d = tx->record(pair_id); d.ok()) {
    view.version = d->version;
    view.decision = json::parse(d->body, nullptr, false);
  }
  return view;
}

core::Result<int> People::decide(const Actor& actor, std::string_view pair_id,
                                 resolve::Verdict verdict, std::string_view note,
                                 std::optional<int> if_match) {
  return write_decision(actor, pair_id, verdict, note, if_match);
}

core::Result<int> People::undo(const Actor& actor, std::string_view pair_id,
                               std::optional<int> if_match) {
  return write_decision(actor, pair_id, std::nullopt, "", if_match);
}

core::Result<int> People::write_decision(const Actor& actor, std::string_view pair_id,
                                         std::optional<resolve::Verdict> verdict,
                                         std::string_view note, std::optional<int> if_match) {
  SG_TRY(require(actor, Action::kReviewMatches));
  if (note.size() > 2000) return core::invalid_argument("is too long (at most 2000 bytes)", "note");
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto pair = SG_TRY(tx->review_pair(pair_id));
  // A pair queued before one side's concern was erased is not decided: there is no one left
  // to link, and no agency left to ask about.
  if (!held(pair.record_l) || !held(pair.record_r)) {
    return core::not_found("the pair names a person record that has been erased");
  }
  auto need = SG_TRY(NeedToKnow::load(*tx, actor, clock_.now()));
  if (!indexed(*tx, need, pair.record_l) || !indexed(*tx, need, pair.record_r)) {
    return core::permission_denied("the pair names records your agency may not see");
  }
  int current = 0;
  json previous = nullptr;
  if (auto d = tx->record(pair_id); d.ok()) {
    current = d->version;
    previous = json::parse(d->body, nullptr, false).value("verdict", json());
  }
  if (if_match && *if_match != current) {
    return core::aborted("the pair has been decided since it was read (now version " +
                         std::to_string(current) + "); reload it and try again");
  }
  if (!verdict && previous.is_null()) {
    return core::failed_precondition("the pair has no decision to undo");
  }
  auto now = clock_.now();
  json body = {{"pair_id", pair_id},
               {"record_l", pair.record_l},
               {"record_r", pair.record_r},
               {"probability", pair.probability},
               {"verdict", verdict ? json(resolve::verdict_name(*verdict)) : json()},
               {"previous", previous},
               {"note", note},
               {"by", actor.user_id},
               {"at", core::format_rfc3339(now)}};
  domain::RecordVersion draft;
  draft.record_id = std::string(pair_id);
  draft.kind = "match_decision";
  draft.agency_id = actor.agency_id;
  draft.marking = domain::Marking::kOfficialSensitive;
  draft.body = body.dump();
  draft.recorded_at = now;
  draft.recorded_by = actor.user_id;
  auto stored = SG_TRY(tx->put_record(draft, current));
  pair.status = verdict ? std::string(resolve::verdict_name(*verdict)) : "open";
  pair.updated_at = now;
  SG_TRY(tx->update_review_pair(pair));
  // DPA 2018 s.62: linking (or unlinking) two people's records is a combination.
  std::vector<std::string> ids = {std::string(pair_id), pair.record_l, pair.record_r};
  std::string bytes = body.dump();
  SG_TRY(ledger_.append(*tx, {.actor = actor.user_id,
                              .operation = domain::Operation::kCombination,
                              .reason = verdict ? "match_review" : "match_review_undo",
                              .record_ids = ids,
                              .payload = bytes}));
  SG_TRY(tx->commit());
  // The store holds the decision; the matcher follows it (records are always held).
  if (verdict) {
    (void)matcher_.decide(pair.record_l, pair.record_r, *verdict);
  } else {
    (void)matcher_.undo(pair.record_l, pair.record_r);
  }
  return stored.version;
}

}  // namespace sg::workflow
