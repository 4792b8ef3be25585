#include "workflow/retention.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <tuple>

#include "domain/access_types.h"
#include "workflow/need_to_know.h"
#include "workflow/timescales.h"

namespace sg::embedded {
std::string_view retention_policy_json();
}

namespace sg::workflow {
namespace {

using nlohmann::json;

// The reason code of every retention ledger event.
constexpr std::string_view kReasonCode = "retention_review";

core::Result<std::string> get_string(const json& node, const std::string& key,
                                     const std::string& path, bool required = true) {
  auto it = node.find(key);
  if (it == node.end()) {
    if (!required) return std::string();
    return core::invalid_argument("is required", path + "/" + key);
  }
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
    return core::invalid_argument("must be a non-empty string", path + "/" + key);
  }
  return it->get<std::string>();
}

bool is_code(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool any_with(const json& body, const char* array, const char* key, const std::string& value) {
  auto it = body.find(array);
  if (it == body.end() || !it->is_array()) return false;
  return std::any_of(it->begin(), it->end(), [&](const json& item) {
    return item.is_object() && item.value(key, "") == value;
  });
}

core::Date add_years(core::Date date, int years) { return add_months(date, 12 * years); }

core::Status require_reason(std::string_view reason) {
  if (reason.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return core::invalid_argument("is required", "reason");
  }
  return domain::validate_display_text(reason, "reason", 1000);
}

}  // namespace

bool RetentionGroup::covers(std::string_view kind, const json& body) const {
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) return false;
  if (!body.is_object()) return !names_role && !has_event && !status && !outcome;
  if (names_role && !any_with(body, "persons", "role", *names_role)) return false;
  if (has_event && !any_with(body, "events", "kind", *has_event)) return false;
  if (status && body.value("status", "") != *status) return false;
  if (outcome && body.value("outcome", "") != *outcome) return false;
  return true;
}

core::Result<RetentionPolicy> RetentionPolicy::parse(std::string_view json_text) {
  auto doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return core::invalid_argument("the retention policy is not a JSON object", "");
  }
  RetentionPolicy out;
  out.id_ = SG_TRY(get_string(doc, "id", ""));
  auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_integer() || version->get<long long>() < 1) {
    return core::invalid_argument("must be a positive integer", "/version");
  }
  out.version_ = version->get<int>();
  auto from = SG_TRY(get_string(doc, "effective_from", ""));
  out.effective_from_ = SG_TRY(core::Date::parse_iso(from, "/effective_from"));
  auto groups = doc.find("groups");
  if (groups == doc.end() || !groups->is_array() || groups->empty()) {
    return core::invalid_argument("must be a non-empty array", "/groups");
  }
  for (size_t i = 0; i < groups->size(); ++i) {
    const auto& g = (*groups)[i];
    std::string path = "/groups/" + std::to_string(i);
    if (!g.is_object()) return core::invalid_argument("must be an object", path);
    RetentionGroup group;
    group.id = SG_TRY(get_string(g, "id", path));
    if (!is_code(group.id)) {
      return core::invalid_argument("may contain only a-z, 0-9 and '_'", path + "/id");
    }
    if (out.group(group.id)) return core::invalid_argument("duplicate group id", path + "/id");
    group.description = SG_TRY(get_string(g, "description", path));
    group.source = SG_TRY(get_string(g, "source", path, false));
    auto kinds = g.find("kinds");
    if (kinds == g.end() || !kinds->is_array() || kinds->empty()) {
      return core::invalid_argument("must be a non-empty array of record kinds", path + "/kinds");
    }
    for (size_t k = 0; k < kinds->size(); ++k) {
      const auto& kind = (*kinds)[k];
      if (!kind.is_string() || !is_code(kind.get_ref<const std::string&>())) {
        return core::invalid_argument("must be a record kind such as \"concern\"",
                                      path + "/kinds/" + std::to_string(k));
      }
      group.kinds.push_back(kind.get<std::string>());
    }
    if (auto when = g.find("when"); when != g.end()) {
      if (!when->is_object()) return core::invalid_argument("must be an object", path + "/when");
      for (const auto& [key, value] : when->items()) {
        std::string field = path + "/when/" + key;
        if (!value.is_string() || !is_code(value.get_ref<const std::string&>())) {
          return core::invalid_argument("must be a code such as \"suspect\"", field);
        }
        if (key == "names_role") {
          group.names_role = value.get<std::string>();
        } else if (key == "has_event") {
          group.has_event = value.get<std::string>();
        } else if (key == "status") {
          group.status = value.get<std::string>();
        } else if (key == "outcome") {
          group.outcome = value.get<std::string>();
        } else {
          return core::invalid_argument(
              "is not a condition (names_role, has_event, status or outcome)", field);
        }
      }
    }
    auto years = g.find("review_after_years");
    if (years == g.end() || !years->is_number_integer() || years->get<long long>() < 1 ||
        years->get<long long>() > 100) {
      return core::invalid_argument("must be an integer from 1 to 100",
                                    path + "/review_after_years");
    }
    group.review_after_years = years->get<int>();
    out.groups_.push_back(std::move(group));
  }
  return out;
}

