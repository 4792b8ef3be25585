#include "network/graph.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "core/calendar.h"
#include "resolve/names.h"
#include "resolve/text.h"

namespace sg::network {
namespace {

using nlohmann::json;

std::string text(const json& item, const char* key) {
  auto it = item.find(key);
  return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string person_label(const domain::RecordedPerson& p) {
  if (!p.given_name.empty() || !p.family_name.empty()) {
    return p.given_name + (p.given_name.empty() || p.family_name.empty() ? "" : " ") +
           p.family_name;
  }
  if (!p.full_name.empty()) return p.full_name;
  if (!p.nickname.empty()) return "\"" + p.nickname + "\"";
  return "unnamed person";
}

// What `p` as recorded in a concern received on `received` says about who they are.
PersonDescription describe(const domain::RecordedPerson& p, std::string_view concern_id,
                           core::Date received) {
  PersonDescription d;
  d.concern_id = concern_id;
  if (!p.given_name.empty() || !p.family_name.empty()) {
    d.given = resolve::normalise_name(p.given_name);
    d.given = d.given.substr(0, d.given.find(' '));  // Middle names come and go.
    d.family = resolve::normalise_name(p.family_name);
  } else if (!p.full_name.empty()) {
    auto parsed = resolve::parse_full_name(p.full_name);
    d.given = parsed.given;
    d.family = parsed.family;
    d.order_uncertain = p.full_name.find(',') == std::string::npos;
  }
  d.nickname = resolve::normalise_name(p.nickname);
  if (p.full_date_of_birth) {
    // A day and month swapped or a year mistyped by one are common recording errors.
    d.born_from = p.full_date_of_birth->year() - 1;
    d.born_to = p.full_date_of_birth->year() + 1;
  } else if (p.date_of_birth.size() >= 4 &&
             std::all_of(p.date_of_birth.begin(), p.date_of_birth.begin() + 4,
                         [](char c) { return c >= '0' && c <= '9'; })) {
    int year = std::stoi(p.date_of_birth.substr(0, 4));
    d.born_from = year - 1;
    d.born_to = year + 1;
  } else if (p.approx_age) {
    // "About 30" as a witness judges it: a few years either way.
    int born = received.year() - *p.approx_age;
    d.born_from = born - 5;
    d.born_to = born + 4;
  }
  // "55 Well Lane, Northfield" and "55 Well Lane" (with or without a postcode) are one home.
  d.address = resolve::fold(std::string_view(p.address).substr(0, p.address.find(',')));
  auto sex = resolve::fold(p.sex);
  if (sex == "m" || sex == "male") d.sex = 'm';
  if (sex == "f" || sex == "female") d.sex = 'f';
  return d;
}

Confidence parse_confidence(std::string_view text) {
  if (text == "confirmed") return Confidence::kConfirmed;
  if (text == "probable") return Confidence::kProbable;
  return Confidence::kPossible;
}

std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) {
  return (static_cast<std::uint64_t>(a) << 32) | b;
}

bool role_in(const Entity& entity, const Scope& scope, std::initializer_list<std::string_view> r) {
  for (const auto& m : entity.mentions) {
    if (std::find(r.begin(), r.end(), m.role) != r.end() && scope.admits(m)) {
      return true;
    }
  }
  return false;
}

// Writes one concern into `data`. The caller holds the write lock.
class ConcernWriter {
 public:
  ConcernWriter(GraphData& data, const PersonIdentity& identity, std::string_view concern_id,
                std::string_view agency_id, const domain::Concern& concern,
                core::Timestamp recorded_at)
      : data_(data),
        identity_(identity),
        concern_id_(concern_id),
        agency_id_(agency_id),
        concern_(concern),
        received_(core::london_date(concern.received_at)),
        recorded_at_(recorded_at) {}

