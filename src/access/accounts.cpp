#include "access/accounts.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "access/account_ledger.h"
#include "access/crypto.h"
#include "access/second_factor.h"
#include "core/log.h"

namespace sg::access {
namespace {

constexpr std::string_view kBadCredentials = "the username or password is not correct";

// A real argon2id hash of a random password, verified against when the username is
// unknown so that a wrong username costs the same time as a wrong password.
const std::string& dummy_hash() {
  static const std::string hash = hash_password(random_token()).value_or(std::string());
  return hash;
}

// The password policy (OWASP ASVS 5.0 V6.2.1, V6.2.9): at least 12 and up to 1024 bytes, so
// long passphrases fit, and no composition rules (V6.2.5).
core::Status check_password_policy(std::string_view password, std::string_view field) {
  if (password.size() < 12 || password.size() > 1024) {
    return core::invalid_argument("must be 12 to 1024 bytes", std::string(field));
  }
  return {};
}

// The right password of an account with a second factor opens no session: it gives a
// short-lived token for the second step (complete_sign_in), kept only as its hash.
core::Result<LoginResult> await_second_factor(storage::Store& store, const core::Clock& clock,
                                              const SessionPolicy& policy, domain::User user,
                                              domain::Agency agency) {
  auto now = clock.now();
  std::string token = random_token();
  auto tx = SG_TRY(store.begin(storage::TxMode::kWrite));
  // Half-finished sign-ins expire; clearing them here keeps the table to the few minutes'
  // worth that can still complete, without a background job.
  SG_TRY(tx->delete_expired_pending_sign_ins(now));
  SG_TRY(tx->insert_pending_sign_in({token_hash(token), user.id, now + policy.second_factor_wait}));
  SG_TRY(tx->commit());
  core::log(core::LogLevel::kInfo, "login_awaits_second_factor", {{"user_id", user.id}});
  LoginResult result;
  result.principal.user = std::move(user);
  result.principal.agency = std::move(agency);
  result.principal.second_factor = true;
  result.second_factor_token = std::move(token);
  return result;
}

core::Error refused(std::string message, std::string field) {
  return {core::Code::kFailedPrecondition, std::move(message), std::move(field)};
}

}  // namespace

core::Result<domain::Agency> Accounts::add_agency(const NewAgency& input, std::string_view actor) {
  SG_TRY(domain::validate_agency_code(input.code));
  SG_TRY(domain::validate_display_text(input.name, "name"));
  domain::Agency agency{ids_.next(), input.code, input.name, input.kind, clock_.now()};
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  SG_TRY(tx->insert_agency(agency));
  nlohmann::json payload = {{"id", agency.id},
                            {"code", agency.code},
                            {"name", agency.name},
                            {"kind", domain::agency_kind_name(agency.kind)}};
  auto bytes = payload.dump();
  SG_TRY(ledger_.append(*tx, {.actor = std::string(actor),
                              .operation = domain::Operation::kCollection,
                              .reason = "account_admin",
                              .record_ids = {agency.id},
                              .payload = bytes}));
  SG_TRY(tx->commit());
  return agency;
}

core::Result<domain::User> Accounts::add_user(const NewUser& input, std::string_view actor) {
  SG_TRY(domain::validate_username(input.username));
  SG_TRY(domain::validate_display_text(input.display_name, "display_name"));
  SG_TRY(check_password_policy(input.password, "password"));
  // A password someone chose must be neither common nor guessable here (ASVS V6.2.4,
  // V6.2.11); a generated one is random and is changed at first sign-in.
  if (!input.one_time_password) {
    SG_TRY(check_chosen_password(input.password, input.username, input.display_name, "password"));
  }
  auto hash = SG_TRY(hash_password(input.password));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto agency = tx->agency_by_code(input.agency_code);
  if (!agency.ok()) return core::invalid_argument("no agency has this code", "agency");
  domain::User user{ids_.next(),     input.username, input.display_name, agency->id, input.role,
                    std::move(hash), true,           clock_.now()};
  if (!input.manager_username.empty()) {
    auto manager = tx->user_by_username(input.manager_username);
    if (!manager.ok()) return core::invalid_argument("no user has this username", "manager");
    user.manager_id = manager->id;
  }
  SG_TRY(tx->insert_user(user));
  if (input.one_time_password) SG_TRY(tx->set_password_change_due(user.id, clock_.now()));
  // The digest covers what was collected, never the password hash.
  nlohmann::json payload = {{"id", user.id},
                            {"username", user.username},
                            {"display_name", user.display_name},
                            {"agency_id", user.agency_id},
                            {"role", domain::role_name(user.role)},
                            {"manager_id", user.manager_id}};
  auto bytes = payload.dump();
  SG_TRY(ledger_.append(*tx, {.actor = std::string(actor),
                              .operation = domain::Operation::kCollection,
                              .reason = "account_admin",
                              .record_ids = {user.id, agency->id},
                              .payload = bytes}));
  SG_TRY(tx->commit());
  return user;
}

core::Result<std::vector<domain::User>> Accounts::users() {
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  return tx->users();
}

core::Result<domain::User> Accounts::update_user(std::string_view username,
                                                 const AccountChange& change,
                                                 std::string_view actor) {
  if (!change.display_name && !change.role && !change.manager_username && !change.disabled) {
    return core::invalid_argument("names nothing to change", "body");
  }
  if (change.display_name) {
    SG_TRY(domain::validate_display_text(*change.display_name, "display_name"));
  }
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto found = tx->user_by_username(username);
  if (!found.ok()) {
    if (found.error().code != core::Code::kNotFound) return std::move(found).error();
    return core::Error{core::Code::kNotFound, "no user has this username", "username"};
  }
  domain::User user = std::move(found).value();
  bool was_admin = user.role == domain::Role::kAdmin && user.active;
  nlohmann::json payload = {{"id", user.id}};
  if (change.display_name) {
    user.display_name = *change.display_name;
    payload["display_name"] = user.display_name;
  }
  if (change.role) {
    user.role = *change.role;
    payload["role"] = domain::role_name(user.role);
  }
  if (change.manager_username) {
    user.manager_id.clear();
    if (!change.manager_username->empty()) {
      auto manager = tx->user_by_username(*change.manager_username);
      if (!manager.ok()) return core::invalid_argument("no user has this username", "manager");
      if (manager->id == user.id) {
        return core::invalid_argument("must be someone other than the user", "manager");
      }
      if (!manager->active) return core::invalid_argument("is a disabled account", "manager");
      // Overdue work escalates to the manager, who must be able to see it: same agency.
      if (manager->agency_id != user.agency_id) {
        return core::invalid_argument("must be in the user's agency", "manager");
      }
      user.manager_id = manager->id;
    }
    payload["manager_id"] = user.manager_id;
  }
  if (change.disabled) {
    if (*change.disabled && user.id == actor) {
      return refused("you cannot disable your own account", "disabled");
    }
    user.active = !*change.disabled;
    payload["active"] = user.active;
  }
  // Separation of duties needs someone to manage accounts: never leave no active admin.
  if (was_admin && !(user.role == domain::Role::kAdmin && user.active)) {
    auto all = SG_TRY(tx->users());
    bool another = std::any_of(all.begin(), all.end(), [&](const domain::User& u) {
      return u.id != user.id && u.active && u.role == domain::Role::kAdmin;
    });
    if (!another) {
      return refused("the last active administrator must stay one",
                     user.active ? "role" : "disabled");
    }
  }
  SG_TRY(tx->update_user(user));
  if (!user.active) SG_TRY(tx->delete_user_sessions(user.id, ""));
  SG_TRY(ledger_account_change(ledger_, *tx, actor, "account_admin", {user.id}, payload));
  SG_TRY(tx->commit());
  core::log(core::LogLevel::kInfo, "account_changed", {{"user_id", user.id}});
  return user;
}

core::Result<std::string> Accounts::reset_password(std::string_view username,
                                                   std::string_view actor) {
  std::string password = generate_password();
  auto hash = SG_TRY(hash_password(password));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto found = tx->user_by_username(username);
  if (!found.ok()) {
    if (found.error().code != core::Code::kNotFound) return std::move(found).error();
    return core::Error{core::Code::kNotFound, "no user has this username", "username"};
  }
  domain::User user = std::move(found).value();
  user.password_hash = std::move(hash);
  SG_TRY(tx->update_user(user));
  SG_TRY(tx->delete_user_sessions(user.id, ""));
  SG_TRY(tx->set_password_change_due(user.id, clock_.now()));
  SG_TRY(ledger_account_change(ledger_, *tx, actor, "account_admin", {user.id},
                               {{"id", user.id}, {"change", "password_reset"}}));
  SG_TRY(tx->commit());
  core::log(core::LogLevel::kInfo, "password_reset", {{"user_id", user.id}});
  return password;
}

core::Status Accounts::change_password(const Principal& caller, std::string_view current_password,
                                       std::string_view new_password) {
  if (current_password.size() > 1024) {
    return core::invalid_argument("is not correct", "current_password");
  }
  SG_TRY(check_password_policy(new_password, "new_password"));
  if (new_password == current_password) {
    return core::invalid_argument("must differ from the current password", "new_password");
  }
  SG_TRY(check_chosen_password(new_password, caller.user.username, caller.user.display_name,
                               "new_password"));
  std::string stored;
  {
    auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
    stored = SG_TRY(tx->user(caller.user.id)).password_hash;
  }
  if (!verify_password(stored, current_password)) {
    core::log(core::LogLevel::kInfo, "password_change_refused", {{"user_id", caller.user.id}});
    return core::invalid_argument("is not correct", "current_password");
  }
  auto hash = SG_TRY(hash_password(new_password));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto user = SG_TRY(tx->user(caller.user.id));
  // A reset or another change between the check and now wins; this one must start again.
  if (user.password_hash != stored) {
    return refused("the password changed meanwhile; try again", "current_password");
  }
  user.password_hash = std::move(hash);
  SG_TRY(tx->update_user(user));
  SG_TRY(tx->delete_user_sessions(user.id, caller.session.token_hash));
  SG_TRY(tx->set_password_change_due(user.id, std::nullopt));
  SG_TRY(ledger_account_change(ledger_, *tx, user.id, "account_admin", {user.id},
                               {{"id", user.id}, {"change", "password_changed"}}));
  SG_TRY(tx->commit());
  core::log(core::LogLevel::kInfo, "password_changed", {{"user_id", user.id}});
  return {};
}

core::Result<LoginResult> Accounts::login(std::string_view username, std::string_view password) {
  if (username.size() > 64 || password.size() > 1024) {
    return core::unauthenticated(std::string(kBadCredentials));
  }
  std::optional<domain::User> user;
  std::optional<domain::Agency> agency;
  std::optional<core::Timestamp> change_due;
  bool has_factor = false;
  {
    auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
    auto found = tx->user_by_username(username);
    if (found.ok()) {
      user = std::move(found).value();
      auto a = tx->agency(user->agency_id);
      if (a.ok()) agency = std::move(a).value();
      change_due = SG_TRY(tx->password_change_due(user->id));
      auto factor = SG_TRY(tx->second_factor(user->id));
      has_factor = factor && factor->confirmed_at;
    } else if (found.error().code != core::Code::kNotFound) {
      return std::move(found).error();
    }
  }
  bool good = verify_password(user ? user->password_hash : dummy_hash(), password);
  // An unused one-time password expires (ASVS V6.4.1); an administrator issues a new one.
  bool expired = change_due && clock_.now() - *change_due > policy_.one_time_password_lifetime;
  if (!user || !good || !user->active || !agency || expired) {
    core::log(core::LogLevel::kInfo, "login_failed",
              {{"user_id", user ? std::string_view(user->id) : std::string_view("unknown")}});
    return core::unauthenticated(std::string(kBadCredentials));
  }
  if (has_factor) return await_second_factor(store_, clock_, policy_, *user, *agency);
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto [token, session] = SG_TRY(open_session(*tx, user->id, clock_.now()));
  SG_TRY(tx->commit());
  core::log(core::LogLevel::kInfo, "login", {{"user_id", user->id}});
  return LoginResult{std::move(token), Principal{*user, *agency, session, change_due.has_value(),
                                                 false, policy_.second_factor_required}};
}

core::Result<std::pair<std::string, domain::Session>> Accounts::open_session(
    storage::Transaction& tx, const std::string& user_id, core::Timestamp now) {
  std::string token = random_token();
  domain::Session session{token_hash(token), user_id, random_token(), now, now};
  SG_TRY(tx.delete_expired_sessions(now - policy_.idle, now - policy_.absolute));
  SG_TRY(tx.insert_session(session));
  return std::pair{std::move(token), std::move(session)};
}

core::Result<Principal> Accounts::authenticate(std::string_view token) {
  if (token.size() != 64) return core::unauthenticated("no valid session");
  auto hash = token_hash(token);
  auto now = clock_.now();
  Principal principal;
  {
    auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
    auto session = tx->session(hash);
    if (!session.ok()) return core::unauthenticated("no valid session");
    principal.session = std::move(session).value();
    auto user = tx->user(principal.session.user_id);
    if (!user.ok()) return core::unauthenticated("no valid session");
    principal.user = std::move(user).value();
    auto agency = tx->agency(principal.user.agency_id);
    if (!agency.ok()) return core::unauthenticated("no valid session");
    principal.agency = std::move(agency).value();
    principal.must_change_password = SG_TRY(tx->password_change_due(principal.user.id)).has_value();
    auto factor = SG_TRY(tx->second_factor(principal.user.id));
    principal.second_factor = factor && factor->confirmed_at;
    principal.must_enrol_second_factor = policy_.second_factor_required && !principal.second_factor;
  }
  const auto& s = principal.session;
  bool expired = now - s.last_seen_at > policy_.idle || now - s.created_at > policy_.absolute;
  if (expired || !principal.user.active) {
    auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
    SG_TRY(tx->delete_session(hash));
    SG_TRY(tx->commit());
    return core::unauthenticated(expired ? "the session has expired; sign in again"
                                         : "no valid session");
  }
  if (now - s.last_seen_at >= policy_.touch_interval) {
    auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
    SG_TRY(tx->touch_session(hash, now));
    SG_TRY(tx->commit());
    principal.session.last_seen_at = now;
  }
  return principal;
}

core::Status Accounts::logout(std::string_view token) {
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  SG_TRY(tx->delete_session(token_hash(token)));
  return tx->commit();
}

constexpr std::string_view kBadCode =
    "the code is not correct, or this sign-in has expired; try again or sign in again";

core::Result<LoginResult> Accounts::complete_sign_in(std::string_view pending_token,
                                                     std::string_view code) {
  if (pending_token.size() != 64 || code.size() > 64) {
    return core::unauthenticated(std::string(kBadCode));
  }
  auto now = clock_.now();
  auto hash = token_hash(pending_token);
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto pending = SG_TRY(tx->pending_sign_in(hash));
  if (!pending || pending->expires_at <= now) {
    core::log(core::LogLevel::kInfo, "login_failed",
              {{"user_id", pending ? std::string_view(pending->user_id) : "unknown"},
               {"step", "second_factor"}});
    return core::unauthenticated(std::string(kBadCode));
  }
  auto user = SG_TRY(tx->user(pending->user_id));
  auto agency = tx->agency(user.agency_id);
  auto change_due = SG_TRY(tx->password_change_due(user.id));
  auto used = SG_TRY(use_second_factor_code(*tx, user.id, code, now, second_factor_key_));
  if (used == CodeKind::kNone || !user.active || !agency.ok()) {
    core::log(core::LogLevel::kInfo, "login_failed",
              {{"user_id", user.id}, {"step", "second_factor"}});
    return core::unauthenticated(std::string(kBadCode));
  }
  SG_TRY(tx->delete_pending_sign_in(hash));
  SG_TRY(tx->delete_expired_pending_sign_ins(now));
  auto [token, session] = SG_TRY(open_session(*tx, user.id, now));
  SG_TRY(tx->commit());
  core::log(core::LogLevel::kInfo, "login",
            {{"user_id", user.id},
             {"second_factor", used == CodeKind::kTotp ? "totp" : "recovery_code"}});
  return LoginResult{std::move(token),
                     Principal{std::move(user), std::move(agency).value(), session,
                               change_due.has_value(), true, false},
                     ""};
}

core::Result<std::string> Accounts::pending_sign_in_username(std::string_view pending_token) {
  if (pending_token.size() != 64) return core::unauthenticated(std::string(kBadCode));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  auto pending = SG_TRY(tx->pending_sign_in(token_hash(pending_token)));
  if (!pending || pending->expires_at <= clock_.now()) {
    return core::unauthenticated(std::string(kBadCode));
  }
  auto user = tx->user(pending->user_id);
  if (!user.ok()) return core::unauthenticated(std::string(kBadCode));
  return user->username;
}

}  // namespace sg::access
