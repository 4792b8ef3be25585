#include "storage/sqlite/sqlite_store.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/ascii.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/schema.h"
#include "storage/sqlite/writer.h"

namespace sg::storage {
namespace {

using sqlite::Connection;
using sqlite::Statement;

std::string join_ids(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += ' ';
    out += id;
  }
  return out;
}

std::vector<std::string> split_ids(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// `text` as a JSON string literal, for passing a list of ids to json_each.
std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned char>(c));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string json_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    out += json_string(item);
  }
  return out + "]";
}

core::Status configure(Connection& conn) {
  // secure_delete zeroes freed space, so an erased ledger payload (MoPI erasure) does not
  // linger in the file's free pages.
  return conn.exec(
      "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA trusted_schema = OFF; "
      "PRAGMA secure_delete = ON;");
}

// Adds the narratives of new concerns `ids` (first versions, each already given its row in
// concern_text_rows) to the full-text index.
core::Status index_concern_texts(Connection& conn, const std::vector<std::string>& ids) {
  if (ids.empty()) return {};
  auto text = SG_TRY(conn.prepare(
      "INSERT INTO concern_text (rowid, narrative, record_id, agency_id) "
      "SELECT t.row, COALESCE(json_extract(r.body, '$.narrative'), ''), r.record_id, "
      "r.agency_id FROM json_each(?1) j JOIN concern_text_rows t ON t.record_id = j.value "
      "JOIN record_versions r ON r.record_id = j.value AND r.version = 1"));
  return text.bind(1, json_array(ids)).run();
}

// Shared between the store and its transactions: the connection pool.
class Pool {
 public:
  explicit Pool(std::string path) : path_(std::move(path)) {}

  core::Result<std::unique_ptr<Connection>> take_reader() {
    {
      std::lock_guard lock(mutex_);
      if (!readers_.empty()) {
        auto conn = std::move(readers_.back());
        readers_.pop_back();
        return conn;
      }
    }
    auto conn = SG_TRY(Connection::open(path_, false));
    SG_TRY(configure(*conn));
    return conn;
  }

  void give_back_reader(std::unique_ptr<Connection> conn) {
    std::lock_guard lock(mutex_);
    if (readers_.size() < 16) readers_.push_back(std::move(conn));
  }

  std::unique_ptr<sqlite::Writer>& writer() { return writer_; }

  // New concerns released into the open batch, whose narratives join the full-text index
  // when it commits. FTS5 writes a new index segment whenever a savepoint it took part in
  // ends, so indexing each concern inside its own transaction (a savepoint of the batch)
  // wrote a segment per concern, under the writer's turn: about 9% of a concern's intake.
  // Guarded by the writer's turn.
  std::vector<std::string>& batch_text() { return batch_text_; }

  // The writer's batch hook (Writer::set_batch_hook): indexes the batch's new concerns
  // before it commits, or forgets them when it does not.
  core::Status end_batch_text(bool commit) {
    std::vector<std::string> ids;
    ids.swap(batch_text_);
    return commit ? index_concern_texts(writer_->connection(), ids) : core::Status{};
  }

 private:
  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::unique_ptr<sqlite::Writer> writer_;
  std::vector<std::string> batch_text_;
};

domain::Agency read_agency(const Statement& s) {
  domain::Agency a;
  a.id = s.text(0);
  a.code = s.text(1);
  a.name = s.text(2);
  a.kind = domain::parse_agency_kind(s.text(3)).value_or(domain::AgencyKind::kOther);
  a.created_at = core::from_micros(s.integer(4));
  return a;
}

domain::User read_user(const Statement& s) {
  domain::User u;
  u.id = s.text(0);
  u.username = s.text(1);
  u.display_name = s.text(2);
  u.agency_id = s.text(3);
  u.role = domain::parse_role(s.text(4)).value_or(domain::Role::kPractitioner);
  u.password_hash = s.text(5);
  u.active = s.integer(6) != 0;
  u.created_at = core::from_micros(s.integer(7));
  u.manager_id = s.text(8);
  return u;
}

constexpr const char* kSessionColumns =
    "SELECT token_hash, user_id, csrf_token, created_at, last_seen_at FROM sessions";

domain::Session read_session(const Statement& s) {
  domain::Session out;
  out.token_hash = s.text(0);
  out.user_id = s.text(1);
  out.csrf_token = s.text(2);
  out.created_at = core::from_micros(s.integer(3));
  out.last_seen_at = core::from_micros(s.integer(4));
  return out;
}

constexpr const char* kSecondFactorColumns =
    "SELECT user_id, secret, created_at, confirmed_at, last_step, key_id FROM second_factors";

core::Result<SecondFactor> read_second_factor(const Statement& s) {
  SecondFactor out;
  out.user_id = s.text(0);
  if (!core::from_hex(s.text(1), out.secret)) {
    return core::data_loss("a second factor's secret is not hex");
  }
  out.created_at = core::from_micros(s.integer(2));
  if (!s.is_null(3)) out.confirmed_at = core::from_micros(s.integer(3));
  out.last_step = s.integer(4);
  if (!s.is_null(5)) out.key_id = s.text(5);
  return out;
}

domain::RecordVersion read_record(const Statement& s) {
  domain::RecordVersion r;
  r.record_id = s.text(0);
  r.version = static_cast<int>(s.integer(1));
  r.kind = s.text(2);
  r.agency_id = s.text(3);
  r.marking = domain::parse_marking(s.text(4)).value_or(domain::Marking::kOfficialSensitive);
  r.body = s.text(5);
  r.recorded_at = core::from_micros(s.integer(6));
  r.recorded_by = s.text(7);
  return r;
}

core::Result<LedgerRow> read_ledger(const Statement& s) {
  LedgerRow row;
  row.seq = s.integer(0);
  row.event_id = s.text(1);
  row.at = core::from_micros(s.integer(2));
  row.actor = s.text(3);
  auto op = domain::parse_operation(s.text(4));
  if (!op.ok()) {
    return core::data_loss("ledger row " + std::to_string(row.seq) + " has an unknown operation");
  }
  row.operation = *op;
  row.reason = s.text(5);
  row.record_ids = split_ids(s.text(6));
  row.recipient = s.text(7);
  row.payload_digest = s.text(8);
  row.prev_hash = s.text(9);
  row.hash = s.text(10);
  return row;
}

constexpr const char* kUserColumns =
    "id, username, display_name, agency_id, role, password_hash, active, created_at, manager_id";

class SqliteTransaction final : public Transaction {
 public:
  // Read transaction over a pooled connection.
  SqliteTransaction(Pool& pool, std::unique_ptr<Connection> reader)
      : pool_(pool), owned_(std::move(reader)), conn_(owned_.get()) {}
  // Write transaction over the single writer connection (group commit: writer.h).
  SqliteTransaction(Pool& pool, sqlite::Writer& writer)
      : pool_(pool), writer_(&writer), conn_(&writer.connection()) {}

  ~SqliteTransaction() override {
    if (open_) {
      if (writer_ != nullptr) {
        restore_waiting_text();
        writer_->rollback();
      } else {
        (void)conn_->exec("ROLLBACK");
      }
    }
    if (owned_) pool_.give_back_reader(std::move(owned_));
  }

  core::Status start() {
    if (writer_ != nullptr) {
      SG_TRY(writer_->acquire());
    } else {
      SG_TRY(conn_->exec("BEGIN"));
    }
    open_ = true;
    return {};
  }

