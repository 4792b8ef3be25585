// `safeguard audit`: keys, checkpoints, verify against them, proofs; and its configuration.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>

#include "cli/config.h"
#include "test_support.h"

namespace sg::cli {
namespace {

struct Run {
  int exit_code;
  std::string output;
};

Run run(const std::string& args) {
  std::string cmd = std::string(SG_SAFEGUARD_BIN) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

struct AuditCli : ::testing::Test {
  testing::TempDir dir;
  std::string db = dir.file("a.db");
  std::string key = dir.file("ledger.key");

  void SetUp() override {
    ASSERT_EQ(run("init --db " + db).exit_code, 0);
    ASSERT_EQ(run("agency add --db " + db + " --code NFP --name Police").exit_code, 0);
    auto keygen = run("audit keygen --name northfield-ledger --out " + key);
    ASSERT_EQ(keygen.exit_code, 0) << keygen.output;
  }
};

TEST_F(AuditCli, KeygenWritesAPrivateFileAndRefusesToOverwrite) {
  struct stat info;
  ASSERT_EQ(stat(key.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(run("audit keygen --out " + key).exit_code, 1);
  chmod(key.c_str(), 0644);
  auto r = run("audit checkpoint --db " + db + " --key " + key);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("chmod 600"), std::string::npos) << r.output;
}

TEST_F(AuditCli, VerifyAgainstAnExportedCheckpointCatchesTruncationAndAWrongKey) {
  auto cp = dir.file("cp.txt");
  auto r = run("audit checkpoint --db " + db + " --key " + key + " --out " + cp);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ASSERT_EQ(run("agency add --db " + db + " --code NCS --name Council").exit_code, 0);
  r = run("audit verify --db " + db + " --checkpoint " + cp + " --public-key " + key + ".pub");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("signatures verified"), std::string::npos) << r.output;

  auto other = dir.file("other.key");
  ASSERT_EQ(run("audit keygen --out " + other).exit_code, 0);
  r = run("audit verify --db " + db + " --checkpoint " + cp + " --public-key " + other + ".pub");
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("not by the given key"), std::string::npos) << r.output;

  // Roll the ledger back to before the checkpoint, removing the stored checkpoint too.
  sqlite3* conn = nullptr;
  sqlite3_open(db.c_str(), &conn);
  sqlite3_exec(conn,
               "DROP TRIGGER ledger_no_delete; DROP TRIGGER ledger_records_no_delete;"
               "DROP TRIGGER ledger_payloads_no_delete; DROP TRIGGER ledger_checkpoints_no_delete;"
               "DELETE FROM ledger_records; DELETE FROM ledger_payloads; DELETE FROM ledger;"
               "DELETE FROM ledger_checkpoints;",
               nullptr, nullptr, nullptr);
  sqlite3_close(conn);
  r = run("audit verify --json --db " + db + " --checkpoint " + cp);
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("\"first_bad_seq\":1"), std::string::npos) << r.output;
}

TEST_F(AuditCli, ProveprintsProofsThatCheckProofAccepts) {
  auto cp = dir.file("cp.txt");
  ASSERT_EQ(run("audit checkpoint --db " + db + " --key " + key + " --out " + cp).exit_code, 0);
  for (const char* code : {"A1", "A2", "A3"}) {
    ASSERT_EQ(run("agency add --db " + db + " --code " + code + " --name X").exit_code, 0);
  }
  auto inclusion = run("audit prove 3 --db " + db);
  ASSERT_EQ(inclusion.exit_code, 0) << inclusion.output;
  write(dir.file("inclusion.json"), inclusion.output);
  auto r = run("audit check-proof " + dir.file("inclusion.json"));
  EXPECT_EQ(r.exit_code, 0) << r.output;

  auto consistency = run("audit prove --from-size 1 --db " + db);
  ASSERT_EQ(consistency.exit_code, 0) << consistency.output;
  write(dir.file("consistency.json"), consistency.output);
  r = run("audit check-proof " + dir.file("consistency.json") + " --checkpoint " + cp +
          " --public-key " + key + ".pub");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("against the checkpoint"), std::string::npos);

