#include "api/metrics.h"

#include <cstdio>
#include <mutex>

namespace sg::api {
namespace {

template <typename Map>
typename Map::mapped_type::element_type& find_or_add(std::shared_mutex& mutex, Map& map,
                                                     std::string_view key) {
  {
    std::shared_lock lock(mutex);
    auto it = map.find(key);
    if (it != map.end()) return *it->second;
  }
  std::unique_lock lock(mutex);
  auto& slot = map[std::string(key)];
  if (!slot) slot = std::make_unique<typename Map::mapped_type::element_type>();
  return *slot;
}

std::string label_value(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void Metrics::record(std::string_view method, std::string_view route, int status,
                     std::chrono::nanoseconds latency) {
  char key_buf[256];
  int n = std::snprintf(key_buf, sizeof key_buf, "%.*s\t%.*s\t%d", static_cast<int>(method.size()),
                        method.data(), static_cast<int>(route.size()), route.data(), status);
  std::string_view key(key_buf, static_cast<size_t>(std::min<int>(n, sizeof key_buf - 1)));
  find_or_add(mutex_, requests_, key).count.fetch_add(1, std::memory_order_relaxed);

  auto& h = find_or_add(mutex_, latency_, route);
  double seconds = std::chrono::duration<double>(latency).count();
  for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
    if (seconds <= kBucketsSeconds[i]) {
      h.buckets[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  h.count.fetch_add(1, std::memory_order_relaxed);
  h.sum_ns.fetch_add(static_cast<std::uint64_t>(latency.count()), std::memory_order_relaxed);
}

std::string Metrics::render() const {
  std::shared_lock lock(mutex_);
  std::string out;
  out += "# HELP safeguard_http_requests_total HTTP requests by method, route and status.\n";
  out += "# TYPE safeguard_http_requests_total counter\n";
  for (const auto& [key, series] : requests_) {
    auto t1 = key.find('\t');
    auto t2 = key.find('\t', t1 + 1);
    out += "safeguard_http_requests_total{method=\"" + label_value(key.substr(0, t1)) +
           "\",route=\"" + label_value(key.substr(t1 + 1, t2 - t1 - 1)) + "\",status=\"" +
           key.substr(t2 + 1) + "\"} " + std::to_string(series->count.load()) + "\n";
  }
  out += "# HELP safeguard_http_request_duration_seconds Time to produce a response.\n";
  out += "# TYPE safeguard_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    std::string label = "route=\"" + label_value(route) + "\"";
    std::uint64_t cumulative = 0;
    for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
      cumulative += h->buckets[i].load();
      char le[32];
      std::snprintf(le, sizeof le, "%g", kBucketsSeconds[i]);
      out += "safeguard_http_request_duration_seconds_bucket{" + label + ",le=\"" + le + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "safeguard_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(h->count.load()) + "\n";
    char sum[48];
    std::snprintf(sum, sizeof sum, "%.9f", static_cast<double>(h->sum_ns.load()) / 1e9);
    out += "safeguard_http_request_duration_seconds_sum{" + label + "} " + sum + "\n";
    out += "safeguard_http_request_duration_seconds_count{" + label + "} " +
           std::to_string(h->count.load()) + "\n";
  }
  return out;
}

}  // namespace sg::api
