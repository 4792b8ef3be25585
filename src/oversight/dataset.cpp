#include "oversight/dataset.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <tuple>

#include "core/ascii.h"
#include "domain/concern.h"

namespace sg::oversight {
namespace {

using nlohmann::json;

std::optional<core::Date> date_of(const json& node) {
  if (!node.is_string()) return std::nullopt;
  auto d = core::Date::parse_iso(node.get<std::string>());
  return d.ok() ? std::optional<core::Date>(*d) : std::nullopt;
}

std::string sex_of(std::string_view recorded) {
  auto s = core::to_lower(recorded);
  if (s == "f" || s == "female") return "female";
  if (s == "m" || s == "male") return "male";
  return "unknown";
}

PersonSeen person_seen(const domain::RecordedPerson& p, const std::string& concern_id) {
  auto key = p.identity_key();
  return {.key = key.empty() ? "unidentified:" + concern_id + ":" + p.ref : key,
          .record_ref = concern_id + "/" + p.ref,
          .ref = p.ref,
          .sex = sex_of(p.sex),
          .ethnicity = p.ethnicity,
          .date_of_birth = p.date_of_birth,
          .full_date_of_birth = p.full_date_of_birth,
          .approx_age = p.approx_age};
}

core::Result<json> body_of(const domain::RecordVersion& v) {
  auto body = json::parse(v.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return core::data_loss("stored " + v.kind + " " + v.record_id + " is corrupt");
  }
  return body;
}

}  // namespace

std::optional<int> PersonSeen::age_on(core::Date on) const {
  if (full_date_of_birth) {
    const auto& b = *full_date_of_birth;
    int age = on.year() - b.year();
    if (on.month() < b.month() || (on.month() == b.month() && on.day() < b.day())) --age;
    return age < 0 ? std::nullopt : std::optional<int>(age);
  }
  return approx_age;
}

std::string Dataset::team_of(const std::string& user_id) const {
  auto it = users.find(user_id);
  if (it == users.end()) return "";
  if (!it->second.manager_id.empty()) return it->second.manager_id;
  return it->second.role == domain::Role::kManager ? it->second.id : "";
}

std::string Dataset::agency_code(const std::string& agency_id) const {
  auto it = agencies.find(agency_id);
  return it == agencies.end() ? "" : it->second.code;
}

const PersonSeen* Dataset::child_of(const CaseSeen& kase) const {
  if (kase.concern_ids.empty()) return nullptr;
  auto it = concern_index.find(kase.concern_ids.front());
  if (it == concern_index.end()) return nullptr;
  for (const auto& child : concerns[it->second].children) {
    if (child.ref == kase.child_ref) return &child;
  }
  return nullptr;
}

core::Result<Dataset> load_dataset(storage::Transaction& tx, const Visible& visible) {
  Dataset data;
  for (auto& a : SG_TRY(tx.agencies())) data.agencies[a.id] = a;
  for (auto& u : SG_TRY(tx.users())) data.users[u.id] = u;

  SG_TRY(tx.for_each_record("concern", [&](const domain::RecordVersion& v) -> core::Status {
    if (visible && !visible(v)) return {};
    auto body = SG_TRY(body_of(v));
    // Validated against the instant it was recorded, as it was when it was accepted.
    auto parsed = domain::parse_concern(body, v.recorded_at);
    if (!parsed.ok()) return core::data_loss("stored concern " + v.record_id + " is invalid");
    ConcernSeen c{.id = v.record_id,
                  .agency_id = v.agency_id,
                  .recorded_by = v.recorded_by,
                  .channel = parsed->channel,
                  .received_at = parsed->received_at,
                  .received_on = core::london_date(parsed->received_at),
                  .children = {},
                  .suspects = {}};
    for (const auto& child : parsed->children) c.children.push_back(person_seen(child, c.id));
    for (const auto& person : parsed->persons) {
      if (person.role == "suspect") c.suspects.push_back(person_seen(person, c.id));
    }
    data.concerns.push_back(std::move(c));
    return {};
  }));
  std::stable_sort(data.concerns.begin(), data.concerns.end(),
                   [](const auto& a, const auto& b) { return a.received_at < b.received_at; });
  for (std::size_t i = 0; i < data.concerns.size(); ++i) {
    data.concern_index[data.concerns[i].id] = i;
  }

  SG_TRY(tx.for_each_record("case", [&](const domain::RecordVersion& v) -> core::Status {
    if (visible && !visible(v)) return {};
    auto body = SG_TRY(body_of(v));
    CaseSeen c;
    c.id = v.record_id;
    c.agency_id = v.agency_id;
    c.subject_key = body.value("subject_key", "");
    if (body.contains("child") && body["child"].is_object()) {
      c.child_ref = body["child"].value("ref", "");
    }
    c.assignee_id = body.value("assignee_id", "");
    c.status = body.value("status", "");
    c.outcome = body.value("outcome", "");
    c.closed_on = date_of(body.value("closed_on", json()));
    for (const auto& e : body.value("events", json::array())) {
      if (auto d = date_of(e.value("date", json()))) c.events.push_back({e.value("kind", ""), *d});
    }
    // A case opens on the day its first concern was received, which for imported history is
    // long before the day it was recorded here (opened_at).
    auto opened = core::parse_rfc3339(body.value("opened_at", ""));
    c.opened_on = opened.ok() ? core::london_date(*opened) : core::london_date(v.recorded_at);
    if (!c.events.empty() && c.events.front().kind == "concern_received") {
      c.opened_on = c.events.front().date;
    }
    for (const auto& id : body.value("concerns", json::array())) {
      if (id.is_string()) c.concern_ids.push_back(id.get<std::string>());
    }
    data.cases[c.id] = std::move(c);
    return {};
  }));

  SG_TRY(tx.for_each_record("task", [&](const domain::RecordVersion& v) -> core::Status {
    if (visible && !visible(v)) return {};
    auto body = SG_TRY(body_of(v));
    TaskSeen t;
    t.id = v.record_id;
    t.task = body.value("task", "");
    t.case_id = body.value("case_id", "");
    t.agency_id = v.agency_id;
    t.owner_id = body.value("owner_id", "");
    t.status = body.value("status", "");
    auto started = date_of(body.value("started_on", json()));
    if (!started) return core::data_loss("stored task " + v.record_id + " has no start date");
    t.started_on = *started;
    t.due = date_of(body.value("due", json()));
    t.completed_on = date_of(body.value("completed_on", json()));
    data.tasks.push_back(std::move(t));
    return {};
  }));

  SG_TRY(tx.for_each_record("decision", [&](const domain::RecordVersion& v) -> core::Status {
    if (visible && !visible(v)) return {};
    auto body = SG_TRY(body_of(v));
    auto decided = date_of(body.value("decided_on", json()));
    if (!decided) return core::data_loss("stored decision " + v.record_id + " has no date");
    data.decisions.push_back({.id = v.record_id,
                              .case_id = body.value("case_id", ""),
                              .kind = body.value("kind", ""),
                              .stage = body.value("stage", ""),
                              .status = body.value("status", ""),
                              .proposed_by = body.value("proposed_by", ""),
                              .agency_id = v.agency_id,
                              .decided_on = *decided});
    return {};
  }));
  std::sort(data.decisions.begin(), data.decisions.end(), [](const auto& a, const auto& b) {
    return std::tie(a.case_id, a.decided_on, a.id) < std::tie(b.case_id, b.decided_on, b.id);
  });
  for (const auto& d : data.decisions) data.decisions_by_case[d.case_id].push_back(&d);
  return data;
}

}  // namespace sg::oversight
