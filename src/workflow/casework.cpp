#include "workflow/casework.h"

#include <algorithm>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

#include "core/assert.h"
#include "core/calendar.h"
#include "domain/access_types.h"
#include "workflow/concern_queue.h"
#include "workflow/need_to_know.h"
#include "workflow/people.h"

namespace sg::workflow {
namespace {

using nlohmann::json;

constexpr std::string_view kMashInbox = "mash";
constexpr std::string_view kManagersInbox = "managers";

std::string user_inbox(const std::string& user_id) { return "user:" + user_id; }

bool blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

core::Status require_text(std::string_view text, const char* field, std::size_t max = 4000) {
  if (blank(text)) return core::invalid_argument("is required", field);
  if (text.size() > max) {
    return core::invalid_argument("is too long (at most " + std::to_string(max) + " bytes)", field);
  }
  std::string flat(text);
  for (auto& c : flat) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return domain::validate_display_text(flat, field, max);
}

json date_json(const std::optional<core::Date>& d) { return d ? json(d->iso()) : json(); }

std::optional<core::Date> json_date(const json& node) {
  if (!node.is_string()) return std::nullopt;
  auto d = core::Date::parse_iso(node.get<std::string>());
  return d.ok() ? std::optional<core::Date>(*d) : std::nullopt;
}

std::string child_display(const domain::RecordedPerson& p) {
  if (!p.given_name.empty() || !p.family_name.empty()) {
    return p.given_name + (p.given_name.empty() || p.family_name.empty() ? "" : " ") +
           p.family_name;
  }
  return p.full_name.empty() ? p.nickname : p.full_name;
}

// Aborted (HTTP 412) when the caller acted on another version of the case than the stored one.
core::Status check_version(const domain::RecordVersion& stored, std::optional<int> if_match) {
  if (!if_match || *if_match == stored.version) return {};
  return core::aborted("the case has changed since it was read (now version " +
                       std::to_string(stored.version) + "); reload it and try again");
}

// The assessment task of a regime: the single assessment, or the pre-2013 initial one.
std::string_view assessment_task(const Regime& regime) {
  return regime.find("assessment") ? "assessment" : "initial_assessment";
}

}  // namespace

// "Same child" and "same person" (issue 3's alerts and case lookup). Mentions, cases and
// episodes are stored under each record's exact subject key (subject_key_of), which never
// changes. With the online matcher (use_people), a person is also every record the matcher
// holds as the same person with probability >= OnlineOptions::link_threshold (0.95; see
// docs/entity-resolution.md), so the rules read the mentions under all of those records'
// keys. Review-band matches are queued for an analyst and count for nothing until one
// decides "same". Without the matcher a person's keys are their own exact key only.
struct Casework::Identities {
  std::map<std::string, std::vector<std::string>> keys;  // By ref: own key first.
  std::map<std::string, std::string> same_as;  // By own key: the entity it joins, or the key.

