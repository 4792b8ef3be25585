#include "cli/retention_command.h"

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "cli/cli.h"
#include "cli/command_support.h"
#include "cli/config.h"
#include "cli/runtime.h"

namespace sg::cli {
namespace {

struct DueOptions {
  std::string config_file;
  std::string db;
  std::string on;  // YYYY-MM-DD; empty for today.
  int limit = 1000;
};

int cmd_due(const DueOptions& opts) {
  auto config = load_config(opts.config_file, opts.db);
  if (!config.ok()) return fail(config.error());
  auto rt = Runtime::open(*config, storage::OpenMode::kExistingOnly);
  if (!rt.ok()) return fail(rt.error());
  auto on = core::london_date((*rt)->clock.now());
  if (!opts.on.empty()) {
    auto parsed = core::Date::parse_iso(opts.on, "--on");
    if (!parsed.ok()) return fail(parsed.error());
    on = *parsed;
  }
  workflow::Actor actor{std::string(kCliActor), domain::Role::kManager, "", ""};
  auto due = (*rt)->retention->due(actor, on, static_cast<std::size_t>(opts.limit));
  if (!due.ok()) return fail(due.error());
  for (const auto& s : *due) {
    std::cout << s.record_id << "  " << s.kind << "  " << s.group << "  last activity "
              << s.last_activity_on.iso() << "  review " << s.review_on.iso();
    if (s.last_decision) std::cout << "  last decision " << s.last_decision->decision;
    std::cout << "\n";
  }
  std::cerr << due->size() << " due on or before " << on.iso() << "\n";
  return kExitOk;
}

}  // namespace

void add_retention_command(CLI::App& app, int& exit_code) {
  auto* retention = app.add_subcommand("retention", "Retention review (docs/retention.md)");
  retention->require_subcommand(1);
  auto opts = std::make_shared<DueOptions>();
  auto* due = retention->add_subcommand(
      "due", "List records due for review on a date: ids, kinds, groups and dates only");
  due->add_option("--db", opts->db, "SQLite database file (or SAFEGUARD_DB)");
  due->add_option("--config", opts->config_file, "TOML configuration file (or SAFEGUARD_CONFIG)");
  due->add_option("--on", opts->on, "Review date, YYYY-MM-DD (default today)");
  due->add_option("--limit", opts->limit, "At most this many (default 1000)")
      ->check(CLI::Range(1, 1000000));
  due->callback([opts, &exit_code] { exit_code = cmd_due(*opts); });
}

}  // namespace sg::cli
