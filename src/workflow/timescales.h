// Statutory timescales as versioned regimes loaded from data (data/workflow/timescales.json),
// so a historical review applies the rules that were in force at the time.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/date.h"
#include "core/result.h"

namespace sg::workflow {

struct Timescale {
  std::string task;      // e.g. "referral_decision", "assessment", "initial_conference".
  std::string after;     // The event that starts the clock, e.g. "concern_received".
  int working_days = 0;  // Exactly one of working_days and months is set (> 0).
  int months = 0;
  std::string source;  // The guidance text this rule implements.
};

struct Regime {
  std::string id;
  std::string name;
  core::Date effective_from;
  std::string source;
  std::vector<Timescale> timescales;

  // The rule for `task`, or nullptr when this regime sets no timescale for it.
  const Timescale* find(std::string_view task) const;
};

class Timescales {
 public:
  // Parses a regimes document. InvalidArgument naming the JSON path on any defect.
  static core::Result<Timescales> parse(std::string_view json_text);
  // The regimes shipped with Safeguard. Built once; aborts at start-up if the shipped data
  // is malformed (a build defect, caught by tests).
  static const Timescales& shipped();

  // The regime in force on `date` (the latest effective_from <= date). NotFound before the
  // first regime.
  core::Result<const Regime*> regime_on(core::Date date) const;
  const std::vector<Regime>& regimes() const { return regimes_; }

  // The due date of `task` whose clock started on `start`, under the regime in force on
  // `start`. NotFound if that regime has no timescale for the task.
  core::Result<core::Date> due(std::string_view task, core::Date start,
                               const core::WorkingDayCalendar& calendar =
                                   core::WorkingDayCalendar::england_and_wales()) const;

 private:
  std::vector<Regime> regimes_;  // Sorted by effective_from.
};

// Adds calendar months, clamping to the end of a shorter month (31 Jan + 1 month = 28/29 Feb).
core::Date add_months(core::Date date, int months);

}  // namespace sg::workflow
