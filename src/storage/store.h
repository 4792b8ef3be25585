// The storage interface every service uses. SQLite (embedded default) and PostgreSQL
// (server deployments) implement it; services never see SQL or a driver type.
//
// Invariant: every write transaction that changes ledgered data (agencies, users, records)
// must append a ledger event before commit() — commit() refuses otherwise. That is how
// "every change is written with its ledger event in the same transaction" is enforced by
// the mechanism rather than by each caller's memory.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "domain/access_types.h"
#include "domain/record.h"

namespace sg::storage {

// One stored ledger event (DPA 2018 s.62). Hashes and digests are lower-case hex.
struct LedgerRow {
  std::int64_t seq = 0;  // 1, 2, 3, ... without gaps.
  std::string event_id;
  core::Timestamp at;
  std::string actor;  // User id, or "system:<component>" for the tool itself.
  domain::Operation operation = domain::Operation::kConsultation;
  std::string reason;
  std::vector<std::string> record_ids;
  std::string recipient;       // For disclosures: who received the data; else empty.
  std::string payload_digest;  // BLAKE2b-256 of the change's canonical payload.
  std::string prev_hash;       // hash of seq-1; 64 zeros for seq 1.
  std::string hash;            // BLAKE2b-256 over prev_hash and this event's fields.
};

// The erasable half of a ledger event: the payload its salted digest commits to
// (payload_digest = keyed BLAKE2b-256 of the payload under the salt). Erasure (MoPI review)
// blanks salt and payload and names the erasure event; the row itself stays.
struct LedgerPayload {
  std::int64_t seq = 0;
  std::string salt;            // Lower-case hex, 32 bytes; empty once erased.
  std::string payload;         // Empty once erased.
  std::int64_t erased_by = 0;  // Seq of the erasure event; 0 while the payload is held.
};

// A signed head of the ledger's Merkle tree (RFC 6962), as cut and stored.
struct LedgerCheckpoint {
  std::int64_t tree_size = 0;
  std::string root_hash;  // Lower-case hex SHA-256.
  core::Timestamp at;
  std::string key_id;    // Names the signing key (see audit/checkpoint.h).
  std::string frontier;  // The perfect-subtree roots, hex, space-separated: resumes the tree.
  std::string note;      // The signed text exactly as exported.
};

// A filter over ledger events, for auditors.
struct LedgerQuery {
  std::optional<core::Timestamp> from;  // Events at or after.
  std::optional<core::Timestamp> to;    // Events strictly before.
  std::optional<std::string> actor;
  std::optional<std::string> record_id;
  std::string exclude_actor;  // Never return this actor's events (auditors never audit themselves).
  std::int64_t after_seq = 0;  // Paging: only events with a larger seq.
  std::size_t limit = 500;
};

// A unit of work in an inbox: a task with a deadline, an alert or an escalation. The
// document itself is a versioned record with the same id; this is its queryable summary.
struct WorkItem {
  std::string id;
  std::string kind;         // "task", "alert", "escalation".
  std::string subkind;      // e.g. "referral_decision", "repeat_concern_7_days".
  std::string case_id;      // May be empty.
  std::string subject_key;  // The person it is about, may be empty.
  std::string owner_id;     // A user id, or empty when the item sits in a shared inbox.
  std::string inbox;        // "mash", or "user:<id>" for a person's own inbox.
  std::optional<core::Date> due;
  std::string status;  // "open", "done", "acknowledged", "cancelled".
  std::string agency_id;
  core::Timestamp updated_at;
  std::string label;  // What a person reads in a list: the child's name as recorded.
};

struct WorkQuery {
  std::optional<std::string> inbox;  // Exact inbox.
  std::optional<std::string> kind;
  std::optional<std::string> case_id;
  std::optional<std::string> subkind;
  std::optional<std::string> subject_key;
  bool open_only = true;
  std::optional<core::Date> due_before;  // Only items due strictly before this date.
  std::size_t limit = 500;
};

// One person named in one concern, under the key that says "same person".
struct Mention {
  std::string subject_key;
  std::string concern_id;
  std::string role;  // "child", "suspect", "associate", ...
  core::Timestamp received_at;
  std::string agency_id;
};

// The queryable summary of a case (its document is a versioned record).
struct CaseSummary {
  std::string case_id;
  std::string subject_key;  // The child.
  std::string stage;
  std::string status;  // "open" or "closed".
  std::string agency_id;
  core::Timestamp opened_at;
  core::Timestamp updated_at;
  std::string label;  // The child's name as recorded.
};

// A concern whose narrative matches a full-text search, best match first.
struct ConcernHit {
  std::string concern_id;
  std::string agency_id;
  // The matching passage, with each matched term between kMatchStart and kMatchEnd.
  std::string snippet;
  std::vector<std::string> case_ids;  // The cases of the children it names.
};
inline constexpr char kMatchStart = '\x02';
inline constexpr char kMatchEnd = '\x03';

struct CaseQuery {
  std::optional<std::string> status;  // "open" or "closed"; unset for all.
  std::size_t limit = 500;
};

// A pair of person records queued for an analyst (entity resolution review, issue 4).
struct ReviewPair {
  std::string pair_id;
  std::string record_l, record_r;  // Person record ids ("<concern id>:<ref>").
  double probability = 0;          // The model's match probability when queued.
  std::string status;              // "open", or the decision: "same", "different", "unsure".
  core::Timestamp queued_at;
  core::Timestamp updated_at;
};

// Access beyond one's own agency (domain/policy.h): a sharing agreement between agencies, a
// place on a case team, a restriction of a record to named users or teams, a break-glass or
// an independent reviewer's remit. Grants are never deleted: revoking one stamps it, so who
// could see what, and when, can always be answered.
struct Grant {
  std::string id;
  std::string kind;  // "sharing", "case_team", "restriction", "break_glass", "reviewer_scope".
  // sharing: the providing agency's id; case_team, restriction, break_glass: the case or
  // record id; reviewer_scope: empty.
  std::string object;
  // sharing: the receiving agency's id; restriction: "user:<id>" or "team:<manager id>";
  // otherwise a user id.
  std::string grantee;
  // sharing: categories, comma-separated; reviewer_scope: agency ids, comma-separated.
  std::string scope;
  std::string reason;  // Free text: the agreement's basis, the break-glass reason...
  std::string created_by;
  core::Timestamp created_at;
  std::optional<core::Timestamp> valid_from;  // Reviewer periods start here.
  std::optional<core::Timestamp> valid_to;    // Break-glass expiry; reviewer periods end here.
  std::optional<core::Timestamp> revoked_at;
  std::string revoked_by;
};

struct GrantQuery {
  std::optional<std::string> kind;
  std::optional<std::string> object;
  std::optional<std::string> grantee;
  // In force at this time: created at or before it, not revoked by it, and for grants that
  // expire (break-glass), not yet expired. Unset: every grant, revoked or not.
  std::optional<core::Timestamp> active_at;
  std::size_t limit = 10000;
};

// Where one record stands in retention review (MoPI, docs/retention.md): the last decision
// taken on it. Records never decided have no row; their review date follows from the policy.
struct RetentionReview {
  std::string record_id;
  std::string group;        // The policy group it was reviewed under.
  core::Date review_on;     // The next review the decision set (for "erase": its date).
  std::string decision;     // "retain" or "erase".
  std::string decision_id;  // The "retention_decision" record of its retain decisions, if any.
  std::string reason;       // The last decision's reason.
  std::string decided_by;   // A user id.
  core::Timestamp decided_at;
};

enum class TxMode { kRead, kWrite };

// A user's TOTP second factor (RFC 6238; OWASP ASVS 5.0 V6.3.3). The store keeps the secret
// as it is given: access seals it (access/second_factor_key.h) before it gets here.
struct SecondFactor {
  std::string user_id;
  std::string secret;                           // Sealed, unless key_id is empty.
  core::Timestamp created_at;                   // When enrolment started.
  std::optional<core::Timestamp> confirmed_at;  // Unset until a first code proved it.
  std::int64_t last_step = -1;                  // The newest TOTP step accepted: no replay.
  // The id of the key that sealed `secret`; empty for a secret stored in the clear before
  // schema 15, which the server seals at its next start.
  std::string key_id;
};

// A sign-in whose password was right and which awaits its second factor.
struct PendingSignIn {
  std::string token_hash;  // Hex BLAKE2b-256 of the token given to the client.
  std::string user_id;
  core::Timestamp expires_at;
};

// A unit of work. Rolled back on destruction unless commit() succeeded. Not thread-safe:
// one transaction belongs to one thread at a time.
class Transaction {
 public:
  virtual ~Transaction() = default;

