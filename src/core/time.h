// Instants in UTC and the injectable Clock. Domain, workflow and audit code never read the
// system time directly: they are handed a Clock, so tests can fix or advance time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/result.h"

namespace sg::core {

// Microseconds since the Unix epoch, UTC.
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

inline std::int64_t to_micros(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp from_micros(std::int64_t us) { return Timestamp(std::chrono::microseconds(us)); }

// RFC 3339 in UTC with microseconds: "2026-11-30T09:38:05.123456Z".
std::string format_rfc3339(Timestamp t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.ffffff](Z|±HH:MM)" and returns the UTC instant.
Result<Timestamp> parse_rfc3339(std::string_view text, std::string_view field = "time");
// The UTC calendar date of an instant.
Date utc_date(Timestamp t);
// The civil date in the UK (Europe/London) of an instant: GMT, or BST (UTC+1) from 01:00 UTC
// on the last Sunday of March to 01:00 UTC on the last Sunday of October (the EU rule the
// UK has followed since 1996). Deadlines count from this date, not the UTC one.
Date london_date(Timestamp t);
// The instant a UK civil date begins (00:00 Europe/London).
Timestamp london_midnight(Date d);

// Thread-safe source of the current time.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

// A clock that only moves when told to. For tests and for replaying history.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_(to_micros(start)) {}
  Timestamp now() const override { return from_micros(now_.load()); }
  void set(Timestamp t) { now_.store(to_micros(t)); }
  void advance(std::chrono::microseconds d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace sg::core
