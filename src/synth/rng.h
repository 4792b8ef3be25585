// Deterministic pseudo-randomness for the synthetic world: xoshiro256** seeded by splitmix64.
// Never std::random_device, never hash-map iteration order: one seed, one world, byte for byte.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/assert.h"

namespace sg::synth {

// splitmix64: a good 64-bit mixer, used to seed and to derive independent streams.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A stable 64-bit hash of text (FNV-1a), for naming streams.
inline std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

// xoshiro256** (Blackman and Vigna). Not thread-safe: each thread or stream owns one.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    std::uint64_t sm = seed;
    for (auto& word : s_) word = splitmix64(sm);
  }

  // An independent stream derived from `seed` and a tag, so adding draws to one part of the
  // generator does not shift every other part.
  static Rng stream(std::uint64_t seed, std::string_view tag, std::uint64_t index = 0) {
    std::uint64_t state = seed;
    state = splitmix64(state) ^ stable_hash(tag);
    state = splitmix64(state) + index;
    return Rng(splitmix64(state));
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n). REQUIRES: n > 0. Lemire's multiply-shift; the tiny bias is irrelevant here.
  std::uint64_t below(std::uint64_t n) {
    SG_ASSERT(n > 0);
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }
  // Uniform integer in [lo, hi]. REQUIRES: lo <= hi.
  int range(int lo, int hi) {
    SG_ASSERT(lo <= hi);
    return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return uniform() < p; }

  template <typename T>
  const T& pick(std::span<const T> items) {
    SG_ASSERT(!items.empty());
    return items[below(items.size())];
  }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return pick(std::span<const T>(items));
  }
  template <typename T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// A discrete distribution over indices by integer weight, sampled in O(log n).
class WeightedIndex {
 public:
  WeightedIndex() = default;
  explicit WeightedIndex(std::span<const std::uint32_t> weights) {
    cumulative_.reserve(weights.size());
    std::uint64_t total = 0;
    for (auto w : weights) cumulative_.push_back(total += w);
  }
  bool empty() const { return cumulative_.empty() || cumulative_.back() == 0; }
  std::size_t size() const { return cumulative_.size(); }
  // REQUIRES: !empty().
  std::size_t sample(Rng& rng) const {
    SG_ASSERT(!empty());
    std::uint64_t x = rng.below(cumulative_.back());
    std::size_t lo = 0, hi = cumulative_.size() - 1;
    while (lo < hi) {
      std::size_t mid = (lo + hi) / 2;
      if (cumulative_[mid] > x)
        hi = mid;
      else
        lo = mid + 1;
    }
    return lo;
  }

 private:
  std::vector<std::uint64_t> cumulative_;
};

}  // namespace sg::synth