  // Agencies. insert_* returns AlreadyExists on a duplicate id or code.
  virtual core::Status insert_agency(const domain::Agency& agency) = 0;
  virtual core::Result<domain::Agency> agency(std::string_view id) = 0;
  virtual core::Result<domain::Agency> agency_by_code(std::string_view code) = 0;
  virtual core::Result<std::vector<domain::Agency>> agencies() = 0;

  // Users. insert_user returns AlreadyExists (field "username") on a duplicate username.
  virtual core::Status insert_user(const domain::User& user) = 0;
  virtual core::Status update_user(const domain::User& user) = 0;  // NotFound if absent.
  virtual core::Result<domain::User> user(std::string_view id) = 0;
  virtual core::Result<domain::User> user_by_username(std::string_view username) = 0;
  virtual core::Result<std::vector<domain::User>> users() = 0;

  // Sessions are operational state, not ledgered records.
  virtual core::Status insert_session(const domain::Session& session) = 0;
  virtual core::Result<domain::Session> session(std::string_view token_hash) = 0;
  virtual core::Status touch_session(std::string_view token_hash, core::Timestamp at) = 0;
  virtual core::Status delete_session(std::string_view token_hash) = 0;
  // Removes sessions idle since before `idle_cutoff` or created before `absolute_cutoff`.
  virtual core::Result<int> delete_expired_sessions(core::Timestamp idle_cutoff,
                                                    core::Timestamp absolute_cutoff) = 0;
  // Ends every session of `user_id` except the one whose token hash is `keep_token_hash`
  // (none kept when empty), and every sign-in of theirs still awaiting a second factor: a
  // disabled account or a new password takes effect on the very next request. Returns how
  // many sessions ended.
  virtual core::Result<int> delete_user_sessions(std::string_view user_id,
                                                 std::string_view keep_token_hash) = 0;
  // Every stored session of `user_id`, expired or not, oldest first (OWASP ASVS 5.0 V7.5.2).
  virtual core::Result<std::vector<domain::Session>> user_sessions(std::string_view user_id) = 0;
  // Ends every session of every user except the one whose token hash is `keep_token_hash`
  // (none kept when empty), and every sign-in waiting for its second factor, and returns the
  // ids of the users whose sessions or sign-ins ended, each once (V7.4.5).
  virtual core::Result<std::vector<std::string>> delete_all_sessions(
      std::string_view keep_token_hash) = 0;
  // A generated password that must be changed before anything else (ASVS V6.4.1): when it
  // was issued to `user_id`, if it is still theirs. Set with a time; clear with nullopt.
  virtual core::Status set_password_change_due(std::string_view user_id,
                                               std::optional<core::Timestamp> issued_at) = 0;
  virtual core::Result<std::optional<core::Timestamp>> password_change_due(
      std::string_view user_id) = 0;

