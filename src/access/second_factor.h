// A second factor at sign-in (OWASP ASVS 5.0 V6.3.3): each user's TOTP authenticator
// (RFC 6238, access/totp.h) and their single-use recovery codes (V6.5). Enrolment, removal by
// the user and reset by an administrator are each one ledgered alteration of the account;
// the codes themselves are checked here for Accounts' sign-in. TOTP secrets are stored sealed
// under a key kept outside the database (access/second_factor_key.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "access/accounts.h"
#include "access/second_factor_key.h"
#include "audit/ledger.h"
#include "core/result.h"
#include "core/time.h"
#include "storage/store.h"

namespace sg::access {

// What an authenticator app needs: the secret in base32 and as an otpauth:// URI (for a QR
// code). Shown to the enrolling user only, in the one response that starts enrolment.
struct Enrolment {
  std::string secret;  // Base32.
  std::string otpauth_uri;
};

enum class CodeKind { kNone, kTotp, kRecoveryCode };

// Checks `code` against `user_id`'s confirmed factor in the write transaction `tx`: a TOTP
// code of a step newer than the last accepted (RFC 6238 §5.2: no code is accepted twice),
// or an unused recovery code. An accepted code is used up in `tx`. kNone when it is wrong,
// or the user has no confirmed factor. A TOTP code needs the secret unsealed with `key`:
// Unavailable (field "second_factor"), accepting nothing, when there is no key or the
// secret does not open with it (sealed under another key, moved from another account's row,
// or altered); the log says which. Recovery codes are hashed, not sealed, so they still work.
core::Result<CodeKind> use_second_factor_code(storage::Transaction& tx, std::string_view user_id,
                                              std::string_view code, core::Timestamp now,
                                              const SecondFactorKey* key);

// What seal_second_factor_secrets did and found.
struct SealedSecrets {
  int sealed = 0;           // Secrets that were stored in the clear (schema 13), sealed now.
  int under_other_key = 0;  // Secrets sealed under another key: they cannot be checked.
};

// Seals under `key` every TOTP secret still stored in the clear, in one write transaction with
// one ledger alteration by `actor` naming each account (none when there is nothing to seal),
// so it is idempotent. Run at start-up, before serving: schema 15 cannot reach the key file.
// Also counts the secrets sealed under another key, which cannot be checked until that key is
// restored or an administrator resets each factor.
core::Result<SealedSecrets> seal_second_factor_secrets(storage::Store& store, audit::Ledger& ledger,
                                                       const SecondFactorKey& key,
                                                       std::string_view actor);

// Thread-safe; all state lives in the store.
class SecondFactors {
 public:
  // `key` seals and opens the secrets (null: none can be set up or checked, and those
  // operations answer Unavailable; a reset needs no key). It must outlive this object.
  SecondFactors(storage::Store& store, audit::Ledger& ledger, const core::Clock& clock,
                const SecondFactorKey* key, std::string issuer = "Safeguard")
      : store_(store), ledger_(ledger), clock_(clock), key_(key), issuer_(std::move(issuer)) {}

  // Starts, or starts again, the caller's enrolment with a new secret that is not in force
  // until confirmed. FailedPrecondition (field "second_factor") if they have a confirmed
  // factor: they remove it first. Unavailable (field "second_factor") without a key.
  // Ledgered as one alteration, without the secret.
  core::Result<Enrolment> start_enrolment(const Principal& caller);
  // Puts the enrolment in force with a first code from the app, and returns the caller's
  // kRecoveryCodeCount recovery codes, shown this once and stored only hashed; the caller's
  // other sessions end (ASVS V7.4.3). InvalidArgument
  // (field "code") for a wrong code; FailedPrecondition (field "second_factor") when no
  // enrolment was started or it is already confirmed; Unavailable as use_second_factor_code.
  // Ledgered as one alteration.
  core::Result<std::vector<std::string>> confirm_enrolment(const Principal& caller,
                                                           std::string_view code);
  // The caller removes their own factor, to enrol a new one (ASVS V6.4.3 needs the password
  // and the factor): InvalidArgument naming "current_password" or "code" when one is wrong
  // (the password is checked first, and a wrong one uses up no code); FailedPrecondition
  // (field "second_factor") when they have none; Unavailable as use_second_factor_code. The
  // caller's other sessions end. Ledgered as one alteration.
  core::Status remove(const Principal& caller, std::string_view current_password,
                      std::string_view code);
  // An administrator resets `username`'s factor (a lost phone; ASVS V6.4.4): it is removed
  // with its recovery codes, and every session of the user ends in the same transaction.
  // NotFound (field "username"); FailedPrecondition (field "second_factor") when they have
  // none. Ledgered as one alteration by `actor`.
  core::Status reset(std::string_view username, std::string_view actor);

 private:
  storage::Store& store_;
  audit::Ledger& ledger_;
  const core::Clock& clock_;
  const SecondFactorKey* key_;
  std::string issuer_;
};

}  // namespace sg::access
