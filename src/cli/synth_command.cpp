#include "cli/synth_command.h"

#include <chrono>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli/cli.h"
#include "cli/demo.h"
#include "core/date.h"
#include "synth/synth.h"

namespace sg::cli {
namespace {

struct SynthArgs {
  std::string out;
  std::uint64_t seed = 1;
  std::uint32_t people = 20000;
  int years = 5;
  int networks = -1;
  std::string end_date = "2026-10-31";
  bool as_json = false;
  std::string db;  // When set, the concerns are also imported into this database.
};

int run_synth(const SynthArgs& args) {
  auto fail = [](const core::Error& e) {
    std::cerr << "safeguard: error: " << e.message;
    if (!e.field.empty()) std::cerr << " (" << e.field << ")";
    std::cerr << "\n";
    return kExitFailed;
  };
  auto end = core::Date::parse_iso(args.end_date, "--end-date");
  if (!end.ok()) return fail(end.error());
  synth::SynthOptions options{.seed = args.seed,
                              .people = args.people,
                              .years = args.years,
                              .networks = args.networks,
                              .end = *end};
  auto started = std::chrono::steady_clock::now();
  auto summary = synth::generate(options, args.out);
  if (!summary.ok()) return fail(summary.error());
  std::optional<workflow::ImportReport> imported;
  if (!args.db.empty()) {
    Config config;
    config.db_path = args.db;
    auto rt = Runtime::open(config, storage::OpenMode::kCreate);
    if (!rt.ok()) return fail(rt.error());
    auto report = load_world(**rt, args.out);
    if (!report.ok()) return fail(report.error());
    imported = *report;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto& s = *summary;
  if (args.as_json) {
    nlohmann::json noise = nlohmann::json::object();
    for (int n = 0; n < synth::kNoiseCount; ++n) {
      noise[std::string(synth::noise_code(static_cast<synth::Noise>(n)))] = s.noise[n];
    }
    nlohmann::json out = {{"seed", args.seed},
                          {"people", s.people},
                          {"households", s.households},
                          {"children", s.children},
                          {"person_records", s.person_records},
                          {"concerns", s.concerns},
                          {"network_concerns", s.network_concerns},
                          {"networks", s.networks},
                          {"network_members", s.network_members},
                          {"victims", s.victims},
                          {"records_with_error", noise},
                          {"seconds", seconds}};
    if (imported) {
      out["imported"] = {{"concerns", imported->concerns},
                         {"cases_opened", imported->cases_opened},
                         {"alerts", imported->alerts}};
    }
    std::cout << out.dump() << "\n";
  } else {
    std::cout << "Northfield (seed " << args.seed << "): " << s.people << " people in "
              << s.households << " households, " << s.children << " children\n"
              << "  " << s.concerns << " concerns (" << s.network_concerns
              << " from planted networks), " << s.person_records << " person records\n"
              << "  " << s.networks << " networks: " << s.network_members << " members, "
              << s.victims << " victims\n"
              << "  written to " << args.out << " in " << seconds << " s\n";
    if (imported) {
      std::cout << "  imported into " << args.db << ": " << imported->concerns << " concerns, "
                << imported->cases_opened << " cases opened, " << imported->alerts << " alerts\n";
    }
  }
  return kExitOk;
}

}  // namespace

void add_synth_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SynthArgs>();
  auto* cmd = app.add_subcommand(
      "synth", "Generate the synthetic Northfield world: import files and ground truth");
  cmd->add_option("--out", args->out, "Output directory (created if missing)")->required();
  cmd->add_option("--seed", args->seed, "Random seed; the same seed gives identical files")
      ->required();
  cmd->add_option("--people", args->people, "Population of the town (default 20000)");
  cmd->add_option("--years", args->years, "Years of history (default 5)");
  cmd->add_option("--networks", args->networks,
                  "Planted exploitation networks (default: one per ~6,700 people)");
  cmd->add_option("--end-date", args->end_date,
                  "Last day of the simulated period, YYYY-MM-DD (default 2026-10-31)");
  cmd->add_flag("--json", args->as_json, "Print the summary as JSON");
  cmd->add_option("--db", args->db,
                  "Also import the concerns into this database (created if missing)");
  cmd->callback([args, &exit_code] { exit_code = run_synth(*args); });
}

}  // namespace sg::cli
