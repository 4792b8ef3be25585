// Sortable unique ids: UUIDv7 (RFC 9562), time-ordered so ids sort by creation and index well.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

#include "core/time.h"

namespace sg::core {

// A source of random 64-bit words. Injectable so tests are deterministic.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual std::uint64_t next_u64() = 0;
};

// Seeded, deterministic randomness for tests and synthetic data. Thread-safe.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t next_u64() override;

 private:
  std::mutex mutex_;
  std::mt19937_64 engine_;
};

// Randomness from the operating system (getrandom). Thread-safe.
class OsRandom final : public RandomSource {
 public:
  std::uint64_t next_u64() override;
};

// Makes UUIDv7 ids: 48 bits of Unix milliseconds, then random bits. Within one millisecond
// ids from one generator still increase (RFC 9562 §6.2 method 1: a 12-bit counter seeded
// at random), so ids sort in creation order. Thread-safe.
class IdGenerator {
 public:
  IdGenerator(const Clock& clock, RandomSource& random) : clock_(clock), random_(random) {}
  // Returns a canonical lower-case UUID text "xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx".
  std::string next();

 private:
  const Clock& clock_;
  RandomSource& random_;
  std::mutex mutex_;
  std::uint64_t last_ms_ = 0;
  std::uint32_t counter_ = 0;
};

// True when `text` is a canonical lower-case UUID (any version).
bool is_uuid(std::string_view text);

}  // namespace sg::core
