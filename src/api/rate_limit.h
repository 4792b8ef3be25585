// A small in-memory rate limiter for the public endpoints: a token bucket per client. The
// client key is a keyed hash of its address, so no address is stored even in memory.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "core/time.h"

namespace sg::api {

class RateLimiter {
 public:
  // Allows `burst` requests at once and `per_hour` a hour on average, per client.
  RateLimiter(double burst, double per_hour);
  // Takes one token for `client` at `now`; false when the client must wait.
  bool allow(std::string_view client, core::Timestamp now);

 private:
  struct Bucket {
    double tokens;
    core::Timestamp updated;
  };
  double burst_, per_second_;
  std::uint64_t key_;
  std::mutex mutex_;
  std::unordered_map<std::uint64_t, Bucket> buckets_;
};

}  // namespace sg::api
