#include "storage/sqlite/schema.h"

#include <array>

namespace sg::storage::sqlite {
namespace {

// Version 1: access basics, versioned records and the ledger (DPA 2018 s.62).
constexpr std::string_view kV1 = R"sql(
CREATE TABLE agencies (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  agency_id TEXT NOT NULL REFERENCES agencies(id),
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  active INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);

-- Every version of every record, as entered. The newest version is current.
CREATE TABLE record_versions (
  record_id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  kind TEXT NOT NULL,
  agency_id TEXT NOT NULL REFERENCES agencies(id),
  marking TEXT NOT NULL CHECK (marking IN ('OFFICIAL', 'OFFICIAL-SENSITIVE')),
  body TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (record_id, version)
) WITHOUT ROWID;
CREATE TRIGGER record_versions_immutable BEFORE UPDATE ON record_versions
BEGIN SELECT RAISE(ABORT, 'record versions are immutable'); END;

-- The ledger: insert-only, hash-chained.
CREATE TABLE ledger (
  seq INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  operation TEXT NOT NULL,
  reason TEXT NOT NULL,
  record_ids TEXT NOT NULL,
  recipient TEXT NOT NULL,
  payload_digest TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

-- Which ledger events touched a record: "who saw and did what" for reviewers.
CREATE TABLE ledger_records (
  record_id TEXT NOT NULL,
  seq INTEGER NOT NULL REFERENCES ledger(seq),
  PRIMARY KEY (record_id, seq)
) WITHOUT ROWID;
CREATE TRIGGER ledger_records_no_update BEFORE UPDATE ON ledger_records
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_records_no_delete BEFORE DELETE ON ledger_records
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
)sql";

// Version 2: casework. Documents live in record_versions; these tables are their
// queryable summaries, kept in step in the same transaction.
constexpr std::string_view kV2 = R"sql(
ALTER TABLE users ADD COLUMN manager_id TEXT NOT NULL DEFAULT '';

CREATE TABLE work_items (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  subkind TEXT NOT NULL,
  case_id TEXT NOT NULL,
  subject_key TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  inbox TEXT NOT NULL,
  due_date TEXT,
  status TEXT NOT NULL,
  agency_id TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX work_items_by_inbox ON work_items(inbox, status, due_date);
CREATE INDEX work_items_by_case ON work_items(case_id);
CREATE INDEX work_items_by_subject ON work_items(subject_key, subkind, status);
CREATE INDEX work_items_due ON work_items(status, due_date);

CREATE TABLE mentions (
  subject_key TEXT NOT NULL,
  concern_id TEXT NOT NULL,
  role TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  agency_id TEXT NOT NULL,
  PRIMARY KEY (subject_key, concern_id, role)
) WITHOUT ROWID;

CREATE TABLE cases (
  case_id TEXT PRIMARY KEY,
  subject_key TEXT NOT NULL,
  stage TEXT NOT NULL,
  status TEXT NOT NULL,
  agency_id TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX cases_by_subject ON cases(subject_key, status);
)sql";

// Version 3: anonymous reports. Receipt codes are stored only as their slow hash.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE receipts (
  receipt_hash TEXT PRIMARY KEY,
  report_id TEXT NOT NULL
);
)sql";

// Version 4: a label on work items and cases (the child's name as recorded) so inboxes and
// case lists read without opening every document.
constexpr std::string_view kV4 = R"sql(
ALTER TABLE work_items ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN label TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_by_status ON cases(status, updated_at);
)sql";

// Version 5: dated episodes per subject (missing episodes for alert rule (d)) and mentions by
// concern, so alert rules read indexes instead of re-reading earlier concerns.
constexpr std::string_view kV5 = R"sql(
CREATE TABLE episodes (
  subject_key TEXT NOT NULL,
  kind TEXT NOT NULL,
  date TEXT NOT NULL,
  concern_id TEXT NOT NULL,
  PRIMARY KEY (subject_key, kind, date, concern_id)
) WITHOUT ROWID;
CREATE INDEX mentions_by_concern ON mentions(concern_id);
)sql";