  const std::vector<std::string>& of(const domain::RecordedPerson& p) const {
    return keys.at(p.ref);
  }
};

core::Result<Casework::Identities> Casework::identify(storage::Transaction& tx,
                                                      const domain::Concern& concern,
                                                      const std::string& concern_id,
                                                      const std::string& agency_id) {
  Identities who;
  auto now = clock_.now();
  auto one = [&](const domain::RecordedPerson& p) -> core::Status {
    std::string own = subject_key_of(p, concern_id);
    if (!people_) {
      who.keys[p.ref] = {own};
      who.same_as[own] = own;
      return {};
    }
    auto same =
        people_->same_person(person_record(p, concern_id, agency_id, concern.received_at), own);
    who.keys[p.ref] = same.subject_keys;
    std::string entity = same.entity_id.empty() ? people_->entity_of_key(own) : same.entity_id;
    who.same_as[own] = entity.empty() ? own : "entity:" + entity;
    // Possible matches go to the analysts' queue; they decide, the model does not.
    for (const auto& m : same.possible) {
      SG_TRY(tx.add_review_pair({.pair_id = ids_.next(),
                                 .record_l = m.record_id,
                                 .record_r = person_record_id(concern_id, p.ref),
                                 .probability = m.probability,
                                 .status = "open",
                                 .queued_at = now,
                                 .updated_at = now}));
    }
    return {};
  };
  for (const auto& child : concern.children) SG_TRY(one(child));
  for (const auto& person : concern.persons) SG_TRY(one(person));
  return who;
}

std::string_view decision_name(DecisionKind kind) {
  switch (kind) {
    case DecisionKind::kAccept:
      return "accept";
    case DecisionKind::kNoFurtherAction:
      return "nfa";
    case DecisionKind::kStepDown:
      return "step_down";
    case DecisionKind::kClose:
      return "close";
  }
  return "accept";
}

core::Result<DecisionKind> parse_decision(std::string_view text, std::string_view field) {
  for (auto k : {DecisionKind::kAccept, DecisionKind::kNoFurtherAction, DecisionKind::kStepDown,
                 DecisionKind::kClose}) {
    if (decision_name(k) == text) return k;
  }
  return core::invalid_argument("must be one of accept, nfa, step_down, close", std::string(field));
}

std::string_view meeting_name(Meeting meeting) {
  switch (meeting) {
    case Meeting::kStrategyDiscussion:
      return "strategy_discussion";
    case Meeting::kInitialConference:
      return "initial_conference";
    case Meeting::kReviewConference:
      return "review_conference";
  }
  return "strategy_discussion";
}

core::Result<Meeting> parse_meeting(std::string_view text, std::string_view field) {
  for (auto m :
       {Meeting::kStrategyDiscussion, Meeting::kInitialConference, Meeting::kReviewConference}) {
    if (meeting_name(m) == text) return m;
  }
  return core::invalid_argument(
      "must be one of strategy_discussion, initial_conference, review_conference",
      std::string(field));
}

core::Result<Casework::Loaded> Casework::load(storage::Transaction& tx, std::string_view id,
                                              std::string_view kind) {
  auto version = tx.record(id);
  if (!version.ok() || version->kind != kind) {
    return core::not_found(std::string(kind) + " not found");
  }
  auto body = json::parse(version->body, nullptr, false);
  if (body.is_discarded()) return core::data_loss("stored " + std::string(kind) + " is corrupt");
  return Loaded{std::move(body), std::move(version).value()};
}

core::Result<domain::RecordVersion> Casework::save(storage::Transaction& tx, const std::string& id,
                                                   std::string_view kind,
                                                   const std::string& agency_id, const json& body,
                                                   int expected_version, const Actor& actor,
                                                   domain::Marking marking) {
  return save_text(tx, id, kind, agency_id, body.dump(), expected_version, actor, marking);
}

core::Result<domain::RecordVersion> Casework::save_text(
    storage::Transaction& tx, const std::string& id, std::string_view kind,
    const std::string& agency_id, std::string body, int expected_version, const Actor& actor,
    domain::Marking marking) {
  domain::RecordVersion draft;
  draft.record_id = id;
  draft.kind = std::string(kind);
  draft.agency_id = agency_id;
  draft.marking = marking;
  draft.body = std::move(body);
  draft.recorded_at = clock_.now();
  draft.recorded_by = actor.user_id;
  return tx.put_record(draft, expected_version);
}

// An import writes each case document again for every later concern about the child, and
// reads it for alert rule (b): the memo keeps the documents the import has read or written
// (the transaction holds the writer, so nothing else changes them), instead of reading and
// parsing the stored JSON each time. Version bodies are not kept: only the document.
struct Casework::ImportMemo {
  std::unordered_map<std::string, Loaded> cases;
};

core::Result<Casework::Loaded*> Casework::case_document(storage::Transaction& tx, ImportMemo* memo,
                                                        const std::string& case_id,
                                                        Loaded& holder) {
  if (memo == nullptr) {
    holder = SG_TRY(load(tx, case_id, "case"));
    return &holder;
  }
  if (auto it = memo->cases.find(case_id); it != memo->cases.end()) return &it->second;
  auto loaded = SG_TRY(load(tx, case_id, "case"));
  loaded.version.body.clear();
  return &memo->cases.emplace(case_id, std::move(loaded)).first->second;
}

core::Status Casework::require_visible(storage::Transaction& tx, const Actor& actor,
                                       const Loaded& loaded) {
  return require_need_to_know(tx, actor, loaded.version, loaded.body, clock_.now());
}

core::Status Casework::ledger(storage::Transaction& tx, const Actor& actor, domain::Operation op,
                              std::string_view reason, std::vector<std::string> record_ids,
                              const json& payload) {
  std::sort(record_ids.begin(), record_ids.end());
  record_ids.erase(std::unique(record_ids.begin(), record_ids.end()), record_ids.end());
  auto bytes = payload.dump();
  SG_TRY(ledger_.append(tx, {.actor = actor.user_id,
                             .operation = op,
                             .reason = std::string(reason),
                             .record_ids = std::move(record_ids),
                             .payload = bytes}));
  return {};
}

core::Result<std::string> Casework::open_task(storage::Transaction& tx, const Actor& actor,
                                              const std::string& case_id,
                                              const std::string& subject_key,
                                              const std::string& agency_id, std::string_view task,
                                              core::Date start, const std::string& owner_id,
                                              const std::string& inbox,
                                              const std::string* known_label) {
  std::optional<core::Date> due;
  std::string regime_id, source;
  if (auto regime = timescales_.regime_on(start); regime.ok()) {
    regime_id = (*regime)->id;
    if (const auto* rule = (*regime)->find(task)) {
      due = SG_TRY(timescales_.due(task, start));
      source = rule->source;
    }
  }
  std::string label;
  if (known_label != nullptr) {
    label = *known_label;
  } else if (auto summary = tx.case_summary(case_id); summary.ok()) {
    label = summary->label;
  }
  std::string id = ids_.next();
  json body = {{"id", id},
               {"label", label},
               {"task", task},
               {"case_id", case_id},
               {"subject_key", subject_key},
               {"regime", regime_id},
               {"rule_source", source},
               {"started_on", start.iso()},
               {"due", date_json(due)},
               {"owner_id", owner_id},
               {"inbox", inbox},
               {"status", "open"},
               {"escalated", false}};
  SG_TRY(save(tx, id, "task", agency_id, body, 0, actor));
  SG_TRY(tx.upsert_work_item({.id = id,
                              .kind = "task",
                              .subkind = std::string(task),
                              .case_id = case_id,
                              .subject_key = subject_key,
                              .owner_id = owner_id,
                              .inbox = inbox,
                              .due = due,
                              .status = "open",
                              .agency_id = agency_id,
                              .updated_at = clock_.now(),
                              .label = label}));
  return id;
}

core::Result<std::string> Casework::add_task(storage::Transaction& tx, const Actor& actor,
                                             const TaskSpec& spec) {
  SG_ASSERT(!spec.owner_id.empty());
  std::string id = ids_.next();
  std::string inbox = user_inbox(spec.owner_id);
  json body = {{"id", id},
               {"label", spec.label},
               {"task", spec.task},
               {"description", spec.description},
               {"case_id", spec.case_id},
               {"subject_key", spec.subject_key},
               {"regime", ""},
               {"rule_source", ""},
               {"started_on", spec.start.iso()},
               {"due", date_json(spec.due)},
               {"owner_id", spec.owner_id},
               {"inbox", inbox},
               {"status", "open"},
               {"escalated", false}};
  SG_TRY(save(tx, id, "task", spec.agency_id, body, 0, actor));
  SG_TRY(tx.upsert_work_item({.id = id,
                              .kind = "task",
                              .subkind = spec.task,
                              .case_id = spec.case_id,
                              .subject_key = spec.subject_key,
                              .owner_id = spec.owner_id,
                              .inbox = inbox,
                              .due = spec.due,
                              .status = "open",
                              .agency_id = spec.agency_id,
                              .updated_at = clock_.now(),
                              .label = spec.label}));
  return id;
}

core::Status Casework::cancel_open_tasks(storage::Transaction& tx, const Actor& actor,
                                         std::string_view case_id, core::Date on) {
  return close_open_tasks(tx, actor, std::string(case_id), "", on, "");
}

core::Status Casework::close_task(storage::Transaction& tx, const Actor& actor,
                                  const std::string& task_id, core::Date done_on,
                                  std::string_view late_reason, std::string_view status) {
  auto task = SG_TRY(load(tx, task_id, "task"));
  if (task.body["status"] != "open") return core::failed_precondition("the task is not open");
  auto due = json_date(task.body["due"]);
  bool late = status == "done" && due && done_on > *due;
  if (late && blank(late_reason)) {
    return core::invalid_argument(
        "the task was due on " + due->iso() + ": completing it late needs a reason", "late_reason");
  }
  task.body["status"] = status;
  task.body["completed_on"] = done_on.iso();
  task.body["completed_by"] = actor.user_id;
  if (late) {
    SG_TRY(require_text(late_reason, "late_reason"));
    task.body["late_reason"] = late_reason;
    task.body["working_days_late"] = core::WorkingDayCalendar::england_and_wales()
                                         .working_days_between(*due, done_on)
                                         .value_or(0);
  }
  SG_TRY(save(tx, task_id, "task", task.version.agency_id, task.body, task.version.version, actor));
  SG_TRY(tx.upsert_work_item({.id = task_id,
                              .kind = "task",
                              .subkind = task.body["task"].get<std::string>(),
                              .case_id = task.body["case_id"].get<std::string>(),
                              .subject_key = task.body.value("subject_key", ""),
                              .owner_id = task.body["owner_id"].get<std::string>(),
                              .inbox = task.body["inbox"].get<std::string>(),
                              .due = due,
                              .status = std::string(status),
                              .agency_id = task.version.agency_id,
                              .updated_at = clock_.now(),
                              .label = task.body.value("label", "")}));
  return {};
}

core::Status Casework::close_open_tasks(storage::Transaction& tx, const Actor& actor,
                                        const std::string& case_id, std::string_view task,
                                        core::Date done_on, std::string_view late_reason) {
  auto items = SG_TRY(tx.work_items({.kind = "task", .case_id = case_id}));
  for (const auto& item : items) {
    if (!task.empty() && item.subkind != task) continue;
    SG_TRY(
        close_task(tx, actor, item.id, done_on, late_reason, task.empty() ? "cancelled" : "done"));
  }
  return {};
}

core::Result<domain::Concern> Casework::validate(const json& document,
                                                 std::string_view prefix) const {
  auto with_prefix = [&](core::Error e) {
    e.field = std::string(prefix) + e.field;
    return e;
  };
  auto parsed = domain::parse_concern(document, clock_.now());
  if (!parsed.ok()) return with_prefix(std::move(parsed).error());
  for (size_t i = 0; i < parsed->indicators.size(); ++i) {
    if (!tool_.find(parsed->indicators[i].code)) {
      return with_prefix(
          core::invalid_argument("is not an indicator of the " + tool_.id() + " tool",
                                 "indicators/" + std::to_string(i) + "/code"));
    }
  }
  return parsed;
}

core::Result<RecordedConcern> Casework::record_concern(const Actor& actor, const json& document,
                                                       const AlsoWrite& also) {
  SG_TRY(require(actor, Action::kRaiseConcern));
  auto concern = SG_TRY(validate(document, ""));
  // Serialised before taking the writer's turn, which every write in the server shares.
  std::string body = concern.document.dump();
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  std::vector<std::string> touched;
  auto result = SG_TRY(intake(*tx, actor, concern, std::move(body), "", touched, nullptr));
  if (also) {
    for (auto& id : SG_TRY(also(*tx, result))) touched.push_back(std::move(id));
  }
  SG_TRY(ledger(*tx, actor, domain::Operation::kCollection, "referral", touched,
                {{"concern", result.concern_id}, {"document", document}}));
  SG_TRY(tx->commit());
  if (people_) people_->add_concern(concern, result.concern_id, result.agency_id);
  for (const auto& listener : listeners_) listener(concern, result);
  return RecordedConcern{std::move(result), std::move(concern)};
}

core::Result<std::vector<IntakeResult>> Casework::import_concerns(const Actor& actor,
                                                                  const std::vector<json>& docs,
                                                                  std::string_view source_name) {
  std::size_t next = 0;
  return import_stream(
      actor,
      [&]() -> core::Result<std::optional<json>> {
        if (next == docs.size()) return std::optional<json>();
        return std::optional<json>(docs[next++]);
      },
      source_name);
}

core::Result<std::vector<IntakeResult>> Casework::import_stream(const Actor& actor,
                                                                const DocumentSource& next,
                                                                std::string_view source_name) {
  SG_TRY(require(actor, Action::kImport));
  // Listeners and the matcher see the concerns after the commit, so keep them only for those.
  const bool keep = people_ || !listeners_.empty();
  // Reading, validating and serialising run ahead on a second thread while this one writes.
  // Nothing commits until the reader has validated every document.
  ConcernQueue queue;
  std::thread reader([&] {
    constexpr std::size_t kBatch = 256;
    std::size_t index = 0;
    std::optional<core::Error> invalid;
    ConcernQueue::Batch batch;
    for (;;) {
      auto doc = next();
      if (!doc.ok()) return queue.finish(std::move(doc).error());
      if (!*doc) break;
      // Past an invalid document the file is still read to its end: an error in the file
      // itself comes first, as it did when the whole file was read before validating.
      if (!invalid) {
        auto concern = validate(**doc, "items/" + std::to_string(index) + "/");
        if (concern.ok()) {
          std::string body = concern->document.dump();
          // Nothing after the commit reads the document unless someone listens.
          if (!keep) concern->document = nullptr;
          batch.push_back({std::move(concern).value(), std::move(body)});
          if (batch.size() == kBatch) queue.push(std::exchange(batch, {}));
        } else {
          invalid = std::move(concern).error();
        }
      }
      ++index;
    }
    if (!batch.empty() && !invalid) queue.push(std::move(batch));
    queue.finish(invalid ? core::Status(*invalid) : core::ok_status());
  });
  std::vector<domain::Concern> concerns;
  auto write = [&]() -> core::Result<std::vector<IntakeResult>> {
    auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
    std::vector<IntakeResult> results;
    std::vector<std::string> touched;
    ImportMemo memo;
    while (auto batch = queue.pop()) {
      for (auto& item : *batch) {
        std::string prefix = "items/" + std::to_string(results.size()) + "/";
        results.push_back(
            SG_TRY(intake(*tx, actor, item.concern, std::move(item.body), prefix, touched, &memo)));
        if (keep) concerns.push_back(std::move(item.concern));
      }
    }
    SG_TRY(queue.outcome());
    // One collection event for the import: the file's name and digest, and every record.
    SG_TRY(ledger(*tx, actor, domain::Operation::kCollection, "bulk_import", touched,
                  {{"source", source_name}, {"concerns", results.size()}}));
    SG_TRY(tx->commit());
    return results;
  };
  auto results = write();
  // However the writing ended, the reader reads to the end; its error comes first.
  while (queue.pop()) {
  }
  reader.join();
  SG_TRY(queue.outcome());
  if (!results.ok()) return results;
  if (people_) {
    for (size_t i = 0; i < concerns.size(); ++i) {
      people_->add_concern(concerns[i], (*results)[i].concern_id, (*results)[i].agency_id);
    }
  }
  for (const auto& listener : listeners_) {
    for (size_t i = 0; i < concerns.size(); ++i) listener(concerns[i], (*results)[i]);
  }
  return results;
}

core::Result<IntakeResult> Casework::intake(storage::Transaction& tx, const Actor& actor,
                                            const domain::Concern& concern, std::string body,
                                            std::string_view prefix,
                                            std::vector<std::string>& touched, ImportMemo* memo) {
  auto now = clock_.now();
  auto with_prefix = [&](core::Error e) {
    e.field = std::string(prefix) + e.field;
    return e;
  };
  std::string agency_id = actor.agency_id;
  if (!concern.source_agency.empty()) {
    auto agency = tx.agency_by_code(concern.source_agency);
    if (!agency.ok()) {
      return with_prefix(core::invalid_argument("no agency has this code", "source_agency"));
    }
    agency_id = agency->id;
  }
  if (agency_id.empty()) {
    return with_prefix(core::invalid_argument("is required", "source_agency"));
  }

  IntakeResult result;
  result.concern_id = ids_.next();
  result.agency_id = agency_id;
  touched.push_back(result.concern_id);
  if (body.empty()) body = concern.document.dump();
  result.recorded_at = SG_TRY(save_text(tx, result.concern_id, "concern", agency_id,
                                        std::move(body), 0, actor, concern.marking))
                           .recorded_at;
  core::Date received = core::london_date(concern.received_at);
  // Who everyone is, before this concern's own mentions are written.
  auto who = SG_TRY(identify(tx, concern, result.concern_id, agency_id));

  for (const auto& person : concern.persons) {
    SG_TRY(tx.add_mention({subject_key_of(person, result.concern_id), result.concern_id,
                           person.role, concern.received_at, agency_id}));
  }
  for (const auto& child : concern.children) {
    std::string key = subject_key_of(child, result.concern_id);
    SG_TRY(tx.add_mention({key, result.concern_id, "child", concern.received_at, agency_id}));
    for (const auto& event : concern.events) {
      if (event.kind == "missing_episode" && (event.child.empty() || event.child == child.ref)) {
        SG_TRY(tx.add_episode(key, event.kind, event.date, result.concern_id));
      }
    }
    // Case lookup: the child's open case under any of their records' keys, own key first.
    std::optional<storage::CaseSummary> open;
    for (const auto& k : who.of(child)) {
      open = SG_TRY(tx.open_case_for(k));
      if (open) break;
    }
    json event = {
        {"kind", "concern_received"}, {"date", received.iso()}, {"concern_id", result.concern_id}};
    if (open) {
      Loaded holder;
      auto* kase = SG_TRY(case_document(tx, memo, open->case_id, holder));
      kase->body["concerns"].push_back(result.concern_id);
      kase->body["events"].push_back(event);
      auto saved = SG_TRY(save(tx, open->case_id, "case", kase->version.agency_id, kase->body,
                               kase->version.version, actor));
      kase->version.version = saved.version;
      open->updated_at = now;
      SG_TRY(tx.upsert_case(*open));
      result.case_ids.push_back(open->case_id);
      touched.push_back(open->case_id);
      continue;
    }
    std::string case_id = ids_.next();
    auto regime = timescales_.regime_on(received);
    json kase = {{"id", case_id},
                 {"subject_key", key},
                 {"child",
                  {{"ref", child.ref},
                   {"name", child_display(child)},
                   {"date_of_birth", child.date_of_birth}}},
                 {"agency_id", agency_id},
                 {"regime", regime.ok() ? json((*regime)->id) : json()},
                 {"stage", "referral_decision"},
                 {"status", "open"},
                 {"opened_at", core::format_rfc3339(now)},
                 {"concerns", {result.concern_id}},
                 {"events", {event}},
                 {"decisions", json::array()},
                 {"screenings", json::array()},
                 {"assignee_id", ""}};
    auto saved = SG_TRY(save(tx, case_id, "case", agency_id, kase, 0, actor));
    if (memo != nullptr) {
      saved.body.clear();
      memo->cases.emplace(case_id, Loaded{std::move(kase), std::move(saved)});
    }
    std::string label = child_display(child);
    SG_TRY(tx.upsert_case({case_id, key, "referral_decision", "open", agency_id, now, now, label}));
    // Working Together: a decision on the type of response within one working day, made
    // in the multi-agency safeguarding hub.
    auto task_id = SG_TRY(open_task(tx, actor, case_id, key, agency_id, "referral_decision",
                                    received, "", std::string(kMashInbox), &label));
    result.case_ids.push_back(case_id);
    result.new_case_ids.push_back(case_id);
    touched.push_back(case_id);
    touched.push_back(task_id);
  }
  auto alerts =
      SG_TRY(raise_alerts(tx, actor, concern, result.concern_id, agency_id,
                          result.case_ids.empty() ? "" : result.case_ids.front(), who, memo));
  for (const auto& id : alerts) touched.push_back(id);
  result.alert_ids = std::move(alerts);
  return result;
}

core::Result<std::optional<std::string>> Casework::raise_alert(
    storage::Transaction& tx, const Actor& actor, std::string_view rule,
    const std::vector<std::string>& subject_keys, const std::string& case_id,
    const std::string& agency_id, const std::string& inbox,
    const std::vector<std::string>& concern_ids, std::string_view summary,
    const std::string& label) {
  // One open alert per rule and subject: a third concern in a week is the same alert, under
  // whichever of the person's records' keys it was raised.
  for (const auto& key : subject_keys) {
    auto existing = SG_TRY(tx.work_items(
        {.kind = "alert", .subkind = std::string(rule), .subject_key = key, .limit = 1}));
    if (!existing.empty()) return std::optional<std::string>();
  }
  const std::string& subject_key = subject_keys.front();
  std::string id = ids_.next();
  json body = {{"id", id},
               {"label", label},
               {"rule", rule},
               {"summary", summary},
               {"subject_key", subject_key},
               {"case_id", case_id},
               {"concern_ids", concern_ids},
               {"raised_at", core::format_rfc3339(clock_.now())},
               {"inbox", inbox},
               {"status", "open"}};
  SG_TRY(save(tx, id, "alert", agency_id, body, 0, actor));
  SG_TRY(tx.upsert_work_item({.id = id,
                              .kind = "alert",
                              .subkind = std::string(rule),
                              .case_id = case_id,
                              .subject_key = subject_key,
                              .inbox = inbox,
                              .status = "open",
                              .agency_id = agency_id,
                              .updated_at = clock_.now(),
                              .label = label}));
  return std::optional<std::string>(id);
}

core::Result<std::vector<std::string>> Casework::raise_alerts(
    storage::Transaction& tx, const Actor& actor, const domain::Concern& concern,
    const std::string& /*concern_id*/, const std::string& agency_id, const std::string& case_id,
    const Identities& who, ImportMemo* memo) {
  using std::chrono::days;
  std::vector<std::string> raised;
  auto keep = [&](std::optional<std::string> id) {
    if (id) raised.push_back(*id);
  };
  const auto received = concern.received_at;
  // Mentions under every key of one person, each concern and role once.
  auto mentions_of =
      [&](const std::vector<std::string>& keys) -> core::Result<std::vector<storage::Mention>> {
    std::vector<storage::Mention> out;
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& k : keys) {
      for (auto& m : SG_TRY(tx.mentions(k))) {
        if (seen.emplace(m.concern_id, m.role).second) out.push_back(std::move(m));
      }
    }
    return out;
  };
  for (const auto& child : concern.children) {
    const auto& keys = who.of(child);
    const std::string& key = keys.front();
    if (key.starts_with("unidentified:") && keys.size() == 1) continue;
    auto all = SG_TRY(mentions_of(keys));
    std::vector<storage::Mention> as_child;
    for (auto& m : all) {
      if (m.role == "child") as_child.push_back(std::move(m));
    }
    auto within = [&](std::chrono::days window) {
      std::vector<std::string> ids;
      for (const auto& m : as_child) {
        if (m.received_at <= received && received - m.received_at <= window) {
          ids.push_back(m.concern_id);
        }
      }
      return ids;
    };
    std::optional<storage::CaseSummary> open;
    for (const auto& k : keys) {
      open = SG_TRY(tx.open_case_for(k));
      if (open) break;
    }
    std::string kase = open ? open->case_id : case_id;
    std::string agency = open ? open->agency_id : agency_id;

    // (a) Two or more concerns about the same child within 7 days.
    if (auto ids = within(days(7)); ids.size() >= 2) {
      keep(SG_TRY(raise_alert(
          tx, actor, "repeat_concern_7_days", keys, kase, agency, std::string(kMashInbox), ids,
          std::to_string(ids.size()) + " concerns about this child within 7 days",
          child_display(child))));
    }
    // (b) Three or more concerns within 12 months and no strategy discussion.
    if (auto ids = within(days(365)); ids.size() >= 3) {
      bool strategy = false;
      if (open) {
        Loaded holder;
        const json& doc = SG_TRY(case_document(tx, memo, open->case_id, holder))->body;
        if (auto events = doc.find("events"); events != doc.end()) {
          for (const auto& e : *events) {
            if (!e.is_object()) continue;
            if (auto kind = e.find("kind"); kind != e.end() && *kind == "strategy_discussion") {
              strategy = true;
            }
          }
        }
      }
      if (!strategy) {
        keep(SG_TRY(raise_alert(
            tx, actor, "repeat_concern_no_strategy", keys, kase, agency,
            std::string(kManagersInbox), ids,
            std::to_string(ids.size()) +
                " concerns about this child within 12 months and no strategy discussion",
            child_display(child))));
      }
    }
    // (d) Two or more missing episodes within 30 days, across every agency's concerns.
    std::set<std::string> missing_dates;
    std::vector<std::string> missing_concerns;
    auto cutoff = core::london_date(received).plus_days(-30);
    for (const auto& k : keys) {
      for (const auto& [date, id] : SG_TRY(tx.episodes(k, "missing_episode", cutoff))) {
        missing_dates.insert(date.iso());
        if (std::find(missing_concerns.begin(), missing_concerns.end(), id) ==
            missing_concerns.end()) {
          missing_concerns.push_back(id);
        }
      }
    }
    if (missing_dates.size() >= 2) {
      keep(SG_TRY(
          raise_alert(tx, actor, "repeat_missing", keys, kase, agency, std::string(kManagersInbox),
                      missing_concerns,
                      std::to_string(missing_dates.size()) + " missing episodes within 30 days",
                      child_display(child))));
    }
  }

