#include "network/export.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "network/graph.h"
#include "test_support.h"

namespace sg::network {
namespace {

using nlohmann::json;
using testing::at;

// A concern naming a child, a suspect with a phone, a car, a Snapchat account whose handle
// looks like a spreadsheet formula, and a takeaway.
domain::Concern example() {
  json doc = {
      {"channel", "phone"},
      {"received_at", "2026-03-01T10:00:00Z"},
      {"narrative", "Seen at the takeaway."},
      {"children",
       {{{"ref", "c1"},
         {"record_id", "NCS-1"},
         {"given_name", "Amy"},
         {"family_name", "O'Neil"},
         {"date_of_birth", "2012-01-01"}}}},
      {"persons",
       {{{"ref", "p1"},
         {"role", "suspect"},
         {"record_id", "NFP-9"},
         {"full_name", "Sam <Kaz>"},
         {"phone", "07700 900123"}}}},
      {"vehicles", {{{"ref", "v1"}, {"registration", "AB12 CDE"}, {"colour", "silver"}}}},
      {"phones", json::array()},
      {"online_accounts", {{{"ref", "a1"}, {"platform", "snapchat"}, {"handle", "=cmd|x"}}}},
      {"locations",
       {{{"ref", "l1"},
         {"kind", "takeaway"},
         {"name", "Pizza, \"Palace\""},
         {"postcode", "NF1 2AB"}}}},
      {"links",
       {{{"type", "child_seen_in_vehicle"},
         {"from", "c1"},
         {"to", "v1"},
         {"confidence", "confirmed"},
         {"date", "2026-02-27"}},
        {{"type", "child_contacted_by_account"},
         {"from", "c1"},
         {"to", "a1"},
         {"confidence", "possible"}},
        {{"type", "person_frequents_place"},
         {"from", "p1"},
         {"to", "l1"},
         {"confidence", "probable"}}}},
      {"events", json::array()},
      {"indicators", json::array()}};
  auto parsed = domain::parse_concern(doc, at("2026-12-01T00:00:00Z"));
  EXPECT_TRUE(parsed.ok()) << parsed.error().message << " " << parsed.error().field;
  return std::move(parsed).value();
}

struct ExportTest : ::testing::Test {
  testing::TempDir dir;
  LinkGraph graph;
  Analytics analytics{graph};
  Scope all{.window = {}, .all_agencies = true, .agencies = {}};
  void SetUp() override { graph.add_concern("C1", "police", example()); }