  core::Status insert_agency(const domain::Agency& a) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare(
        "INSERT INTO agencies (id, code, name, kind, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"));
    s.bind(1, a.id).bind(2, a.code).bind(3, a.name).bind(4, domain::agency_kind_name(a.kind));
    s.bind(5, core::to_micros(a.created_at));
    auto st = s.run();
    if (!st.ok() && st.error().code == core::Code::kAlreadyExists) {
      return core::already_exists("an agency with this code already exists", "code");
    }
    if (st.ok()) ledgered_change_ = true;
    return st;
  }

  core::Result<domain::Agency> agency(std::string_view id) override {
    auto s = SG_TRY(
        conn_->prepare("SELECT id, code, name, kind, created_at FROM agencies WHERE id = ?1"));
    s.bind(1, id);
    if (!SG_TRY(s.step())) return core::not_found("agency not found");
    return read_agency(s);
  }

  core::Result<domain::Agency> agency_by_code(std::string_view code) override {
    // Agencies are never changed or removed, so an answer holds for the transaction: an
    // import asks once per concern.
    if (auto it = agencies_by_code_.find(std::string(code)); it != agencies_by_code_.end()) {
      return it->second;
    }
    auto s = SG_TRY(
        conn_->prepare("SELECT id, code, name, kind, created_at FROM agencies WHERE code = ?1"));
    s.bind(1, code);
    if (!SG_TRY(s.step())) return core::not_found("agency not found");
    auto agency = read_agency(s);
    agencies_by_code_.emplace(agency.code, agency);
    return agency;
  }

  core::Result<std::vector<domain::Agency>> agencies() override {
    auto s = SG_TRY(
        conn_->prepare("SELECT id, code, name, kind, created_at FROM agencies ORDER BY code"));
    std::vector<domain::Agency> out;
    while (SG_TRY(s.step())) out.push_back(read_agency(s));
    return out;
  }

  core::Status insert_user(const domain::User& u) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare(
        "INSERT INTO users (id, username, display_name, agency_id, role, password_hash, active, "
        "created_at, manager_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    bind_user(s, u);
    auto st = s.run();
    if (!st.ok() && st.error().code == core::Code::kAlreadyExists) {
      return core::already_exists("a user with this username already exists", "username");
    }
    if (!st.ok() && st.error().code == core::Code::kFailedPrecondition) {
      return core::invalid_argument("no such agency", "agency");
    }
    if (st.ok()) ledgered_change_ = true;
    return st;
  }

  core::Status update_user(const domain::User& u) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare(
        "UPDATE users SET username = ?2, display_name = ?3, agency_id = ?4, role = ?5, "
        "password_hash = ?6, active = ?7, created_at = ?8, manager_id = ?9 WHERE id = ?1"));
    bind_user(s, u);
    SG_TRY(s.run());
    if (conn_->changes() == 0) return core::not_found("user not found");
    ledgered_change_ = true;
    return {};
  }

  core::Result<domain::User> user(std::string_view id) override {
    static const std::string sql =
        std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?1";
    auto s = SG_TRY(conn_->prepare(sql));
    s.bind(1, id);
    if (!SG_TRY(s.step())) return core::not_found("user not found");
    return read_user(s);
  }

  core::Result<domain::User> user_by_username(std::string_view username) override {
    static const std::string sql =
        std::string("SELECT ") + kUserColumns + " FROM users WHERE username = ?1";
    auto s = SG_TRY(conn_->prepare(sql));
    s.bind(1, username);
    if (!SG_TRY(s.step())) return core::not_found("user not found");
    return read_user(s);
  }

  core::Result<std::vector<domain::User>> users() override {
    static const std::string sql =
        std::string("SELECT ") + kUserColumns + " FROM users ORDER BY username";
    auto s = SG_TRY(conn_->prepare(sql));
    std::vector<domain::User> out;
    while (SG_TRY(s.step())) out.push_back(read_user(s));
    return out;
  }

  core::Status insert_session(const domain::Session& session) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5)"));
    s.bind(1, session.token_hash).bind(2, session.user_id).bind(3, session.csrf_token);
    s.bind(4, core::to_micros(session.created_at)).bind(5, core::to_micros(session.last_seen_at));
    return s.run();
  }

  core::Result<domain::Session> session(std::string_view token_hash) override {
    auto s = SG_TRY(conn_->prepare(std::string(kSessionColumns) + " WHERE token_hash = ?1"));
    s.bind(1, token_hash);
    if (!SG_TRY(s.step())) return core::not_found("session not found");
    return read_session(s);
  }

  core::Status touch_session(std::string_view token_hash, core::Timestamp at) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare("UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1"));
    s.bind(1, token_hash).bind(2, core::to_micros(at));
    return s.run();
  }

  core::Status delete_session(std::string_view token_hash) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare("DELETE FROM sessions WHERE token_hash = ?1"));
    s.bind(1, token_hash);
    return s.run();
  }

  core::Result<int> delete_expired_sessions(core::Timestamp idle_cutoff,
                                            core::Timestamp absolute_cutoff) override {
    SG_TRY(require_write());
    auto s =
        SG_TRY(conn_->prepare("DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2"));
    s.bind(1, core::to_micros(idle_cutoff)).bind(2, core::to_micros(absolute_cutoff));
    SG_TRY(s.run());
    return static_cast<int>(conn_->changes());
  }

  core::Result<int> delete_user_sessions(std::string_view user_id,
                                         std::string_view keep_token_hash) override {
    SG_TRY(require_write());
    auto pending = SG_TRY(conn_->prepare("DELETE FROM pending_sign_ins WHERE user_id = ?1"));
    pending.bind(1, user_id);
    SG_TRY(pending.run());
    auto s = SG_TRY(conn_->prepare("DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2"));
    s.bind(1, user_id).bind(2, keep_token_hash);
    SG_TRY(s.run());
    return static_cast<int>(conn_->changes());
  }

  core::Result<std::vector<domain::Session>> user_sessions(std::string_view user_id) override {
    auto s = SG_TRY(conn_->prepare(std::string(kSessionColumns) +
                                   " WHERE user_id = ?1 ORDER BY created_at, token_hash"));
    s.bind(1, user_id);
    std::vector<domain::Session> out;
    while (SG_TRY(s.step())) out.push_back(read_session(s));
    return out;
  }

  core::Result<std::vector<std::string>> delete_all_sessions(
      std::string_view keep_token_hash) override {
    SG_TRY(require_write());
    std::vector<std::string> users;
    {
      // Sign-ins waiting for their second factor end too: they would open new sessions.
      auto s =
          SG_TRY(conn_->prepare("SELECT user_id FROM sessions WHERE token_hash <> ?1 "
                                "UNION SELECT user_id FROM pending_sign_ins ORDER BY user_id"));
      s.bind(1, keep_token_hash);
      while (SG_TRY(s.step())) users.push_back(s.text(0));
    }
    SG_TRY(conn_->exec("DELETE FROM pending_sign_ins"));
    auto s = SG_TRY(conn_->prepare("DELETE FROM sessions WHERE token_hash <> ?1"));
    s.bind(1, keep_token_hash);
    SG_TRY(s.run());
    return users;
  }

  core::Status set_password_change_due(std::string_view user_id,
                                       std::optional<core::Timestamp> issued_at) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare(
        issued_at ? "INSERT INTO password_change_due (user_id, issued_at) VALUES (?1, ?2) "
                    "ON CONFLICT (user_id) DO UPDATE SET issued_at = excluded.issued_at"
                  : "DELETE FROM password_change_due WHERE user_id = ?1"));
    s.bind(1, user_id);
    if (issued_at) s.bind(2, core::to_micros(*issued_at));
    return s.run();
  }

  core::Result<std::optional<core::Timestamp>> password_change_due(
      std::string_view user_id) override {
    auto s = SG_TRY(conn_->prepare("SELECT issued_at FROM password_change_due WHERE user_id = ?1"));
    s.bind(1, user_id);
    if (!SG_TRY(s.step())) return std::optional<core::Timestamp>();
    return std::optional<core::Timestamp>(core::from_micros(s.integer(0)));
  }

  core::Status put_second_factor(const SecondFactor& factor) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare(
        "INSERT INTO second_factors (user_id, secret, created_at, confirmed_at, last_step, "
        "key_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (user_id) DO UPDATE SET "
        "secret = ?2, created_at = ?3, confirmed_at = ?4, last_step = ?5, key_id = ?6"));
    s.bind(1, factor.user_id).bind(2, core::to_hex(factor.secret));
    s.bind(3, core::to_micros(factor.created_at)).bind(5, factor.last_step);
    if (factor.confirmed_at) s.bind(4, core::to_micros(*factor.confirmed_at));
    if (!factor.key_id.empty()) s.bind(6, factor.key_id);
    SG_TRY(s.run());
    auto codes = SG_TRY(conn_->prepare("DELETE FROM recovery_codes WHERE user_id = ?1"));
    codes.bind(1, factor.user_id);
    SG_TRY(codes.run());
    ledgered_change_ = true;
    return {};
  }

  core::Result<std::optional<SecondFactor>> second_factor(std::string_view user_id) override {
    auto s = SG_TRY(conn_->prepare(std::string(kSecondFactorColumns) + " WHERE user_id = ?1"));
    s.bind(1, user_id);
    if (!SG_TRY(s.step())) return std::optional<SecondFactor>();
    return std::optional<SecondFactor>(SG_TRY(read_second_factor(s)));
  }

  core::Result<std::vector<SecondFactor>> second_factors() override {
    auto s = SG_TRY(conn_->prepare(std::string(kSecondFactorColumns) + " ORDER BY user_id"));
    std::vector<SecondFactor> out;
    while (SG_TRY(s.step())) out.push_back(SG_TRY(read_second_factor(s)));
    return out;
  }

  core::Result<std::vector<std::string>> users_with_second_factor() override {
    auto s =
        SG_TRY(conn_->prepare("SELECT user_id FROM second_factors WHERE confirmed_at IS NOT NULL"));
    std::vector<std::string> out;
    while (SG_TRY(s.step())) out.push_back(s.text(0));
    return out;
  }

  core::Status replace_second_factor_secret(std::string_view user_id, std::string_view secret,
                                            std::string_view key_id) override {
    SG_TRY(require_write());
    auto s = SG_TRY(
        conn_->prepare("UPDATE second_factors SET secret = ?2, key_id = ?3 WHERE user_id = ?1"));
    s.bind(1, user_id).bind(2, core::to_hex(secret)).bind(3, key_id);
    SG_TRY(s.run());
    if (conn_->changes() == 0) return core::not_found("the user has no second factor");
    ledgered_change_ = true;
    return {};
  }

  core::Result<bool> delete_second_factor(std::string_view user_id) override {
    SG_TRY(require_write());
    for (const char* sql : {"DELETE FROM recovery_codes WHERE user_id = ?1",
                            "DELETE FROM pending_sign_ins WHERE user_id = ?1"}) {
      auto s = SG_TRY(conn_->prepare(sql));
      s.bind(1, user_id);
      SG_TRY(s.run());
    }
    auto s = SG_TRY(conn_->prepare("DELETE FROM second_factors WHERE user_id = ?1"));
    s.bind(1, user_id);
    SG_TRY(s.run());
    ledgered_change_ = true;
    return conn_->changes() > 0;
  }

  core::Result<bool> accept_second_factor_step(std::string_view user_id,
                                               std::int64_t step) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare(
        "UPDATE second_factors SET last_step = ?2 WHERE user_id = ?1 AND last_step < ?2"));
    s.bind(1, user_id).bind(2, step);
    SG_TRY(s.run());
    return conn_->changes() > 0;
  }

  core::Status put_recovery_codes(std::string_view user_id,
                                  const std::vector<std::string>& code_hashes) override {
    SG_TRY(require_write());
    auto clear = SG_TRY(conn_->prepare("DELETE FROM recovery_codes WHERE user_id = ?1"));
    clear.bind(1, user_id);
    SG_TRY(clear.run());
    for (const auto& hash : code_hashes) {
      auto s =
          SG_TRY(conn_->prepare("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?1, ?2)"));
      s.bind(1, user_id).bind(2, hash);
      SG_TRY(s.run());
    }
    ledgered_change_ = true;
    return {};
  }

  core::Result<bool> use_recovery_code(std::string_view user_id, std::string_view code_hash,
                                       core::Timestamp at) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare(
        "UPDATE recovery_codes SET used_at = ?3 WHERE user_id = ?1 AND code_hash = ?2 "
        "AND used_at IS NULL"));
    s.bind(1, user_id).bind(2, code_hash).bind(3, core::to_micros(at));
    SG_TRY(s.run());
    return conn_->changes() > 0;
  }

  core::Result<int> unused_recovery_codes(std::string_view user_id) override {
    auto s = SG_TRY(conn_->prepare(
        "SELECT count(*) FROM recovery_codes WHERE user_id = ?1 AND used_at IS NULL"));
    s.bind(1, user_id);
    SG_TRY(s.step());
    return static_cast<int>(s.integer(0));
  }

  core::Status insert_pending_sign_in(const PendingSignIn& pending) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare(
        "INSERT INTO pending_sign_ins (token_hash, user_id, expires_at) VALUES (?1, ?2, ?3)"));
    s.bind(1, pending.token_hash).bind(2, pending.user_id);
    s.bind(3, core::to_micros(pending.expires_at));
    return s.run();
  }

  core::Result<std::optional<PendingSignIn>> pending_sign_in(std::string_view token_hash) override {
    auto s = SG_TRY(conn_->prepare(
        "SELECT token_hash, user_id, expires_at FROM pending_sign_ins WHERE token_hash = ?1"));
    s.bind(1, token_hash);
    if (!SG_TRY(s.step())) return std::optional<PendingSignIn>();
    return std::optional<PendingSignIn>(
        PendingSignIn{s.text(0), s.text(1), core::from_micros(s.integer(2))});
  }

  core::Status delete_pending_sign_in(std::string_view token_hash) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare("DELETE FROM pending_sign_ins WHERE token_hash = ?1"));
    s.bind(1, token_hash);
    return s.run();
  }

  core::Result<int> delete_expired_pending_sign_ins(core::Timestamp now) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare("DELETE FROM pending_sign_ins WHERE expires_at <= ?1"));
    s.bind(1, core::to_micros(now));
    SG_TRY(s.run());
    return static_cast<int>(conn_->changes());
  }

  core::Result<domain::RecordVersion> put_record(const domain::RecordVersion& draft,
                                                 int expected_version) override {
    SG_TRY(require_write());
    // A new record (expected version 0) needs no look-up first: its version 1 can only be
    // inserted when no version exists, which the primary key checks. An edit reads the latest.
    int latest = 0;
    if (expected_version != 0) latest = SG_TRY(latest_version(draft.record_id));
    if (latest != expected_version) {
      return version_conflict(draft.record_id, latest, expected_version);
    }
    domain::RecordVersion stored = draft;
    stored.version = latest + 1;
    auto s = SG_TRY(conn_->prepare(
        "INSERT INTO record_versions (record_id, version, kind, agency_id, marking, body, "
        "recorded_at, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    s.bind(1, stored.record_id).bind(2, static_cast<std::int64_t>(stored.version));
    s.bind(3, stored.kind).bind(4, stored.agency_id).bind(5, domain::marking_name(stored.marking));
    s.bind(6, stored.body).bind(7, core::to_micros(stored.recorded_at)).bind(8, stored.recorded_by);
    auto st = s.run();
    if (!st.ok() && st.error().code == core::Code::kFailedPrecondition) {
      return core::invalid_argument("no such agency", "agency");
    }
    if (!st.ok() && st.error().code == core::Code::kAlreadyExists && expected_version == 0) {
      return version_conflict(stored.record_id, SG_TRY(latest_version(stored.record_id)), 0);
    }
    SG_TRY(std::move(st));
    written_versions_[stored.record_id] = stored.version;
    if (stored.kind == "concern") SG_TRY(index_concern_text(stored));
    // A case only ever gains concerns, so its newest version lists them all: the concern_cases
    // rows are added from the newest version of each case written in this transaction, once,
    // before anything reads them (flush_pending).
    if (stored.kind == "case") pending_cases_[stored.record_id] = stored.version;
    ledgered_change_ = true;
    return stored;
  }

  core::Result<domain::RecordVersion> record(std::string_view record_id,
                                             std::optional<core::Timestamp> as_of) override {
    auto s = SG_TRY(conn_->prepare(
        "SELECT record_id, version, kind, agency_id, marking, body, recorded_at, recorded_by "
        "FROM record_versions WHERE record_id = ?1 AND recorded_at <= ?2 AND erased = 0 "
        "ORDER BY version DESC LIMIT 1"));
    s.bind(1, record_id);
    s.bind(2, as_of ? core::to_micros(*as_of) : INT64_MAX);
    if (!SG_TRY(s.step())) return core::not_found("record not found");
    return read_record(s);
  }

  core::Result<std::vector<domain::RecordVersion>> record_history(
      std::string_view record_id) override {
    auto s = SG_TRY(conn_->prepare(
        "SELECT record_id, version, kind, agency_id, marking, body, recorded_at, recorded_by "
        "FROM record_versions WHERE record_id = ?1 AND erased = 0 ORDER BY version"));
    s.bind(1, record_id);
    std::vector<domain::RecordVersion> out;
    while (SG_TRY(s.step())) out.push_back(read_record(s));
    if (out.empty()) return core::not_found("record not found");
    return out;
  }

  core::Result<core::Timestamp> first_recorded_at(std::string_view record_id) override {
    auto s = SG_TRY(conn_->prepare(
        "SELECT recorded_at FROM record_versions WHERE record_id = ?1 ORDER BY version LIMIT 1"));
    s.bind(1, record_id);
    if (!SG_TRY(s.step())) return core::not_found("record not found");
    return core::from_micros(s.integer(0));
  }

  core::Status for_each_record(
      std::string_view kind,
      const std::function<core::Status(const domain::RecordVersion&)>& visit) override {
    auto s = SG_TRY(conn_->prepare(
        "SELECT record_id, version, kind, agency_id, marking, body, recorded_at, recorded_by "
        "FROM record_versions r WHERE kind = ?1 AND erased = 0 AND NOT EXISTS (SELECT 1 FROM "
        "record_versions n "
        "WHERE n.record_id = r.record_id AND n.version > r.version) ORDER BY record_id"));
    s.bind(1, kind);
    while (SG_TRY(s.step())) SG_TRY(visit(read_record(s)));
    return {};
  }

  core::Status upsert_work_item(const WorkItem& w) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare(
        "INSERT INTO work_items (id, kind, subkind, case_id, owner_id, inbox, due_date, status, "
        "agency_id, updated_at, subject_key, label) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11, ?12) ON CONFLICT(id) DO UPDATE SET kind = ?2, subkind = ?3, case_id = ?4, "
        "owner_id = ?5, inbox = ?6, due_date = ?7, status = ?8, agency_id = ?9, updated_at = ?10, "
        "subject_key = ?11, label = ?12"));
    s.bind(1, w.id).bind(2, w.kind).bind(3, w.subkind).bind(4, w.case_id).bind(5, w.owner_id);
    s.bind(6, w.inbox);
    if (w.due) {
      s.bind(7, w.due->iso());
    } else {
      s.bind_null(7);
    }
    s.bind(8, w.status).bind(9, w.agency_id).bind(10, core::to_micros(w.updated_at));
    s.bind(11, w.subject_key).bind(12, w.label);
    return s.run();
  }

  core::Result<std::vector<WorkItem>> work_items(const WorkQuery& q) override {
    // Only the filters in use appear in the SQL, so SQLite can pick an index for them
    // ("?n IS NULL OR col = ?n" would force a scan). Each shape is prepared once.
    std::string sql =
        "SELECT id, kind, subkind, case_id, owner_id, inbox, due_date, status, agency_id, "
        "updated_at, subject_key, label FROM work_items WHERE 1";
    std::vector<std::string> values;
    auto filter = [&](const char* column, const std::optional<std::string>& value) {
      if (!value) return;
      values.push_back(*value);
      sql += std::string(" AND ") + column + " = ?" + std::to_string(values.size());
    };
    filter("inbox", q.inbox);
    filter("kind", q.kind);
    filter("case_id", q.case_id);
    filter("subkind", q.subkind);
    filter("subject_key", q.subject_key);
    if (q.open_only) sql += " AND status = 'open'";
    if (q.due_before) {
      values.push_back(q.due_before->iso());
      sql += " AND due_date IS NOT NULL AND due_date < ?" + std::to_string(values.size());
    }
    sql += " ORDER BY due_date IS NULL, due_date, updated_at LIMIT " + std::to_string(q.limit);
    auto s = SG_TRY(conn_->prepare(sql));
    for (size_t i = 0; i < values.size(); ++i) s.bind(static_cast<int>(i + 1), values[i]);
    std::vector<WorkItem> out;
    while (SG_TRY(s.step())) {
      WorkItem w;
      w.id = s.text(0);
      w.kind = s.text(1);
      w.subkind = s.text(2);
      w.case_id = s.text(3);
      w.owner_id = s.text(4);
      w.inbox = s.text(5);
      if (!s.is_null(6)) w.due = core::Date::parse_iso(s.text(6)).value_or(core::Date());
      w.status = s.text(7);
      w.agency_id = s.text(8);
      w.updated_at = core::from_micros(s.integer(9));
      w.subject_key = s.text(10);
      w.label = s.text(11);
      out.push_back(std::move(w));
    }
    return out;
  }

  // Mentions are written several at a time (a concern names several people), when the next
  // read of the table comes or a batch fills (flush_pending).
  core::Status add_mention(const Mention& m) override {
    SG_TRY(require_write());
    pending_mentions_.push_back(m);
    if (pending_mentions_.size() == kMentionsPerInsert) return flush_mentions();
    return {};
  }

  core::Status flush_mentions() {
    // One statement for up to kMentionsPerInsert rows, in the order they were added, so
    // INSERT OR IGNORE keeps the same row of any duplicate as one insert per row did.
    static const auto kInsert = [] {
      std::array<std::string, kMentionsPerInsert + 1> sql;
      for (std::size_t n = 1; n <= kMentionsPerInsert; ++n) {
        sql[n] =
            "INSERT OR IGNORE INTO mentions (subject_key, concern_id, role, received_at, "
            "agency_id) VALUES ";
        for (std::size_t i = 0; i < n; ++i) sql[n] += i == 0 ? "(?,?,?,?,?)" : ",(?,?,?,?,?)";
      }
      return sql;
    }();
    std::size_t done = 0;
    while (done < pending_mentions_.size()) {
      std::size_t n = std::min(kMentionsPerInsert, pending_mentions_.size() - done);
      auto s = SG_TRY(conn_->prepare(kInsert[n]));
      for (std::size_t i = 0; i < n; ++i) {
        const auto& m = pending_mentions_[done + i];
        int at = static_cast<int>(i * 5);
        s.bind(at + 1, m.subject_key).bind(at + 2, m.concern_id).bind(at + 3, m.role);
        s.bind(at + 4, core::to_micros(m.received_at)).bind(at + 5, m.agency_id);
      }
      SG_TRY(s.run());
      done += n;
    }
    pending_mentions_.clear();
    return {};
  }

  core::Result<std::vector<Mention>> mentions(std::string_view subject_key) override {
    SG_TRY(flush_mentions());
    auto s = SG_TRY(
        conn_->prepare("SELECT subject_key, concern_id, role, received_at, agency_id FROM mentions "
                       "WHERE subject_key = ?1 ORDER BY received_at, concern_id"));
    s.bind(1, subject_key);
    std::vector<Mention> out;
    while (SG_TRY(s.step())) {
      out.push_back({s.text(0), s.text(1), s.text(2), core::from_micros(s.integer(3)), s.text(4)});
    }
    return out;
  }

  core::Result<std::vector<Mention>> mentions_in(std::string_view concern_id) override {
    SG_TRY(flush_mentions());
    auto s = SG_TRY(
        conn_->prepare("SELECT subject_key, concern_id, role, received_at, agency_id FROM mentions "
                       "WHERE concern_id = ?1"));
    s.bind(1, concern_id);
    std::vector<Mention> out;
    while (SG_TRY(s.step())) {
      out.push_back({s.text(0), s.text(1), s.text(2), core::from_micros(s.integer(3)), s.text(4)});
    }
    return out;
  }

  core::Status add_episode(std::string_view subject_key, std::string_view kind, core::Date date,
                           std::string_view concern_id) override {
    SG_TRY(require_write());
    auto s = SG_TRY(
        conn_->prepare("INSERT OR IGNORE INTO episodes (subject_key, kind, date, concern_id) "
                       "VALUES (?1, ?2, ?3, ?4)"));
    s.bind(1, subject_key).bind(2, kind).bind(3, date.iso()).bind(4, concern_id);
    return s.run();
  }

  core::Result<std::vector<std::pair<core::Date, std::string>>> episodes(
      std::string_view subject_key, std::string_view kind, core::Date from) override {
    auto s = SG_TRY(
        conn_->prepare("SELECT date, concern_id FROM episodes WHERE subject_key = ?1 AND kind = ?2 "
                       "AND date >= ?3 ORDER BY date, concern_id"));
    s.bind(1, subject_key).bind(2, kind).bind(3, from.iso());
    std::vector<std::pair<core::Date, std::string>> out;
    while (SG_TRY(s.step())) {
      out.emplace_back(core::Date::parse_iso(s.text(0)).value_or(from), s.text(1));
    }
    return out;
  }

  core::Status upsert_case(const CaseSummary& c) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare(
        "INSERT INTO cases (case_id, subject_key, stage, status, agency_id, opened_at, updated_at, "
        "label) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(case_id) DO UPDATE SET "
        "subject_key = ?2, stage = ?3, status = ?4, agency_id = ?5, opened_at = ?6, "
        "updated_at = ?7, label = ?8"));
    s.bind(1, c.case_id).bind(2, c.subject_key).bind(3, c.stage).bind(4, c.status);
    s.bind(5, c.agency_id).bind(6, core::to_micros(c.opened_at));
    s.bind(7, core::to_micros(c.updated_at)).bind(8, c.label);
    SG_TRY(s.run());
    case_written(c);
    return {};
  }

  // The answers of open_case_for, kept for the transaction and updated by each upsert_case
  // (the only write to cases besides erase_record, which drops them): a concern's intake and
  // its alert rules ask for the same children's cases more than once.
  void remember_open_case(const std::string& key, std::optional<CaseSummary> open) {
    if (open) open_case_keys_[open->case_id] = key;
    open_cases_[key] = std::move(open);
  }

  void forget_open_case(const std::string& key) {
    auto it = open_cases_.find(key);
    if (it == open_cases_.end()) return;
    if (it->second) open_case_keys_.erase(it->second->case_id);
    open_cases_.erase(it);
  }

  // Keeps the remembered answers what the query would now return: the open case of a subject
  // with the latest opened_at (a tie is left to the query).
  void case_written(const CaseSummary& c) {
    // Remembered under another subject key: its subject changed.
    if (auto it = open_case_keys_.find(c.case_id);
        it != open_case_keys_.end() && it->second != c.subject_key) {
      forget_open_case(it->second);
    }
    auto it = open_cases_.find(c.subject_key);
    if (it == open_cases_.end()) return;
    auto& held = it->second;
    bool open = c.status == "open";
    if (held && held->case_id == c.case_id) {
      if (open && c.opened_at == held->opened_at) {
        held = c;
      } else {
        forget_open_case(c.subject_key);
      }
      return;
    }
    if (!open) return;
    if (!held || c.opened_at > held->opened_at) {
      forget_open_case(c.subject_key);
      remember_open_case(c.subject_key, c);
    } else if (c.opened_at == held->opened_at) {
      forget_open_case(c.subject_key);
    }
  }

  core::Result<std::optional<CaseSummary>> open_case_for(std::string_view subject_key) override {
    std::string key(subject_key);
    if (auto it = open_cases_.find(key); it != open_cases_.end()) return it->second;
    auto s = SG_TRY(conn_->prepare(
        "SELECT case_id, subject_key, stage, status, agency_id, opened_at, updated_at, label "
        "FROM cases "
        "WHERE subject_key = ?1 AND status = 'open' ORDER BY opened_at DESC LIMIT 1"));
    s.bind(1, subject_key);
    std::optional<CaseSummary> open;
    if (SG_TRY(s.step())) open = read_case(s);
    remember_open_case(key, open);
    return open;
  }

  core::Result<CaseSummary> case_summary(std::string_view case_id) override {
    auto s = SG_TRY(conn_->prepare(
        "SELECT case_id, subject_key, stage, status, agency_id, opened_at, updated_at, label "
        "FROM cases "
        "WHERE case_id = ?1"));
    s.bind(1, case_id);
    if (!SG_TRY(s.step())) return core::not_found("case not found");
    return read_case(s);
  }

  core::Result<std::vector<CaseSummary>> cases(const CaseQuery& q) override {
    std::string sql =
        "SELECT case_id, subject_key, stage, status, agency_id, opened_at, updated_at, label "
        "FROM cases";
    if (q.status) sql += " WHERE status = ?1";
    sql += " ORDER BY updated_at DESC LIMIT " + std::to_string(q.limit);
    auto s = SG_TRY(conn_->prepare(sql));
    if (q.status) s.bind(1, *q.status);
    std::vector<CaseSummary> out;
    while (SG_TRY(s.step())) out.push_back(read_case(s));
    return out;
  }

  // Keeps the narrative search index (schema v8) on the newest version of each concern. A new
  // concern's row is added with the others written in this transaction by flush_pending; a
  // correction replaces its row at once.
  core::Status index_concern_text(const domain::RecordVersion& r) {
    if (r.version == 1) {
      pending_text_.push_back(r.record_id);
      return {};
    }
    SG_TRY(flush_pending());
    SG_TRY(index_waiting_text());
    auto text =
        SG_TRY(conn_->prepare("DELETE FROM concern_text WHERE rowid IN "
                              "(SELECT row FROM concern_text_rows WHERE record_id = ?1)"));
    SG_TRY(text.bind(1, r.record_id).run());
    auto old_row = SG_TRY(conn_->prepare("DELETE FROM concern_text_rows WHERE record_id = ?1"));
    SG_TRY(old_row.bind(1, r.record_id).run());
    auto row = SG_TRY(conn_->prepare("INSERT INTO concern_text_rows (record_id) VALUES (?1)"));
    SG_TRY(row.bind(1, r.record_id).run());
    auto insert = SG_TRY(conn_->prepare(
        "INSERT INTO concern_text (rowid, narrative, record_id, agency_id) VALUES "
        "(last_insert_rowid(), COALESCE(json_extract(?1, '$.narrative'), ''), ?2, ?3)"));
    return insert.bind(1, r.body).bind(2, r.record_id).bind(3, r.agency_id).run();
  }

  // Indexes now, inside this transaction, the new concerns waiting for their batch to commit
  // (those of transactions released into it before this one, and this one's), for what
  // reads or replaces index rows. Should this transaction roll back, the batch's go back to
  // wait (restore_waiting_text).
  core::Status index_waiting_text() {
    if (writer_ == nullptr) return {};  // A read transaction sees only committed batches.
    auto& batch = pool_.batch_text();
    std::vector<std::string> ids = batch;
    ids.insert(ids.end(), unindexed_text_.begin(), unindexed_text_.end());
    SG_TRY(index_concern_texts(*conn_, ids));
    taken_text_.insert(taken_text_.end(), std::make_move_iterator(batch.begin()),
                       std::make_move_iterator(batch.end()));
    batch.clear();
    unindexed_text_.clear();
    return {};
  }

  // Before this transaction's savepoint is rolled back: the batch's new concerns this
  // transaction indexed are again waiting for the batch to commit.
  void restore_waiting_text() {
    if (writer_ == nullptr || taken_text_.empty()) return;
    auto& batch = pool_.batch_text();
    batch.insert(batch.begin(), std::make_move_iterator(taken_text_.begin()),
                 std::make_move_iterator(taken_text_.end()));
    taken_text_.clear();
  }

  // Writes the index rows left for later, set-wise: the mentions added, the search index rows
  // of new concerns, in the order they were written (so each gets the row it would have had), and
  // the concern_cases rows of the newest version of each case written. Called before anything
  // reads those tables in this transaction, and before commit.
  core::Status flush_pending() {
    if (!pending_mentions_.empty()) SG_TRY(flush_mentions());
    if (!pending_text_.empty()) {
      auto ids = json_array(pending_text_);
      auto rows =
          SG_TRY(conn_->prepare("INSERT INTO concern_text_rows (record_id) "
                                "SELECT value FROM json_each(?1) ORDER BY key"));
      SG_TRY(rows.bind(1, ids).run());
      // Their narratives join the index when the batch commits (Pool::batch_text).
      unindexed_text_.insert(unindexed_text_.end(), std::make_move_iterator(pending_text_.begin()),
                             std::make_move_iterator(pending_text_.end()));
      pending_text_.clear();
    }
    if (!pending_cases_.empty()) {
      std::string versions = "{";
      for (const auto& [id, version] : pending_cases_) {
        if (versions.size() > 1) versions += ',';
        versions += json_string(id) + ":" + std::to_string(version);
      }
      versions += '}';
      auto link = SG_TRY(conn_->prepare(
          "INSERT OR IGNORE INTO concern_cases (concern_id, case_id) "
          "SELECT c.value, r.record_id FROM json_each(?1) p JOIN record_versions r "
          "ON r.record_id = p.key AND r.version = p.value, json_each(r.body, '$.concerns') c "
          "WHERE c.type = 'text'"));
      SG_TRY(link.bind(1, versions).run());
      pending_cases_.clear();
    }
    return {};
  }

  core::Result<std::vector<ConcernHit>> search_concerns(const std::vector<std::string>& terms,
                                                        std::size_t limit) override {
    SG_TRY(flush_pending());
    SG_TRY(index_waiting_text());
    // Each term becomes an FTS5 string (a quoted phrase, quotes doubled), so nothing the
    // user types is read as query syntax; the last is also a prefix.
    std::string match;
    for (size_t i = 0; i < terms.size(); ++i) {
      if (terms[i].empty()) continue;
      if (!match.empty()) match += ' ';
      match += '"';
      for (char c : terms[i]) match += c == '"' ? std::string("\"\"") : std::string(1, c);
      match += '"';
      if (i + 1 == terms.size()) match += '*';
    }
    std::vector<ConcernHit> out;
    if (match.empty()) return out;
    auto s = SG_TRY(conn_->prepare(
        "SELECT record_id, agency_id, snippet(concern_text, 0, char(2), char(3), '…', 24) "
        "FROM concern_text WHERE concern_text MATCH ?1 ORDER BY rank LIMIT ?2"));
    s.bind(1, match).bind(2, static_cast<std::int64_t>(limit));
    while (SG_TRY(s.step())) out.push_back({s.text(0), s.text(1), s.text(2), {}});
    for (auto& hit : out) {
      auto cases = SG_TRY(conn_->prepare(
          "SELECT case_id FROM concern_cases WHERE concern_id = ?1 ORDER BY case_id"));
      cases.bind(1, hit.concern_id);
      while (SG_TRY(cases.step())) hit.case_ids.push_back(cases.text(0));
    }
    return out;
  }

  core::Result<bool> add_review_pair(const ReviewPair& p) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare(
        "INSERT OR IGNORE INTO review_pairs (pair_id, record_l, record_r, probability_ppm, status, "
        "queued_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    s.bind(1, p.pair_id).bind(2, p.record_l).bind(3, p.record_r);
    s.bind(4, static_cast<std::int64_t>(std::llround(p.probability * 1e6)));
    s.bind(5, p.status)
        .bind(6, core::to_micros(p.queued_at))
        .bind(7, core::to_micros(p.updated_at));
    SG_TRY(s.run());
    return conn_->changes() > 0;
  }

  core::Status update_review_pair(const ReviewPair& p) override {
    SG_TRY(require_write());
    auto s = SG_TRY(
        conn_->prepare("UPDATE review_pairs SET status = ?2, updated_at = ?3 WHERE pair_id = ?1"));
    s.bind(1, p.pair_id).bind(2, p.status).bind(3, core::to_micros(p.updated_at));
    SG_TRY(s.run());
    if (conn_->changes() == 0) return core::not_found("review pair not found");
    return {};
  }

  core::Result<ReviewPair> review_pair(std::string_view pair_id) override {
    auto s = SG_TRY(conn_->prepare(
        "SELECT pair_id, record_l, record_r, probability_ppm, status, queued_at, updated_at "
        "FROM review_pairs WHERE pair_id = ?1"));
    s.bind(1, pair_id);
    if (!SG_TRY(s.step())) return core::not_found("review pair not found");
    return read_review_pair(s);
  }

  core::Result<std::vector<ReviewPair>> review_pairs(std::string_view status,
                                                     std::size_t limit) override {
    std::string sql =
        "SELECT pair_id, record_l, record_r, probability_ppm, status, queued_at, updated_at "
        "FROM review_pairs";
    if (!status.empty()) sql += " WHERE status = ?1";
    sql += " ORDER BY probability_ppm DESC, pair_id LIMIT " + std::to_string(limit);
    auto s = SG_TRY(conn_->prepare(sql));
    if (!status.empty()) s.bind(1, status);
    std::vector<ReviewPair> out;
    while (SG_TRY(s.step())) out.push_back(read_review_pair(s));
    return out;
  }

  core::Result<std::vector<std::string>> delete_review_pairs_of_concern(
      std::string_view concern_id) override {
    SG_TRY(require_write());
    const std::string prefix = std::string(concern_id) + ":";
    auto s = SG_TRY(
        conn_->prepare("DELETE FROM review_pairs WHERE substr(record_l, 1, length(?1)) = ?1 OR "
                       "substr(record_r, 1, length(?1)) = ?1 RETURNING pair_id"));
    s.bind(1, prefix);
    std::vector<std::string> out;
    while (SG_TRY(s.step())) out.push_back(s.text(0));
    ledgered_change_ = true;
    return out;
  }

  core::Result<std::vector<std::string>> cases_of_concern(std::string_view concern_id) override {
    SG_TRY(flush_pending());
    auto s = SG_TRY(
        conn_->prepare("SELECT case_id FROM concern_cases WHERE concern_id = ?1 ORDER BY case_id"));
    s.bind(1, concern_id);
    std::vector<std::string> out;
    while (SG_TRY(s.step())) out.push_back(s.text(0));
    return out;
  }

  core::Status insert_grant(const Grant& g) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare(
        "INSERT INTO grants (id, kind, object, grantee, scope, reason, created_by, created_at, "
        "valid_from, valid_to) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
    s.bind(1, g.id).bind(2, g.kind).bind(3, g.object).bind(4, g.grantee).bind(5, g.scope);
    s.bind(6, g.reason).bind(7, g.created_by).bind(8, core::to_micros(g.created_at));
    if (g.valid_from) s.bind(9, core::to_micros(*g.valid_from));
    if (g.valid_to) s.bind(10, core::to_micros(*g.valid_to));
    return s.run();
  }

  core::Status revoke_grant(std::string_view id, core::Timestamp at, std::string_view by) override {
    SG_TRY(require_write());
    auto existing = SG_TRY(grant(id));
    if (existing.revoked_at) return core::failed_precondition("the grant is already revoked");
    auto s =
        SG_TRY(conn_->prepare("UPDATE grants SET revoked_at = ?2, revoked_by = ?3 WHERE id = ?1"));
    s.bind(1, id).bind(2, core::to_micros(at)).bind(3, by);
    return s.run();
  }

  core::Result<Grant> grant(std::string_view id) override {
    auto s = SG_TRY(conn_->prepare(std::string(kGrantColumns) + " WHERE id = ?1"));
    s.bind(1, id);
    if (!SG_TRY(s.step())) return core::not_found("grant not found");
    return read_grant(s);
  }

  core::Result<std::vector<Grant>> grants(const GrantQuery& q) override {
    std::string sql = std::string(kGrantColumns) + " WHERE 1 = 1";
    if (q.kind) sql += " AND kind = ?1";
    if (q.object) sql += " AND object = ?2";
    if (q.grantee) sql += " AND grantee = ?3";
    if (q.active_at) {
      sql +=
          " AND created_at <= ?4 AND (revoked_at IS NULL OR revoked_at > ?4)"
          " AND (valid_to IS NULL OR kind <> 'break_glass' OR valid_to > ?4)";
    }
    sql += " ORDER BY created_at, id LIMIT ?5";
    auto s = SG_TRY(conn_->prepare(sql));
    if (q.kind) s.bind(1, *q.kind);
    if (q.object) s.bind(2, *q.object);
    if (q.grantee) s.bind(3, *q.grantee);
    if (q.active_at) s.bind(4, core::to_micros(*q.active_at));
    s.bind(5, static_cast<std::int64_t>(q.limit));
    std::vector<Grant> out;
    while (SG_TRY(s.step())) out.push_back(read_grant(s));
    return out;
  }

  core::Status upsert_retention_review(const RetentionReview& r) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare(
        "INSERT INTO retention_reviews (record_id, grp, review_on, decision, decision_id, "
        "reason, decided_by, decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
        "ON CONFLICT(record_id) DO UPDATE SET grp = ?2, review_on = ?3, decision = ?4, "
        "decision_id = ?5, reason = ?6, decided_by = ?7, decided_at = ?8"));
    s.bind(1, r.record_id).bind(2, r.group).bind(3, r.review_on.iso()).bind(4, r.decision);
    s.bind(5, r.decision_id).bind(6, r.reason).bind(7, r.decided_by);
    s.bind(8, core::to_micros(r.decided_at));
    SG_TRY(s.run());
    ledgered_change_ = true;
    return {};
  }

  core::Result<std::optional<RetentionReview>> retention_review(
      std::string_view record_id) override {
    auto s = SG_TRY(conn_->prepare(std::string(kRetentionColumns) + " WHERE record_id = ?1"));
    s.bind(1, record_id);
    if (!SG_TRY(s.step())) return std::optional<RetentionReview>();
    return std::optional<RetentionReview>(read_retention(s));
  }

  core::Result<std::vector<RetentionReview>> retention_reviews() override {
    auto s = SG_TRY(conn_->prepare(std::string(kRetentionColumns) + " ORDER BY record_id"));
    std::vector<RetentionReview> out;
    while (SG_TRY(s.step())) out.push_back(read_retention(s));
    return out;
  }

  core::Status erase_record(std::string_view record_id) override {
    SG_TRY(require_write());
    SG_TRY(flush_pending());
    SG_TRY(index_waiting_text());
    open_cases_.clear();
    open_case_keys_.clear();
    auto kind = SG_TRY(conn_->prepare(
        "SELECT kind FROM record_versions WHERE record_id = ?1 AND erased = 0 LIMIT 1"));
    kind.bind(1, record_id);
    if (!SG_TRY(kind.step())) return core::not_found("record not found");
    bool concern = kind.text(0) == "concern";
    // The schema's trigger permits exactly this update and no other (schema v10).
    auto blank = SG_TRY(conn_->prepare(
        "UPDATE record_versions SET body = '', erased = 1 WHERE record_id = ?1 AND erased = 0"));
    SG_TRY(blank.bind(1, record_id).run());
    auto step = [&](const char* sql) -> core::Status {
      auto s = SG_TRY(conn_->prepare(sql));
      return s.bind(1, record_id).run();
    };
    SG_TRY(step("UPDATE cases SET label = '', subject_key = '' WHERE case_id = ?1"));
    SG_TRY(step("UPDATE work_items SET label = '', subject_key = '' WHERE id = ?1"));
    if (concern) {
      SG_TRY(step("DELETE FROM mentions WHERE concern_id = ?1"));
      SG_TRY(step("DELETE FROM episodes WHERE concern_id = ?1"));
      SG_TRY(
          step("DELETE FROM concern_text WHERE rowid IN "
               "(SELECT row FROM concern_text_rows WHERE record_id = ?1)"));
      SG_TRY(step("DELETE FROM concern_text_rows WHERE record_id = ?1"));
      // A deleted FTS5 row leaves its terms in the index segments until they are merged;
      // merging them all now leaves none of the erased narrative's words in the file.
      SG_TRY(conn_->exec("INSERT INTO concern_text(concern_text) VALUES ('optimize')"));
    }
    ledgered_change_ = true;
    return {};
  }

  core::Result<std::optional<std::string>> setting(std::string_view key) override {
    auto s = SG_TRY(conn_->prepare("SELECT value FROM settings WHERE key = ?1"));
    s.bind(1, key);
    if (!SG_TRY(s.step())) return std::optional<std::string>();
    return std::optional<std::string>(s.text(0));
  }

  core::Status put_setting(std::string_view key, std::string_view value) override {
    SG_TRY(require_write());
    auto s =
        SG_TRY(conn_->prepare("INSERT INTO settings (key, value) VALUES (?1, ?2) "
                              "ON CONFLICT(key) DO UPDATE SET value = ?2"));
    s.bind(1, key).bind(2, value);
    return s.run();
  }

  core::Status put_receipt(std::string_view receipt_hash, std::string_view report_id) override {
    SG_TRY(require_write());
    auto s =
        SG_TRY(conn_->prepare("INSERT INTO receipts (receipt_hash, report_id) VALUES (?1, ?2)"));
    s.bind(1, receipt_hash).bind(2, report_id);
    return s.run();
  }

  core::Result<std::optional<std::string>> report_for_receipt(
      std::string_view receipt_hash) override {
    auto s = SG_TRY(conn_->prepare("SELECT report_id FROM receipts WHERE receipt_hash = ?1"));
    s.bind(1, receipt_hash);
    if (!SG_TRY(s.step())) return std::optional<std::string>();
    return std::optional<std::string>(s.text(0));
  }

  core::Result<std::optional<LedgerRow>> ledger_last() override {
    auto s = SG_TRY(
        conn_->prepare("SELECT seq, event_id, at, actor, operation, reason, record_ids, recipient, "
                       "payload_digest, prev_hash, hash FROM ledger ORDER BY seq DESC LIMIT 1"));
    if (!SG_TRY(s.step())) return std::optional<LedgerRow>();
    return std::optional<LedgerRow>(SG_TRY(read_ledger(s)));
  }

  core::Result<std::optional<LedgerTail>> ledger_tail() override {
    auto s = SG_TRY(conn_->prepare("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1"));
    if (!SG_TRY(s.step())) return std::optional<LedgerTail>();
    return std::optional<LedgerTail>(LedgerTail{s.integer(0), s.text(1)});
  }

  core::Status append_ledger(const LedgerRow& row) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare(
        "INSERT INTO ledger (seq, event_id, at, actor, operation, reason, record_ids, recipient, "
        "payload_digest, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
    s.bind(1, row.seq).bind(2, row.event_id).bind(3, core::to_micros(row.at)).bind(4, row.actor);
    s.bind(5, domain::operation_name(row.operation)).bind(6, row.reason);
    s.bind(7, join_ids(row.record_ids)).bind(8, row.recipient).bind(9, row.payload_digest);
    s.bind(10, row.prev_hash).bind(11, row.hash);
    SG_TRY(s.run());
    for (const auto& id : row.record_ids) {
      auto link = SG_TRY(
          conn_->prepare("INSERT OR IGNORE INTO ledger_records (record_id, seq) VALUES (?1, ?2)"));
      link.bind(1, id).bind(2, row.seq);
      SG_TRY(link.run());
    }
    ledger_appended_ = true;
    return {};
  }

  core::Result<std::vector<LedgerRow>> ledger_for_record(std::string_view record_id,
                                                         std::size_t limit) override {
    auto s = SG_TRY(conn_->prepare(
        "SELECT l.seq, l.event_id, l.at, l.actor, l.operation, l.reason, l.record_ids, "
        "l.recipient, l.payload_digest, l.prev_hash, l.hash FROM ledger_records r "
        "JOIN ledger l ON l.seq = r.seq WHERE r.record_id = ?1 ORDER BY r.seq LIMIT ?2"));
    s.bind(1, record_id).bind(2, static_cast<std::int64_t>(limit));
    std::vector<LedgerRow> out;
    while (SG_TRY(s.step())) out.push_back(SG_TRY(read_ledger(s)));
    return out;
  }

  core::Result<std::vector<LedgerRow>> ledger_range(std::int64_t from_seq,
                                                    std::size_t limit) override {
    auto s = SG_TRY(conn_->prepare(
        "SELECT seq, event_id, at, actor, operation, reason, record_ids, recipient, "
        "payload_digest, prev_hash, hash FROM ledger WHERE seq >= ?1 ORDER BY seq LIMIT ?2"));
    s.bind(1, from_seq).bind(2, static_cast<std::int64_t>(limit));
    std::vector<LedgerRow> out;
    while (SG_TRY(s.step())) out.push_back(SG_TRY(read_ledger(s)));
    return out;
  }

  core::Result<std::vector<LedgerRow>> ledger_events(const LedgerQuery& q) override {
    // As in work_items, only the filters in use appear in the SQL.
    std::string sql =
        "SELECT l.seq, l.event_id, l.at, l.actor, l.operation, l.reason, l.record_ids, "
        "l.recipient, l.payload_digest, l.prev_hash, l.hash FROM ledger l";
    if (q.record_id) sql += " JOIN ledger_records r ON r.seq = l.seq AND r.record_id = ?1";
    sql += " WHERE l.seq > ?2 AND l.actor != ?3";
    if (q.from) sql += " AND l.at >= ?4";
    if (q.to) sql += " AND l.at < ?5";
    if (q.actor) sql += " AND l.actor = ?6";
    sql += " ORDER BY l.seq LIMIT ?7";
    auto s = SG_TRY(conn_->prepare(sql));
    if (q.record_id) s.bind(1, *q.record_id);
    s.bind(2, q.after_seq).bind(3, q.exclude_actor);
    if (q.from) s.bind(4, core::to_micros(*q.from));
    if (q.to) s.bind(5, core::to_micros(*q.to));
    if (q.actor) s.bind(6, *q.actor);
    s.bind(7, static_cast<std::int64_t>(q.limit));
    std::vector<LedgerRow> out;
    while (SG_TRY(s.step())) out.push_back(SG_TRY(read_ledger(s)));
    return out;
  }

  core::Status put_ledger_payload(const LedgerPayload& p) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare(
        "INSERT INTO ledger_payloads (seq, salt, payload, erased_by) VALUES (?1, ?2, ?3, ?4)"));
    s.bind(1, p.seq).bind(2, p.salt).bind(3, p.payload).bind(4, p.erased_by);
    return s.run();
  }

  core::Result<std::vector<LedgerPayload>> ledger_payloads(std::int64_t from_seq,
                                                           std::size_t limit) override {
    auto s = SG_TRY(
        conn_->prepare("SELECT seq, salt, payload, erased_by FROM ledger_payloads WHERE seq >= ?1 "
                       "ORDER BY seq LIMIT ?2"));
    s.bind(1, from_seq).bind(2, static_cast<std::int64_t>(limit));
    std::vector<LedgerPayload> out;
    while (SG_TRY(s.step())) out.push_back({s.integer(0), s.text(1), s.text(2), s.integer(3)});
    return out;
  }

  core::Status erase_ledger_payload(std::int64_t seq, std::int64_t erased_by) override {
    SG_TRY(require_write());
    auto s =
        SG_TRY(conn_->prepare("UPDATE ledger_payloads SET salt = '', payload = '', erased_by = ?2 "
                              "WHERE seq = ?1"));
    s.bind(1, seq).bind(2, erased_by);
    auto st = s.run();
    if (!st.ok()) {
      return core::failed_precondition("the payload of ledger event " + std::to_string(seq) +
                                       " cannot be erased by event " + std::to_string(erased_by));
    }
    if (conn_->changes() == 0) {
      return core::not_found("ledger event " + std::to_string(seq) + " has no stored payload");
    }
    return {};
  }

  core::Status append_checkpoint(const LedgerCheckpoint& c) override {
    SG_TRY(require_write());
    auto s = SG_TRY(conn_->prepare(
        "INSERT INTO ledger_checkpoints (tree_size, root_hash, at, key_id, frontier, note) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    s.bind(1, c.tree_size).bind(2, c.root_hash).bind(3, core::to_micros(c.at)).bind(4, c.key_id);
    s.bind(5, c.frontier).bind(6, c.note);
    auto st = s.run();
    if (!st.ok() && st.error().code == core::Code::kAlreadyExists) {
      return core::already_exists("this tree size is already checkpointed", "tree_size");
    }
    return st;
  }

  core::Result<std::vector<LedgerCheckpoint>> ledger_checkpoints() override {
    auto s =
        SG_TRY(conn_->prepare("SELECT tree_size, root_hash, at, key_id, frontier, note FROM "
                              "ledger_checkpoints ORDER BY tree_size"));
    std::vector<LedgerCheckpoint> out;
    while (SG_TRY(s.step())) {
      out.push_back({s.integer(0), s.text(1), core::from_micros(s.integer(2)), s.text(3), s.text(4),
                     s.text(5)});
    }
    return out;
  }

  core::Status commit() override {
    if (!open_) return core::failed_precondition("transaction is no longer open");
    if (writer_ != nullptr) SG_TRY(flush_pending());
    if (ledgered_change_ && !ledger_appended_) {
      open_ = false;
      if (writer_ != nullptr) {
        restore_waiting_text();
        writer_->rollback();
      }
      return core::failed_precondition(
          "a change to ledgered data was made without a ledger event; rolled back");
    }
    open_ = false;
    if (writer_ != nullptr) {
      // This transaction's new concerns join the index when its batch commits.
      auto& batch = pool_.batch_text();
      batch.insert(batch.end(), std::make_move_iterator(unindexed_text_.begin()),
                   std::make_move_iterator(unindexed_text_.end()));
      return writer_->commit();
    }
    // A read transaction has nothing to make durable.
    return conn_->exec("COMMIT");
  }

 private:
  core::Result<int> latest_version(const std::string& record_id) {
    // A record written in this transaction is at the version written last (versions are
    // only ever added): an import saves each case again for every later concern about it.
    if (auto it = written_versions_.find(record_id); it != written_versions_.end()) {
      return it->second;
    }
    auto current = SG_TRY(conn_->prepare(
        "SELECT COALESCE(MAX(version), 0) FROM record_versions WHERE record_id = ?1"));
    current.bind(1, record_id);
    SG_TRY(current.step());
    return static_cast<int>(current.integer(0));
  }

  static core::Error version_conflict(const std::string& record_id, int latest, int expected) {
    return core::aborted("record " + record_id + " is at version " + std::to_string(latest) +
                         ", not " + std::to_string(expected));
  }

  core::Status require_write() const {
    if (writer_ == nullptr) return core::internal("write in a read transaction");
    if (!open_) return core::failed_precondition("transaction is no longer open");
    return {};
  }

  static CaseSummary read_case(const Statement& s) {
    return {s.text(0),
            s.text(1),
            s.text(2),
            s.text(3),
            s.text(4),
            core::from_micros(s.integer(5)),
            core::from_micros(s.integer(6)),
            s.text(7)};
  }

  static constexpr std::string_view kGrantColumns =
      "SELECT id, kind, object, grantee, scope, reason, created_by, created_at, valid_from, "
      "valid_to, revoked_at, revoked_by FROM grants";

  static constexpr std::string_view kRetentionColumns =
      "SELECT record_id, grp, review_on, decision, decision_id, reason, decided_by, decided_at "
      "FROM retention_reviews";

  static RetentionReview read_retention(const Statement& s) {
    RetentionReview r;
    r.record_id = s.text(0);
    r.group = s.text(1);
    r.review_on = core::Date::parse_iso(s.text(2)).value_or(core::Date());
    r.decision = s.text(3);
    r.decision_id = s.text(4);
    r.reason = s.text(5);
    r.decided_by = s.text(6);
    r.decided_at = core::from_micros(s.integer(7));
    return r;
  }

  static Grant read_grant(const Statement& s) {
    Grant g;
    g.id = s.text(0);
    g.kind = s.text(1);
    g.object = s.text(2);
    g.grantee = s.text(3);
    g.scope = s.text(4);
    g.reason = s.text(5);
    g.created_by = s.text(6);
    g.created_at = core::from_micros(s.integer(7));
    if (!s.is_null(8)) g.valid_from = core::from_micros(s.integer(8));
    if (!s.is_null(9)) g.valid_to = core::from_micros(s.integer(9));
    if (!s.is_null(10)) g.revoked_at = core::from_micros(s.integer(10));
    g.revoked_by = s.text(11);
    return g;
  }

  static ReviewPair read_review_pair(const Statement& s) {
    return {s.text(0),
            s.text(1),
            s.text(2),
            static_cast<double>(s.integer(3)) / 1e6,
            s.text(4),
            core::from_micros(s.integer(5)),
            core::from_micros(s.integer(6))};
  }

  static void bind_user(Statement& s, const domain::User& u) {
    s.bind(1, u.id).bind(2, u.username).bind(3, u.display_name).bind(4, u.agency_id);
    s.bind(5, domain::role_name(u.role)).bind(6, u.password_hash);
    s.bind(7, static_cast<std::int64_t>(u.active ? 1 : 0)).bind(8, core::to_micros(u.created_at));
    s.bind(9, u.manager_id);
  }

  Pool& pool_;
  sqlite::Writer* writer_ = nullptr;
  std::unique_ptr<Connection> owned_;
  Connection* conn_;
  bool open_ = false;
  bool ledgered_change_ = false;
  bool ledger_appended_ = false;
  // Index rows left for flush_pending: mentions, new concerns (in the order written) and the
  // newest version of each case written.
  static constexpr std::size_t kMentionsPerInsert = 16;
  std::vector<Mention> pending_mentions_;
  std::vector<std::string> pending_text_;
  // New concerns given their index rows by flush_pending, to be indexed when the batch
  // commits (Pool::batch_text); and those of earlier transactions in the batch that
  // index_waiting_text indexed in this one.
  std::vector<std::string> unindexed_text_;
  std::vector<std::string> taken_text_;
  std::unordered_map<std::string, int> pending_cases_;
  // The newest version of each record written in this transaction, and agencies by code.
  std::unordered_map<std::string, int> written_versions_;
  std::unordered_map<std::string, domain::Agency> agencies_by_code_;
  // open_case_for's answers by subject key, and the key each remembered case is under.
  std::unordered_map<std::string, std::optional<CaseSummary>> open_cases_;
  std::unordered_map<std::string, std::string> open_case_keys_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Pool> pool, int version)
      : pool_(std::move(pool)), version_(version) {}

  core::Result<std::unique_ptr<Transaction>> begin(TxMode mode) override {
    std::unique_ptr<SqliteTransaction> tx;
    if (mode == TxMode::kWrite) {
      tx = std::make_unique<SqliteTransaction>(*pool_, *pool_->writer());
    } else {
      tx = std::make_unique<SqliteTransaction>(*pool_, SG_TRY(pool_->take_reader()));
    }
    SG_TRY(tx->start());
    return std::unique_ptr<Transaction>(std::move(tx));
  }

  int schema_version() const override { return version_; }

 private:
  std::unique_ptr<Pool> pool_;
  int version_;
};