  // (c) The same person named as suspect or associate in concerns about two or more
  // different children.
  auto same_child = [&](const std::string& key) {
    if (auto it = who.same_as.find(key); it != who.same_as.end()) return it->second;
    std::string entity = people_ ? people_->entity_of_key(key) : "";
    return entity.empty() ? key : "entity:" + entity;
  };
  for (const auto& person : concern.persons) {
    if (person.role != "suspect" && person.role != "associate") continue;
    const auto& keys = who.of(person);
    if (keys.front().starts_with("unidentified:") && keys.size() == 1) continue;
    // Children are counted as people too: two records of one child are one child.
    std::set<std::string> children;
    std::vector<std::string> ids;
    for (const auto& m : SG_TRY(mentions_of(keys))) {
      if (m.role != "suspect" && m.role != "associate") continue;
      for (const auto& named : SG_TRY(tx.mentions_in(m.concern_id))) {
        if (named.role == "child") children.insert(same_child(named.subject_key));
      }
      if (std::find(ids.begin(), ids.end(), m.concern_id) == ids.end()) {
        ids.push_back(m.concern_id);
      }
    }
    if (children.size() >= 2) {
      keep(SG_TRY(raise_alert(tx, actor, "person_linked_to_children", keys, "", agency_id,
                              std::string(kMashInbox), ids,
                              "named as suspect or associate in concerns about " +
                                  std::to_string(children.size()) + " children",
                              child_display(person))));
    }
  }
  return raised;
}

