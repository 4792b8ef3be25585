// `safeguard oversight` on a real database: CSV output, and bad flags named in the error.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>

#include "test_support.h"

namespace sg::cli {
namespace {

struct Run {
  int exit_code;
  std::string output;  // stdout and stderr together.
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

TEST(OversightCli, PrintsASuppressedDemographicTableAsCsvAndNamesBadFlags) {
  testing::TempDir dir;
  std::string db = " --db " + dir.file("o.db");
  ASSERT_EQ(run("init" + db).exit_code, 0);
  ASSERT_EQ(run("agency add --code NFP --name Police --kind police" + db).exit_code, 0);
  {
    std::ofstream out(dir.file("c.ndjson"));
    out << R"({"id":"NFP-2026-000001","source_agency":"NFP","channel":"phone",)"
        << R"("received_at":"2026-03-02T09:00:00Z",)"
        << R"("events":[{"kind":"incident","date":"2026-03-02","child":"c1"}],)"
        << R"("narrative":"Seen in a car.","children":[{"ref":"c1","record_id":"r1",)"
        << R"("given_name":"Amy","family_name":"Test","date_of_birth":"2012-05-01","sex":"F"}],)"
        << R"("persons":[],"vehicles":[],"phones":[],"online_accounts":[],"locations":[],)"
        << R"("links":[],"indicators":[]})"
        << "\n";
  }
  auto imported = run("import " + dir.file("c.ndjson") + db);
  ASSERT_EQ(imported.exit_code, 0) << imported.output;

  auto r = run("oversight demographics --from 2026-03-01 --to 2026-03-31 --csv" + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // One girl aged 13 on 2 March 2026: 1 is under 5, and so is every total she is part of.
  EXPECT_NE(r.output.find("population,breakdown,category,female,male,unknown,total\r\n"),
            std::string::npos);
  EXPECT_NE(r.output.find("victims,age_band,13-15,<5,0,0,<5\r\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("victims,age_band,total,<5,0,0,<5\r\n"), std::string::npos);

  auto json_out = run("oversight annex-a --from 2026-03-01 --to 2026-03-31" + db);
  ASSERT_EQ(json_out.exit_code, 0) << json_out.output;
  EXPECT_NE(json_out.output.find("\"contact_source\": \"Police\""), std::string::npos);

  auto backwards = run("oversight timeliness --from 2026-04-01 --to 2026-03-01" + db);
  EXPECT_EQ(backwards.exit_code, 1);
  EXPECT_NE(backwards.output.find("(--from)"), std::string::npos) << backwards.output;
  auto agency = run("oversight outcomes --from 2026-03-01 --to 2026-03-31 --agency XYZ" + db);
  EXPECT_EQ(agency.exit_code, 1);
  EXPECT_NE(agency.output.find("(--agency)"), std::string::npos) << agency.output;
  auto table = run("oversight annex-a --from 2026-03-01 --to 2026-03-31 --csv --table x" + db);
  EXPECT_EQ(table.exit_code, 1);
  EXPECT_NE(table.output.find("(--table)"), std::string::npos) << table.output;
  // The report runs were logged, and the ledger still verifies.
  EXPECT_EQ(run("audit verify" + db).exit_code, 0);
}

}  // namespace
}  // namespace sg::cli
