// The synthetic-world generator behind `safeguard synth`: builds Northfield, plants the
// networks, lets each agency record what it sees, and writes the import files and the ground
// truth to a directory. Formats: docs/import-formats.md; the world: docs/synthetic-world.md.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/date.h"
#include "core/result.h"
#include "synth/records.h"

namespace sg::synth {

struct SynthOptions {
  std::uint64_t seed = 1;
  std::uint32_t people = 20000;
  int years = 5;
  int networks = -1;  // -1: one network per ~6,700 people (3 for the default town).
  // The last day of the simulated period. Fixed by default so a seed always gives the same
  // files, whatever the date on the machine.
  core::Date end = core::Date::from_ymd(2026, 10, 31).value();
};

struct SynthSummary {
  std::uint64_t people = 0;
  std::uint64_t households = 0;
  std::uint64_t children = 0;
  std::uint64_t person_records = 0;
  std::uint64_t concerns = 0;
  std::uint64_t network_concerns = 0;
  std::uint64_t networks = 0;
  std::uint64_t network_members = 0;
  std::uint64_t victims = 0;
  std::array<std::uint64_t, kNoiseCount> noise{};  // Records with each kind of error.
};

// Checks the options. Errors: InvalidArgument naming the option ("--people", "--years"...).
core::Status validate(const SynthOptions& options);

// Generates the world into `out_dir` (created if missing; existing files are replaced).
// Errors: InvalidArgument for bad options; Unavailable when a file cannot be written.
core::Result<SynthSummary> generate(const SynthOptions& options,
                                    const std::filesystem::path& out_dir);

// The options after defaults are applied (networks = -1 resolved).
SynthOptions resolved(SynthOptions options);

}  // namespace sg::synth