const RetentionPolicy& RetentionPolicy::shipped() {
  static const RetentionPolicy instance = [] {
    auto parsed = parse(embedded::retention_policy_json());
    if (!parsed.ok()) {
      std::fprintf(stderr, "shipped retention policy is malformed: %s\n",
                   parsed.error().to_string().c_str());
      std::abort();
    }
    return std::move(parsed).value();
  }();
  return instance;
}

const RetentionGroup* RetentionPolicy::group_for(std::string_view kind, const json& body) const {
  for (const auto& g : groups_) {
    if (g.covers(kind, body)) return &g;
  }
  return nullptr;
}

const RetentionGroup* RetentionPolicy::group(std::string_view id) const {
  for (const auto& g : groups_) {
    if (g.id == id) return &g;
  }
  return nullptr;
}

std::vector<std::string> RetentionPolicy::kinds() const {
  std::set<std::string> all;
  for (const auto& g : groups_) all.insert(g.kinds.begin(), g.kinds.end());
  return {all.begin(), all.end()};
}

json RetentionPolicy::to_json() const {
  json groups = json::array();
  for (const auto& g : groups_) {
    json when = json::object();
    if (g.names_role) when["names_role"] = *g.names_role;
    if (g.has_event) when["has_event"] = *g.has_event;
    if (g.status) when["status"] = *g.status;
    if (g.outcome) when["outcome"] = *g.outcome;
    groups.push_back({{"id", g.id},
                      {"description", g.description},
                      {"kinds", g.kinds},
                      {"when", when},
                      {"review_after_years", g.review_after_years},
                      {"source", g.source}});
  }
  return {{"id", id_},
          {"version", version_},
          {"effective_from", effective_from_.iso()},
          {"groups", groups}};
}

std::string_view disposal_name(Disposal disposal) {
  return disposal == Disposal::kErase ? "erase" : "retain";
}

core::Result<Disposal> parse_disposal(std::string_view text, std::string_view field) {
  if (text == "retain") return Disposal::kRetain;
  if (text == "erase") return Disposal::kErase;
  return core::invalid_argument("must be retain or erase", std::string(field));
}

json retention_status_json(const RetentionStatus& s) {
  json last = nullptr;
  if (s.last_decision) {
    last = {{"decision", s.last_decision->decision},
            {"decided_on", core::london_date(s.last_decision->decided_at).iso()},
            {"decided_by", s.last_decision->decided_by}};
  }
  return {{"record_id", s.record_id},
          {"kind", s.kind},
          {"agency_id", s.agency_id},
          {"group", s.group},
          {"last_activity_on", s.last_activity_on.iso()},
          {"review_on", s.review_on.iso()},
          {"last_decision", last}};
}