  std::vector<std::uint32_t> write() {
    const json& doc = concern_.document;
    for (const auto& p : concern_.children) add_person(p, "child");
    for (const auto& p : concern_.persons) add_person(p, p.role);
    for (const auto& v : doc.value("vehicles", json::array())) {
      auto reg = text(v, "registration");
      if (reg.empty()) continue;
      std::string detail;
      for (const char* k : {"colour", "make", "model"}) {
        auto t = text(v, k);
        if (!t.empty()) detail += (detail.empty() ? "" : " ") + t;
      }
      std::string label;
      for (char c : reg) label.push_back(static_cast<char>(std::toupper(c)));
      refs_[text(v, "ref")] = entity(EntityKind::kVehicle, vehicle_key(reg), label, detail, "");
    }
    for (const auto& t : doc.value("phones", json::array())) {
      auto number = text(t, "number");
      if (number.empty()) continue;
      auto key = phone_key(number);
      refs_[text(t, "ref")] =
          entity(EntityKind::kPhone, key, key.starts_with("raw:") ? number : key, "", "");
    }
    for (const auto& a : doc.value("online_accounts", json::array())) {
      auto handle = text(a, "handle");
      if (handle.empty()) continue;
      auto platform = text(a, "platform");
      refs_[text(a, "ref")] =
          entity(EntityKind::kAccount, account_key(platform, handle), handle, platform, "");
    }
    for (const auto& l : doc.value("locations", json::array())) {
      auto name = text(l, "name"), address = text(l, "address"), postcode = text(l, "postcode");
      if (name.empty() && address.empty() && postcode.empty()) continue;
      auto idx = entity(EntityKind::kLocation, location_key(name, address, postcode),
                        name.empty() ? address : name, text(l, "kind"), "");
      auto& e = data_.entities[idx];
      if (e.address.empty()) e.address = address;
      if (e.postcode.empty()) e.postcode = postcode;
      refs_[text(l, "ref")] = idx;
    }
    // Typed links. The importer has checked that refs resolve; a person left out of the
    // graph (a professional) is added when a typed link names them.
    for (const auto& link : doc.value("links", json::array())) {
      auto from = resolve_ref(text(link, "from"));
      auto to = resolve_ref(text(link, "to"));
      if (!from || !to || *from == *to) continue;
      core::Date date = received_;
      if (auto d = core::Date::parse_iso(text(link, "date")); d.ok()) date = *d;
      add_evidence(*from, *to, text(link, "type"), date,
                   parse_confidence(text(link, "confidence")));
    }
    // Everyone named together. A concern naming very many items links its children to
    // each of them rather than everything to everything, to bound the work.
    std::vector<std::uint32_t> named;
    for (const auto& [ref, idx] : refs_) {
      if (!excluded_.contains(ref)) named.push_back(idx);
    }
    std::sort(named.begin(), named.end());
    named.erase(std::unique(named.begin(), named.end()), named.end());
    constexpr std::size_t kCliqueLimit = 40;
    for (std::size_t i = 0; i < named.size(); ++i) {
      for (std::size_t j = i + 1; j < named.size(); ++j) {
        if (named.size() > kCliqueLimit && !children_.contains(named[i]) &&
            !children_.contains(named[j])) {
          continue;
        }
        add_evidence(named[i], named[j], "co_occurrence", received_, Confidence::kCoOccurrence);
      }
    }
    std::vector<std::uint32_t> touched(touched_.begin(), touched_.end());
    return touched;
  }

 private:
  void add_person(const domain::RecordedPerson& p, const std::string& role) {
    pending_[p.ref] = {&p, role};
    if (role == "reporter" || role == "professional") {
      excluded_.insert(p.ref);
      return;
    }
    auto idx = *resolve_ref(p.ref);
    if (role == "child") children_.insert(idx);
    if (!p.phone.empty()) {
      auto key = phone_key(p.phone);
      auto phone = entity(EntityKind::kPhone, key, key.starts_with("raw:") ? p.phone : key, "", "");
      add_evidence(idx, phone, "recorded_phone", received_, Confidence::kConfirmed);
    }
    if (!p.address.empty() && !p.postcode.empty()) {
      auto home = entity(EntityKind::kLocation, location_key("", p.address, p.postcode), p.address,
                         "private_address", "");
      auto& e = data_.entities[home];
      if (e.address.empty()) e.address = p.address;
      if (e.postcode.empty()) e.postcode = p.postcode;
      add_evidence(idx, home, "recorded_address", received_, Confidence::kConfirmed);
    }
  }

