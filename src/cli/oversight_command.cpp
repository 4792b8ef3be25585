#include "cli/oversight_command.h"

#include <cstdlib>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli.h"
#include "cli/config.h"
#include "cli/runtime.h"
#include "oversight/reports.h"

namespace sg::cli {
namespace {

struct OversightArgs {
  std::string db, config_file;
  std::string from, to, agency, team, table;
  bool as_csv = false, as_json = false;
};

int fail(const core::Error& error) {
  std::cerr << "safeguard oversight: error: " << error.message;
  if (!error.field.empty()) std::cerr << " (" << error.field << ")";
  std::cerr << "\n";
  return kExitFailed;
}

int run_report(const OversightArgs& args, oversight::ReportKind kind) {
  if (args.as_csv && args.as_json) {
    return fail(core::invalid_argument("choose one of --csv and --json", "--csv"));
  }
  auto config = load_config(args.config_file, args.db);
  if (!config.ok()) return fail(config.error());
  auto rt = Runtime::open(*config, storage::OpenMode::kExistingOnly);
  if (!rt.ok()) return fail(rt.error());
  // Whoever runs the command line holds the database file; the ledger records "system:cli".
  workflow::Actor actor{std::string(kCliActor), domain::Role::kAuditor, "", ""};
  oversight::Oversight service(*(*rt)->store, *(*rt)->ledger);
  auto report = service.run(actor, kind, args.from, args.to, args.agency, args.team);
  if (!report.ok()) {
    auto e = report.error();
    if (!e.field.empty()) e.field = "--" + e.field;
    return fail(e);
  }
  if (args.as_csv) {
    auto csv = oversight::to_csv(*report, args.table);
    if (!csv.ok()) {
      auto e = csv.error();
      e.field = "--table";
      return fail(e);
    }
    std::cout << *csv;
  } else {
    std::cout << oversight::to_json(*report).dump(2) << "\n";
  }
  return kExitOk;
}

}  // namespace

void add_oversight_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<OversightArgs>();
  auto* cmd = app.add_subcommand(
      "oversight",
      "Oversight reports over a period (docs/oversight.md); each run is logged in the ledger");
  cmd->require_subcommand(1);
  for (auto kind : oversight::kAllReports) {
    std::string name(oversight::report_name(kind));
    auto* sub = cmd->add_subcommand(name, "The " + name + " report");
    sub->add_option("--db", args->db, "SQLite database file (or SAFEGUARD_DB)");
    sub->add_option("--config", args->config_file, "TOML configuration file (or SAFEGUARD_CONFIG)");
    sub->add_option("--from", args->from, "First day of the period, YYYY-MM-DD")->required();
    sub->add_option("--to", args->to, "Last day of the period, YYYY-MM-DD")->required();
    sub->add_option("--agency", args->agency, "Only this agency (its code, e.g. NFP)");
    sub->add_option("--team", args->team, "Only this team: its manager's username or user id");
    sub->add_option("--table", args->table,
                    "With --csv: which table (annex-a: contacts, referrals, assessments, "
                    "section_47, plans)");
    sub->add_flag("--csv", args->as_csv, "Print one table as RFC 4180 CSV");
    sub->add_flag("--json", args->as_json, "Print the whole report as JSON (the default)");
    sub->callback([args, &exit_code, kind] { exit_code = run_report(*args, kind); });
  }
}

}  // namespace sg::cli