  // Second factors (ASVS V6.3.3, V6.5). Setting or deleting one is a change to the account,
  // so it needs a ledger event before commit(); accepting a step or using a recovery code
  // is sign-in state, like a session, and does not.
  // Replaces the user's factor and drops their recovery codes.
  virtual core::Status put_second_factor(const SecondFactor& factor) = 0;
  virtual core::Result<std::optional<SecondFactor>> second_factor(std::string_view user_id) = 0;
  // Every user's factor, confirmed or not, by user id: for work on all of them at start-up.
  virtual core::Result<std::vector<SecondFactor>> second_factors() = 0;
  // The ids of the users whose factor is confirmed (in force), in no particular order.
  virtual core::Result<std::vector<std::string>> users_with_second_factor() = 0;
  // Stores the user's secret in another form (sealed under `key_id`), leaving the rest of the
  // factor and the recovery codes as they are. NotFound if the user has no factor.
  virtual core::Status replace_second_factor_secret(std::string_view user_id,
                                                    std::string_view secret,
                                                    std::string_view key_id) = 0;
  // Removes the user's factor, recovery codes and pending sign-ins. Returns whether there
  // was a factor.
  virtual core::Result<bool> delete_second_factor(std::string_view user_id) = 0;
  // Records `step` as the newest accepted, if it is newer than the last: false when it is
  // not (a replayed or older code), so two requests cannot both use one step.
  virtual core::Result<bool> accept_second_factor_step(std::string_view user_id,
                                                       std::int64_t step) = 0;
  // Sets the user's recovery codes (their hashes) in place of any before.
  virtual core::Status put_recovery_codes(std::string_view user_id,
                                          const std::vector<std::string>& code_hashes) = 0;
  // Marks an unused recovery code used; false if there is no such unused code.
  virtual core::Result<bool> use_recovery_code(std::string_view user_id, std::string_view code_hash,
                                               core::Timestamp at) = 0;
  // How many of the user's recovery codes are still unused.
  virtual core::Result<int> unused_recovery_codes(std::string_view user_id) = 0;
  virtual core::Status insert_pending_sign_in(const PendingSignIn& pending) = 0;
  virtual core::Result<std::optional<PendingSignIn>> pending_sign_in(
      std::string_view token_hash) = 0;
  virtual core::Status delete_pending_sign_in(std::string_view token_hash) = 0;
  // Deletes every pending sign-in that expired at or before `now`; returns how many.
  virtual core::Result<int> delete_expired_pending_sign_ins(core::Timestamp now) = 0;

