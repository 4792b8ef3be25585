// Agencies, user accounts and sessions: who may sign in, and who a request is from.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "access/second_factor_key.h"
#include "audit/ledger.h"
#include "core/id.h"
#include "core/result.h"
#include "core/time.h"
#include "domain/access_types.h"
#include "storage/store.h"

namespace sg::access {

struct SessionPolicy {
  std::chrono::minutes idle{30};
  std::chrono::hours absolute{12};
  // last_seen_at is written at most this often, so reads stay reads (DESIGN: idle timeout
  // precision of a minute is plenty; a write per request is not).
  std::chrono::seconds touch_interval{60};
  // A generated password (new account or reset) signs in only this long after it was issued,
  // and then only to choose one's own (OWASP ASVS 5.0 V6.4.1).
  std::chrono::hours one_time_password_lifetime{24 * 7};
  // Every account must have a second factor (ASVS V6.3.3): one without is kept to enrolling
  // one. The server's [session] require_second_factor setting; on unless turned off.
  bool second_factor_required = true;
  // How long a right password waits for its second factor before it must be entered again.
  std::chrono::minutes second_factor_wait{5};
};

// The authenticated caller of a request.
struct Principal {
  domain::User user;
  domain::Agency agency;
  domain::Session session;
  // Signed in with a generated password: until they choose their own, they may do nothing
  // else (the API refuses every other route).
  bool must_change_password = false;
  // The account has a confirmed second factor (access/second_factor.h).
  bool second_factor = false;
  // A second factor is required and the account has none: until they enrol one, they may
  // do nothing else.
  bool must_enrol_second_factor = false;
};

struct NewAgency {
  std::string code;
  std::string name;
  domain::AgencyKind kind = domain::AgencyKind::kOther;
};

struct NewUser {
  std::string username;
  std::string display_name;
  std::string agency_code;
  domain::Role role = domain::Role::kPractitioner;
  std::string password;          // Plain text; hashed here and then forgotten.
  std::string manager_username;  // Optional: the line manager overdue work escalates to.
  // The password was generated for the user: it must be changed at first sign-in and expires
  // after SessionPolicy::one_time_password_lifetime.
  bool one_time_password = false;
};

// A change to an account (issue 6); unset fields stay as they are.
struct AccountChange {
  std::optional<std::string> display_name;
  std::optional<domain::Role> role;
  std::optional<std::string> manager_username;  // "" removes the line manager.
  std::optional<bool> disabled;
};

// A live session as its holder or an administrator sees it (OWASP ASVS 5.0 V7.5.2). No
// address or device is stored, so none is shown.
struct SessionSummary {
  std::string id;  // session_public_id: neither the token nor its stored hash.
  core::Timestamp created_at;
  core::Timestamp last_active_at;  // Precise to SessionPolicy::touch_interval.
  bool current = false;            // The session of the request that asked.
};

// The id by which a session is shown and ended: 32 hex digits of a domain-separated
// BLAKE2b of the token hash. It cannot be turned back into the hash, let alone the token, so
// showing it authenticates nothing.
std::string session_public_id(std::string_view token_hash);

struct LoginResult {
  std::string token;  // The bearer token for the cookie. Only its hash is stored.
  Principal principal;
  // Set, with `token` empty, when the password was right and the account has a second
  // factor: no session is open yet. complete_sign_in with this token (only its hash is
  // stored) and a code opens it.
  std::string second_factor_token;
};

// Thread-safe; all state lives in the store.
class Accounts {
 public:
  Accounts(storage::Store& store, audit::Ledger& ledger, const core::Clock& clock,
           core::IdGenerator& ids, SessionPolicy policy = {})
      : store_(store), ledger_(ledger), clock_(clock), ids_(ids), policy_(policy) {}

  // Creates an agency; ledgered as a collection by `actor`. AlreadyExists (field "code").
  core::Result<domain::Agency> add_agency(const NewAgency& agency, std::string_view actor);
  // Creates a user; ledgered as a collection by `actor`. Validates every field; the
  // password must be 12–1024 bytes. AlreadyExists (field "username") on a duplicate.
  core::Result<domain::User> add_user(const NewUser& user, std::string_view actor);

