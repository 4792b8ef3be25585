// The auditor's view of the ledger (issue 6, section 3): the events, filtered and paged by
// sequence number; the stored signed checkpoints; and RFC 6962 inclusion proofs. Auditors
// only, and never their own events, so no one audits themselves. Each read is itself one
// ledger consultation (reason "audit_review") in the same transaction (docs/ledger.md).
#include <algorithm>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "api/app.h"
#include "api/errors.h"
#include "api/json_io.h"
#include "core/ascii.h"
#include "core/date.h"

namespace sg::api {
namespace {

using nlohmann::json;

constexpr std::size_t kDefaultLimit = 100;
constexpr std::size_t kMaxLimit = 1000;
constexpr std::size_t kMaxIdBytes = 128;
// When ?operation= filters in memory, events are read in batches of at least this many.
constexpr std::size_t kScanBatch = 1000;

// A non-negative decimal integer of at most 18 digits, or nullopt.
std::optional<std::int64_t> parse_count(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

// ?from= and ?to=: an RFC 3339 instant, or a date YYYY-MM-DD (UTC) which counts whole:
// from the start of the day, or (for `to`) up to the end of it. `to` is exclusive.
core::Result<std::optional<core::Timestamp>> time_param(const Request& request,
                                                        std::string_view name, bool upper) {
  auto text = query_param(request, name);
  if (!text) return std::optional<core::Timestamp>();
  if (text->size() == 10) {
    auto date = SG_TRY(core::Date::parse_iso(*text, name));
    auto day = upper ? date.plus_days(1) : date;
    return std::optional<core::Timestamp>(core::Timestamp(day.days()));
  }
  auto at = core::parse_rfc3339(*text, name);
  if (!at.ok()) {
    return core::invalid_argument("must be a date (YYYY-MM-DD) or an RFC 3339 date-time",
                                  std::string(name));
  }
  return std::optional<core::Timestamp>(*at);
}

// ?actor= and ?record=: an id, at most 128 bytes, without spaces or control characters.
core::Result<std::optional<std::string>> id_param(const Request& request, std::string_view name) {
  auto text = query_param(request, name);
  if (!text) return std::optional<std::string>();
  bool printable = std::all_of(text->begin(), text->end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && c != 0x7f;
  });
  if (text->empty() || text->size() > kMaxIdBytes || !printable) {
    return core::invalid_argument(
        "must be an id of 1 to " + std::to_string(kMaxIdBytes) + " characters without spaces",
        std::string(name));
  }
  return std::optional<std::string>(*text);
}

// What the auditor asked for, validated.
struct LedgerRequest {
  storage::LedgerQuery query;
  std::optional<domain::Operation> operation;
};

core::Result<LedgerRequest> parse_ledger_request(const Request& request) {
  LedgerRequest out;
  auto& q = out.query;
  q.from = SG_TRY(time_param(request, "from", false));
  q.to = SG_TRY(time_param(request, "to", true));
  if (q.from && q.to && *q.to <= *q.from) {
    return core::invalid_argument("must be after from", "to");
  }
  q.actor = SG_TRY(id_param(request, "actor"));
  q.record_id = SG_TRY(id_param(request, "record"));
  if (auto text = query_param(request, "operation")) {
    auto op = domain::parse_operation(*text);
    if (!op.ok()) {
      return core::invalid_argument(
          "must be one of collection, alteration, consultation, disclosure, combination, "
          "erasure",
          "operation");
    }
    out.operation = *op;
  }
  if (auto text = query_param(request, "after_seq")) {
    auto n = parse_count(*text);
    if (!n) return core::invalid_argument("must be a whole number, 0 or more", "after_seq");
    q.after_seq = *n;
  }
  q.limit = kDefaultLimit;
  if (auto text = query_param(request, "limit")) {
    auto n = parse_count(*text);
    if (!n || *n < 1 || *n > static_cast<std::int64_t>(kMaxLimit)) {
      return core::invalid_argument("must be 1 to " + std::to_string(kMaxLimit), "limit");
    }
    q.limit = static_cast<std::size_t>(*n);
  }
  return out;
}

// Events as auditors read them: people by name and role as well as id. System actors and
// accounts since removed keep their id only.
class EventWriter {
 public:
  explicit EventWriter(storage::Transaction& tx) : tx_(tx) {}

  json operator()(const storage::LedgerRow& r) {
    json item = {{"seq", r.seq},
                 {"event_id", r.event_id},
                 {"at", core::format_rfc3339(r.at)},
                 {"actor", r.actor},
                 {"operation", domain::operation_name(r.operation)},
                 {"reason", r.reason},
                 {"record_ids", r.record_ids},
                 {"recipient", r.recipient}};
    auto known = people_.find(r.actor);
    if (known == people_.end()) {
      std::pair<std::string, std::string> who;
      if (auto user = tx_.user(r.actor); user.ok()) {
        who = {user->display_name, std::string(domain::role_name(user->role))};
      }
      known = people_.emplace(r.actor, std::move(who)).first;
    }
    if (!known->second.first.empty()) {
      item["actor_name"] = known->second.first;
      item["actor_role"] = known->second.second;
    }
    return item;
  }