// Version 6: the ledger, complete (issue 6). Each event's payload sits beside it under a
// random salt, so MoPI erasure can blank the personal data while the event's salted digest,
// the hash chain and the Merkle tree still verify; signed Merkle tree checkpoints; and the
// index the auditor's ledger queries by time use. ledger.payloads_from_seq marks where
// stored payloads begin (events before this migration kept only a digest).
constexpr std::string_view kV6 = R"sql(
CREATE TABLE ledger_payloads (
  seq INTEGER PRIMARY KEY REFERENCES ledger(seq),
  salt TEXT NOT NULL,
  payload TEXT NOT NULL,
  erased_by INTEGER NOT NULL DEFAULT 0
);
-- The one permitted change: erasure blanks the salt and payload and names a later erasure
-- event. Editing a payload, erasing it twice or removing its row aborts.
CREATE TRIGGER ledger_payloads_erase_only BEFORE UPDATE ON ledger_payloads
WHEN NOT (NEW.seq = OLD.seq AND OLD.erased_by = 0 AND NEW.salt = '' AND NEW.payload = ''
          AND NEW.erased_by > OLD.seq
          AND EXISTS (SELECT 1 FROM ledger WHERE seq = NEW.erased_by AND operation = 'erasure'))
BEGIN SELECT RAISE(ABORT, 'a ledger payload can only be erased, by an erasure event'); END;
CREATE TRIGGER ledger_payloads_no_delete BEFORE DELETE ON ledger_payloads
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

CREATE TABLE ledger_checkpoints (
  tree_size INTEGER PRIMARY KEY,
  root_hash TEXT NOT NULL,
  at INTEGER NOT NULL,
  key_id TEXT NOT NULL,
  frontier TEXT NOT NULL,
  note TEXT NOT NULL
);
CREATE TRIGGER ledger_checkpoints_no_update BEFORE UPDATE ON ledger_checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER ledger_checkpoints_no_delete BEFORE DELETE ON ledger_checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;

CREATE INDEX ledger_by_time ON ledger(at);
INSERT INTO settings (key, value)
SELECT 'ledger.payloads_from_seq', COALESCE(MAX(seq), 0) + 1 FROM ledger;
)sql";

// Version 7: the analysts' review queue of possible matches between person records (issue 4,
// item 7). Decisions themselves are versioned records of kind "match_decision"; this is the
// queryable summary of each queued pair and where it stands.
constexpr std::string_view kV7 = R"sql(
CREATE TABLE review_pairs (
  pair_id TEXT PRIMARY KEY,
  record_l TEXT NOT NULL,
  record_r TEXT NOT NULL,
  probability_ppm INTEGER NOT NULL,  -- Match probability in millionths.
  status TEXT NOT NULL,
  queued_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (record_l, record_r)
);
CREATE INDEX review_pairs_by_status ON review_pairs(status, probability_ppm);
)sql";