  // Versioned records. put_record stores `draft` as version expected_version + 1; it
  // returns Aborted if the current version is not expected_version (0 for a new record),
  // so concurrent edits conflict instead of overwriting. Returns the stored version.
  virtual core::Result<domain::RecordVersion> put_record(const domain::RecordVersion& draft,
                                                         int expected_version) = 0;
  // The current version, or the version current at `as_of` (NotFound if none yet).
  virtual core::Result<domain::RecordVersion> record(
      std::string_view record_id, std::optional<core::Timestamp> as_of = std::nullopt) = 0;
  virtual core::Result<std::vector<domain::RecordVersion>> record_history(
      std::string_view record_id) = 0;
  // When the record's version 1 was recorded (a reviewer's period turns on it, whichever
  // version is read). NotFound if the record has no version.
  virtual core::Result<core::Timestamp> first_recorded_at(std::string_view record_id) = 0;
  // Calls `visit` with the current version of every record of `kind`, in record-id order
  // (UUIDv7 ids: oldest first). For in-memory indexes that rebuild from the store at start.
  // Stops at, and returns, the first error `visit` returns.
  virtual core::Status for_each_record(
      std::string_view kind,
      const std::function<core::Status(const domain::RecordVersion&)>& visit) = 0;

  // Workflow summaries, written in the same transaction as the documents they summarise.
  virtual core::Status upsert_work_item(const WorkItem& item) = 0;
  virtual core::Result<std::vector<WorkItem>> work_items(const WorkQuery& query) = 0;
  virtual core::Status add_mention(const Mention& mention) = 0;
  // Mentions of a subject, oldest first.
  virtual core::Result<std::vector<Mention>> mentions(std::string_view subject_key) = 0;
  // Everyone named in one concern.
  virtual core::Result<std::vector<Mention>> mentions_in(std::string_view concern_id) = 0;
  // Dated episodes about a subject (e.g. kind "missing_episode"), for alert rules.
  virtual core::Status add_episode(std::string_view subject_key, std::string_view kind,
                                   core::Date date, std::string_view concern_id) = 0;
  // Episodes of `kind` about a subject on or after `from`, as (date, concern id), by date.
  virtual core::Result<std::vector<std::pair<core::Date, std::string>>> episodes(
      std::string_view subject_key, std::string_view kind, core::Date from) = 0;
  virtual core::Status upsert_case(const CaseSummary& summary) = 0;
  // The open case about a subject, if any.
  virtual core::Result<std::optional<CaseSummary>> open_case_for(std::string_view subject_key) = 0;
  virtual core::Result<CaseSummary> case_summary(std::string_view case_id) = 0;
  // Cases, most recently updated first.
  virtual core::Result<std::vector<CaseSummary>> cases(const CaseQuery& query) = 0;
  // Concerns whose narrative holds every term (case- and accent-insensitive; the last term
  // also as a prefix, for search as you type). Terms are words; no query syntax is exposed.
  // An empty term list finds nothing.
  virtual core::Result<std::vector<ConcernHit>> search_concerns(
      const std::vector<std::string>& terms, std::size_t limit) = 0;

  // The review queue. add_review_pair keeps an existing row for the same two records (returns
  // false then); update_review_pair changes status and updated_at (NotFound if absent).
  virtual core::Result<bool> add_review_pair(const ReviewPair& pair) = 0;
  virtual core::Status update_review_pair(const ReviewPair& pair) = 0;
  virtual core::Result<ReviewPair> review_pair(std::string_view pair_id) = 0;
  // Pairs with `status` (all when empty), most probable first, at most `limit`.
  virtual core::Result<std::vector<ReviewPair>> review_pairs(std::string_view status,
                                                             std::size_t limit) = 0;
  // Erasure of a concern (workflow/retention.h): deletes every queued pair naming one of
  // its person records ("<concern_id>:<ref>") and returns their ids, so that the analysts'
  // decisions on them (records of kind "match_decision" under the pair id) can be erased too.
  virtual core::Result<std::vector<std::string>> delete_review_pairs_of_concern(
      std::string_view concern_id) = 0;

  // Operational settings (e.g. the receipt-hash salt); not personal data, not ledgered.
  // The cases a concern joined (kept by put_record from the case documents).
  virtual core::Result<std::vector<std::string>> cases_of_concern(std::string_view concern_id) = 0;