  // The entity a ref names, creating a person's node on first use.
  std::optional<std::uint32_t> resolve_ref(const std::string& ref) {
    if (auto it = refs_.find(ref); it != refs_.end()) return it->second;
    auto it = pending_.find(ref);
    if (it == pending_.end()) return std::nullopt;
    const auto& [person, role] = it->second;
    auto idx = entity(EntityKind::kPerson, identity_.key_of(*person, concern_id_),
                      person_label(*person), "", role);
    auto& e = data_.entities[idx];
    if (!person->record_id.empty() && std::find(e.record_ids.begin(), e.record_ids.end(),
                                                person->record_id) == e.record_ids.end()) {
      e.record_ids.push_back(person->record_id);
      e.record_id_concerns.emplace_back(concern_id_);
    }
    if (e.descriptions.empty() || e.descriptions.back().concern_id != concern_id_) {
      e.descriptions.push_back(describe(*person, concern_id_, received_));
    }
    refs_[ref] = idx;
    return idx;
  }

  std::uint32_t entity(EntityKind kind, const std::string& key, const std::string& label,
                       const std::string& detail, const std::string& role) {
    std::string full_key = std::string(entity_kind_name(kind)) + "\n" + key;
    std::uint32_t idx;
    if (auto it = data_.by_key.find(full_key); it != data_.by_key.end()) {
      idx = it->second;
    } else {
      idx = static_cast<std::uint32_t>(data_.entities.size());
      Entity e;
      e.id = entity_id(kind, key);
      e.kind = kind;
      e.key = key;
      e.label = label;
      e.detail = detail;
      data_.entities.push_back(std::move(e));
      data_.incident.emplace_back();
      data_.by_key.emplace(std::move(full_key), idx);
      data_.by_id.emplace(data_.entities[idx].id, idx);
    }
    auto& e = data_.entities[idx];
    if (e.detail.empty()) e.detail = detail;
    // One mention per concern and role.
    bool seen = false;
    for (auto it = e.mentions.rbegin(); it != e.mentions.rend() && it->concern_id == concern_id_;
         ++it) {
      if (it->role == role) seen = true;
    }
    if (!seen) {
      e.mentions.push_back(
          {std::string(concern_id_), std::string(agency_id_), received_, role, recorded_at_});
    }
    touched_.insert(idx);
    return idx;
  }

  void add_evidence(std::uint32_t x, std::uint32_t y, const std::string& type, core::Date date,
                    Confidence confidence) {
    if (x == y) return;
    auto a = std::min(x, y), b = std::max(x, y);
    std::uint32_t link;
    if (auto it = data_.by_pair.find(pair_key(a, b)); it != data_.by_pair.end()) {
      link = it->second;
    } else {
      link = static_cast<std::uint32_t>(data_.links.size());
      data_.links.push_back({a, b, {}});
      data_.by_pair.emplace(pair_key(a, b), link);
      data_.incident[a].push_back(link);
      data_.incident[b].push_back(link);
    }
    data_.links[link].evidence.push_back(
        {std::string(concern_id_), std::string(agency_id_), type, date, confidence, recorded_at_});
  }

  GraphData& data_;
  const PersonIdentity& identity_;
  std::string_view concern_id_;
  std::string_view agency_id_;
  const domain::Concern& concern_;
  core::Date received_;
  core::Timestamp recorded_at_;
  std::map<std::string, std::uint32_t> refs_;
  std::map<std::string, std::pair<const domain::RecordedPerson*, std::string>> pending_;
  std::set<std::string> excluded_;
  std::set<std::uint32_t> children_;
  std::set<std::uint32_t> touched_;
};

}  // namespace

std::string_view confidence_name(Confidence c) {
  switch (c) {
    case Confidence::kConfirmed:
      return "confirmed";
    case Confidence::kProbable:
      return "probable";
    case Confidence::kPossible:
      return "possible";
    case Confidence::kCoOccurrence:
      return "co_occurrence";
  }
  return "possible";
}

double confidence_weight(Confidence c) {
  switch (c) {
    case Confidence::kConfirmed:
      return 1.0;
    case Confidence::kProbable:
      return 0.7;
    case Confidence::kPossible:
      return 0.4;
    case Confidence::kCoOccurrence:
      return 0.2;
  }
  return 0.2;
}

core::Result<Window> parse_window(std::optional<std::string_view> from,
                                  std::optional<std::string_view> to, std::string_view from_field,
                                  std::string_view to_field) {
  static const core::Date kEarliest = core::Date::from_ymd(1900, 1, 1).value();
  static const core::Date kLatest = core::Date::from_ymd(2100, 12, 31).value();
  Window w;
  auto one = [&](std::optional<std::string_view> text,
                 std::string_view field) -> core::Result<std::optional<core::Date>> {
    if (!text) return std::optional<core::Date>();
    auto d = SG_TRY(core::Date::parse_iso(*text, field));
    if (d < kEarliest || d > kLatest) {
      return core::invalid_argument("must be between 1900-01-01 and 2100-12-31",
                                    std::string(field));
    }
    return std::optional<core::Date>(d);
  };
  w.from = SG_TRY(one(from, from_field));
  w.to = SG_TRY(one(to, to_field));
  if (w.from && w.to && *w.from > *w.to) {
    return core::invalid_argument("is before the start of the window", std::string(to_field));
  }
  return w;
}

bool is_child(const Entity& entity, const Scope& scope) {
  return entity.kind == EntityKind::kPerson && role_in(entity, scope, {"child"});
}

bool admits_concern(const Entity& entity, const Scope& scope, std::string_view concern_id) {
  for (const auto& m : entity.mentions) {
    if (m.concern_id == concern_id && scope.admits(m)) return true;
  }
  return false;
}

std::vector<std::string> admitted_record_ids(const Entity& entity, const Scope& scope) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < entity.record_ids.size(); ++i) {
    if (i < entity.record_id_concerns.size() &&
        admits_concern(entity, scope, entity.record_id_concerns[i])) {
      out.push_back(entity.record_ids[i]);
    }
  }
  return out;
}