// Version 8: full-text search of concern narratives (FTS5, issue 8 "Search"). put_record keeps
// the index on the newest version of each concern, in the same transaction as the record (a
// trigger cannot: with trusted_schema off, triggers may not write virtual tables);
// concern_text_rows maps a concern to its index row, so a correction replaces its row by key
// instead of scanning the index. concern_cases lists the cases each concern joined (from the
// case documents' "concerns", also kept by put_record), so a hit links to its cases even when
// the matcher joined a concern to a case opened under another record's key. Existing concerns
// and cases are indexed here.
constexpr std::string_view kV8 = R"sql(
CREATE VIRTUAL TABLE concern_text USING fts5(
  narrative, record_id UNINDEXED, agency_id UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE concern_text_rows (
  row INTEGER PRIMARY KEY,
  record_id TEXT NOT NULL UNIQUE
);
CREATE TABLE concern_cases (
  concern_id TEXT NOT NULL,
  case_id TEXT NOT NULL,
  PRIMARY KEY (concern_id, case_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO concern_cases (concern_id, case_id)
SELECT j.value, r.record_id FROM record_versions r, json_each(r.body, '$.concerns') j
WHERE r.kind = 'case';
INSERT INTO concern_text_rows (record_id)
SELECT DISTINCT record_id FROM record_versions WHERE kind = 'concern' ORDER BY record_id;
INSERT INTO concern_text (rowid, narrative, record_id, agency_id)
SELECT t.row, COALESCE(json_extract(r.body, '$.narrative'), ''), r.record_id, r.agency_id
FROM concern_text_rows t JOIN record_versions r ON r.record_id = t.record_id
WHERE NOT EXISTS (SELECT 1 FROM record_versions n
                  WHERE n.record_id = r.record_id AND n.version > r.version);
)sql";

// Version 9: grants of access beyond one's own agency (issue 6): sharing agreements, case
// teams, restrictions, break-glass and reviewer remits. Rows are revoked, never deleted.
constexpr std::string_view kV9 = R"sql(
CREATE TABLE grants (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  object TEXT NOT NULL,
  grantee TEXT NOT NULL,
  scope TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  valid_from INTEGER,
  valid_to INTEGER,
  revoked_at INTEGER,
  revoked_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX grants_by_grantee ON grants(kind, grantee);
CREATE INDEX grants_by_object ON grants(kind, object);
CREATE TRIGGER grants_no_delete BEFORE DELETE ON grants
BEGIN SELECT RAISE(ABORT, 'grants are revoked, never deleted'); END;
)sql";

// Version 10: retention review (issue 6, docs/retention.md). retention_reviews holds the last
// decision on each reviewed record. MoPI erasure blanks the body of every version of a
// record: the one change record_versions now permits, narrowly — body to '' and erased from
// 0 to 1, every other column as it was. Versions are never deleted.
constexpr std::string_view kV10 = R"sql(
ALTER TABLE record_versions ADD COLUMN erased INTEGER NOT NULL DEFAULT 0;
DROP TRIGGER record_versions_immutable;
CREATE TRIGGER record_versions_immutable BEFORE UPDATE ON record_versions
WHEN NOT (OLD.erased = 0 AND NEW.erased = 1 AND NEW.body = ''
          AND NEW.record_id = OLD.record_id AND NEW.version = OLD.version
          AND NEW.kind = OLD.kind AND NEW.agency_id = OLD.agency_id
          AND NEW.marking = OLD.marking AND NEW.recorded_at = OLD.recorded_at
          AND NEW.recorded_by = OLD.recorded_by)
BEGIN SELECT RAISE(ABORT, 'record versions are immutable; erasure only blanks the body'); END;
CREATE TRIGGER record_versions_no_delete BEFORE DELETE ON record_versions
BEGIN SELECT RAISE(ABORT, 'record versions are never deleted'); END;

CREATE TABLE retention_reviews (
  record_id TEXT PRIMARY KEY,
  grp TEXT NOT NULL,
  review_on TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('retain', 'erase')),
  decision_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at INTEGER NOT NULL
);
CREATE TRIGGER retention_reviews_no_delete BEFORE DELETE ON retention_reviews
BEGIN SELECT RAISE(ABORT, 'retention decisions are never deleted'); END;
)sql";

// Version 11: generated passwords that must be changed (issue 6; OWASP ASVS 5.0 V6.4.1). A
// new account's generated password, or a reset one, serves one purpose: signing in to choose
// one's own. A row lives from its issue until its holder sets their own password.
constexpr std::string_view kV11 = R"sql(
CREATE TABLE password_change_due (
  user_id TEXT PRIMARY KEY REFERENCES users(id),
  issued_at INTEGER NOT NULL
);
)sql";

// Version 12: record_versions becomes a rowid table with its primary key as a unique index
// (bulk import, issue 3). As a WITHOUT ROWID table every row over about 1,000 bytes (most
// concern and case documents) left its tail on an overflow page of its own: 26,500 pages
// (103 MB) for 40 MB of documents after a 122,189-row import, every one written to the WAL. A
// rowid table keeps rows of up to ~4,000 bytes on the table's pages, and new versions are
// appended at its end. The rows, the constraints and the triggers are as before.
constexpr std::string_view kV12 = R"sql(
ALTER TABLE record_versions RENAME TO record_versions_v11;
CREATE TABLE record_versions (
  record_id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  kind TEXT NOT NULL,
  agency_id TEXT NOT NULL REFERENCES agencies(id),
  marking TEXT NOT NULL CHECK (marking IN ('OFFICIAL', 'OFFICIAL-SENSITIVE')),
  body TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  recorded_by TEXT NOT NULL,
  erased INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (record_id, version)
);
INSERT INTO record_versions (record_id, version, kind, agency_id, marking, body, recorded_at,
                             recorded_by, erased)
