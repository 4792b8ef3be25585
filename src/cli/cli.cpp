#include "cli/cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "access/crypto.h"
#include "api/app.h"
#include "audit/ledger.h"
#include "cli/audit_command.h"
#include "cli/command_support.h"
#include "cli/config.h"
#include "cli/demo.h"
#include "cli/network_command.h"
#include "cli/oversight_command.h"
#include "cli/resolve_command.h"
#include "cli/retention_command.h"
#include "cli/runtime.h"
#include "cli/synth_command.h"
#include "cli/user_command.h"
#include "core/calendar.h"
#include "core/log.h"
#include "server/server.h"
#include "workflow/extract.h"
#include "workflow/import.h"

#ifndef SG_VERSION
#define SG_VERSION "0.0.0"
#endif

namespace sg::cli {
namespace {

core::Result<Config> resolve_config(const DbOptions& opts) {
  auto config = SG_TRY(load_config(opts));
  core::LogLevel level = core::LogLevel::kInfo;
  core::parse_log_level(config.log_level, level);
  core::set_log_level(level);
  return config;
}

int cmd_init(const DbOptions& opts) {
  auto config = resolve_config(opts);
  if (!config.ok()) return fail(config.error());
  auto rt = Runtime::open(*config, storage::OpenMode::kCreate);
  if (!rt.ok()) return fail(rt.error());
  std::cout << "database ready at schema version " << (*rt)->store->schema_version() << "\n";
  return kExitOk;
}

int cmd_demo(const DbOptions& opts, bool force, std::uint64_t seed, std::uint32_t people) {
  auto config = resolve_config(opts);
  if (!config.ok()) return fail(config.error());
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(config->db_path, ec)) {
    if (!force) {
      return fail(
          core::already_exists("the database file exists; pass --force to replace it", "--db"));
    }
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(config->db_path + suffix, ec);
  }
  auto started = std::chrono::steady_clock::now();
  auto rt = Runtime::open(*config, storage::OpenMode::kCreate);
  if (!rt.ok()) return fail(rt.error());
  DemoOptions options;
  options.seed = seed;
  options.people = people;
  // The history ends yesterday, so the newest concerns are this week's work.
  options.end = core::london_date((*rt)->clock.now()).plus_days(-1);
  options.world_dir = fs::path(config->db_path).parent_path() / "demo-world";
  if (options.world_dir == "demo-world") options.world_dir = fs::current_path() / "demo-world";
  auto summary = load_demo(**rt, options);
  if (!summary.ok()) return fail(summary.error());
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "Demo town of Northfield: %zu concerns loaded, %zu cases open, %zu closed as "
      "history, %zu alerts, %d overdue tasks escalated (%.1f s)\n",
      summary->concerns, summary->cases_open, summary->cases_closed, summary->alerts,
      summary->escalated, seconds);
  std::printf("Synthetic files and ground truth: %s\n\n", options.world_dir.c_str());
  std::cout << "Demo accounts (passwords are generated afresh for this database):\n";
  for (const auto& a : summary->accounts) {
    std::printf("  %-18s %-14s %-8s %s\n", a.role.c_str(), a.username.c_str(), a.agency.c_str(),
                a.password.c_str());
  }
  // A second factor is required by default; for a demo, an authenticator app per account
  // would be a chore, so scripts/run.sh serves the demo with the requirement off.
  std::cout << "\nA second factor (an authenticator app) is required by default. To sign in to "
               "the demo\nwith these passwords alone, serve it as scripts/run.sh does, with the "
               "requirement off:\n  SAFEGUARD_SESSION_REQUIRE_SECOND_FACTOR=false safeguard serve "
               "--db "
            << config->db_path << "\nAny account may still set one up at /account/second-factor.\n";
  return kExitOk;
}

int cmd_user_add(const DbOptions& opts, access::NewUser user, const std::string& role,
                 bool password_stdin) {
  auto config = resolve_config(opts);
  if (!config.ok()) return fail(config.error());
  auto parsed_role = domain::parse_role(role, "--role");
  if (!parsed_role.ok()) return fail(parsed_role.error());
  user.role = *parsed_role;
  bool generated = false;
  if (password_stdin) {
    if (!std::getline(std::cin, user.password)) {
      return fail(core::invalid_argument("no password on standard input", "--password-stdin"));
    }
  } else {
    user.password = access::generate_password();
    user.one_time_password = true;
    generated = true;
  }
  auto rt = Runtime::open(*config, storage::OpenMode::kExistingOnly);
  if (!rt.ok()) return fail(rt.error());
  auto added = (*rt)->accounts->add_user(user, kCliActor);
  if (!added.ok()) return fail(added.error());
  std::cout << "user " << added->id << " added\n";
  if (generated) std::cout << "password: " << user.password << "\n";
  return kExitOk;
}