  // Every account, active or not, by username.
  core::Result<std::vector<domain::User>> users();
  // Changes `username`'s account; ledgered as one alteration by `actor` (a user id or
  // "system:<component>"). Disabling ends every session of the account in the same
  // transaction. NotFound (field "username"); InvalidArgument naming the field for a bad
  // display name, or a manager who is unknown, inactive, the user themselves or of another
  // agency, or an empty change (field "body"); FailedPrecondition naming "disabled" or "role"
  // when the actor would disable themselves or leave no active administrator.
  core::Result<domain::User> update_user(std::string_view username, const AccountChange& change,
                                         std::string_view actor);
  // Gives `username` a new generated one-time password, returned once and stored only as its
  // hash, and ends all their sessions; ledgered as one alteration by `actor`, without the password.
  // NotFound (field "username").
  core::Result<std::string> reset_password(std::string_view username, std::string_view actor);
  // The signed-in `caller` changes their own password. The current password must verify
  // (InvalidArgument, field "current_password", otherwise); the new one must be 12–1024
  // bytes and differ from it (field "new_password"). Ends the caller's other sessions and
  // keeps this one, and ends the need to change a one-time password; ledgered as one
  // alteration by the caller, without either password.
  core::Status change_password(const Principal& caller, std::string_view current_password,
                               std::string_view new_password);

  // Checks credentials and opens a session. Unauthenticated, with the same message and
  // about the same time, whether the username is unknown, inactive or the password wrong.
  // For an account with a second factor it opens none: it records a pending sign-in (and
  // deletes every expired one) and returns its token as second_factor_token.
  core::Result<LoginResult> login(std::string_view username, std::string_view password);
  // The second step of signing in to an account with a second factor: `pending_token` from
  // login and a TOTP or recovery code open a session and use up the token and the code.
  // Unauthenticated, with one message, whether the token is unknown, used or older than
  // SessionPolicy::second_factor_wait, or the code is wrong or was used before; the token
  // survives a wrong code until it expires. Unavailable (field "second_factor") when a TOTP
  // code cannot be checked because the secret does not open with the key
  // (use_second_factor_code).
  core::Result<LoginResult> complete_sign_in(std::string_view pending_token, std::string_view code);
  // The username a pending sign-in is for, so that its wrong codes count with the sign-in
  // throttle's failures for that username. Unauthenticated if the token is unknown or expired.
  core::Result<std::string> pending_sign_in_username(std::string_view pending_token);
  // Resolves a bearer token to its principal; Unauthenticated if the session is unknown,
  // idle for longer than the idle timeout, older than the absolute timeout, or its user
  // is inactive. Expired sessions are deleted.
  core::Result<Principal> authenticate(std::string_view token);
  // Ends the session. Idempotent.
  core::Status logout(std::string_view token);

  // Sessions (src/access/sessions.cpp; ASVS V7.2.4, V7.4.5, V7.5.2). Ending a session is
  // ledgered as an alteration of its holder's account, never with a token or its hash.

  // The caller's live sessions, oldest first; the one they asked from is marked current.
  core::Result<std::vector<SessionSummary>> sessions(const Principal& caller);
  // Ends one of the caller's own sessions, the current one included; ledgered by the caller
  // (reason "own_sessions"). NotFound (field "id") if no live session of theirs has that id.
  core::Status end_session(const Principal& caller, std::string_view session_id);
  // Ends every session of the caller but the current one; ledgered by the caller. Returns how
  // many ended.
  core::Result<int> end_other_sessions(const Principal& caller);
  // An administrator (or "system:cli") ends every session of `username` and leaves the
  // account and its password as they are; ledgered by `actor` (reason "account_admin").
  // Returns how many ended. NotFound (field "username").
  core::Result<int> end_user_sessions(std::string_view username, std::string_view actor);
  // Ends every session of every user, except the one whose token hash is `keep_token_hash`
  // when it is not empty; one ledger alteration by `actor` naming each user whose sessions
  // ended (none when nobody was signed in). Returns the number of users signed out.
  core::Result<int> end_all_sessions(std::string_view actor, std::string_view keep_token_hash);

  // Refuses a password its holder chose if it is common or contains a context word of the
  // product, the partnership's agencies or the account (password_blocklist.h): InvalidArgument
  // naming `field`.
  core::Status check_chosen_password(std::string_view password, std::string_view username,
                                     std::string_view display_name, std::string_view field);

  const SessionPolicy& policy() const { return policy_; }

  // Opens second factors' secrets with `key` from now on (access/second_factor_key.h); it
  // must outlive this object. Call before serving. Without it no TOTP code can be checked:
  // complete_sign_in answers Unavailable for one (a recovery code still works).
  void use_second_factor_key(const SecondFactorKey& key) { second_factor_key_ = &key; }
  // The key given to use_second_factor_key, or null.
  const SecondFactorKey* second_factor_key() const { return second_factor_key_; }

 private:
  // Opens a session for `user_id` in the write transaction `tx` and returns its bearer token
  // and stored row. Deletes expired sessions first: opportunistic clean-up keeps the table
  // small without a background job.
  core::Result<std::pair<std::string, domain::Session>> open_session(storage::Transaction& tx,
                                                                     const std::string& user_id,
                                                                     core::Timestamp now);

  storage::Store& store_;
  audit::Ledger& ledger_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  SessionPolicy policy_;
  const SecondFactorKey* second_factor_key_ = nullptr;
};

}  // namespace sg::access
