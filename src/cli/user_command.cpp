#include "cli/user_command.h"

#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "access/second_factor.h"
#include "cli/cli.h"
#include "cli/runtime.h"

namespace sg::cli {
namespace {

core::Result<std::unique_ptr<Runtime>> open_runtime(const DbOptions& db) {
  auto config = SG_TRY(load_config(db));
  return Runtime::open(config, storage::OpenMode::kExistingOnly);
}

// The CLI names its arguments, so errors about the account name USERNAME.
int fail_naming(core::Error e) {
  if (e.field == "username") e.field = "USERNAME";
  return fail(e);
}

int cmd_list(const DbOptions& db, bool as_json) {
  auto rt = open_runtime(db);
  if (!rt.ok()) return fail(rt.error());
  auto tx = (*rt)->store->begin(storage::TxMode::kRead);
  if (!tx.ok()) return fail(tx.error());
  auto agencies = (*tx)->agencies();
  if (!agencies.ok()) return fail(agencies.error());
  auto users = (*tx)->users();
  if (!users.ok()) return fail(users.error());
  std::map<std::string, std::string> agency_code, username;
  for (const auto& a : *agencies) agency_code[a.id] = a.code;
  for (const auto& u : *users) username[u.id] = u.username;
  for (const auto& u : *users) {
    std::string manager = u.manager_id.empty() ? "" : username[u.manager_id];
    std::string status = u.active ? "active" : "disabled";
    if (as_json) {
      std::cout << nlohmann::json{{"id", u.id},
                                  {"username", u.username},
                                  {"display_name", u.display_name},
                                  {"role", domain::role_name(u.role)},
                                  {"agency", agency_code[u.agency_id]},
                                  {"manager", manager},
                                  {"status", status}}
                       .dump()
                << "\n";
    } else {
      std::printf("%-24s %-16s %-8s %-24s %s\n", u.username.c_str(),
                  std::string(domain::role_name(u.role)).c_str(), agency_code[u.agency_id].c_str(),
                  manager.empty() ? "-" : manager.c_str(), status.c_str());
    }
  }
  return kExitOk;
}

int cmd_set_disabled(const DbOptions& db, const std::string& user, bool disabled) {
  auto rt = open_runtime(db);
  if (!rt.ok()) return fail(rt.error());
  access::AccountChange change;
  change.disabled = disabled;
  auto changed = (*rt)->accounts->update_user(user, change, kCliActor);
  if (!changed.ok()) return fail_naming(changed.error());
  std::cout << "user " << changed->id << (disabled ? " disabled; sessions ended\n" : " enabled\n");
  return kExitOk;
}

int cmd_reset_password(const DbOptions& db, const std::string& user) {
  auto rt = open_runtime(db);
  if (!rt.ok()) return fail(rt.error());
  auto password = (*rt)->accounts->reset_password(user, kCliActor);
  if (!password.ok()) return fail_naming(password.error());
  std::cout << "password reset; sessions ended\npassword: " << *password << "\n";
  return kExitOk;
}

// The way back in for an administrator who lost their phone and codes and is the only one.
int cmd_reset_second_factor(const DbOptions& db, const std::string& user) {
  auto rt = open_runtime(db);
  if (!rt.ok()) return fail(rt.error());
  // A reset deletes the factor, so it needs no key to open the secret.
  access::SecondFactors factors(*(*rt)->store, *(*rt)->ledger, (*rt)->clock, nullptr);
  if (auto st = factors.reset(user, kCliActor); !st.ok()) return fail_naming(st.error());
  std::cout << "second factor reset; sessions ended\n";
  return kExitOk;
}

// Ends USERNAME's sessions, or with `all` every user's, leaving the accounts as they are
// (OWASP ASVS 5.0 V7.4.5).
int cmd_end_sessions(const DbOptions& db, const std::string& user, bool all) {
  if (all == !user.empty()) {
    std::cerr << "safeguard: error: name one USERNAME, or --all for every user\n";
    return kExitUsage;
  }
  auto rt = open_runtime(db);
  if (!rt.ok()) return fail(rt.error());
  if (all) {
    auto users = (*rt)->accounts->end_all_sessions(kCliActor, "");
    if (!users.ok()) return fail(users.error());
    std::cout << "sessions ended for " << *users << " user" << (*users == 1 ? "" : "s") << "\n";
    return kExitOk;
  }
  auto ended = (*rt)->accounts->end_user_sessions(user, kCliActor);
  if (!ended.ok()) return fail_naming(ended.error());
  std::cout << *ended << " session" << (*ended == 1 ? "" : "s") << " ended\n";
  return kExitOk;
}

}  // namespace

void add_user_commands(CLI::App& user, DbOptions& db, int& exit_code) {
  auto username = std::make_shared<std::string>();
  auto as_json = std::make_shared<bool>(false);

  auto* list = user.add_subcommand("list",
                                   "List every account: username, role, agency, "
                                   "line manager and whether it is active");
  add_db_options(list, db);
  list->add_flag("--json", *as_json, "One JSON object per line");
  list->callback([&db, &exit_code, as_json] { exit_code = cmd_list(db, *as_json); });

  auto* disable = user.add_subcommand(
      "disable", "Disable an account: it cannot sign in and its sessions end at once");
  add_db_options(disable, db);
  disable->add_option("USERNAME", *username, "Login name")->required();
  disable->callback(
      [&db, &exit_code, username] { exit_code = cmd_set_disabled(db, *username, true); });

  auto* enable = user.add_subcommand("enable", "Enable a disabled account");
  add_db_options(enable, db);
  enable->add_option("USERNAME", *username, "Login name")->required();
  enable->callback(
      [&db, &exit_code, username] { exit_code = cmd_set_disabled(db, *username, false); });

  auto* reset = user.add_subcommand("reset-password",
                                    "Give an account a new generated password (printed once); its "
                                    "sessions end");
  add_db_options(reset, db);
  reset->add_option("USERNAME", *username, "Login name")->required();
  reset->callback([&db, &exit_code, username] { exit_code = cmd_reset_password(db, *username); });

  auto* reset_factor = user.add_subcommand(
      "reset-second-factor",
      "Remove an account's second factor and recovery codes (a lost phone); its sessions end "
      "and it enrols again at next sign-in");
  add_db_options(reset_factor, db);
  reset_factor->add_option("USERNAME", *username, "Login name")->required();
  reset_factor->callback(
      [&db, &exit_code, username] { exit_code = cmd_reset_second_factor(db, *username); });
  auto all = std::make_shared<bool>(false);
  auto* end = user.add_subcommand(
      "end-sessions",
      "Sign a user out everywhere at once, or with --all every user; the accounts and their "
      "passwords stay as they are");
  add_db_options(end, db);
  end->add_option("USERNAME", *username, "Login name");
  end->add_flag("--all", *all, "End every session of every user");
  end->callback(
      [&db, &exit_code, username, all] { exit_code = cmd_end_sessions(db, *username, *all); });
}

}  // namespace sg::cli