core::Result<std::optional<RetentionStatus>> Retention::status_of(
    storage::Transaction& tx, const domain::RecordVersion& version, const json& body) {
  const RetentionGroup* group = policy_.group_for(version.kind, body);
  if (!group) return std::optional<RetentionStatus>();
  // Last activity: the record's newest version; a concern stays live while work goes on in
  // the cases it joined.
  core::Timestamp last = version.recorded_at;
  if (version.kind == "concern") {
    for (const auto& case_id : SG_TRY(tx.cases_of_concern(version.record_id))) {
      if (auto summary = tx.case_summary(case_id); summary.ok()) {
        last = std::max(last, summary->updated_at);
      }
    }
  }
  RetentionStatus s{.record_id = version.record_id,
                    .kind = version.kind,
                    .agency_id = version.agency_id,
                    .group = group->id,
                    .last_activity_on = core::london_date(last)};
  s.review_on = add_years(s.last_activity_on, group->review_after_years);
  s.last_decision = SG_TRY(tx.retention_review(version.record_id));
  // A decision to retain sets the next review; later activity can only put it off further.
  if (s.last_decision && s.last_decision->decision == "retain") {
    s.review_on = std::max(s.review_on, s.last_decision->review_on);
  }
  return std::optional<RetentionStatus>(std::move(s));
}