 private:
  storage::Transaction& tx_;
  std::map<std::string, std::pair<std::string, std::string>> people_;
};

json hashes_json(const std::vector<audit::Hash>& hashes) {
  json out = json::array();
  for (const auto& h : hashes) out.push_back(audit::to_hex(h));
  return out;
}

// Appends the auditor's own consultation and commits.
core::Status log_and_commit(audit::Ledger& ledger, storage::Transaction& tx,
                            const workflow::Actor& actor, std::vector<std::string> record_ids,
                            const json& payload) {
  auto event = ledger.append(tx, {.actor = actor.user_id,
                                  .operation = domain::Operation::kConsultation,
                                  .reason = "audit_review",
                                  .record_ids = std::move(record_ids),
                                  .payload = payload.dump()});
  if (!event.ok()) return event.error();
  return tx.commit();
}

}  // namespace

void App::add_audit_routes() {
  auto responses = [](int status, std::string description, std::string schema) {
    std::map<int, std::pair<std::string, std::optional<std::string>>> r;
    r[status] = {std::move(description), std::move(schema)};
    r[401] = {"Not signed in", "Problem"};
    r[403] = {"Only auditors read the ledger", "Problem"};
    return r;
  };

  auto ledger_responses = responses(200, "Events, oldest first", "LedgerPage");
  ledger_responses[400] = {"Invalid parameter; `field` names it", "Problem"};
  router_.add(
      {.method = "GET",
       .path = "/api/v1/ledger",
       .operation_id = "listLedgerEvents",
       .summary = "Ledger events for auditors, never the caller's own, oldest first. Filters: "
                  "?from= and ?to= (YYYY-MM-DD, whole UTC days, or RFC 3339; to is exclusive), "
                  "&actor=, &record=, &operation=; paged by &after_seq= (pass next_after_seq) "
                  "and &limit= 1 to 1000 (default 100). Logged as a consultation.",
       .tag = "audit",
       .responses = ledger_responses,
       .handler = [this](Context& ctx) {
         auto actor = actor_of(*ctx.principal);
         if (auto st = workflow::require(actor, workflow::Action::kAuditLedger); !st.ok()) {
           return error_response(st.error());
         }
         auto parsed = parse_ledger_request(ctx.request);
         if (!parsed.ok()) return error_response(parsed.error());
         auto query = parsed->query;
         const std::size_t limit = query.limit;
         query.exclude_actor = actor.user_id;
         // One more than asked for, to know whether there is a next page. A filter on the
         // operation is applied here, reading on in batches until enough events match.
         query.limit = parsed->operation ? std::max(limit + 1, kScanBatch) : limit + 1;
         auto tx = services_.store.begin(storage::TxMode::kWrite);
         if (!tx.ok()) return error_response(tx.error());
         std::vector<storage::LedgerRow> rows;
         while (rows.size() <= limit) {
           auto batch = (*tx)->ledger_events(query);
           if (!batch.ok()) return error_response(batch.error());
           for (auto& r : *batch) {
             if (!parsed->operation || r.operation == *parsed->operation) {
               rows.push_back(std::move(r));
             }
           }
           if (batch->size() < query.limit) break;
           query.after_seq = batch->back().seq;
         }
         const bool more = rows.size() > limit;
         if (more) rows.resize(limit);
         EventWriter write(**tx);
         json items = json::array();
         for (const auto& r : rows) items.push_back(write(r));
         json page = {{"items", items}};
         page["next_after_seq"] = more ? json(rows.back().seq) : json(nullptr);
         // The consultation records what was asked (the filters) and how much came back,
         // not the events themselves: they are in the ledger already.
         json asked = json::object();
         for (const char* name : {"from", "to", "actor", "record", "operation", "after_seq"}) {
           if (auto v = query_param(ctx.request, name)) asked[name] = *v;
         }
         asked["limit"] = limit;
         std::vector<std::string> record_ids;
         if (parsed->query.record_id) record_ids.push_back(*parsed->query.record_id);
         if (auto st = log_and_commit(services_.ledger, **tx, actor, std::move(record_ids),
                                      {{"ledger_query", asked}, {"returned", rows.size()}});
             !st.ok()) {
           return error_response(st.error());
         }
         return json_response(200, page);
       }});

  router_.add({.method = "GET",
               .path = "/api/v1/ledger/checkpoints",
               .operation_id = "listLedgerCheckpoints",
               .summary =
                   "The stored signed checkpoints of the ledger's Merkle tree, smallest tree "
                   "first, each with its signed note as exported. Logged as a consultation.",
               .tag = "audit",
               .responses = responses(200, "Checkpoints", "LedgerCheckpointList"),
               .handler = [this](Context& ctx) {
                 auto actor = actor_of(*ctx.principal);
                 if (auto st = workflow::require(actor, workflow::Action::kAuditLedger); !st.ok()) {
                   return error_response(st.error());
                 }
                 auto tx = services_.store.begin(storage::TxMode::kWrite);
                 if (!tx.ok()) return error_response(tx.error());
                 auto checkpoints = (*tx)->ledger_checkpoints();
                 if (!checkpoints.ok()) return error_response(checkpoints.error());
                 json items = json::array();
                 for (const auto& c : *checkpoints) {
                   items.push_back({{"tree_size", c.tree_size},
                                    {"root_hash", c.root_hash},
                                    {"at", core::format_rfc3339(c.at)},
                                    {"key_id", c.key_id},
                                    {"note", c.note}});
                 }
                 if (auto st = log_and_commit(services_.ledger, **tx, actor, {},
                                              {{"ledger_checkpoints", checkpoints->size()}});
                     !st.ok()) {
                   return error_response(st.error());
                 }
                 return json_response(200, {{"items", items}});
               }});

  auto proof_responses = responses(200, "The proof", "LedgerProof");
  proof_responses[400] = {"Not a sequence number; `field` names it", "Problem"};
  proof_responses[404] = {"No event has this sequence number", "Problem"};
  router_.add(
      {.method = "GET",
       .path = "/api/v1/ledger/proof/{seq}",
       .operation_id = "proveLedgerEvent",
       .summary = "The RFC 6962 inclusion proof of event {seq} against the current tree head "
                  "(before this read's own consultation event), and against the newest signed "
                  "checkpoint that covers it, if any. Not for the caller's own events. Logged "
                  "as a consultation.",
       .tag = "audit",
       .responses = proof_responses,
       .handler = [this](Context& ctx) {
         auto actor = actor_of(*ctx.principal);
         if (auto st = workflow::require(actor, workflow::Action::kAuditLedger); !st.ok()) {
           return error_response(st.error());
         }
         auto seq = parse_count(ctx.params.at("seq"));
         if (!seq || *seq < 1) {
           return error_response(
               core::invalid_argument("must be a whole number, 1 or more", "seq"));
         }
         auto tx = services_.store.begin(storage::TxMode::kWrite);
         if (!tx.ok()) return error_response(tx.error());
         auto last = (*tx)->ledger_last();
         if (!last.ok()) return error_response(last.error());
         const std::int64_t head = *last ? (*last)->seq : 0;
         if (*seq > head) {
           return error_response(core::Error{core::Code::kNotFound,
                                             "no ledger event has this sequence number", "seq"});
         }
         auto rows = (*tx)->ledger_range(*seq, 1);
         if (!rows.ok()) return error_response(rows.error());
         if (rows->empty() || rows->front().seq != *seq) {
           return error_response(core::data_loss("the event could not be read"));
         }
         const auto& row = rows->front();
         if (row.actor == actor.user_id) {
           return error_response(core::permission_denied("auditors do not audit their own events"));
         }
         auto leaves = audit::ledger_leaves(**tx, head);
         if (!leaves.ok()) return error_response(leaves.error());
         const auto index = static_cast<std::uint64_t>(*seq - 1);
         auto leaf = audit::leaf_bytes(row);
         EventWriter write(**tx);
         json out = {{"seq", *seq},
                     {"event", write(row)},
                     {"leaf_index", index},
                     {"leaf", core::to_hex(leaf)},
                     {"leaf_hash", audit::to_hex(audit::leaf_hash(leaf))},
                     {"tree_size", head},
                     {"root_hash", audit::to_hex(audit::tree_root(*leaves))},
                     {"path", hashes_json(audit::inclusion_proof(*leaves, index))}};
         auto checkpoints = (*tx)->ledger_checkpoints();
         if (!checkpoints.ok()) return error_response(checkpoints.error());
         // Checkpoints come smallest tree first: the last that covers the event is the newest.
         const storage::LedgerCheckpoint* checkpoint = nullptr;
         for (const auto& c : *checkpoints) {
           if (c.tree_size >= *seq && c.tree_size <= head) checkpoint = &c;
         }
         if (checkpoint) {
           auto covered = std::span<const audit::Hash>(*leaves).first(
               static_cast<std::size_t>(checkpoint->tree_size));
           out["checkpoint"] = {{"tree_size", checkpoint->tree_size},
                                {"root_hash", checkpoint->root_hash},
                                {"at", core::format_rfc3339(checkpoint->at)},
                                {"key_id", checkpoint->key_id},
                                {"note", checkpoint->note},
                                {"path", hashes_json(audit::inclusion_proof(covered, index))}};
         } else {
           out["checkpoint"] = nullptr;
         }
         if (auto st = log_and_commit(services_.ledger, **tx, actor, {}, {{"ledger_proof", *seq}});
             !st.ok()) {
           return error_response(st.error());
         }
         return json_response(200, out);
       }});
}

}  // namespace sg::api