  // A bent proof is rejected.
  auto bent = inclusion.output;
  auto at = bent.find("\"root_hash\": \"") + 14;
  bent[at] = bent[at] == '0' ? '1' : '0';
  write(dir.file("bent.json"), bent);
  EXPECT_EQ(run("audit check-proof " + dir.file("bent.json")).exit_code, 3);
  EXPECT_EQ(run("audit prove 99 --db " + db).exit_code, 1);
  write(dir.file("junk.json"), "{");
  r = run("audit check-proof " + dir.file("junk.json"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("junk.json"), std::string::npos);
}

TEST(AuditConfig, ReadsTheAuditSectionAndValidatesIt) {
  Config config;
  ASSERT_TRUE(apply_config_text("[audit]\nsigning_key = \"/etc/sg/ledger.key\"\n"
                                "origin = \"northfield/ledger\"\ncheckpoint_every_events = 500\n"
                                "checkpoint_every_seconds = 60\n",
                                config)
                  .ok());
  EXPECT_EQ(config.audit_signing_key, "/etc/sg/ledger.key");
  EXPECT_EQ(config.audit_origin, "northfield/ledger");
  EXPECT_EQ(config.checkpoint_every_events, 500);
  EXPECT_EQ(config.checkpoint_every_seconds, 60);
  Config bad;
  EXPECT_EQ(apply_config_text("[audit]\ncheckpoint_every_events = 0\n", bad).error().field,
            "audit.checkpoint_every_events");
  auto env = [](const char* name) -> const char* {
    return std::string(name) == "SAFEGUARD_CHECKPOINT_EVERY_SECONDS" ? "soon" : nullptr;
  };
  EXPECT_EQ(apply_environment(bad, env).error().field, "SAFEGUARD_CHECKPOINT_EVERY_SECONDS");
}

TEST(SessionConfig, RequiresASecondFactorUnlessTurnedOff) {
  Config config;
  EXPECT_TRUE(config.session_require_second_factor);
  ASSERT_TRUE(apply_config_text("[session]\nrequire_second_factor = false\n", config).ok());
  EXPECT_FALSE(config.session_require_second_factor);
  Config bad;
  EXPECT_EQ(apply_config_text("[session]\nrequire_second_factor = \"no\"\n", bad).error().field,
            "session.require_second_factor");
  auto env = [](const char* name) -> const char* {
    return std::string(name) == "SAFEGUARD_SESSION_REQUIRE_SECOND_FACTOR" ? "true" : nullptr;
  };
  ASSERT_TRUE(apply_environment(config, env).ok());
  EXPECT_TRUE(config.session_require_second_factor);
  auto typo = [](const char* name) -> const char* {
    return std::string(name) == "SAFEGUARD_SESSION_REQUIRE_SECOND_FACTOR" ? "off" : nullptr;
  };
  EXPECT_EQ(apply_environment(config, typo).error().field,
            "SAFEGUARD_SESSION_REQUIRE_SECOND_FACTOR");
}

TEST(SessionConfig, NamesTheSecondFactorKeyFileOrPutsItBesideTheDatabase) {
  Config config;
  config.db_path = "/var/lib/safeguard/safeguard.db";
  EXPECT_EQ(second_factor_key_file(config), "/var/lib/safeguard/safeguard.db.second-factor-key");
  ASSERT_TRUE(
      apply_config_text("[session]\nsecond_factor_key = \"/etc/sg/2fa.key\"\n", config).ok());
  EXPECT_EQ(second_factor_key_file(config), "/etc/sg/2fa.key");
  auto env = [](const char* name) -> const char* {
    return std::string(name) == "SAFEGUARD_SESSION_SECOND_FACTOR_KEY" ? "/run/sg/2fa.key" : nullptr;
  };
  ASSERT_TRUE(apply_environment(config, env).ok());
  EXPECT_EQ(second_factor_key_file(config), "/run/sg/2fa.key");
  Config bad;
  EXPECT_EQ(apply_config_text("[session]\nsecond_factor_key = 7\n", bad).error().field,
            "session.second_factor_key");
}

}  // namespace
}  // namespace sg::cli