core::Result<std::string> Casework::decide(const Actor& actor, std::string_view case_id,
                                           const DecisionInput& input) {
  SG_TRY(require(actor, Action::kProposeDecision));
  SG_TRY(require_text(input.rationale, "rationale"));
  auto now = clock_.now();
  if (input.decided_on > core::london_date(now)) {
    return core::invalid_argument("is in the future", "decided_on");
  }
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto kase = SG_TRY(load(*tx, case_id, "case"));
  SG_TRY(require_visible(*tx, actor, kase));
  SG_TRY(check_version(kase.version, input.if_match));
  if (kase.body["status"] != "open") return core::failed_precondition("the case is closed");
  std::string stage = kase.body["stage"];
  if (input.kind == DecisionKind::kAccept && stage != "referral_decision") {
    return core::failed_precondition("only a referral can be accepted; this case is at " + stage);
  }
  std::string id = ids_.next();
  bool needs_sign_off =
      input.kind == DecisionKind::kNoFurtherAction || input.kind == DecisionKind::kClose;
  json decision = {{"id", id},
                   {"case_id", case_id},
                   {"kind", decision_name(input.kind)},
                   {"rationale", input.rationale},
                   {"decided_on", input.decided_on.iso()},
                   {"stage", stage},
                   {"late_reason", input.late_reason},
                   {"assignee_id", input.assignee_id.empty() ? actor.user_id : input.assignee_id},
                   {"proposed_by", actor.user_id},
                   {"proposed_at", core::format_rfc3339(now)},
                   {"status", needs_sign_off ? "proposed" : "effective"}};
  std::vector<std::string> touched = {id, std::string(case_id)};
  Loaded loaded{decision, {}};
  if (needs_sign_off) {
    // A late referral decision must still be explained now, not at sign-off.
    if (stage == "referral_decision") {
      for (const auto& item : SG_TRY(tx->work_items({.kind = "task",
                              .case_id = std::string(case_id),
                              .subkind = "referral_decision"}))) {
        if (item.due && input.decided_on > *item.due && blank(input.late_reason)) {
          return core::invalid_argument("the referral decision was due on " + item.due->iso() +
                                            ": deciding late needs a reason",
                                        "late_reason");
        }
      }
    }
    SG_TRY(save(*tx, id, "decision", kase.version.agency_id, decision, 0, actor));
    std::string inbox =
        actor.manager_id.empty() ? std::string(kManagersInbox) : user_inbox(actor.manager_id);
    SG_TRY(tx->upsert_work_item({.id = id,
                                 .kind = "sign_off",
                                 .subkind = std::string(decision_name(input.kind)),
                                 .case_id = std::string(case_id),
                                 .subject_key = kase.body.value("subject_key", ""),
                                 .inbox = inbox,
                                 .status = "open",
                                 .agency_id = kase.version.agency_id,
                                 .updated_at = now,
                                 .label = kase.body["child"].value("name", "")}));
  } else {
    SG_TRY(save(*tx, id, "decision", kase.version.agency_id, decision, 0, actor));
    loaded.version = SG_TRY(tx->record(id));
    SG_TRY(apply_decision(*tx, actor, loaded));
  }
  kase = SG_TRY(load(*tx, case_id, "case"));  // apply_decision may have moved it on.
  kase.body["decisions"].push_back(id);
  SG_TRY(save(*tx, std::string(case_id), "case", kase.version.agency_id, kase.body,
              kase.version.version, actor));
  SG_TRY(ledger(*tx, actor, domain::Operation::kCollection, "case_work", touched, decision));
  SG_TRY(tx->commit());
  return id;
}

