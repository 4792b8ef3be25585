#include "access/accounts.h"

#include <nlohmann/json.hpp>

#include "access/crypto.h"
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
  if (input.password.size() < 12 || input.password.size() > 1024) {
    return core::invalid_argument("must be 12 to 1024 bytes", "password");
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

core::Result<LoginResult> Accounts::login(std::string_view username, std::string_view password) {
  if (username.size() > 64 || password.size() > 1024) {
    return core::unauthenticated(std::string(kBadCredentials));
  }
  std::optional<domain::User> user;
  std::optional<domain::Agency> agency;
  {
    auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
    auto found = tx->user_by_username(username);
    if (found.ok()) {
      user = std::move(found).value();
      auto a = tx->agency(user->agency_id);
      if (a.ok()) agency = std::move(a).value();
    } else if (found.error().code != core::Code::kNotFound) {
      return std::move(found).error();
    }
  }
  bool good = verify_password(user ? user->password_hash : dummy_hash(), password);
  if (!user || !good || !user->active || !agency) {
    core::log(core::LogLevel::kInfo, "login_failed",
              {{"user_id", user ? std::string_view(user->id) : std::string_view("unknown")}});
    return core::unauthenticated(std::string(kBadCredentials));
  }
  auto now = clock_.now();
  std::string token = random_token();
  domain::Session session{token_hash(token), user->id, random_token(), now, now};
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  // Opportunistic clean-up keeps the sessions table small without a background job.
  SG_TRY(tx->delete_expired_sessions(now - policy_.idle, now - policy_.absolute));
  SG_TRY(tx->insert_session(session));
  SG_TRY(tx->commit());
  core::log(core::LogLevel::kInfo, "login", {{"user_id", user->id}});
  return LoginResult{std::move(token), Principal{*user, *agency, session}};
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

}  // namespace sg::access
