// Throttles password guessing at POST /api/v1/session: failed sign-ins are counted per
// username and per client address, and past a threshold each key must wait a delay that
// doubles up to a cap. Never a permanent lockout (OWASP ASVS 5.0 V6.3.1).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "core/time.h"

namespace sg::api {

struct LoginThrottlePolicy {
  // Failures allowed per username (lower-cased, whether or not the account exists) before
  // a delay starts; the failure that reaches this number starts it.
  int account_failures = 5;
  // The same per client address. Higher, since colleagues may share one address.
  int address_failures = 30;
  // A key is forgotten once it has been quiet (no failure, no delay running) this long.
  std::chrono::minutes window{15};
  // The first delay; each further failure doubles it, up to max_delay.
  std::chrono::seconds first_delay{60};
  std::chrono::seconds max_delay{15 * 60};
  // Keys remembered per table (usernames, addresses); the least recently failed go first.
  std::size_t max_keys = 100000;
};

// Thread-safe. Keeps no username or address, even in memory: each is reduced to a keyed
// hash under a per-process random key, as RateLimiter does.
class LoginThrottle {
 public:
  explicit LoginThrottle(const core::Clock& clock, LoginThrottlePolicy policy = {});

  // How long an attempt for `username` from `address` must wait before its password may
  // be checked: zero when it may go ahead now. Refused attempts are not failures; they
  // neither count nor extend the delay, so a guesser cannot keep the owner out for longer.
  std::chrono::seconds wait(std::string_view username, std::string_view address);
  // Records a wrong username or password. Returns the wait it starts (zero if none).
  std::chrono::seconds failed(std::string_view username, std::string_view address);
  // Records a successful sign-in: the username's failures are forgotten. The address's
  // are not, so one good account cannot be used to reset guessing at others.
  void succeeded(std::string_view username);

  const LoginThrottlePolicy& policy() const { return policy_; }

 private:
  struct Entry {
    int failures = 0;
    core::Timestamp last_failure;
    core::Timestamp blocked_until;
    std::list<std::uint64_t>::iterator age;  // Position in Table::by_age.
  };
  // One table per kind of key: hash → entry, plus the keys from least to most recently
  // failed, for eviction in O(1).
  struct Table {
    int threshold = 0;
    std::unordered_map<std::uint64_t, Entry> entries;
    std::list<std::uint64_t> by_age;
  };

  std::uint64_t account_key(std::string_view username) const;
  std::uint64_t address_key(std::string_view address) const;
  // The entry for `key`, or null; forgets it first if it has been quiet for a window.
  Entry* find(Table& table, std::uint64_t key, core::Timestamp now);
  std::chrono::seconds remaining(Table& table, std::uint64_t key, core::Timestamp now);
  std::chrono::seconds record_failure(Table& table, std::uint64_t key, core::Timestamp now);

  const core::Clock& clock_;
  LoginThrottlePolicy policy_;
  std::uint64_t secret_;
  std::mutex mutex_;
  Table accounts_, addresses_;
};

}  // namespace sg::api
