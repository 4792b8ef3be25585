// Runs the real `safeguard resolve` binary for the CLI contract of issue 4, item 8: outputs,
// exit codes, and errors that name the file and line. Skipped when the binary is not built.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include "synthetic_people.h"
#include "test_util.h"

namespace sg::resolve {
namespace {

const std::string kBinary = std::string(SG_BINARY_DIR) + "/src/cli/safeguard";

struct CliRun {
  int exit_code;
  std::string output;
};

CliRun run(const std::string& args) {
  std::string cmd = kBinary + " resolve " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

class ResolveCli : public ::testing::Test {
 protected:
  void SetUp() override {
    // The build makes resolve_tests depend on the binary: a missing one is a failure.
    ASSERT_TRUE(std::filesystem::exists(kBinary)) << "safeguard binary not built";
  }
  testing::TempDir dir_;
};

TEST_F(ResolveCli, WritesClustersAndPairsForAValidRun) {
  // A few hundred noisy records, so that the model has something to learn from, and two
  // records of one person written differently.
  std::string csv = testing::make_people(200, 31).csv;
  csv += "r1,Ayesha,Khan,2001-02-03,S1 2HE,sheffield\nr2, Aisha , KHAN ,03/02/2001,S1 2HE,\n";
  std::string in = dir_.file("in.csv", csv);
  CliRun r = run(in + " --id id --field given_name=given --field family_name=family" +
                 " --field date_of_birth=dob --field postcode=postcode --field locality=town" +
                 " --output " + dir_.path("c.csv") + " --pairs " + dir_.path("p.csv") +
                 " --explain r1,r2");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::string clusters = testing::read_file(dir_.path("c.csv"));
  EXPECT_EQ(clusters.substr(0, clusters.find('\n')), "record_id,entity_id");
  EXPECT_NE(clusters.find("r2,r1\n"), std::string::npos) << clusters;
  EXPECT_NE(clusters.find("\np0,"), std::string::npos);
  std::string pairs = testing::read_file(dir_.path("p.csv"));
  EXPECT_EQ(pairs.substr(0, pairs.find('\n')),
            "record_id_l,record_id_r,match_probability,match_weight");
  EXPECT_NE(r.output.find("match probability"), std::string::npos);
}

TEST_F(ResolveCli, FailsWithFileAndLineForDuplicateIds) {
  std::string a = dir_.file("a.csv", "id,name\n1,x\n");
  std::string b = dir_.file("b.csv", "id,name\n2,y\n1,z\n");
  CliRun r = run(a + " " + b + " --id id --field given_name=name --output " + dir_.path("c.csv"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("b.csv:3: duplicate id '1'"), std::string::npos) << r.output;
}

TEST_F(ResolveCli, FailsForAMissingIdColumnAnUnknownKindAndAnUnreadableFile) {
  std::string a = dir_.file("a.csv", "ident,name\n1,x\n");
  CliRun missing = run(a + " --id id --field given_name=name --output " + dir_.path("c.csv"));
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.output.find("a.csv:1: no id column 'id'"), std::string::npos) << missing.output;
  CliRun kind = run(a + " --id ident --field colour=name --output " + dir_.path("c.csv"));
  EXPECT_NE(kind.exit_code, 0);
  EXPECT_NE(kind.output.find("unknown KIND 'colour'"), std::string::npos) << kind.output;
  CliRun unreadable =
      run(dir_.path("nope.csv") + " --id id --field given_name=n --output " + dir_.path("c.csv"));
  EXPECT_NE(unreadable.exit_code, 0);
  EXPECT_NE(unreadable.output.find("nope.csv: cannot open"), std::string::npos);
}

TEST_F(ResolveCli, FailsWithFileAndLineForRaggedRowsAndInvalidUtf8) {
  std::string ragged = dir_.file("r.csv", "id,name\n1,x\n2,y,z\n");
  CliRun r = run(ragged + " --id id --field given_name=name --output " + dir_.path("c.csv"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("r.csv:3:"), std::string::npos) << r.output;
  std::string bad = dir_.file("u.csv", "id,name\n1,\xC3\x28\n");
  CliRun u = run(bad + " --id id --field given_name=name --output " + dir_.path("c.csv"));
  EXPECT_NE(u.exit_code, 0);
  EXPECT_NE(u.output.find("u.csv:2: invalid UTF-8"), std::string::npos) << u.output;
}

}  // namespace
}  // namespace sg::resolve
