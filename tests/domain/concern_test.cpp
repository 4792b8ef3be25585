#include "domain/concern.h"

#include <gtest/gtest.h>

#include <fstream>

namespace sg::domain {
namespace {

using nlohmann::json;

core::Timestamp now() { return core::parse_rfc3339("2026-11-30T12:00:00Z").value(); }

json minimal() {
  return {{"channel", "phone"},
          {"received_at", "2026-11-30T09:00:00Z"},
          {"narrative", "Concern raised by school."},
          {"children", {{{"ref", "c1"}, {"given_name", "Amy"}}}}};
}

std::string field_of(const json& doc) {
  auto r = parse_concern(doc, now());
  return r.ok() ? "(ok)" : r.error().field;
}

TEST(Concern, MinimalConcernParses) {
  auto c = parse_concern(minimal(), now());
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->children.size(), 1u);
  EXPECT_EQ(c->channel, "phone");
}

TEST(Concern, EveryExampleFileConcernParses) {
  std::ifstream in(std::string(SG_SOURCE_DIR) + "/docs/examples/concerns.ndjson");
  ASSERT_TRUE(in.good());
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    auto doc = json::parse(line);
    auto c = parse_concern(doc, now());
    EXPECT_TRUE(c.ok()) << "line " << n + 1 << ": " << (c.ok() ? "" : c.error().to_string());
    ++n;
  }
  EXPECT_GT(n, 0);
}

TEST(Concern, NamesTheFieldOfEachDefect) {
  auto doc = minimal();
  doc.erase("channel");
  EXPECT_EQ(field_of(doc), "channel");
  doc = minimal();
  doc["colour"] = "red";
  EXPECT_EQ(field_of(doc), "colour") << "unknown keys are errors";
  doc = minimal();
  doc["children"] = json::array();
  EXPECT_EQ(field_of(doc), "children");
  doc = minimal();
  doc["children"][0]["date_of_birth"] = "2026-02-30";
  EXPECT_EQ(field_of(doc), "children/0/date_of_birth");
  doc = minimal();
  doc["children"][0]["date_of_birth"] = "2026-12-11";
  EXPECT_EQ(field_of(doc), "(ok)") << "a future date of birth is kept: day and month swapped";
  doc = minimal();
  doc["children"][0]["ethnicity"] = "martian";
  EXPECT_EQ(field_of(doc), "children/0/ethnicity");
  doc = minimal();
  doc["persons"] = {{{"ref", "p1"}, {"role", "villain"}, {"given_name", "X"}}};
  EXPECT_EQ(field_of(doc), "persons/0/role");
  doc = minimal();
  doc["persons"] = {{{"ref", "c1"}, {"role", "suspect"}, {"given_name", "X"}}};
  EXPECT_EQ(field_of(doc), "persons/0/ref") << "refs are unique";
  doc = minimal();
  doc["links"] = {{{"type", "child_seen_in_vehicle"}, {"from", "c1"}, {"to", "v9"}}};
  EXPECT_EQ(field_of(doc), "links/0/to");
  doc = minimal();
  doc["events"] = {{{"kind", "incident"}, {"date", "2026-12-01"}, {"child", "c1"}}};
  EXPECT_EQ(field_of(doc), "events/0/date") << "events in the future";
  doc = minimal();
  doc["received_at"] = "2026-11-30 25:00";
  EXPECT_EQ(field_of(doc), "received_at");
  doc = minimal();
  doc["narrative"] = std::string("bad \xff bytes");
  EXPECT_EQ(field_of(doc), "narrative");
  doc = minimal();
  doc["children"][0] = {{"ref", "c1"}};
  EXPECT_EQ(field_of(doc), "children/0") << "a person needs something to identify them by";
}

TEST(Concern, AcceptsDatesOfBirthAsAgenciesRecordThem) {
  for (const char* dob : {"2012-05-01", "01/05/2012", "20120501"}) {
    auto doc = minimal();
    doc["children"][0]["date_of_birth"] = dob;
    doc["children"][0]["family_name"] = "Example";
    auto c = parse_concern(doc, now()).value();
    EXPECT_EQ(c.children[0].identity_key(), "name:amy|example|2012-05-01") << dob;
  }
  for (const char* partial : {"2012", "2012-05"}) {
    auto doc = minimal();
    doc["children"][0]["date_of_birth"] = partial;
    auto c = parse_concern(doc, now()).value();
    EXPECT_FALSE(c.children[0].full_date_of_birth.has_value());
    EXPECT_EQ(c.children[0].identity_key(), "") << "not identifiable by name alone";
  }
}

TEST(Concern, IdentifiersWinOverNames) {
  auto doc = minimal();
  doc["children"][0]["identifiers"] = {{"nhs_number", "943 476 5919"}};
  EXPECT_EQ(parse_concern(doc, now())->children[0].identity_key(), "nhs:9434765919");
  doc["children"][0]["identifiers"] = {{"passport", "X"}};
  EXPECT_EQ(field_of(doc), "children/0/identifiers/passport");
}

TEST(Concern, LimitsOversizedInput) {
  auto doc = minimal();
  doc["narrative"] = std::string(20001, 'a');
  EXPECT_EQ(field_of(doc), "narrative");
  doc = minimal();
  doc["vehicles"] = json::array();
  for (int i = 0; i < 201; ++i) doc["vehicles"].push_back({{"ref", "v" + std::to_string(i)}});
  EXPECT_EQ(field_of(doc), "vehicles");
}

}  // namespace
}  // namespace sg::domain
