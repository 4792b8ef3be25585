#include "api/login_throttle.h"

#include <algorithm>
#include <random>

#include "core/ascii.h"
#include "core/log.h"

namespace sg::api {
namespace {

// FNV-1a over a per-process random key, a tag for the kind of key, and the text.
std::uint64_t keyed_hash(std::uint64_t secret, char tag, std::string_view text) {
  std::uint64_t h = 1469598103934665603ull ^ secret;
  auto mix = [&h](unsigned char c) {
    h ^= c;
    h *= 1099511628211ull;
  };
  mix(static_cast<unsigned char>(tag));
  for (unsigned char c : text) mix(c);
  return h;
}

// Rounds up, so a client that waits exactly Retry-After seconds is let in.
std::chrono::seconds ceil_seconds(core::Timestamp from, core::Timestamp to) {
  if (to <= from) return std::chrono::seconds(0);
  return std::chrono::ceil<std::chrono::seconds>(to - from);
}

}  // namespace

LoginThrottle::LoginThrottle(const core::Clock& clock, LoginThrottlePolicy policy)
    : clock_(clock), policy_(policy) {
  std::random_device rd;
  secret_ = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  accounts_.threshold = std::max(1, policy_.account_failures);
  addresses_.threshold = std::max(1, policy_.address_failures);
}

std::uint64_t LoginThrottle::account_key(std::string_view username) const {
  // Lower-cased, so "Alice" and "alice" share one count whether or not either exists.
  return keyed_hash(secret_, 'u', core::to_lower(username));
}

std::uint64_t LoginThrottle::address_key(std::string_view address) const {
  return keyed_hash(secret_, 'a', address);
}

LoginThrottle::Entry* LoginThrottle::find(Table& table, std::uint64_t key, core::Timestamp now) {
  auto it = table.entries.find(key);
  if (it == table.entries.end()) return nullptr;
  auto quiet_since = std::max(it->second.last_failure, it->second.blocked_until);
  if (now - quiet_since >= policy_.window) {
    table.by_age.erase(it->second.age);
    table.entries.erase(it);
    return nullptr;
  }
  return &it->second;
}

std::chrono::seconds LoginThrottle::remaining(Table& table, std::uint64_t key,
                                              core::Timestamp now) {
  const Entry* entry = find(table, key, now);
  return entry ? ceil_seconds(now, entry->blocked_until) : std::chrono::seconds(0);
}

std::chrono::seconds LoginThrottle::record_failure(Table& table, std::uint64_t key,
                                                   core::Timestamp now) {
  Entry* entry = find(table, key, now);
  if (entry == nullptr) {
    if (table.entries.size() >= policy_.max_keys && !table.by_age.empty()) {
      // Forget the key that failed least recently. A flood of new keys can push out a
      // real one early; the address table still limits a flood from one address.
      table.entries.erase(table.by_age.front());
      table.by_age.pop_front();
    }
    table.by_age.push_back(key);
    entry = &table.entries[key];
    entry->age = std::prev(table.by_age.end());
  } else {
    table.by_age.splice(table.by_age.end(), table.by_age, entry->age);
  }
  entry->failures += 1;
  entry->last_failure = now;
  int over = entry->failures - table.threshold;
  if (over < 0) return std::chrono::seconds(0);
  // first_delay × 2^over, capped; the shift is bounded so it cannot overflow.
  auto delay = policy_.first_delay * (std::int64_t{1} << std::min(over, 30));
  delay = std::min<std::chrono::seconds>(delay, policy_.max_delay);
  entry->blocked_until = now + delay;
  return delay;
}

std::chrono::seconds LoginThrottle::wait(std::string_view username, std::string_view address) {
  auto account = account_key(username);
  auto client = address_key(address);
  auto now = clock_.now();
  std::lock_guard lock(mutex_);
  return std::max(remaining(accounts_, account, now), remaining(addresses_, client, now));
}

std::chrono::seconds LoginThrottle::failed(std::string_view username, std::string_view address) {
  auto account = account_key(username);
  auto client = address_key(address);
  auto now = clock_.now();
  std::chrono::seconds by_account, by_address;
  {
    std::lock_guard lock(mutex_);
    by_account = record_failure(accounts_, account, now);
    by_address = record_failure(addresses_, client, now);
  }
  // Which kind of key and how long, never the key: the log must not name who or where.
  if (by_account.count() > 0) {
    core::log(
        core::LogLevel::kWarn, "login_throttled",
        {{"scope", std::string_view("account")}, {"delay_s", std::int64_t{by_account.count()}}});
  }
  if (by_address.count() > 0) {
    core::log(
        core::LogLevel::kWarn, "login_throttled",
        {{"scope", std::string_view("address")}, {"delay_s", std::int64_t{by_address.count()}}});
  }
  return std::max(by_account, by_address);
}

void LoginThrottle::succeeded(std::string_view username) {
  auto account = account_key(username);
  std::lock_guard lock(mutex_);
  auto it = accounts_.entries.find(account);
  if (it == accounts_.entries.end()) return;
  accounts_.by_age.erase(it->second.age);
  accounts_.entries.erase(it);
}

}  // namespace sg::api