core::Result<std::int64_t> pragma_int(Connection& conn, const char* sql) {
  auto s = SG_TRY(conn.prepare(sql));
  if (!SG_TRY(s.step())) return std::int64_t{0};
  return s.integer(0);
}

core::Result<int> migrate(Connection& conn) {
  auto app_id = SG_TRY(pragma_int(conn, "PRAGMA application_id"));
  auto version = SG_TRY(pragma_int(conn, "PRAGMA user_version"));
  auto tables = SG_TRY(pragma_int(conn, "SELECT count(*) FROM sqlite_master"));
  bool fresh = app_id == 0 && version == 0 && tables == 0;
  if (!fresh && app_id != sqlite::kApplicationId) {
    return core::failed_precondition(
        "the database file belongs to another application, not Safeguard");
  }
  if (version > kSchemaVersion) {
    return core::failed_precondition("the database file has schema version " +
                                     std::to_string(version) +
                                     ", newer than this binary supports (" +
                                     std::to_string(kSchemaVersion) + "); upgrade Safeguard");
  }
  SG_TRY(conn.exec("PRAGMA journal_mode = WAL"));
  auto steps = sqlite::migrations();
  for (auto v = version; v < static_cast<std::int64_t>(steps.size()); ++v) {
    SG_TRY(conn.exec("BEGIN IMMEDIATE"));
    auto st = conn.exec(steps[static_cast<size_t>(v)]);
    if (st.ok()) {
      st = conn.exec("PRAGMA application_id = " + std::to_string(sqlite::kApplicationId) +
                     "; PRAGMA user_version = " + std::to_string(v + 1));
    }
    if (!st.ok()) {
      (void)conn.exec("ROLLBACK");
      return core::internal("schema migration " + std::to_string(v + 1) +
                            " failed: " + st.error().message);
    }
    SG_TRY(conn.exec("COMMIT"));
  }
  return kSchemaVersion;
}

}  // namespace