core::Status Casework::apply_decision(storage::Transaction& tx, const Actor& actor,
                                      Loaded& decision) {
  std::string case_id = decision.body["case_id"];
  auto kase = SG_TRY(load(tx, case_id, "case"));
  auto summary = SG_TRY(tx.case_summary(case_id));
  auto kind = SG_TRY(parse_decision(decision.body["kind"].get<std::string>(), "kind"));
  auto decided_on =
      json_date(decision.body["decided_on"]).value_or(core::london_date(clock_.now()));
  std::string late_reason = decision.body.value("late_reason", "");
  std::string stage = kase.body["stage"];
  if (stage == "referral_decision") {
    SG_TRY(close_open_tasks(tx, actor, case_id, "referral_decision", decided_on, late_reason));
  }
  auto now = clock_.now();
  if (kind == DecisionKind::kAccept) {
    kase.body["stage"] = "assessment";
    kase.body["assignee_id"] = decision.body["assignee_id"];
    kase.body["events"].push_back({{"kind", "referral_accepted"}, {"date", decided_on.iso()}});
    auto regime = SG_TRY(timescales_.regime_on(decided_on));
    std::string owner = decision.body["assignee_id"];
    SG_TRY(open_task(tx, actor, case_id, kase.body["subject_key"], kase.version.agency_id,
                     assessment_task(*regime), decided_on, owner, user_inbox(owner)));
    summary.stage = "assessment";
  } else {
    // NFA, step down and closure end the statutory case; open work is cancelled.
    SG_TRY(close_open_tasks(tx, actor, case_id, "", decided_on, ""));
    kase.body["stage"] = "closed";
    kase.body["status"] = "closed";
    kase.body["outcome"] = decision.body["kind"];
    kase.body["closed_on"] = decided_on.iso();
    kase.body["events"].push_back(
        {{"kind", "closed"}, {"date", decided_on.iso()}, {"outcome", decision.body["kind"]}});
    summary.stage = "closed";
    summary.status = "closed";
  }
  summary.updated_at = now;
  SG_TRY(tx.upsert_case(summary));
  SG_TRY(save(tx, case_id, "case", kase.version.agency_id, kase.body, kase.version.version, actor));
  return {};
}

