// Sessions a user or an administrator can see and end (OWASP ASVS 5.0 V7.4.5, V7.5.2), and
// the check of passwords people choose against the blocklists (V6.2.4, V6.2.11). Kept apart
// from accounts.cpp so that the account life cycle and session management read separately.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "access/account_ledger.h"
#include "access/accounts.h"
#include "access/crypto.h"
#include "access/password_blocklist.h"
#include "core/log.h"

namespace sg::access {
namespace {

core::Error no_such_user() {
  return {core::Code::kNotFound, "no user has this username", "username"};
}

core::Error no_such_session() {
  return {core::Code::kNotFound, "no live session of yours has this id", "id"};
}

}  // namespace

std::string session_public_id(std::string_view token_hash) {
  // Domain separation keeps this id from ever equalling another use of the same hash.
  std::string input = "safeguard session id\n";
  input.append(token_hash);
  return access::token_hash(input).substr(0, 32);
}

core::Result<std::vector<SessionSummary>> Accounts::sessions(const Principal& caller) {
  auto now = clock_.now();
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  auto stored = SG_TRY(tx->user_sessions(caller.user.id));
  std::vector<SessionSummary> out;
  for (const auto& s : stored) {
    // Expired sessions stay in the table until the next sign-in sweeps them; they are over.
    if (now - s.last_seen_at > policy_.idle || now - s.created_at > policy_.absolute) continue;
    out.push_back({session_public_id(s.token_hash), s.created_at, s.last_seen_at,
                   s.token_hash == caller.session.token_hash});
  }
  return out;
}

core::Status Accounts::end_session(const Principal& caller, std::string_view session_id) {
  if (session_id.size() != 32) return no_such_session();
  auto now = clock_.now();
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto stored = SG_TRY(tx->user_sessions(caller.user.id));
  auto it = std::find_if(stored.begin(), stored.end(), [&](const domain::Session& s) {
    bool live = now - s.last_seen_at <= policy_.idle && now - s.created_at <= policy_.absolute;
    return live && secrets_equal(session_public_id(s.token_hash), session_id);
  });
  if (it == stored.end()) return no_such_session();
  SG_TRY(tx->delete_session(it->token_hash));
  SG_TRY(ledger_account_change(ledger_, *tx, caller.user.id, "own_sessions", {caller.user.id},
                               {{"id", caller.user.id},
                                {"change", "session_ended"},
                                {"session_id", std::string(session_id)},
                                {"current", it->token_hash == caller.session.token_hash}}));
  SG_TRY(tx->commit());
  core::log(core::LogLevel::kInfo, "session_ended", {{"user_id", caller.user.id}});
  return {};
}

core::Result<int> Accounts::end_other_sessions(const Principal& caller) {
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  int ended = SG_TRY(tx->delete_user_sessions(caller.user.id, caller.session.token_hash));
  if (ended == 0) return 0;  // Nothing changed, so there is nothing to ledger.
  SG_TRY(ledger_account_change(
      ledger_, *tx, caller.user.id, "own_sessions", {caller.user.id},
      {{"id", caller.user.id}, {"change", "other_sessions_ended"}, {"sessions", ended}}));
  SG_TRY(tx->commit());
  core::log(core::LogLevel::kInfo, "sessions_ended",
            {{"user_id", caller.user.id}, {"sessions", static_cast<std::int64_t>(ended)}});
  return ended;
}

core::Result<int> Accounts::end_user_sessions(std::string_view username, std::string_view actor) {
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto user = tx->user_by_username(username);
  if (!user.ok()) {
    if (user.error().code != core::Code::kNotFound) return std::move(user).error();
    return no_such_user();
  }
  int ended = SG_TRY(tx->delete_user_sessions(user->id, ""));
  // Ledgered even when nobody was signed in: the administrator's action is what is recorded.
  SG_TRY(
      ledger_account_change(ledger_, *tx, actor, "account_admin", {user->id},
                            {{"id", user->id}, {"change", "sessions_ended"}, {"sessions", ended}}));
  SG_TRY(tx->commit());
  core::log(core::LogLevel::kInfo, "sessions_ended",
            {{"user_id", user->id}, {"sessions", static_cast<std::int64_t>(ended)}});
  return ended;
}

core::Result<int> Accounts::end_all_sessions(std::string_view actor,
                                             std::string_view keep_token_hash) {
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto users = SG_TRY(tx->delete_all_sessions(keep_token_hash));
  if (users.empty()) return 0;  // Nobody was signed in: nothing changed, nothing to ledger.
  int count = static_cast<int>(users.size());
  SG_TRY(ledger_account_change(ledger_, *tx, actor, "account_admin", users,
                               {{"change", "all_sessions_ended"}, {"users", count}}));
  SG_TRY(tx->commit());
  core::log(core::LogLevel::kInfo, "all_sessions_ended",
            {{"users", static_cast<std::int64_t>(count)}});
  return count;
}

core::Status Accounts::check_chosen_password(std::string_view password, std::string_view username,
                                             std::string_view display_name,
                                             std::string_view field) {
  // Cheap checks first: the common list needs no store.
  if (is_common_password(password)) return check_password_blocklists(password, {}, field);
  std::vector<domain::Agency> agencies;
  {
    auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
    agencies = SG_TRY(tx->agencies());
  }
  return check_password_blocklists(password, context_words(username, display_name, agencies),
                                   field);
}

}  // namespace sg::access