core::Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, OpenMode mode) {
  std::error_code ec;
  if (mode == OpenMode::kExistingOnly && !std::filesystem::exists(path, ec)) {
    return core::not_found("the database file does not exist; run `safeguard init` first");
  }
  if (std::filesystem::is_directory(path, ec)) {
    return core::unavailable("the database path is a directory, not a file");
  }
  auto writer = SG_TRY(Connection::open(path, mode == OpenMode::kCreate));
  SG_TRY(configure(*writer));
  // The writer holds a whole batch, or a whole import, in one transaction: with SQLite's
  // default 2 MB page cache a large one spills dirty pages to the WAL part-way and reads
  // them back. 64 MB keeps an import of ~100,000 rows in memory; it is allocated as used.
  SG_TRY(writer->exec("PRAGMA cache_size = -65536"));
  // Each write transaction is a savepoint, so SQLite keeps the original of every page it
  // changes in a statement journal, which past 64 KB spills to a temporary file written a
  // page at a time (two system calls a page). Kept in memory, it costs none.
  SG_TRY(writer->exec("PRAGMA temp_store = MEMORY"));
  int version = SG_TRY(migrate(*writer));
  auto pool = std::make_unique<Pool>(path);
  pool->writer() = std::make_unique<sqlite::Writer>(std::move(writer));
  pool->writer()->set_batch_hook(
      [p = pool.get()](bool commit) { return p->end_batch_text(commit); });
  return std::unique_ptr<Store>(new SqliteStore(std::move(pool), version));
}

}  // namespace sg::storage