core::Status Casework::sign_off(const Actor& actor, std::string_view decision_id, SignOff verdict,
                                std::string_view note) {
  SG_TRY(require(actor, Action::kSignOff));
  if (verdict == SignOff::kRefuse) SG_TRY(require_text(note, "note"));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto decision = SG_TRY(load(*tx, decision_id, "decision"));
  SG_TRY(require_visible(*tx, actor, decision));
  if (decision.body["status"] != "proposed") {
    return core::failed_precondition("the decision is not waiting for sign-off");
  }
  if (decision.body["proposed_by"] == actor.user_id) {
    return core::permission_denied(
        "the manager who signs off must be someone other than the person who proposed the "
        "decision");
  }
  auto now = clock_.now();
  decision.body["status"] = verdict == SignOff::kApprove ? "signed_off" : "refused";
  decision.body["sign_off"] = {{"by", actor.user_id},
                               {"at", core::format_rfc3339(now)},
                               {"verdict", verdict == SignOff::kApprove ? "approve" : "refuse"},
                               {"note", note}};
  SG_TRY(save(*tx, std::string(decision_id), "decision", decision.version.agency_id, decision.body,
              decision.version.version, actor));
  decision.version = SG_TRY(tx->record(decision_id));
  std::string case_id = decision.body["case_id"];
  if (verdict == SignOff::kApprove) SG_TRY(apply_decision(*tx, actor, decision));
  SG_TRY(tx->upsert_work_item({.id = std::string(decision_id),
                               .kind = "sign_off",
                               .subkind = decision.body["kind"].get<std::string>(),
                               .case_id = case_id,
                               .inbox = "",
                               .status = "done",
                               .agency_id = decision.version.agency_id,
                               .updated_at = now}));
  SG_TRY(ledger(*tx, actor, domain::Operation::kAlteration, "case_work",
                {std::string(decision_id), case_id}, decision.body["sign_off"]));
  return tx->commit();
}