SELECT record_id, version, kind, agency_id, marking, body, recorded_at, recorded_by, erased
FROM record_versions_v11 ORDER BY record_id, version;
DROP TABLE record_versions_v11;
CREATE TRIGGER record_versions_immutable BEFORE UPDATE ON record_versions
WHEN NOT (OLD.erased = 0 AND NEW.erased = 1 AND NEW.body = ''
          AND NEW.record_id = OLD.record_id AND NEW.version = OLD.version
          AND NEW.kind = OLD.kind AND NEW.agency_id = OLD.agency_id
          AND NEW.marking = OLD.marking AND NEW.recorded_at = OLD.recorded_at
          AND NEW.recorded_by = OLD.recorded_by)
BEGIN SELECT RAISE(ABORT, 'record versions are immutable; erasure only blanks the body'); END;
CREATE TRIGGER record_versions_no_delete BEFORE DELETE ON record_versions
BEGIN SELECT RAISE(ABORT, 'record versions are never deleted'); END;
)sql";

// Version 13: a second factor at sign-in (OWASP ASVS 5.0 V6.3.3): each user's TOTP secret
// (RFC 6238) and the newest step accepted, so no code is accepted twice; their single-use
// recovery codes, only as hashes (V6.5); and sign-ins whose password was right and which
// await a code, by the hash of a short-lived token.
constexpr std::string_view kV13 = R"sql(
CREATE TABLE second_factors (
  user_id TEXT PRIMARY KEY REFERENCES users(id),
  secret TEXT NOT NULL,  -- hex
  created_at INTEGER NOT NULL,
  confirmed_at INTEGER,
  last_step INTEGER NOT NULL DEFAULT -1
);
CREATE TABLE recovery_codes (
  user_id TEXT NOT NULL REFERENCES users(id),
  code_hash TEXT NOT NULL,
  used_at INTEGER,
  PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;
CREATE TABLE pending_sign_ins (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  expires_at INTEGER NOT NULL
);
CREATE INDEX pending_sign_ins_by_user ON pending_sign_ins(user_id);
)sql";

// Version 14: indexes that hand the per-request look-ups their rows already in the order they
// ask for, so SQLite builds no temporary b-tree to sort them. Every request loads the caller's
// grants (five look-ups, for need to know), and every concern reads its subject's open case
// and open task; each temporary b-tree cost about as much as the look-up itself, some 8% of
// a concern's intake.
constexpr std::string_view kV14 = R"sql(
DROP INDEX grants_by_grantee;
DROP INDEX grants_by_object;
CREATE INDEX grants_by_grantee ON grants(kind, grantee, created_at, id);
CREATE INDEX grants_by_object ON grants(kind, object, created_at, id);
CREATE INDEX grants_by_kind ON grants(kind, created_at, id);
DROP INDEX cases_by_subject;
CREATE INDEX cases_by_subject ON cases(subject_key, status, opened_at);
DROP INDEX work_items_by_subject;
CREATE INDEX work_items_by_subject
  ON work_items(subject_key, subkind, status, due_date IS NULL, due_date, updated_at);
)sql";

// Version 15: TOTP secrets sealed under a key kept outside the database (XChaCha20-Poly1305,
// access/second_factor_key.h). key_id names the key that sealed a row's secret. Rows from
// version 13 have none: their secrets stay in the clear until the server's next start seals
// them (access::seal_second_factor_secrets), since a migration cannot reach the key file.
constexpr std::string_view kV15 = R"sql(
ALTER TABLE second_factors ADD COLUMN key_id TEXT;
)sql";

constexpr std::array<std::string_view, 15> kMigrations = {
    kV1, kV2, kV3, kV4, kV5, kV6, kV7, kV8, kV9, kV10, kV11, kV12, kV13, kV14, kV15};

}  // namespace

std::span<const std::string_view> migrations() { return kMigrations; }

}  // namespace sg::storage::sqlite