  // Grants (access beyond one's own agency). AlreadyExists on a duplicate id.
  virtual core::Status insert_grant(const Grant& grant) = 0;
  // Stamps a grant revoked. NotFound if absent; FailedPrecondition if already revoked.
  virtual core::Status revoke_grant(std::string_view id, core::Timestamp at,
                                    std::string_view by) = 0;
  virtual core::Result<Grant> grant(std::string_view id) = 0;  // NotFound if absent.
  // Oldest first.
  virtual core::Result<std::vector<Grant>> grants(const GrantQuery& query) = 0;

  // Retention review (docs/retention.md). upsert_retention_review replaces a record's row.
  virtual core::Status upsert_retention_review(const RetentionReview& review) = 0;
  virtual core::Result<std::optional<RetentionReview>> retention_review(
      std::string_view record_id) = 0;
  // Every row, by record id.
  virtual core::Result<std::vector<RetentionReview>> retention_reviews() = 0;
  // MoPI erasure of one record: blanks the body of every version (ids, kind, agency, marking,
  // versions, times and authors stay) and marks them erased, so record(), record_history()
  // and for_each_record() no longer find it; drops a concern from the narrative search
  // index, its mentions and episodes; blanks the record's labels and subject keys in the case
  // and work-item summaries. NotFound if there is no such record or it is already erased.
  // The caller ledgers it (audit::Ledger::erase) in the same transaction.
  virtual core::Status erase_record(std::string_view record_id) = 0;

  virtual core::Result<std::optional<std::string>> setting(std::string_view key) = 0;
  virtual core::Status put_setting(std::string_view key, std::string_view value) = 0;
  // Anonymous-report receipts: the slow hash of a receipt code -> the report's record id.
  virtual core::Status put_receipt(std::string_view receipt_hash, std::string_view report_id) = 0;
  virtual core::Result<std::optional<std::string>> report_for_receipt(
      std::string_view receipt_hash) = 0;

  // The ledger. Rows are insert-only; the store refuses updates and deletes.
  virtual core::Result<std::optional<LedgerRow>> ledger_last() = 0;
  // The newest event's sequence number and hash: what the next event chains to.
  struct LedgerTail {
    std::int64_t seq = 0;
    std::string hash;
  };
  virtual core::Result<std::optional<LedgerTail>> ledger_tail() = 0;
  virtual core::Status append_ledger(const LedgerRow& row) = 0;
  // The events that name `record_id`, oldest first, at most `limit`: who saw and did what.
  virtual core::Result<std::vector<LedgerRow>> ledger_for_record(std::string_view record_id,
                                                                 std::size_t limit) = 0;
  // Rows with seq >= from_seq in seq order, at most `limit`.
  virtual core::Result<std::vector<LedgerRow>> ledger_range(std::int64_t from_seq,
                                                            std::size_t limit) = 0;

  // Ledger events matching `query`, in seq order.
  virtual core::Result<std::vector<LedgerRow>> ledger_events(const LedgerQuery& query) = 0;
  // The erasable payloads, written in the same transaction as their events.
  virtual core::Status put_ledger_payload(const LedgerPayload& payload) = 0;
  // Payload rows with seq >= from_seq in seq order, at most `limit`.
  virtual core::Result<std::vector<LedgerPayload>> ledger_payloads(std::int64_t from_seq,
                                                                   std::size_t limit) = 0;
  // Blanks the payload of event `seq`, naming erasure event `erased_by` (appended earlier in
  // this transaction). FailedPrecondition if it is already erased or `erased_by` is not an
  // erasure event after it; NotFound if the event has no payload row.
  virtual core::Status erase_ledger_payload(std::int64_t seq, std::int64_t erased_by) = 0;
  // Signed checkpoints: insert-only; AlreadyExists for a tree size already checkpointed.
  virtual core::Status append_checkpoint(const LedgerCheckpoint& checkpoint) = 0;
  // All checkpoints, smallest tree first.
  virtual core::Result<std::vector<LedgerCheckpoint>> ledger_checkpoints() = 0;

  // Makes the transaction durable. FailedPrecondition (and rollback) if ledgered data
  // changed without a ledger event. After commit() the transaction cannot be used.
  virtual core::Status commit() = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Starts a transaction. Write transactions are serialised; a read transaction sees a
  // consistent snapshot. Thread-safe.
  virtual core::Result<std::unique_ptr<Transaction>> begin(TxMode mode) = 0;
  // The schema version this store is at.
  virtual int schema_version() const = 0;
};

// The newest schema version this binary understands.
inline constexpr int kSchemaVersion = 15;

}  // namespace sg::storage