core::Result<std::vector<RetentionStatus>> Retention::due(const Actor& actor, core::Date on,
                                                          std::size_t limit) {
  SG_TRY(require(actor, Action::kReviewRetention));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  auto need = SG_TRY(NeedToKnow::load(*tx, actor, clock_.now()));
  std::vector<RetentionStatus> out;
  for (const auto& kind : policy_.kinds()) {
    SG_TRY(tx->for_each_record(kind, [&](const domain::RecordVersion& v) -> core::Status {
      auto body = json::parse(v.body, nullptr, false);
      auto s = SG_TRY(status_of(*tx, v, body));
      if (!s || s->review_on > on) return {};
      if (!need.may_read(SG_TRY(facts_of(*tx, v, body)))) return {};
      out.push_back(std::move(*s));
      return {};
    }));
  }
  std::sort(out.begin(), out.end(), [](const RetentionStatus& a, const RetentionStatus& b) {
    return std::tie(a.review_on, a.record_id) < std::tie(b.review_on, b.record_id);
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

core::Result<RetentionStatus> Retention::status(const Actor& actor, std::string_view record_id) {
  SG_TRY(require(actor, Action::kReviewRetention));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  auto version = tx->record(record_id);
  if (!version.ok()) {
    auto row = SG_TRY(tx->retention_review(record_id));
    if (row && row->decision == "erase") {
      return core::not_found("the record was erased under retention review");
    }
    return core::not_found("record not found");
  }
  auto body = json::parse(version->body, nullptr, false);
  SG_TRY(require_need_to_know(*tx, actor, *version, body, clock_.now()));
  auto s = SG_TRY(status_of(*tx, *version, body));
  if (!s) return core::not_found("no retention group covers this kind of record");
  return std::move(*s);
}

core::Result<RetentionStatus> Retention::decide(const Actor& actor, std::string_view record_id,
                                                const RetentionDecision& decision) {
  SG_TRY(require(actor, Action::kReviewRetention));
  SG_TRY(require_reason(decision.reason));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto version = tx->record(record_id);
  if (!version.ok()) return core::not_found("record not found");
  auto body = json::parse(version->body, nullptr, false);
  SG_TRY(require_need_to_know(*tx, actor, *version, body, clock_.now()));
  auto found = SG_TRY(status_of(*tx, *version, body));
  if (!found) return core::not_found("no retention group covers this kind of record");
  auto status = std::move(*found);
  const RetentionGroup& group = *policy_.group(status.group);
  auto now = clock_.now();
  auto today = core::london_date(now);
  storage::RetentionReview row{.record_id = status.record_id,
                               .group = group.id,
                               .decision = std::string(disposal_name(decision.disposal)),
                               .reason = decision.reason,
                               .decided_by = actor.user_id,
                               .decided_at = now};
  if (status.last_decision) row.decision_id = status.last_decision->decision_id;

  if (decision.disposal == Disposal::kRetain) {
    auto longest = add_years(today, group.review_after_years);
    row.review_on = decision.next_review_on.value_or(longest);
    if (row.review_on <= today || row.review_on > longest) {
      return core::invalid_argument("must be after today and at most " +
                                        std::to_string(group.review_after_years) +
                                        " years from today (the group's period)",
                                    "next_review_on");
    }
    // Each retain decision is a new version of one "retention_decision" record per record.
    int expected = 0;
    if (row.decision_id.empty()) {
      row.decision_id = ids_.next();
    } else if (auto previous = tx->record(row.decision_id); previous.ok()) {
      expected = previous->version;
    }
    json doc = {{"record_id", status.record_id},
                {"record_kind", status.kind},
                {"policy", policy_.id()},
                {"policy_version", policy_.version()},
                {"group", group.id},
                {"decision", "retain"},
                {"reason", decision.reason},
                {"decided_on", today.iso()},
                {"decided_by", actor.user_id},
                {"last_activity_on", status.last_activity_on.iso()},
                {"next_review_on", row.review_on.iso()}};
    domain::RecordVersion draft;
    draft.record_id = row.decision_id;
    draft.kind = "retention_decision";
    draft.agency_id = status.agency_id;
    draft.marking = domain::Marking::kOfficialSensitive;
    draft.body = doc.dump();
    draft.recorded_at = now;
    draft.recorded_by = actor.user_id;
    SG_TRY(tx->put_record(draft, expected));
    SG_TRY(tx->upsert_retention_review(row));
    SG_TRY(ledger_.append(*tx, {.actor = actor.user_id,
                                .operation = domain::Operation::kAlteration,
                                .reason = std::string(kReasonCode),
                                .record_ids = {status.record_id, row.decision_id},
                                .payload = doc.dump()}));
    SG_TRY(tx->commit());
    status.last_decision = row;
    status.review_on = std::max(status.review_on, row.review_on);
    return status;
  }

  // Erasure destroys evidence: only once the review is due (MoPI: a record is disposed of
  // at review, not before), and never while a case is still being worked.
  if (status.review_on > today) {
    return core::failed_precondition("the record is not due for review until " +
                                     status.review_on.iso());
  }
  if (status.kind == "case" && body.value("status", "") != "closed") {
    return core::failed_precondition("a case is erased only once it is closed");
  }
  std::set<std::string> ids = {status.record_id};
  if (!row.decision_id.empty()) ids.insert(row.decision_id);
  if (status.kind == "case") {
    // The case's own records: its decisions, and its tasks, alerts and escalations (which
    // carry the child's name). Its concerns are reviewed in their own right.
    if (auto d = body.find("decisions"); d != body.end() && d->is_array()) {
      for (const auto& id : *d) {
        if (id.is_string()) ids.insert(id.get<std::string>());
      }
    }
    for (const auto& item : SG_TRY(
             tx->work_items({.case_id = status.record_id, .open_only = false, .limit = 1000000}))) {
      ids.insert(item.id);
    }
  }
  if (status.kind == "concern") {
    // Pairs of its people queued for the analysts, and their decisions, whose notes may name
    // them: their match_decision records (when decided) and ledger payloads go too.
    for (auto& id : SG_TRY(tx->delete_review_pairs_of_concern(status.record_id))) {
      ids.insert(std::move(id));
    }
  }
  for (const auto& id : ids) {
    auto st = tx->erase_record(id);
    // A record of the case may already be gone (erased earlier, or never stored).
    if (!st.ok() && (id == status.record_id || st.error().code != core::Code::kNotFound)) {
      return std::move(st).error();
    }
  }
  row.review_on = today;
  SG_TRY(tx->upsert_retention_review(row));
  const std::vector<std::string> erased(ids.begin(), ids.end());
  SG_TRY(ledger_.erase(*tx, actor.user_id, erased, kReasonCode));
  SG_TRY(tx->commit());
  for (const auto& listener : erased_listeners_) listener(erased);
  status.last_decision = row;
  return status;
}

}  // namespace sg::workflow
