#include "workflow/import.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "test_support.h"

namespace sg::workflow {
namespace {

using testing::at;

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct ImportTest : ::testing::Test {
  testing::World w;
  Actor system{"system:test", domain::Role::kAdmin, "", ""};

  void SetUp() override {
    w.clock.set(at("2026-11-30T12:00:00Z"));
    w.add_town_agencies();
  }

  std::size_t stored_concerns() {
    return w.casework.inbox(system, {.kind = "task", .open_only = false}).value().size();
  }
};

TEST_F(ImportTest, ImportsTheExampleNdjsonAndCsvAlike) {
  auto ndjson = import_file(w.casework, system,
                            std::string(SG_SOURCE_DIR) + "/docs/examples/concerns.ndjson");
  ASSERT_TRUE(ndjson.ok()) << ndjson.error().to_string();
  EXPECT_EQ(ndjson->concerns, 3u);
  testing::World other;
  other.clock.set(at("2026-11-30T12:00:00Z"));
  other.add_town_agencies();
  auto csv = import_file(other.casework, system,
                         std::string(SG_SOURCE_DIR) + "/docs/examples/concerns.csv");
  ASSERT_TRUE(csv.ok()) << csv.error().to_string();
  EXPECT_EQ(csv->concerns, 3u);
  EXPECT_EQ(csv->cases_opened, ndjson->cases_opened);
}

TEST_F(ImportTest, NdjsonErrorsNameLineAndField) {
  auto text = read(std::string(SG_SOURCE_DIR) + "/docs/examples/concerns.ndjson");
  auto second = text.find('\n') + 1;
  text.insert(second, "{\"channel\":\"phone\"}\n");
  auto r = import_text(w.casework, system, text, ImportFormat::kNdjson, "x.ndjson");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "x.ndjson:2: received_at");
  EXPECT_EQ(stored_concerns(), 0u) << "nothing is half-written";
  auto junk = import_text(w.casework, system, "{nope\n", ImportFormat::kNdjson, "j.ndjson");
  EXPECT_EQ(junk.error().field, "j.ndjson:1");
}

TEST_F(ImportTest, CsvErrorsNameTheRowAndColumn) {
  auto text = read(std::string(SG_SOURCE_DIR) + "/docs/examples/concerns.csv");
  // Break the first child's date of birth, wherever that row is.
  std::istringstream lines(text);
  std::string line, out;
  int n = 0, broken = 0;
  while (std::getline(lines, line)) {
    ++n;
    if (!broken && line.find(",child,") != std::string::npos) {
      // Replace the row with a child whose date of birth is impossible.
      auto id = line.substr(0, line.find(','));
      line = id + ",child,,,,,,c9,,,,Amy,Example,,,2026-02-30" + std::string(27, ',') + "\r";
      broken = n;
    }
    out += line + "\n";
  }
  ASSERT_GT(broken, 0);
  auto r = import_text(w.casework, system, out, ImportFormat::kCsv, "c.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "c.csv:" + std::to_string(broken) + ": date_of_birth");
}

TEST_F(ImportTest, AnInvalidLaterRowIsReportedBeforeAnEarlierRowThatCannotBeRecorded) {
  // The first concern is valid but names an agency that does not exist, which only recording
  // finds; the last has an impossible date, which validation finds. Every row is validated
  // before anything commits, so the invalid row is the one reported, and nothing is written.
  std::string csv =
      "concern_id,row_type,source_agency,channel,received_at,narrative,ref,given_name,"
      "family_name,date_of_birth\r\n";
  for (int c = 0; c < 3000; ++c) {
    std::string id = "C-" + std::to_string(c);
    std::string agency = c == 0 ? "NOPE" : "NFP";
    std::string dob = c == 2999 ? "2012-02-30" : "2012-01-01";
    csv += id + ",concern," + agency + ",phone,2026-01-01T09:00:00Z,Concern text,,,,\r\n";
    csv += id + ",child,,,,,c1,Child" + std::to_string(c) + ",Example," + dob + "\r\n";
  }
  auto r = import_text(w.casework, system, csv, ImportFormat::kCsv, "late.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "late.csv:6001: date_of_birth") << r.error().to_string();
  EXPECT_EQ(stored_concerns(), 0u);
  // Without the invalid row, the earlier row that cannot be recorded is the error.
  csv.replace(csv.rfind("2012-02-30"), 10, "2012-01-01");
  r = import_text(w.casework, system, csv, ImportFormat::kCsv, "late.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "late.csv:2: source_agency") << r.error().to_string();
  EXPECT_EQ(stored_concerns(), 0u);
}

TEST_F(ImportTest, AMalformedLineIsReportedBeforeAnEarlierInvalidConcern) {
  // An invalid concern on line 1 and a line that is not JSON at the end: the file's own error
  // comes first, as when the whole file is read before any concern is validated.
  std::string text = "{\"channel\":\"phone\"}\n";
  for (int c = 0; c < 2000; ++c) {
    text +=
        "{\"source_agency\":\"NFP\",\"channel\":\"phone\",\"received_at\":"
        "\"2026-01-01T09:00:00Z\",\"narrative\":\"Concern text\",\"children\":[{"
        "\"ref\":\"c1\",\"given_name\":\"Amy\",\"family_name\":\"Example\"}]}\n";
  }
  text += "{not json\n";
  auto r = import_text(w.casework, system, text, ImportFormat::kNdjson, "m.ndjson");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "m.ndjson:2002") << r.error().to_string();
  text.resize(text.size() - std::string("{not json\n").size());
  r = import_text(w.casework, system, text, ImportFormat::kNdjson, "m.ndjson");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "m.ndjson:1: received_at") << r.error().to_string();
  EXPECT_EQ(stored_concerns(), 0u);
}

TEST_F(ImportTest, HundredThousandRowFileWithOneBadRowImportsNothing) {
  // 10,000 concerns of 10 rows each; row 99,995 carries an impossible date.
  std::string csv =
      "concern_id,row_type,source_agency,channel,received_at,narrative,ref,given_name,"
      "family_name,date_of_birth,kind,date,child_ref,code\r\n";
  std::size_t line = 1, bad_line = 0;
  for (int c = 0; c < 10000; ++c) {
    std::string id = "NFP-" + std::to_string(c);
    std::string child = "Child" + std::to_string(c % 3000);
    csv += id + ",concern,NFP,phone,2026-01-01T09:00:00Z,Concern text,,,,,,,,\r\n";
    csv += id + ",child,,,,,c1," + child + ",Example,2012-01-01,,,,\r\n";
    for (int e = 0; e < 4; ++e) {
      ++line;
      csv += id + ",event,,,,,,,,,incident,2025-12-0" + std::to_string(e + 1) + ",c1,\r\n";
    }
    for (int i = 0; i < 4; ++i) {
      ++line;
      bool bad = c == 9999 && i == 3;
      csv += id + ",indicator,,,,,,,,,,2025-12-" + std::string(bad ? "32" : "10") +
             ",c1,M_SUBSTANCE_USE\r\n";
      if (bad) bad_line = line + 2 + 1;  // + the concern and child rows of this block.
    }
    line += 2;
  }
  ASSERT_EQ(line, 100001u) << "header + 100,000 rows";
  auto r = import_text(w.casework, system, csv, ImportFormat::kCsv, "big.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "big.csv:100001: date") << r.error().to_string();
  (void)bad_line;
  EXPECT_EQ(stored_concerns(), 0u);
  // The same file without the error imports whole.
  auto fixed = csv;
  fixed.replace(fixed.rfind("2025-12-32"), 10, "2025-12-10");
  auto ok = import_text(w.casework, system, fixed, ImportFormat::kCsv, "big.csv");
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(ok->lines, 100000u);
  EXPECT_EQ(ok->concerns, 10000u);
  EXPECT_EQ(ok->cases_opened, 3000u) << "one case per distinct child";
}

}  // namespace
}  // namespace sg::workflow