bool is_suspect(const Entity& entity, const Scope& scope) {
  return entity.kind == EntityKind::kPerson && role_in(entity, scope, {"suspect", "associate"});
}

LinkGraph::LinkGraph(std::shared_ptr<const PersonIdentity> identity)
    : identity_(std::move(identity)) {}

std::vector<std::uint32_t> LinkGraph::add_concern(std::string_view concern_id,
                                                  std::string_view agency_id,
                                                  const domain::Concern& concern,
                                                  core::Timestamp recorded_at) {
  std::unique_lock lock(mu_);
  if (!data_.concerns.insert(std::string(concern_id)).second) return {};
  data_.agencies.insert(std::string(agency_id));
  auto touched =
      ConcernWriter(data_, *identity_, concern_id, agency_id, concern, recorded_at).write();
  ++data_.version;
  return touched;
}

bool LinkGraph::forget_concern(std::string_view concern_id) {
  std::unique_lock lock(mu_);
  auto held = data_.concerns.find(std::string(concern_id));
  if (held == data_.concerns.end()) return false;
  data_.concerns.erase(held);
  auto from_it = [&](const auto& item) { return item.concern_id == concern_id; };
  for (auto& link : data_.links) std::erase_if(link.evidence, from_it);
  for (auto& e : data_.entities) {
    if (std::erase_if(e.mentions, from_it) == 0) continue;
    std::erase_if(e.descriptions, from_it);
    if (!e.mentions.empty()) continue;
    // Nothing else names it: nothing of it may remain readable.
    e.label.clear();
    e.detail.clear();
    e.postcode.clear();
    e.address.clear();
    e.record_ids.clear();
    e.record_id_concerns.clear();
    e.descriptions.clear();
  }
  ++data_.version;
  return true;
}

core::Status LinkGraph::load(storage::Store& store, core::Timestamp now) {
  auto tx = SG_TRY(store.begin(storage::TxMode::kRead));
  return tx->for_each_record("concern", [&](const domain::RecordVersion& record) -> core::Status {
    auto doc = json::parse(record.body, nullptr, false);
    if (doc.is_discarded())
      return core::data_loss("stored concern " + record.record_id + " is corrupt");
    // Stored concerns were valid when recorded; re-validating against a generous `now`
    // only rebuilds the typed view.
    auto concern = domain::parse_concern(
        doc, now,
        {.max_narrative_bytes = 1 << 30, .max_field_bytes = 1 << 20, .max_items = 1 << 20});
    if (!concern.ok()) {
      return core::data_loss("stored concern " + record.record_id + " no longer parses");
    }
    // A reviewer's period turns on when the concern was first recorded, not corrected.
    auto first = record.recorded_at;
    if (record.version > 1) first = SG_TRY(tx->first_recorded_at(record.record_id));
    add_concern(record.record_id, record.agency_id, *concern, first);
    return {};
  });
}

std::uint64_t LinkGraph::version() const {
  std::shared_lock lock(mu_);
  return data_.version;
}

}  // namespace sg::network