  std::string run(const std::string& command) {
    auto out = dir.file("python.out");
    int rc = std::system((command + " > " + out + " 2>&1").c_str());
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(rc, 0) << text.str();
    return text.str();
  }
};

TEST_F(ExportTest, GraphMlReadsBackWithNetworkx) {
  auto path = dir.file("graph.graphml");
  std::ofstream out(path);
  auto summary = write_graphml(analytics, graph, all, out);
  out.close();
  EXPECT_EQ(summary.entities, 6u);  // Child, suspect, their phone, car, account, takeaway.
  auto text =
      run("python3 -c 'import sys, networkx; g = networkx.read_graphml(sys.argv[1]); "
          "print(g.number_of_nodes(), g.number_of_edges()); "
          "print(sorted(d[\"kind\"] for _, d in g.nodes(data=True)))' " +
          path);
  std::ostringstream expected;
  expected << summary.entities << " " << summary.links << "\n";
  EXPECT_EQ(text.substr(0, text.find('\n') + 1), expected.str());
  EXPECT_NE(text.find("'vehicle'"), std::string::npos);
  EXPECT_EQ(summary.record_ids, std::vector<std::string>{"C1"});
}

TEST_F(ExportTest, I2CsvIsRfc4180AndNeutralisesFormulae) {
  auto entities_path = dir.file("entities.csv"), links_path = dir.file("links.csv");
  std::ofstream entities(entities_path, std::ios::binary), links(links_path, std::ios::binary);
  auto summary = write_i2(analytics, graph, all, entities, links);
  entities.close();
  links.close();
  // Python's csv module reads both back; every row has the header's width.
  auto text =
      run("python3 -c 'import csv, sys\n"
          "for f in sys.argv[1:]:\n"
          "  rows = list(csv.reader(open(f, newline=\"\")))\n"
          "  assert all(len(r) == len(rows[0]) for r in rows), f\n"
          "  print(len(rows) - 1)\n"
          "  for r in rows[1:]: print(\"|\".join(r))' " +
          entities_path + " " + links_path);
  std::istringstream lines(text);
  std::string n_entities;
  std::getline(lines, n_entities);
  EXPECT_EQ(n_entities, std::to_string(summary.entities));
  EXPECT_NE(text.find("'=cmd|x"), std::string::npos);            // Neutralised handle.
  EXPECT_NE(text.find("'+447700900123"), std::string::npos);     // Neutralised phone.
  EXPECT_NE(text.find("Pizza, \"Palace\""), std::string::npos);  // Quoted and read back.
  EXPECT_EQ(csv_cell("-1"), "'-1");
  EXPECT_EQ(csv_cell("@x"), "'@x");
  EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  std::ifstream raw(links_path, std::ios::binary);
  std::string header;
  std::getline(raw, header);
  EXPECT_EQ(header.back(), '\r');  // CRLF line ends.
}

TEST_F(ExportTest, FollowTheMoneyUsesOnlyItsSchemataAndProperties) {
  std::ostringstream out;
  auto summary = write_ftm(analytics, graph, all, out);
  // The schemata and properties (with inherited ones) of the FollowTheMoney model
  // (followthemoney/schema/*.yaml) that the export may use.
  std::set<std::string> thing = {"name",          "summary", "description", "alias",  "address",
                                 "addressEntity", "notes",   "topics",      "country"};
  std::set<std::string> interval = {"startDate", "endDate",   "date",       "summary",
                                    "recordId",  "sourceUrl", "description"};
  auto with = [](std::set<std::string> base, std::initializer_list<std::string> more) {
    base.insert(more);
    return base;
  };
  std::map<std::string, std::set<std::string>> allowed = {
      {"Person", with(thing, {"firstName", "lastName", "birthDate", "gender"})},
      {"Vehicle", with(thing, {"registrationNumber", "type", "model", "owner", "operator"})},
      {"UserAccount", with(thing, {"owner", "service", "email", "number", "username"})},
      {"Organization", with(thing, {"email", "phone"})},
      {"RealEstate", with(thing, {"propertyType", "landType", "registrationNumber"})},
      {"Address", with(interval, {"full", "postalCode", "street", "city", "country", "remarks"})},
      {"Associate", with(interval, {"person", "associate", "relationship"})},
      {"UnknownLink", with(interval, {"subject", "object", "role", "status"})}};
  std::set<std::string> ids, references;
  std::istringstream lines(out.str());
  std::string line;
  std::size_t count = 0;
  while (std::getline(lines, line)) {
    auto entity = json::parse(line);
    ++count;
    auto schema = entity["schema"].get<std::string>();
    ASSERT_TRUE(allowed.contains(schema)) << schema;
    ids.insert(entity["id"].get<std::string>());
    for (auto& [prop, values] : entity["properties"].items()) {
      EXPECT_TRUE(allowed[schema].contains(prop)) << schema << "." << prop;
      ASSERT_TRUE(values.is_array()) << prop;
      if (prop == "subject" || prop == "object" || prop == "person" || prop == "associate" ||
          prop == "addressEntity") {
        for (const auto& v : values) references.insert(v.get<std::string>());
      }
    }
  }
  for (const auto& r : references) EXPECT_TRUE(ids.contains(r)) << r;
  EXPECT_GE(count, summary.entities + summary.links);
  EXPECT_NE(out.str().find("\"schema\":\"Vehicle\""), std::string::npos);
  EXPECT_NE(out.str().find("\"schema\":\"Organization\""), std::string::npos);
  EXPECT_NE(out.str().find("\"schema\":\"Associate\""), std::string::npos);
}

TEST(ExportFormat, ParsesKnownNamesOnly) {
  EXPECT_EQ(parse_export_format("i2", "--format").value(), ExportFormat::kI2);
  EXPECT_EQ(parse_export_format("pdf", "--format").error().field, "--format");
}

}  // namespace
}  // namespace sg::network
