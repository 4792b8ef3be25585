// Request counters and a latency histogram, rendered in the Prometheus text format.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>

namespace sg::api {

// Thread-safe. Labels are route templates and status codes, never raw paths.
class Metrics {
 public:
  void record(std::string_view method, std::string_view route, int status,
              std::chrono::nanoseconds latency);
  // The exposition text (text/plain; version=0.0.4).
  std::string render() const;

  static constexpr std::array<double, 12> kBucketsSeconds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

 private:
  struct Series {
    std::atomic<std::uint64_t> count{0};
  };
  struct Histogram {
    std::array<std::atomic<std::uint64_t>, kBucketsSeconds.size()> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_ns{0};
  };
  mutable std::shared_mutex mutex_;
  // Key: method '\t' route '\t' status.
  std::map<std::string, std::unique_ptr<Series>, std::less<>> requests_;
  std::map<std::string, std::unique_ptr<Histogram>, std::less<>> latency_;  // Key: route.
};

}  // namespace sg::api
