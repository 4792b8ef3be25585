#include "access/second_factor.h"

#include <nlohmann/json.hpp>

#include "access/account_ledger.h"
#include "access/crypto.h"
#include "access/totp.h"
#include "core/log.h"

namespace sg::access {
namespace {

core::Error no_factor(std::string message) {
  return {core::Code::kFailedPrecondition, std::move(message), "second_factor"};
}

// One message for every reason a secret cannot be sealed or opened: the server's key is the
// administrators' business, and the body says nothing about it or the account.
core::Error unavailable(std::string_view user_id, std::string_view cause) {
  core::log(core::LogLevel::kWarn, "second_factor_unavailable",
            {{"user_id", user_id}, {"cause", cause}});
  return {core::Code::kUnavailable,
          "second factors cannot be set up or checked at the moment; tell an administrator",
          "second_factor"};
}

// The secret of `factor`, opened with `key`; Unavailable when it does not open, with the
// reason in the log: no key, a secret still in the clear (the start-up sealing has not
// run), one sealed under another key, or one that fails authentication (altered, or moved
// from another account's row).
core::Result<std::string> unseal(const SecondFactorKey* key, const storage::SecondFactor& factor) {
  if (key == nullptr) return unavailable(factor.user_id, "no_key");
  if (factor.key_id.empty()) return unavailable(factor.user_id, "not_sealed");
  if (factor.key_id != key->id()) return unavailable(factor.user_id, "other_key");
  auto secret = key->open(factor.user_id, factor.secret);
  if (!secret) return unavailable(factor.user_id, "does_not_open");
  return std::move(*secret);
}

// One ledger alteration of the account `user_id`; the payload names the change only, never
// a secret or a code.
core::Status ledger_change(audit::Ledger& ledger, storage::Transaction& tx, std::string_view actor,
                           const std::string& user_id, std::string_view change) {
  return ledger_account_change(ledger, tx, actor, "account_admin", {user_id},
                               {{"id", user_id}, {"change", change}});
}

}  // namespace

core::Result<CodeKind> use_second_factor_code(storage::Transaction& tx, std::string_view user_id,
                                              std::string_view code, core::Timestamp now,
                                              const SecondFactorKey* key) {
  auto factor = SG_TRY(tx.second_factor(user_id));
  if (!factor || !factor->confirmed_at) return CodeKind::kNone;
  if (is_totp_code(code)) {
    auto secret = SG_TRY(unseal(key, *factor));
    auto step = totp_match(secret, now, code);
    if (!step) return CodeKind::kNone;
    // The update is conditional, so of two requests with one code only one wins.
    return SG_TRY(tx.accept_second_factor_step(user_id, *step)) ? CodeKind::kTotp : CodeKind::kNone;
  }
  if (auto hash = recovery_code_hash(code)) {
    if (SG_TRY(tx.use_recovery_code(user_id, *hash, now))) return CodeKind::kRecoveryCode;
  }
  return CodeKind::kNone;
}

core::Result<SealedSecrets> seal_second_factor_secrets(storage::Store& store, audit::Ledger& ledger,
                                                       const SecondFactorKey& key,
                                                       std::string_view actor) {
  SealedSecrets out;
  std::vector<std::string> sealed_for;
  auto tx = SG_TRY(store.begin(storage::TxMode::kWrite));
  for (const auto& factor : SG_TRY(tx->second_factors())) {
    if (factor.key_id.empty()) {
      SG_TRY(tx->replace_second_factor_secret(factor.user_id,
                                              key.seal(factor.user_id, factor.secret), key.id()));
      sealed_for.push_back(factor.user_id);
    } else if (factor.key_id != key.id()) {
      ++out.under_other_key;
    }
  }
  if (sealed_for.empty()) return out;  // Nothing changed, so nothing to ledger or commit.
  out.sealed = static_cast<int>(sealed_for.size());
  // The stored form of each account's secret changes, not the factor: one alteration by the
  // start-up, naming each account and the key, never a secret.
  SG_TRY(ledger_account_change(ledger, *tx, actor, "account_admin", sealed_for,
                               {{"change", "second_factor_secrets_sealed"},
                                {"accounts", out.sealed},
                                {"key_id", key.id()}}));
  SG_TRY(tx->commit());
  core::log(core::LogLevel::kInfo, "second_factor_secrets_sealed",
            {{"accounts", static_cast<std::int64_t>(out.sealed)}, {"key_id", key.id()}});
  return out;
}

core::Result<Enrolment> SecondFactors::start_enrolment(const Principal& caller) {
  const auto& user = caller.user;
  if (key_ == nullptr) return unavailable(user.id, "no_key");
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto existing = SG_TRY(tx->second_factor(user.id));
  if (existing && existing->confirmed_at) {
    return no_factor("you have a second factor; remove it before enrolling another");
  }
  auto secret = new_totp_secret();
  storage::SecondFactor factor{
      user.id, key_->seal(user.id, secret), clock_.now(), std::nullopt, -1, key_->id()};
  SG_TRY(tx->put_second_factor(factor));
  SG_TRY(ledger_change(ledger_, *tx, user.id, user.id, "second_factor_enrolment_started"));
  SG_TRY(tx->commit());
  core::log(core::LogLevel::kInfo, "second_factor_enrolment_started", {{"user_id", user.id}});
  return Enrolment{base32(secret), otpauth_uri(issuer_, user.username, secret)};
}

core::Result<std::vector<std::string>> SecondFactors::confirm_enrolment(const Principal& caller,
                                                                        std::string_view code) {
  const auto& user = caller.user;
  auto now = clock_.now();
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto factor = SG_TRY(tx->second_factor(user.id));
  if (!factor) return no_factor("start enrolment first");
  if (factor->confirmed_at) return no_factor("your second factor is already in force");
  auto secret = SG_TRY(unseal(key_, *factor));
  auto step = totp_match(secret, now, code);
  if (!step) {
    core::log(core::LogLevel::kInfo, "second_factor_confirmation_refused", {{"user_id", user.id}});
    return core::invalid_argument("is not correct", "code");
  }
  factor->confirmed_at = now;
  factor->last_step = *step;  // The confirming code cannot then sign anyone in.
  SG_TRY(tx->put_second_factor(*factor));
  std::vector<std::string> codes, hashes;
  for (int i = 0; i < kRecoveryCodeCount; ++i) {
    codes.push_back(new_recovery_code());
    hashes.push_back(*recovery_code_hash(codes.back()));
  }
  SG_TRY(tx->put_recovery_codes(user.id, hashes));
  // A changed factor ends the user's other sessions, as a changed password does (ASVS V7.4.3).
  SG_TRY(tx->delete_user_sessions(user.id, caller.session.token_hash));
  SG_TRY(ledger_change(ledger_, *tx, user.id, user.id, "second_factor_enrolled"));
  SG_TRY(tx->commit());
  core::log(core::LogLevel::kInfo, "second_factor_enrolled", {{"user_id", user.id}});
  return codes;
}

core::Status SecondFactors::remove(const Principal& caller, std::string_view current_password,
                                   std::string_view code) {
  const auto& user_id = caller.user.id;
  if (current_password.size() > 1024) {
    return core::invalid_argument("is not correct", "current_password");
  }
  std::string stored;
  {
    auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
    stored = SG_TRY(tx->user(user_id)).password_hash;
  }
  if (!verify_password(stored, current_password)) {
    core::log(core::LogLevel::kInfo, "second_factor_removal_refused", {{"user_id", user_id}});
    return core::invalid_argument("is not correct", "current_password");
  }
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto factor = SG_TRY(tx->second_factor(user_id));
  if (!factor || !factor->confirmed_at) return no_factor("you have no second factor");
  if (SG_TRY(use_second_factor_code(*tx, user_id, code, clock_.now(), key_)) == CodeKind::kNone) {
    core::log(core::LogLevel::kInfo, "second_factor_removal_refused", {{"user_id", user_id}});
    return core::invalid_argument("is not correct", "code");
  }
  SG_TRY(tx->delete_second_factor(user_id));
  SG_TRY(tx->delete_user_sessions(user_id, caller.session.token_hash));
  SG_TRY(ledger_change(ledger_, *tx, user_id, user_id, "second_factor_removed"));
  SG_TRY(tx->commit());
  core::log(core::LogLevel::kInfo, "second_factor_removed", {{"user_id", user_id}});
  return {};
}

core::Status SecondFactors::reset(std::string_view username, std::string_view actor) {
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto found = tx->user_by_username(username);
  if (!found.ok()) {
    if (found.error().code != core::Code::kNotFound) return std::move(found).error();
    return core::Error{core::Code::kNotFound, "no user has this username", "username"};
  }
  const auto& user_id = found->id;
  if (!SG_TRY(tx->delete_second_factor(user_id))) return no_factor("the user has no second factor");
  SG_TRY(tx->delete_user_sessions(user_id, ""));
  SG_TRY(ledger_change(ledger_, *tx, actor, user_id, "second_factor_reset"));
  SG_TRY(tx->commit());
  core::log(core::LogLevel::kInfo, "second_factor_reset", {{"user_id", user_id}});
  return {};
}

}  // namespace sg::access
