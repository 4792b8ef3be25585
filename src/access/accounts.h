// Agencies, user accounts and sessions: who may sign in, and who a request is from.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

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
};

// The authenticated caller of a request.
struct Principal {
  domain::User user;
  domain::Agency agency;
  domain::Session session;
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
};

struct LoginResult {
  std::string token;  // The bearer token for the cookie. Only its hash is stored.
  Principal principal;
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

  // Checks credentials and opens a session. Unauthenticated, with the same message and
  // about the same time, whether the username is unknown, inactive or the password wrong.
  core::Result<LoginResult> login(std::string_view username, std::string_view password);
  // Resolves a bearer token to its principal; Unauthenticated if the session is unknown,
  // idle for longer than the idle timeout, older than the absolute timeout, or its user
  // is inactive. Expired sessions are deleted.
  core::Result<Principal> authenticate(std::string_view token);
  // Ends the session. Idempotent.
  core::Status logout(std::string_view token);

  const SessionPolicy& policy() const { return policy_; }

 private:
  storage::Store& store_;
  audit::Ledger& ledger_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  SessionPolicy policy_;
};

}  // namespace sg::access
