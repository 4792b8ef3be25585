#include "api/rate_limit.h"

#include <algorithm>
#include <random>

namespace sg::api {
namespace {

// FNV-1a over a per-process random key and the address: stable for the process, useless
// to anyone reading memory for addresses.
std::uint64_t keyed_hash(std::uint64_t key, std::string_view text) {
  std::uint64_t h = 1469598103934665603ull ^ key;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

RateLimiter::RateLimiter(double burst, double per_hour)
    : burst_(burst), per_second_(per_hour / 3600.0), key_(std::random_device{}()) {
  key_ = (key_ << 32) ^ std::random_device{}();
}

bool RateLimiter::allow(std::string_view client, core::Timestamp now) {
  std::uint64_t id = keyed_hash(key_, client);
  std::lock_guard lock(mutex_);
  if (buckets_.size() > 100000) {
    // Forget clients whose buckets have refilled: they are indistinguishable from new ones.
    std::erase_if(buckets_, [&](const auto& entry) {
      double age = std::chrono::duration<double>(now - entry.second.updated).count();
      return entry.second.tokens + age * per_second_ >= burst_;
    });
  }
  auto [it, added] = buckets_.try_emplace(id, Bucket{burst_, now});
  auto& b = it->second;
  double elapsed = std::chrono::duration<double>(now - b.updated).count();
  b.tokens = std::min(burst_, b.tokens + std::max(0.0, elapsed) * per_second_);
  b.updated = now;
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

}  // namespace sg::api