core::Status Casework::record_meeting(const Actor& actor, std::string_view case_id, Meeting meeting,
                                      core::Date held_on, std::string_view note,
                                      std::string_view late_reason, std::optional<int> if_match) {
  SG_TRY(require(actor, Action::kRecordMeeting));
  if (held_on > core::london_date(clock_.now())) {
    return core::invalid_argument("is in the future", "held_on");
  }
  if (note.size() > 4000) return core::invalid_argument("is too long", "note");
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto kase = SG_TRY(load(*tx, case_id, "case"));
  SG_TRY(require_visible(*tx, actor, kase));
  SG_TRY(check_version(kase.version, if_match));
  if (kase.body["status"] != "open") return core::failed_precondition("the case is closed");
  auto summary = SG_TRY(tx->case_summary(case_id));
  std::string id(case_id);
  std::string subject = kase.body["subject_key"];
  std::string owner = kase.body.value("assignee_id", "");
  if (owner.empty()) owner = actor.user_id;
  std::string stage = kase.body["stage"];
  switch (meeting) {
    case Meeting::kStrategyDiscussion:
      if (stage == "referral_decision") {
        return core::failed_precondition("decide on the referral before a strategy discussion");
      }
      SG_TRY(open_task(*tx, actor, id, subject, kase.version.agency_id, "initial_conference",
                       held_on, owner, user_inbox(owner)));
      kase.body["stage"] = summary.stage = "section_47";
      break;
    case Meeting::kInitialConference:
      if (stage != "section_47") {
        return core::failed_precondition("an initial conference follows a strategy discussion");
      }
      SG_TRY(close_open_tasks(*tx, actor, id, "initial_conference", held_on, late_reason));
      SG_TRY(open_task(*tx, actor, id, subject, kase.version.agency_id, "first_review_conference",
                       held_on, owner, user_inbox(owner)));
      kase.body["stage"] = summary.stage = "plan";
      break;
    case Meeting::kReviewConference:
      if (stage != "plan") {
        return core::failed_precondition("review conferences follow the initial conference");
      }
      SG_TRY(close_open_tasks(*tx, actor, id, "first_review_conference", held_on, late_reason));
      SG_TRY(close_open_tasks(*tx, actor, id, "review_conference", held_on, late_reason));
      SG_TRY(open_task(*tx, actor, id, subject, kase.version.agency_id, "review_conference",
                       held_on, owner, user_inbox(owner)));
      break;
  }
  json event = {{"kind", meeting_name(meeting)},
                {"date", held_on.iso()},
                {"note", note},
                {"recorded_by", actor.user_id}};
  kase.body["events"].push_back(event);
  SG_TRY(save(*tx, id, "case", kase.version.agency_id, kase.body, kase.version.version, actor));
  summary.updated_at = clock_.now();
  SG_TRY(tx->upsert_case(summary));
  SG_TRY(ledger(*tx, actor, domain::Operation::kCollection, "case_work", {id}, event));
  return tx->commit();
}

core::Status Casework::complete_task(const Actor& actor, std::string_view task_id,
                                     core::Date done_on, std::string_view late_reason) {
  SG_TRY(require(actor, Action::kCompleteTask));
  if (done_on > core::london_date(clock_.now())) {
    return core::invalid_argument("is in the future", "done_on");
  }
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  SG_TRY(require_visible(*tx, actor, SG_TRY(load(*tx, task_id, "task"))));
  SG_TRY(close_task(*tx, actor, std::string(task_id), done_on, late_reason, "done"));
  SG_TRY(ledger(*tx, actor, domain::Operation::kAlteration, "case_work", {std::string(task_id)},
                {{"done_on", done_on.iso()}, {"late_reason", late_reason}}));
  return tx->commit();
}

core::Result<int> Casework::escalate_overdue(const Actor& actor) {
  SG_TRY(require(actor, Action::kRunEscalation));
  auto now = clock_.now();
  auto today = core::london_date(now);
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto overdue = SG_TRY(tx->work_items({.kind = "task", .due_before = today, .limit = 100000}));
  std::vector<std::string> touched;
  int escalated = 0;
  for (const auto& item : overdue) {
    auto task = SG_TRY(load(*tx, item.id, "task"));
    if (task.body.value("escalated", false)) continue;
    std::string manager;
    if (!item.owner_id.empty()) {
      if (auto owner = tx->user(item.owner_id); owner.ok()) manager = owner->manager_id;
    }
    std::string inbox = manager.empty() ? std::string(kManagersInbox) : user_inbox(manager);
    std::string id = ids_.next();
    int late = core::WorkingDayCalendar::england_and_wales()
                   .working_days_between(*item.due, today)
                   .value_or(0);
    json body = {{"id", id},
                 {"label", item.label},
                 {"task_id", item.id},
                 {"task", item.subkind},
                 {"case_id", item.case_id},
                 {"owner_id", item.owner_id},
                 {"manager_id", manager},
                 {"due", item.due->iso()},
                 {"working_days_overdue", late},
                 {"raised_at", core::format_rfc3339(now)},
                 {"inbox", inbox},
                 {"status", "open"}};
    SG_TRY(save(*tx, id, "escalation", item.agency_id, body, 0, actor));
    SG_TRY(tx->upsert_work_item({.id = id,
                                 .kind = "escalation",
                                 .subkind = item.subkind,
                                 .case_id = item.case_id,
                                 .subject_key = item.subject_key,
                                 .owner_id = manager,
                                 .inbox = inbox,
                                 .due = item.due,
                                 .status = "open",
                                 .agency_id = item.agency_id,
                                 .updated_at = now,
                                 .label = item.label}));
    task.body["escalated"] = true;
    task.body["escalation_id"] = id;
    SG_TRY(
        save(*tx, item.id, "task", task.version.agency_id, task.body, task.version.version, actor));
    touched.push_back(id);
    touched.push_back(item.id);
    ++escalated;
  }
  if (escalated > 0) {
    SG_TRY(ledger(*tx, actor, domain::Operation::kAlteration, "escalation", touched,
                  {{"escalated", escalated}, {"on", today.iso()}}));
    SG_TRY(tx->commit());
  }
  return escalated;
}

core::Result<Screening> Casework::screen(const Actor& actor, std::string_view case_id,
                                         std::optional<Override> override_level,
                                         std::optional<int> if_match) {
  SG_TRY(require(actor, Action::kScreenRisk));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto kase = SG_TRY(load(*tx, case_id, "case"));
  SG_TRY(require_visible(*tx, actor, kase));
  SG_TRY(check_version(kase.version, if_match));
  std::string key = kase.body["subject_key"];
  ScreeningInput input;
  input.as_of = core::london_date(clock_.now());
  input.override_level = std::move(override_level);
  for (const auto& m : SG_TRY(tx->mentions(key))) {
    if (m.role != "child") continue;
    auto doc = SG_TRY(load(*tx, m.concern_id, "concern"));
    auto parsed = domain::parse_concern(doc.body, clock_.now());
    if (!parsed.ok()) continue;  // Stored concerns were valid when recorded.
    std::set<std::string> refs;
    for (const auto& child : parsed->children) {
      if (subject_key_of(child, m.concern_id) != key) continue;
      refs.insert(child.ref);
      if (child.full_date_of_birth) input.date_of_birth = child.full_date_of_birth;
    }
    for (const auto& ind : parsed->indicators) {
      if (ind.child.empty() || refs.contains(ind.child)) {
        input.observations.push_back({ind.code, ind.observed_on});
      }
    }
  }
  auto result = SG_TRY(tool_.screen(input));
  json contributions = json::array();
  for (const auto& c : result.contributions) {
    contributions.push_back({{"code", c.code},
                             {"label", c.label},
                             {"category", category_name(c.category)},
                             {"seen_on", c.seen_on.iso()},
                             {"points", c.points}});
  }
  json record = {{"at", core::format_rfc3339(clock_.now())},
                 {"by", actor.user_id},
                 {"tool", result.tool_id},
                 {"tool_version", result.tool_version},
                 {"score", result.score},
                 {"scored_level", result.scored_level},
                 {"level", result.level},
                 {"forced", result.forced},
                 {"final_level", result.final_level},
                 {"contributions", contributions},
                 {"reassess_by", result.reassess_by.iso()}};
  if (result.override_level) {
    record["override"] = {{"level", result.override_level->level},
                          {"reason", result.override_level->reason}};
  }
  kase.body["screenings"].push_back(record);
  SG_TRY(save(*tx, std::string(case_id), "case", kase.version.agency_id, kase.body,
              kase.version.version, actor));
  SG_TRY(ledger(*tx, actor, domain::Operation::kCollection, "risk_screening",
                {std::string(case_id)}, record));
  SG_TRY(tx->commit());
  return result;
}

