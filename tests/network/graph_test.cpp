#include "network/graph.h"

#include <gtest/gtest.h>

#include "network/analytics.h"
#include "network/entity.h"
#include "test_support.h"

namespace sg::network {
namespace {

using nlohmann::json;
using testing::at;

domain::Concern parse(const json& doc) {
  return domain::parse_concern(doc, at("2026-12-01T00:00:00Z")).value();
}

json child(const char* ref, const char* given, const char* nhs) {
  return {{"ref", ref},
          {"record_id", std::string("R-") + ref},
          {"given_name", given},
          {"family_name", "Example"},
          {"identifiers", {{"nhs_number", nhs}}}};
}

json suspect(const char* ref, const char* pnc) {
  return {{"ref", ref},          {"role", "suspect"},        {"record_id", std::string("S-") + ref},
          {"given_name", "Sam"}, {"family_name", "Suspect"}, {"identifiers", {{"pnc_id", pnc}}}};
}

// A concern about `children`, with one suspect and a car the children were seen in.
json concern(std::vector<json> children, const char* received, const char* plate,
             const char* pnc = "05/123456A") {
  json doc = {{"channel", "phone"},
              {"received_at", received},
              {"narrative", "Seen getting into a car."},
              {"children", children},
              {"persons", {suspect("p9", pnc)}},
              {"vehicles", {{{"ref", "v1"}, {"registration", plate}}}},
              {"phones", json::array()},
              {"online_accounts", json::array()},
              {"locations", json::array()},
              {"links", json::array()},
              {"events",
               {{{"kind", "sighting"},
                 {"date", std::string(received).substr(0, 10)},
                 {"child", children[0]["ref"]}}}},
              {"indicators", json::array()}};
  for (const auto& c : children) {
    doc["links"].push_back({{"type", "child_seen_in_vehicle"},
                            {"from", c["ref"]},
                            {"to", "v1"},
                            {"confidence", "confirmed"},
                            {"date", std::string(received).substr(0, 10)}});
  }
  doc["links"].push_back({{"type", "person_drives_vehicle"},
                          {"from", "p9"},
                          {"to", "v1"},
                          {"confidence", "probable"}});
  return doc;
}

// C1: Amy seen in YX65 KLM; C2: Bea seen in the same car (spelt "yx65klm"); one suspect.
void add_amy_then_bea_in_one_car(LinkGraph& graph) {
  graph.add_concern(
      "C1", "A1",
      parse(concern({child("c1", "Amy", "4857773456")}, "2026-01-10T10:00:00Z", "YX65 KLM")));
  graph.add_concern(
      "C2", "A1",
      parse(concern({child("c1", "Bea", "9434765919")}, "2026-02-10T10:00:00Z", "yx65klm")));
}

TEST(EntityKeys, NormalisePlatesPhonesAccountsAndPlaces) {
  EXPECT_EQ(vehicle_key("yx65 klm"), vehicle_key("YX65KLM"));
  EXPECT_EQ(vehicle_key("YX65 K1M"), vehicle_key("YX65 KLM"));  // A misread L.
  EXPECT_NE(vehicle_key("YX65 K??"), vehicle_key("YX65 KLM"));
  EXPECT_EQ(phone_key("07700 900123"), "+447700900123");
  EXPECT_EQ(phone_key("+44 7700 900123"), phone_key("(07700) 900123"));
  EXPECT_EQ(account_key("Snapchat", "@Kaz_99"), account_key("snapchat", "kaz_99"));
  EXPECT_EQ(location_key("Pizza Palace", "1 High St", "nf1 2ab"),
            location_key("PIZZA PALACE", "", "NF1 2AB"));
  EXPECT_EQ(entity_id(EntityKind::kVehicle, "X"), entity_id(EntityKind::kVehicle, "X"));
  EXPECT_NE(entity_id(EntityKind::kVehicle, "X"), entity_id(EntityKind::kPhone, "X"));
  EXPECT_EQ(entity_id(EntityKind::kPhone, "+447700900123").find("+44"), std::string::npos);
}

TEST(LinkGraph, MergesEntitiesAcrossConcernsAndKeepsEvidence) {
  LinkGraph graph;
  add_amy_then_bea_in_one_car(graph);
  graph.read([&](const GraphData& d) {
    // Two children, one suspect, one vehicle.
    EXPECT_EQ(d.entities.size(), 4u);
    auto car = d.by_key.at("vehicle\n" + vehicle_key("YX65KLM"));
    EXPECT_EQ(d.incident[car].size(), 3u);  // Both children and the suspect.
    for (auto l : d.incident[car]) EXPECT_FALSE(d.links[l].evidence.empty());
    return 0;
  });
  auto before = graph.version();
  // The same concern again (start-up load and listener both see it) changes nothing.
  graph.add_concern(
      "C2", "A1",
      parse(concern({child("c1", "Bea", "9434765919")}, "2026-02-10T10:00:00Z", "yx65klm")));
  EXPECT_EQ(graph.version(), before);
}

TEST(LinkGraph, AnErasedConcernLeavesNoEvidenceMentionOrNameBehind) {
  LinkGraph graph;
  add_amy_then_bea_in_one_car(graph);
  auto before = graph.version();
  EXPECT_FALSE(graph.forget_concern("C9"));
  ASSERT_TRUE(graph.forget_concern("C1"));
  EXPECT_GT(graph.version(), before);
  EXPECT_FALSE(graph.forget_concern("C1"));
  graph.read([&](const GraphData& d) {
    EXPECT_EQ(d.concerns.count("C1"), 0u);
    for (const auto& e : d.entities) {
      for (const auto& m : e.mentions) EXPECT_NE(m.concern_id, "C1");
      for (const auto& p : e.descriptions) EXPECT_NE(p.concern_id, "C1");
      // Amy was named only in C1: her node remains (indices stay valid) but is blank.
      if (e.mentions.empty()) {
        EXPECT_TRUE(e.label.empty());
        EXPECT_TRUE(e.record_ids.empty());
      }
    }
    for (const auto& l : d.links) {
      for (const auto& ev : l.evidence) EXPECT_NE(ev.concern_id, "C1");
    }
    return 0;
  });
  // No snapshot admits what only C1 recorded: Bea, the suspect and the car remain.
  Analytics analytics(graph);
  auto snap = analytics.snapshot({.window = {}, .all_agencies = true, .agencies = {}});
  EXPECT_EQ(snap->vertices().size(), 3u);
  // A later concern may name the car again.
  graph.add_concern(
      "C3", "A1",
      parse(concern({child("c1", "Cat", "9434765927")}, "2026-03-10T10:00:00Z", "YX65KLM")));
  graph.read([&](const GraphData& d) {
    auto car = d.by_key.at("vehicle\n" + vehicle_key("YX65KLM"));
    EXPECT_EQ(d.entities[car].mentions.size(), 2u);
    return 0;
  });
}

TEST(LinkGraph, TypedLinksCarryTypeDateAndConfidence) {
  LinkGraph graph;
  graph.add_concern(
      "C1", "A1",
      parse(concern({child("c1", "Amy", "4857773456")}, "2026-01-10T10:00:00Z", "YX65 KLM")));
  graph.read([&](const GraphData& d) {
    bool typed = false, drives = false, co = false;
    for (const auto& l : d.links) {
      for (const auto& ev : l.evidence) {
        if (ev.type == "child_seen_in_vehicle") {
          typed = ev.confidence == Confidence::kConfirmed && ev.date.iso() == "2026-01-10";
        }
        if (ev.type == "person_drives_vehicle") drives = ev.confidence == Confidence::kProbable;
        if (ev.type == "co_occurrence") co = ev.concern_id == "C1" && ev.agency_id == "A1";
      }
    }
    EXPECT_TRUE(typed);
    EXPECT_TRUE(drives);
    EXPECT_TRUE(co);
    return 0;
  });
}

TEST(PersonIdentity, ExactKeepsVagueSuspectsApartNameFallbackJoinsThem) {
  domain::RecordedPerson a, b, vague;
  a.ref = "p1";
  a.given_name = "Mohammed";
  a.family_name = "KHAN";
  b.ref = "p2";
  b.full_name = "Khan, Mohammed Ali";
  vague.ref = "p3";
  vague.nickname = "Kaz";
  ExactPersonIdentity exact;
  NameFallbackIdentity by_name;
  EXPECT_NE(exact.key_of(a, "C1"), exact.key_of(a, "C2"));
  EXPECT_EQ(by_name.key_of(a, "C1"), by_name.key_of(b, "C2"));
  EXPECT_NE(by_name.key_of(vague, "C1"), by_name.key_of(vague, "C2"));
  a.upn = "A123456789012";  // An identifier wins over the name.
  EXPECT_EQ(by_name.key_of(a, "C1"), exact.key_of(a, "C9"));
}

TEST(Window, RejectsAbsurdRangesNamingTheField) {
  EXPECT_TRUE(parse_window("2026-01-01", "2026-12-31").ok());
  EXPECT_EQ(parse_window("2026-12-31", "2026-01-01").error().field, "to");
  EXPECT_EQ(parse_window("1066-10-14", std::nullopt).error().field, "from");
  EXPECT_EQ(parse_window("2026-13-01", std::nullopt).error().field, "from");
  EXPECT_EQ(parse_window(std::nullopt, "9999-01-01").error().field, "to");
}

}  // namespace
}  // namespace sg::network
