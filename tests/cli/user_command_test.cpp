// `safeguard user list|disable|enable|reset-password|reset-second-factor`: account administration
// from the command line, through the same rules as the API (issue 6).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "access/accounts.h"
#include "access/second_factor.h"
#include "access/totp.h"
#include "test_support.h"

namespace sg::cli {
namespace {

struct Run {
  int exit_code;
  std::string output;
};

// Runs a shell command line, stderr with stdout.
Run shell(const std::string& line) {
  std::string cmd = line + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

Run run(const std::string& args) { return shell(std::string(SG_SAFEGUARD_BIN) + " " + args); }

// `safeguard user add ... --password-stdin` with `password` on standard input.
Run add_with_password(const std::string& password, const std::string& args) {
  return shell("echo '" + password + "' | " + std::string(SG_SAFEGUARD_BIN) + " user add " + args +
               " --password-stdin");
}

// The generated password in the output of `user add` or `user reset-password`.
std::string password_in(const std::string& output) {
  auto at = output.find("password: ");
  if (at == std::string::npos) return "";
  auto end = output.find('\n', at);
  return output.substr(at + 10, end - at - 10);
}

struct UserCli : ::testing::Test {
  testing::TempDir dir;
  std::string db = dir.file("u.db");

  void SetUp() override {
    ASSERT_EQ(run("init --db " + db).exit_code, 0);
    ASSERT_EQ(run("agency add --db " + db + " --code NFP --name Police").exit_code, 0);
    for (const auto& [user, role] : std::vector<std::pair<std::string, std::string>>{
             {"admin.one", "admin"}, {"manager.one", "manager"}, {"p.one", "practitioner"}}) {
      auto r = run("user add --db " + db + " --username " + user +
                   " --display-name Someone --agency NFP --role " + role);
      ASSERT_EQ(r.exit_code, 0) << r.output;
    }
  }

  // username → status from `user list --json`.
  std::map<std::string, std::string> statuses() {
    auto r = run("user list --json --db " + db);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    std::map<std::string, std::string> out;
    std::istringstream lines(r.output);
    for (std::string line; std::getline(lines, line);) {
      auto j = nlohmann::json::parse(line);
      out[j["username"]] = j["status"];
    }
    return out;
  }
};

TEST_F(UserCli, ListsEveryAccountWithRoleAgencyAndStatus) {
  auto r = run("user list --db " + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("p.one"), std::string::npos);
  EXPECT_NE(r.output.find("practitioner"), std::string::npos);
  EXPECT_NE(r.output.find("NFP"), std::string::npos);
  EXPECT_EQ(r.output.find("argon2"), std::string::npos);
  auto s = statuses();
  EXPECT_EQ(s.size(), 3u);
  EXPECT_EQ(s["p.one"], "active");
}

TEST_F(UserCli, DisableAndEnableAnAccount) {
  auto r = run("user disable p.one --db " + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(statuses()["p.one"], "disabled");
  ASSERT_EQ(run("user enable p.one --db " + db).exit_code, 0);
  EXPECT_EQ(statuses()["p.one"], "active");
  r = run("user disable nobody.here --db " + db);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("USERNAME"), std::string::npos) << r.output;
}

TEST_F(UserCli, TheLastAdministratorIsNeverDisabled) {
  auto r = run("user disable admin.one --db " + db);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("disabled"), std::string::npos) << r.output;
  EXPECT_EQ(statuses()["admin.one"], "active");
}

TEST_F(UserCli, ResetPrintsANewPasswordOnceAndTheLedgerStaysIntact) {
  auto r = run("user reset-password p.one --db " + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto password = password_in(r.output);
  EXPECT_GE(password.size(), 12u);
  EXPECT_EQ(run("user list --json --db " + db).output.find(password), std::string::npos);
  EXPECT_EQ(run("audit verify --db " + db).exit_code, 0);
}

TEST_F(UserCli, ResetSecondFactorRemovesItAndTheLedgerStaysIntact) {
  // p.one enrols an authenticator, as they would through the API.
  {
    auto store = storage::open_sqlite_store(db, storage::OpenMode::kExistingOnly).value();
    core::SystemClock clock;
    core::OsRandom random;
    core::IdGenerator ids{clock, random};
    audit::Ledger ledger{clock, ids, random};
    auto key = access::SecondFactorKey::generate();
    access::SecondFactors factors(*store, ledger, clock, &key);
    access::Principal caller;
    caller.user = store->begin(storage::TxMode::kRead).value()->user_by_username("p.one").value();
    auto secret = access::from_base32(factors.start_enrolment(caller).value().secret).value();
    ASSERT_TRUE(
        factors.confirm_enrolment(caller, access::totp_code(secret, clock.now()).value()).ok());
  }
  auto r = run("user reset-second-factor p.one --db " + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("second factor reset"), std::string::npos) << r.output;
  // Now there is none to reset.
  r = run("user reset-second-factor p.one --db " + db);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(run("user reset-second-factor nobody.here --db " + db).exit_code, 1);
  EXPECT_EQ(run("audit verify --db " + db).exit_code, 0);
}

// Signs users in against the CLI's database file from this process, as the server would.
struct SignIns {
  core::ManualClock clock{testing::at("2026-12-01T10:00:00Z")};
  core::SeededRandom random{7};
  core::IdGenerator ids{clock, random};
  std::unique_ptr<storage::Store> store;
  audit::Ledger ledger{clock, ids, random};
  std::unique_ptr<access::Accounts> accounts;

  explicit SignIns(const std::string& db)
      : store(storage::open_sqlite_store(db, storage::OpenMode::kExistingOnly).value()),
        accounts(std::make_unique<access::Accounts>(*store, ledger, clock, ids)) {}

  std::string login(const std::string& user) {
    return accounts->login(user, "lantern orbit kettle").value().token;
  }
  bool signed_in(const std::string& token) { return accounts->authenticate(token).ok(); }
};

TEST_F(UserCli, AChosenPasswordMustNotBeCommonNorContainAContextWord) {
  auto common =
      add_with_password("Password1234", "--db " + db +
                                            " --username kim.lee --display-name 'Kim Lee' "
                                            "--agency NFP --role analyst");
  EXPECT_EQ(common.exit_code, 1);
  EXPECT_NE(common.output.find("(password)"), std::string::npos) << common.output;
  EXPECT_EQ(common.output.find("Password1234"), std::string::npos) << "never echoed";
  auto context =
      add_with_password("kim.lee at police", "--db " + db +
                                                 " --username kim.lee --display-name "
                                                 "'Kim Lee' --agency NFP --role analyst");
  EXPECT_EQ(context.exit_code, 1) << context.output;
  EXPECT_NE(context.output.find("(password)"), std::string::npos) << context.output;
  EXPECT_EQ(statuses().count("kim.lee"), 0u);
}

TEST_F(UserCli, EndSessionsSignsAUserOutEverywhereAndLeavesTheAccount) {
  for (const char* user : {"kim.lee", "ola.berg"}) {
    auto added = add_with_password("lantern orbit kettle",
                                   "--db " + db + " --username " + user +
                                       " --display-name Someone --agency NFP --role analyst");
    ASSERT_EQ(added.exit_code, 0) << added.output;
  }
  SignIns s(db);
  auto kim1 = s.login("kim.lee"), kim2 = s.login("kim.lee"), ola = s.login("ola.berg");
  auto r = run("user end-sessions kim.lee --db " + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("2 sessions ended"), std::string::npos) << r.output;
  EXPECT_FALSE(s.signed_in(kim1));
  EXPECT_FALSE(s.signed_in(kim2));
  EXPECT_TRUE(s.signed_in(ola));
  EXPECT_EQ(statuses()["kim.lee"], "active");
  EXPECT_TRUE(s.signed_in(s.login("kim.lee"))) << "same password";
  EXPECT_EQ(run("audit verify --db " + db).exit_code, 0);
  auto unknown = run("user end-sessions nobody.here --db " + db);
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.output.find("USERNAME"), std::string::npos) << unknown.output;
}

TEST_F(UserCli, EndSessionsAllSignsEveryoneOut) {
  for (const char* user : {"kim.lee", "ola.berg"}) {
    ASSERT_EQ(add_with_password("lantern orbit kettle",
                                "--db " + db + " --username " + user +
                                    " --display-name Someone --agency NFP --role analyst")
                  .exit_code,
              0);
  }
  SignIns s(db);
  auto kim = s.login("kim.lee"), ola = s.login("ola.berg");
  auto r = run("user end-sessions --all --db " + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("sessions ended for 2 users"), std::string::npos) << r.output;
  EXPECT_FALSE(s.signed_in(kim));
  EXPECT_FALSE(s.signed_in(ola));
  EXPECT_EQ(run("audit verify --db " + db).exit_code, 0);
  EXPECT_EQ(run("user end-sessions --db " + db).exit_code, 2) << "USERNAME or --all";
  EXPECT_EQ(run("user end-sessions kim.lee --all --db " + db).exit_code, 2);
}

}  // namespace
}  // namespace sg::cli