core::Status Casework::acknowledge(const Actor& actor, std::string_view item_id,
                                   std::string_view note) {
  SG_TRY(require_text(note, "note"));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto version = tx->record(item_id);
  if (!version.ok() || (version->kind != "alert" && version->kind != "escalation" &&
                        version->kind != "audit_notice")) {
    return core::not_found("alert not found");
  }
  std::string kind = version->kind;
  auto item = SG_TRY(load(*tx, item_id, kind));
  // Break-glass notices are acknowledged by the auditors; alerts by those who may see them.
  if (kind == "audit_notice") {
    SG_TRY(require(actor, Action::kAcknowledgeAudit));
  } else {
    SG_TRY(require(actor, Action::kAcknowledgeAlert));
    SG_TRY(require_visible(*tx, actor, item));
  }
  if (item.body["status"] != "open") return core::failed_precondition("already acknowledged");
  auto now = clock_.now();
  item.body["status"] = "acknowledged";
  item.body["acknowledged"] = {
      {"by", actor.user_id}, {"at", core::format_rfc3339(now)}, {"note", note}};
  SG_TRY(save(*tx, std::string(item_id), kind, item.version.agency_id, item.body,
              item.version.version, actor));
  SG_TRY(
      tx->upsert_work_item({.id = std::string(item_id),
                            .kind = kind,
                            .subkind = item.body.value(kind == "escalation" ? "task" : "rule", ""),
                            .case_id = item.body.value("case_id", ""),
                            .subject_key = item.body.value("subject_key", ""),
                            .owner_id = item.body.value("manager_id", ""),
                            .inbox = item.body.value("inbox", ""),
                            .status = "acknowledged",
                            .agency_id = item.version.agency_id,
                            .updated_at = now,
                            .label = item.body.value("label", "")}));
  SG_TRY(ledger(*tx, actor, domain::Operation::kAlteration, "alert_review", {std::string(item_id)},
                item.body["acknowledged"]));
  return tx->commit();
}

core::Result<json> Casework::document(const Actor& actor, std::string_view id,
                                      std::optional<core::Timestamp> as_of,
                                      std::string_view reason) {
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto version = SG_TRY(tx->record(id, as_of));
  auto body = json::parse(version.body, nullptr, false);
  if (body.is_discarded()) return core::data_loss("stored record is corrupt");
  // Break-glass notices are the auditors' (they say who looked, never what was seen).
  SG_TRY(require(actor,
                 version.kind == "audit_notice" ? Action::kAuditLedger : Action::kReadCasework));
  auto need = SG_TRY(NeedToKnow::load(*tx, actor, clock_.now()));
  auto basis = domain::Basis::kSystem;
  if (version.kind != "audit_notice") {
    auto facts = SG_TRY(facts_of(*tx, version, body));
    SG_TRY(need.require_read(facts));
    basis = need.basis(facts);
  }
  // Consulting an OFFICIAL-SENSITIVE record needs a reason code.
  if (reason.empty() && version.marking == domain::Marking::kOfficialSensitive &&
      !actor.is_system()) {
    return core::invalid_argument("a reason code is needed to consult an OFFICIAL-SENSITIVE record",
                                  "reason");
  }
  std::string why = reason.empty() ? "case_work" : std::string(reason);
  SG_TRY(domain::validate_reason_code(why));
  // DPA 2018 s.62: consultation is logged like any other processing, with its basis.
  SG_TRY(ledger(*tx, actor, domain::Operation::kConsultation, why, {std::string(id)},
                {{"id", id}, {"version", version.version}, {"basis", domain::basis_name(basis)}}));
  SG_TRY(tx->commit());
  return json{{"id", version.record_id},
              {"kind", version.kind},
              {"version", version.version},
              {"recorded_at", core::format_rfc3339(version.recorded_at)},
              {"recorded_by", version.recorded_by},
              {"marking", domain::marking_name(version.marking)},
              {"body", std::move(body)}};
}

core::Result<std::vector<storage::WorkItem>> Casework::inbox(const Actor& actor,
                                                             const storage::WorkQuery& asked) {
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  // The auditors' inbox holds break-glass notices; everything else is casework. Auditors
  // see only theirs, whichever inbox they ask for.
  auto query = asked;
  if (!actor.is_system() && !allowed(actor.role, Action::kReadCasework) &&
      allowed(actor.role, Action::kAcknowledgeAudit)) {
    query.inbox = std::string(kAuditorsInbox);
  }
  bool audit = query.inbox && *query.inbox == kAuditorsInbox;
  SG_TRY(require(actor, audit ? Action::kAcknowledgeAudit : Action::kReadCasework));
  auto need = SG_TRY(NeedToKnow::load(*tx, actor, clock_.now()));
  auto items = SG_TRY(tx->work_items(query));
  std::erase_if(items, [&](const storage::WorkItem& w) {
    if (w.kind == "audit_notice")
      return !allowed(actor.role, Action::kAcknowledgeAudit) && !actor.is_system();
    // A work item's row changes with its status; a reviewer's period turns on when its
    // record was first recorded. Nobody else's basis does, so only they pay for the read.
    auto first = w.updated_at;
    if (need.remit() != nullptr) {
      auto at = tx->first_recorded_at(w.id);
      if (!at.ok()) return true;
      first = *at;
    }
    return !need.may_see_work_item(w, first);
  });
  return items;
}

core::Result<std::vector<storage::CaseSummary>> Casework::cases(const Actor& actor,
                                                                const storage::CaseQuery& query) {
  SG_TRY(require(actor, Action::kReadCasework));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  auto need = SG_TRY(NeedToKnow::load(*tx, actor, clock_.now()));
  auto cases = SG_TRY(tx->cases(query));
  std::erase_if(cases, [&](const storage::CaseSummary& c) { return !need.may_see_case(c); });
  return cases;
}

}  // namespace sg::workflow