int cmd_agency_add(const DbOptions& opts, const access::NewAgency& input, const std::string& kind) {
  auto config = resolve_config(opts);
  if (!config.ok()) return fail(config.error());
  auto parsed = domain::parse_agency_kind(kind, "--kind");
  if (!parsed.ok()) return fail(parsed.error());
  access::NewAgency agency = input;
  agency.kind = *parsed;
  auto rt = Runtime::open(*config, storage::OpenMode::kExistingOnly);
  if (!rt.ok()) return fail(rt.error());
  auto added = (*rt)->accounts->add_agency(agency, kCliActor);
  if (!added.ok()) return fail(added.error());
  std::cout << "agency " << added->id << " added\n";
  return kExitOk;
}

// Records a sharing agreement: `categories` is comma-separated, or "all".
int cmd_sharing_add(const DbOptions& opts, workflow::NewSharing sharing,
                    const std::string& categories) {
  auto config = resolve_config(opts);
  if (!config.ok()) return fail(config.error());
  if (categories == "all") {
    for (auto c : domain::kAllCategories) sharing.categories.emplace_back(domain::category_name(c));
  } else {
    std::string_view rest = categories;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      sharing.categories.emplace_back(rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  auto rt = Runtime::open(*config, storage::OpenMode::kExistingOnly);
  if (!rt.ok()) return fail(rt.error());
  workflow::Actor actor{std::string(kCliActor), domain::Role::kAdmin, "", ""};
  auto added = (*rt)->grants->add_sharing(actor, sharing);
  if (!added.ok()) {
    auto e = added.error();
    if (e.field == "provider" || e.field == "recipient" || e.field == "reason") {
      e.field = "--" + e.field;
    } else if (e.field.starts_with("categories")) {
      e.field = "--categories";
    }
    return fail(e);
  }
  std::cout << "sharing agreement " << added->id << " added\n";
  return kExitOk;
}

int cmd_sharing_list(const DbOptions& opts) {
  auto config = resolve_config(opts);
  if (!config.ok()) return fail(config.error());
  auto rt = Runtime::open(*config, storage::OpenMode::kExistingOnly);
  if (!rt.ok()) return fail(rt.error());
  auto tx = (*rt)->store->begin(storage::TxMode::kRead);
  if (!tx.ok()) return fail(tx.error());
  workflow::Actor actor{std::string(kCliActor), domain::Role::kAdmin, "", ""};
  auto list = (*rt)->grants->sharing(actor, false);
  if (!list.ok()) return fail(list.error());
  auto code = [&](const std::string& id) {
    auto a = (*tx)->agency(id);
    return a.ok() ? a->code : id;
  };
  for (const auto& g : *list) {
    std::cout << g.id << "  " << code(g.object) << " -> " << code(g.grantee) << "  " << g.scope
              << "\n";
  }
  return kExitOk;
}

int cmd_serve(const DbOptions& opts, const std::string& listen, const std::string& web_root,
              int threads) {
  auto config = resolve_config(opts);
  if (!config.ok()) return fail(config.error());
  if (!listen.empty()) config->listen = listen;
  if (!web_root.empty()) config->web_root = web_root;
  if (threads > 0) config->io_threads = threads;
  if (auto st = validate(*config); !st.ok()) return fail(st.error());
  auto address = parse_listen(config->listen, "--listen");
  if (!address.ok()) return fail(address.error());
  if (config->web_root.empty() && std::filesystem::exists("web/dist/index.html")) {
    config->web_root = "web/dist";
  }
  auto rt = Runtime::open(*config, storage::OpenMode::kExistingOnly);
  if (!rt.ok()) return fail(rt.error());
  // People first: the link graph's persons are the matcher's entities.
  if (auto st = (*rt)->start_people(); !st.ok()) return fail(st.error());
  if (auto st = (*rt)->start_network(); !st.ok()) return fail(st.error());
  if (auto st = (*rt)->start_second_factors(*config); !st.ok()) return fail(st.error());
  auto app = api::App::create(
      (*rt)->services(),
      {.web_root = config->web_root, .max_json_bytes = 256 * 1024, .version = SG_VERSION});
  if (!app.ok()) return fail(app.error());
  std::shared_ptr<api::App> handler = std::move(app).value();
  server::ServerOptions options;
  options.host = address->host;
  options.port = address->port;
  options.io_threads = config->io_threads;
  options.max_body_bytes = config->max_body_bytes;
  options.tls_certificate_file = config->tls_certificate;
  options.tls_private_key_file = config->tls_private_key;
  options.on_response = [metrics = &handler->metrics()](const api::Request& req,
                                                        const api::Response& res,
                                                        std::chrono::nanoseconds latency) {
    metrics->record(req.method, res.route, res.status, latency);
  };
  auto server = server::Server::create(options, handler);
  if (!server.ok()) return fail(server.error());
  std::string scheme = (*server)->secure() ? "https" : "http";
  std::string host =
      address->host == "0.0.0.0" || address->host == "127.0.0.1" ? "localhost" : address->host;
  std::cout << "Safeguard " << SG_VERSION << " serving " << scheme << "://" << host << ":"
            << (*server)->port() << "/" << std::endl;
  core::log(core::LogLevel::kInfo, "server_started",
            {{"port", static_cast<std::int64_t>((*server)->port())},
             {"threads", static_cast<std::int64_t>(config->io_threads)}});
  // Signed ledger checkpoints, every N events or T seconds, when a signing key is configured.
  auto checkpoints = start_checkpoint_loop(**rt, *config);
  if (!checkpoints.ok()) return fail(checkpoints.error());
  // Overdue work escalates without anyone having to remember: at start, then every ten
  // minutes, the server runs the same sweep as `safeguard escalate`.
  std::mutex sweep_mutex;
  std::condition_variable sweep_wake;
  bool stopping = false;
  std::thread sweeper([&] {
    workflow::Actor actor{"system:escalation", domain::Role::kAdmin, "", ""};
    std::unique_lock lock(sweep_mutex);
    while (!stopping) {
      lock.unlock();
      auto n = (*rt)->casework->escalate_overdue(actor);
      if (n.ok() && *n > 0) {
        core::log(core::LogLevel::kInfo, "escalated", {{"tasks", static_cast<std::int64_t>(*n)}});
      } else if (!n.ok()) {
        core::log(core::LogLevel::kWarn, "escalation_failed",
                  {{"code", core::code_name(n.error().code)}});
      }
      lock.lock();
      sweep_wake.wait_for(lock, std::chrono::minutes(10), [&] { return stopping; });
    }
  });
  (*server)->run_until_signal();
  {
    std::lock_guard lock(sweep_mutex);
    stopping = true;
  }
  sweep_wake.notify_all();
  sweeper.join();
  core::log(core::LogLevel::kInfo, "server_stopped");
  return kExitOk;
}

// A progress bar on stderr, drawn only when stderr is a terminal.
workflow::ImportProgress progress_bar(const char* label) {
  if (!isatty(STDERR_FILENO)) return nullptr;
  return [label](std::size_t done, std::size_t total) {
    int percent = total ? static_cast<int>(done * 100 / total) : 100;
    std::fprintf(stderr, "\r%s [%-40.*s] %3d%%", label, percent * 40 / 100,
                 "########################################", percent);
    if (done >= total) std::fprintf(stderr, "\n");
  };
}

int cmd_import(const DbOptions& opts, const std::string& path, bool as_json) {
  auto config = resolve_config(opts);
  if (!config.ok()) return fail(config.error());
  auto rt = Runtime::open(*config, storage::OpenMode::kExistingOnly);
  if (!rt.ok()) return fail(rt.error());
  workflow::Actor actor{std::string(kCliActor), domain::Role::kAdmin, "", ""};
  auto report = workflow::import_file(*(*rt)->casework, actor, path, progress_bar("import"));
  if (!report.ok()) return fail(report.error());
  if (as_json) {
    std::cout << nlohmann::json{{"lines", report->lines},
                                {"concerns", report->concerns},
                                {"cases_opened", report->cases_opened},
                                {"alerts", report->alerts}}
                     .dump()
              << "\n";
  } else {
    std::cout << "imported " << report->concerns << " concerns from " << report->lines
              << " lines: " << report->cases_opened << " cases opened, " << report->alerts
              << " alerts raised\n";
  }
  return kExitOk;
}

int cmd_escalate(const DbOptions& opts) {
  auto config = resolve_config(opts);
  if (!config.ok()) return fail(config.error());
  auto rt = Runtime::open(*config, storage::OpenMode::kExistingOnly);
  if (!rt.ok()) return fail(rt.error());
  workflow::Actor actor{std::string(kCliActor), domain::Role::kAdmin, "", ""};
  auto n = (*rt)->casework->escalate_overdue(actor);
  if (!n.ok()) return fail(n.error());
  std::cout << "escalated " << *n << " overdue tasks\n";
  return kExitOk;
}

int cmd_extract() {
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  for (const auto& item : workflow::extract_items(text)) {
    // Ordered as documented: kind, value, text, start, end.
    std::cout << nlohmann::ordered_json{{"kind", item.kind},
                                        {"value", item.value},
                                        {"text", item.text},
                                        {"start", item.start},
                                        {"end", item.end}}
                     .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
              << "\n";
  }
  return kExitOk;
}

int cmd_add_working_days(const std::string& date_text, int days) {
  auto date = core::Date::parse_iso(date_text, "DATE");
  if (!date.ok()) return fail(date.error());
  auto result = core::WorkingDayCalendar::england_and_wales().add_working_days(*date, days);
  if (!result.ok()) return fail(result.error());
  std::cout << result->iso() << "\n";
  return kExitOk;
}

int cmd_working_days_between(const std::string& from_text, const std::string& to_text) {
  auto from = core::Date::parse_iso(from_text, "D1");
  if (!from.ok()) return fail(from.error());
  auto to = core::Date::parse_iso(to_text, "D2");
  if (!to.ok()) return fail(to.error());
  auto result = core::WorkingDayCalendar::england_and_wales().working_days_between(*from, *to);
  if (!result.ok()) return fail(result.error());
  std::cout << *result << "\n";
  return kExitOk;
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"Safeguard: multi-agency child-exploitation safeguarding", "safeguard"};
  app.set_version_flag("--version", std::string("safeguard ") + SG_VERSION);
  app.require_subcommand(1);

  DbOptions db;
  int exit_code = kExitOk;

  auto* init = app.add_subcommand("init", "Create or migrate a database");
  add_db_options(init, db);
  init->callback([&] { exit_code = cmd_init(db); });

  bool force = false;
  std::uint64_t demo_seed = 42;
  std::uint32_t demo_people = 20000;
  auto* demo = app.add_subcommand(
      "demo", "Create a database holding the synthetic town of Northfield and demo accounts");
  add_db_options(demo, db);
  demo->add_flag("--force", force, "Replace the database file if it exists");
  demo->add_option("--seed", demo_seed, "Seed of the synthetic town (default 42)");
  demo->add_option("--people", demo_people, "Population of the town (default 20000)")
      ->check(CLI::Range(1000, 200000));
  demo->callback([&] { exit_code = cmd_demo(db, force, demo_seed, demo_people); });

  std::string listen, web_root;
  int threads = 0;
  auto* serve = app.add_subcommand("serve", "Run the HTTP server and web app");
  add_db_options(serve, db);
  serve->add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  serve->add_option("--web-root", web_root, "Directory of the built web app (web/dist)");
  serve->add_option("--threads", threads, "I/O threads")->check(CLI::Range(1, 256));
  serve->callback([&] { exit_code = cmd_serve(db, listen, web_root, threads); });

  auto* user = app.add_subcommand("user", "Manage user accounts");
  user->require_subcommand(1);
  access::NewUser new_user;
  std::string role;
  bool password_stdin = false;
  auto* user_add = user->add_subcommand("add", "Add a user (prints a generated password)");
  add_db_options(user_add, db);
  user_add->add_option("--username", new_user.username, "Login name")->required();
  user_add->add_option("--display-name", new_user.display_name, "Name shown to colleagues")
      ->required();
  user_add->add_option("--agency", new_user.agency_code, "Agency code, e.g. NFP")->required();
  user_add
      ->add_option("--role", role,
                   "practitioner|manager|mash_coordinator|analyst|"
                   "reviewer|auditor|admin")
      ->required();
  user_add->add_option("--manager", new_user.manager_username,
                       "Username of the line manager that overdue work escalates to");
  user_add->add_flag("--password-stdin", password_stdin,
                     "Read the password from the first line of standard input");
  user_add->callback([&] { exit_code = cmd_user_add(db, new_user, role, password_stdin); });
  add_user_commands(*user, db, exit_code);

  auto* agency = app.add_subcommand("agency", "Manage agencies");
  agency->require_subcommand(1);
  access::NewAgency new_agency;
  std::string kind = "other";
  auto* agency_add = agency->add_subcommand("add", "Add an agency");
  add_db_options(agency_add, db);
  agency_add->add_option("--code", new_agency.code, "Short code, e.g. NFP")->required();
  agency_add->add_option("--name", new_agency.name, "Full name")->required();
  agency_add->add_option("--kind", kind,
                         "police|childrens_services|health|education|youth_service|other");
  agency_add->callback([&] { exit_code = cmd_agency_add(db, new_agency, kind); });

  auto* sharing = app.add_subcommand("sharing", "Sharing agreements between agencies");
  sharing->require_subcommand(1);
  workflow::NewSharing new_sharing;
  std::string categories;
  auto* sharing_add = sharing->add_subcommand(
      "add", "Let one agency see categories of another's records (ledgered)");
  add_db_options(sharing_add, db);
  sharing_add
      ->add_option("--provider", new_sharing.provider_code, "Agency whose records are shared")
      ->required();
  sharing_add->add_option("--recipient", new_sharing.recipient_code, "Agency that may see them")
      ->required();
  sharing_add
      ->add_option("--categories", categories,
                   "Comma-separated: person_index,concerns,casework,risk,alerts; or all")
      ->required();
  sharing_add->add_option("--reason", new_sharing.reason, "The agreement's basis")->required();
  sharing_add->callback([&] { exit_code = cmd_sharing_add(db, new_sharing, categories); });
  auto* sharing_list = sharing->add_subcommand("list", "Agreements in force");
  add_db_options(sharing_list, db);
  sharing_list->callback([&] { exit_code = cmd_sharing_list(db); });

  add_audit_command(app, exit_code);
  add_retention_command(app, exit_code);

  std::string import_path;
  bool import_json = false;
  auto* import = app.add_subcommand(
      "import",
      "Import historical concerns (.ndjson or .csv, docs/import-formats.md): whole "
      "file or nothing; errors name the line and field");
  add_db_options(import, db);
  import->add_option("PATH", import_path, "The file to import")->required();
  import->add_flag("--json", import_json, "Print the report as JSON");
  import->callback([&] { exit_code = cmd_import(db, import_path, import_json);
});

auto* escalate = app.add_subcommand(
    "escalate", "Escalate every overdue task to its owner's manager (run daily)");
add_db_options(escalate, db);
escalate->callback([&] { exit_code = cmd_escalate(db); });

auto* extract = app.add_subcommand(
    "extract",
    "Read narrative text on stdin; print one JSON line per proposed item (vehicle "
    "registration, phone, email, postcode, date) with its code-point offsets");
extract->callback([&] { exit_code = cmd_extract(); });

auto* calendar = app.add_subcommand("calendar", "England and Wales working-day arithmetic");
calendar->require_subcommand(1);
std::string date_a, date_b;
int days = 0;
auto* add_days = calendar->add_subcommand(
    "add-working-days", "Print the Nth working day strictly after DATE (YYYY-MM-DD)");
add_days->add_option("DATE", date_a, "Start date, YYYY-MM-DD")->required();
add_days->add_option("N", days, "Number of working days")->required();
add_days->callback([&] { exit_code = cmd_add_working_days(date_a, days); });
auto* between = calendar->add_subcommand("working-days-between",
                                         "Print how many working days d satisfy D1 < d <= D2");
between->add_option("D1", date_a, "From, YYYY-MM-DD")->required();
between->add_option("D2", date_b, "To, YYYY-MM-DD")->required();
between->callback([&] { exit_code = cmd_working_days_between(date_a, date_b); });

add_resolve_command(app, exit_code);

add_synth_command(app, exit_code);
add_network_command(app, exit_code);
add_oversight_command(app, exit_code);

try {
  app.parse(argc, argv);
} catch (const CLI::CallForHelp& e) {
  return app.exit(e);
} catch (const CLI::CallForAllHelp& e) {
  return app.exit(e);
} catch (const CLI::CallForVersion& e) {
  return app.exit(e);
} catch (const CLI::ParseError& e) {
  app.exit(e);
  return kExitUsage;
} catch (const std::exception& e) {
  std::cerr << "safeguard: unexpected error: " << e.what() << "\n";
  return kExitFailed;
}
return exit_code;
}  // namespace sg::cli

}  // namespace sg::cli
