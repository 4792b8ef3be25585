// Runs the real `safeguard` binary: exit codes and messages for good and bad input.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "test_support.h"

namespace sg::cli {
namespace {

struct Run {
  int exit_code;
  std::string output;  // stdout and stderr together.
};

// Runs `safeguard ARGS`, optionally with a line on stdin and environment assignments.
Run run(const std::string& args, const std::string& stdin_text = {}, const std::string& env = {}) {
  std::string cmd = env + " " + std::string(SG_SAFEGUARD_BIN) + " " + args + " 2>&1";
  if (!stdin_text.empty()) cmd = "printf '%s\\n' '" + stdin_text + "' | " + cmd;
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(Cli, HelpListsTheSubcommands) {
  auto r = run("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* sub : {"init", "serve", "user", "audit", "calendar", "demo"}) {
    EXPECT_NE(r.output.find(sub), std::string::npos) << sub;
  }
  EXPECT_EQ(run("audit verify --help").exit_code, 0);
  EXPECT_EQ(run("calendar add-working-days --help").exit_code, 0);
}

TEST(Cli, DemoLoadsTheSyntheticTownAndPrintsAccounts) {
  testing::TempDir dir;
  auto r = run("demo --people 1000 --db " + dir.file("demo.db"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("concerns loaded"), std::string::npos);
  for (const char* role :
       {"practitioner", "manager", "mash_coordinator", "analyst", "reviewer", "auditor", "admin"}) {
    EXPECT_NE(r.output.find(role), std::string::npos) << role;
  }
  EXPECT_EQ(run("demo --people 1000 --db " + dir.file("demo.db")).exit_code, 1)
      << "refuses to overwrite without --force";
  auto verify = run("audit verify --db " + dir.file("demo.db"));
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
}

TEST(Cli, ExtractPrintsOneJsonLinePerItem) {
  auto r = run("extract", "Seen in YX65 KLM on 14/03/2024");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output,
            "{\"kind\":\"vehicle_registration\",\"value\":\"YX65KLM\",\"text\":\"YX65 "
            "KLM\",\"start\":8,\"end\":16}\n"
            "{\"kind\":\"date\",\"value\":\"2024-03-14\",\"text\":\"14/03/2024\",\"start\":20,"
            "\"end\":30}\n");
}

TEST(Cli, ServerEscalatesOverdueWorkByItself) {
  testing::TempDir dir;
  auto db = dir.file("s.db");
  ASSERT_EQ(run("init --db " + db).exit_code, 0);
  for (const char* code : {"NFP", "NCS", "NHS-NF", "NFED", "NYP", "PUBLIC"}) {
    ASSERT_EQ(run("agency add --db " + db + " --code " + code + " --name " + code).exit_code, 0);
  }
  // The example concerns are years old: their referral decisions are long overdue.
  auto imported = run("import --db " + db + " " + std::string(SG_SOURCE_DIR) +
                      "/docs/examples/concerns.ndjson");
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  std::string log = dir.file("serve.log");
  std::string cmd = std::string(SG_SAFEGUARD_BIN) + " serve --db " + db +
                    " --listen 127.0.0.1:0 >/dev/null 2>" + log + " & echo $!";
  FILE* pipe = popen(cmd.c_str(), "r");
  char pid[32] = {};
  ASSERT_NE(fgets(pid, sizeof pid, pipe), nullptr);
  pclose(pipe);
  std::string text;
  for (int i = 0; i < 100 && text.find("\"event\":\"escalated\"") == std::string::npos; ++i) {
    usleep(100000);
    std::ifstream in(log);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  kill(std::atoi(pid), SIGTERM);
  EXPECT_NE(text.find("\"event\":\"escalated\""), std::string::npos) << text;
  auto second = run("escalate --db " + db);
  EXPECT_NE(second.output.find("escalated 0"), std::string::npos) << "already escalated once";
}

TEST(Cli, VersionPrints) {
  auto r = run("--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("safeguard "), std::string::npos);
}

TEST(Cli, CalendarAddsWorkingDaysOverChristmas) {
  auto r = run("calendar add-working-days 2026-12-24 1");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output, "2026-12-29\n");
  auto between = run("calendar working-days-between 2026-12-24 2026-12-29");
  EXPECT_EQ(between.output, "1\n");
}

TEST(Cli, CalendarRejectsBadDatesNamingTheArgument) {
  auto r = run("calendar add-working-days 2026-13-01 1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("DATE"), std::string::npos) << r.output;
  auto range = run("calendar add-working-days 1990-01-01 1");
  EXPECT_EQ(range.exit_code, 1);
}

TEST(Cli, MissingArgumentIsAUsageError) {
  auto r = run("calendar add-working-days 2026-12-24");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("N"), std::string::npos);
  EXPECT_EQ(run("").exit_code, 2);
  EXPECT_EQ(run("user add --db x.db").exit_code, 2);
}

TEST(Cli, InitThenUserAddThenVerify) {
  testing::TempDir dir;
  auto db = dir.file("s.db");
  ASSERT_EQ(run("init --db " + db).exit_code, 0);
  ASSERT_EQ(run("agency add --db " + db + " --code NFP --name Police --kind police").exit_code, 0);
  auto added = run("user add --db " + db +
                       " --username a.person --display-name 'A Person' --agency NFP "
                       "--role analyst --password-stdin",
                   "a long enough password");
  ASSERT_EQ(added.exit_code, 0) << added.output;
  auto dup = run("user add --db " + db +
                 " --username a.person --display-name 'A Person' --agency NFP --role analyst");
  EXPECT_EQ(dup.exit_code, 1);
  EXPECT_NE(dup.output.find("username"), std::string::npos);
  auto verify = run("audit verify --json --db " + db);
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(verify.output.find("\"intact\":true"), std::string::npos);
  EXPECT_NE(verify.output.find("\"events\":2"), std::string::npos);
}

TEST(Cli, AuditVerifyNamesTheFirstBadSequenceAfterAByteEdit) {
  testing::TempDir dir;
  auto db = dir.file("s.db");
  ASSERT_EQ(run("init --db " + db).exit_code, 0);
  ASSERT_EQ(run("agency add --db " + db + " --code NFP --name Police --kind police").exit_code, 0);
  ASSERT_EQ(
      run("agency add --db " + db + " --code NCS --name CS --kind childrens_services").exit_code,
      0);
  std::string bytes;
  {
    std::ifstream in(db, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  // Every ledger event here has the actor "system:cli", stored as text in the ledger
  // table's pages. Change one byte of the first occurrence in the file.
  auto pos = bytes.find("system:cli");
  ASSERT_NE(pos, std::string::npos);
  bytes[pos + 7] = 'C';
  {
    std::ofstream out(db, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  auto r = run("audit verify --db " + db);
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("BROKEN at sequence"), std::string::npos) << r.output;
}

TEST(Cli, ForeignAndMissingDatabasesAreRefusedClearly) {
  testing::TempDir dir;
  auto junk = dir.file("junk.db");
  std::ofstream(junk) << std::string(4096, 'x');
  auto r = run("audit verify --db " + junk);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("not a SQLite database"), std::string::npos) << r.output;
  auto missing = run("serve --db " + dir.file("missing.db"));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("does not exist"), std::string::npos) << missing.output;
  auto directory = run("audit verify --db " + dir.path().string());
  EXPECT_EQ(directory.exit_code, 1);
}

TEST(Cli, BrokenConfigNamesTheProblem) {
  testing::TempDir dir;
  auto bad_syntax = dir.file("bad.toml");
  std::ofstream(bad_syntax) << "[server]\nlisten = \n";
  auto r = run("init --config " + bad_syntax + " --db " + dir.file("a.db"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("line 2"), std::string::npos) << r.output;

  auto unknown = dir.file("unknown.toml");
  std::ofstream(unknown) << "[server]\nlisen = \"127.0.0.1:1\"\n";
  r = run("init --config " + unknown + " --db " + dir.file("a.db"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("server.lisen"), std::string::npos) << r.output;

  auto wrong_type = dir.file("type.toml");
  std::ofstream(wrong_type) << "[server]\nio_threads = \"two\"\n";
  r = run("init --config " + wrong_type + " --db " + dir.file("a.db"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("server.io_threads"), std::string::npos) << r.output;

  r = run("init --config " + dir.file("absent.toml") + " --db " + dir.file("a.db"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("config"), std::string::npos) << r.output;
}

TEST(Cli, EnvironmentOverridesAreValidated) {
  testing::TempDir dir;
  auto r = run("init --db " + dir.file("a.db"), {}, "SAFEGUARD_THREADS=lots");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("SAFEGUARD_THREADS"), std::string::npos) << r.output;
  auto from_env = run("init", {}, "SAFEGUARD_DB=" + dir.file("env.db"));
  EXPECT_EQ(from_env.exit_code, 0) << from_env.output;
  EXPECT_TRUE(std::filesystem::exists(dir.file("env.db")));
}

TEST(Cli, PortInUseIsAClearError) {
  testing::TempDir dir;
  auto db = dir.file("s.db");
  ASSERT_EQ(run("init --db " + db).exit_code, 0);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  auto port = std::to_string(ntohs(addr.sin_port));
  auto r = run("serve --db " + db + " --listen 127.0.0.1:" + port);
  close(fd);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("in use"), std::string::npos) << r.output;
}

TEST(Cli, BadListenAddressNamesTheOption) {
  testing::TempDir dir;
  auto db = dir.file("s.db");
  ASSERT_EQ(run("init --db " + db).exit_code, 0);
  auto r = run("serve --db " + db + " --listen nonsense");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("listen"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace sg::cli
