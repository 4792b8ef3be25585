#include "network/suspect_groups.h"

#include <gtest/gtest.h>

#include <set>

#include "network/analytics.h"
#include "network/graph.h"
#include "test_support.h"

namespace sg::network {
namespace {

using nlohmann::json;
using testing::at;

PersonDescription described(std::string given, std::string family, std::string nickname,
                            int born_from = 0, int born_to = 0, char sex = 0) {
  PersonDescription d;
  d.given = std::move(given);
  d.family = std::move(family);
  d.nickname = std::move(nickname);
  d.born_from = born_from;
  d.born_to = born_to;
  d.sex = sex;
  return d;
}

TEST(PersonDescriptions, MissingFieldsNeverContradict) {
  EXPECT_FALSE(descriptions_conflict(described("", "", ""), described("jacob", "brown", "jaz")));
  EXPECT_FALSE(descriptions_conflict(described("", "", "jaz"), described("jacob", "", "")));
}

TEST(PersonDescriptions, DifferentNamesAgesOrSexesContradict) {
  EXPECT_TRUE(descriptions_conflict(described("jacob", "", ""), described("imran", "", "")));
  EXPECT_TRUE(descriptions_conflict(described("", "brown", ""), described("", "khan", "")));
  EXPECT_TRUE(
      descriptions_conflict(described("", "", "", 1970, 1979), described("", "", "", 1990, 1999)));
  EXPECT_TRUE(
      descriptions_conflict(described("", "", "", 0, 0, 'm'), described("", "", "", 0, 0, 'f')));
}

TEST(PersonDescriptions, NicknamesInitialsTyposAndTransliterationsFit) {
  // The nickname written in place of the given name.
  EXPECT_FALSE(descriptions_conflict(described("jaz", "", ""), described("jacob", "", "jaz")));
  EXPECT_FALSE(descriptions_conflict(described("j", "brown", ""), described("jacob", "brown", "")));
  EXPECT_FALSE(descriptions_conflict(described("sajyd", "", ""), described("sajid", "", "")));
  EXPECT_FALSE(descriptions_conflict(described("mohammed", "", ""), described("muhammad", "", "")));
  EXPECT_FALSE(descriptions_conflict(described("", "brrown", ""), described("", "brown", "")));
}

TEST(PersonDescriptions, AFullNameWithoutACommaMayBeFamilyNameFirst) {
  auto swapped = described("brown", "jacob", "");
  EXPECT_TRUE(descriptions_conflict(swapped, described("", "brown", "jake")));
  swapped.order_uncertain = true;
  EXPECT_FALSE(descriptions_conflict(swapped, described("", "brown", "jake")));
  EXPECT_TRUE(descriptions_share_name(swapped, described("", "brown", "jake")));
}

TEST(PersonDescriptions, ShareANameButNotAnInitial) {
  EXPECT_TRUE(descriptions_share_name(described("", "", "jaz"), described("jacob", "", "jaz")));
  EXPECT_TRUE(descriptions_share_name(described("", "brown", ""), described("", "brown", "")));
  EXPECT_FALSE(descriptions_share_name(described("j", "", ""), described("jacob", "", "")));
  EXPECT_FALSE(descriptions_share_name(described("", "", ""), described("", "", "")));
}

// A suspect as a witness records him: a nickname, perhaps a given name, an age, a phone.
json suspect(const std::string& ref, const std::string& nickname, const std::string& given, int age,
             const std::string& phone = "") {
  json p = {{"ref", ref}, {"role", "suspect"}, {"sex", "M"}, {"approx_age", age}};
  if (!nickname.empty()) p["nickname"] = nickname;
  if (!given.empty()) p["given_name"] = given;
  if (!phone.empty()) p["phone"] = phone;
  return p;
}

// One concern about child `kid` naming `persons`, each linked to the child as her older
// boyfriend, with a car `plate` the first drives when given.
domain::Concern concern(const std::string& kid, const std::vector<json>& persons,
                        const std::string& plate = "") {
  json doc = {{"channel", "phone"},
              {"received_at", "2026-04-01T10:00:00Z"},
              {"narrative", "Concern."},
              {"children",
               {{{"ref", "c1"},
                 {"record_id", "C-" + kid},
                 {"given_name", "Child" + kid},
                 {"family_name", "Example"},
                 {"date_of_birth", "2011-01-01"}}}},
              {"persons", persons},
              {"vehicles", json::array()},
              {"phones", json::array()},
              {"online_accounts", json::array()},
              {"locations", json::array()},
              {"links", json::array()},
              {"events", {{{"kind", "incident"}, {"date", "2026-04-01"}, {"child", "c1"}}}},
              {"indicators", json::array()}};
  for (const auto& p : persons) {
    doc["links"].push_back({{"type", "child_associates_with_person"},
                            {"from", "c1"},
                            {"to", p["ref"]},
                            {"confidence", "probable"}});
  }
  if (!plate.empty()) {
    doc["vehicles"].push_back({{"ref", "v1"}, {"registration", plate}});
    doc["links"].push_back({{"type", "person_drives_vehicle"},
                            {"from", persons.front()["ref"]},
                            {"to", "v1"},
                            {"confidence", "possible"}});
  }
  return domain::parse_concern(doc, at("2026-12-01T00:00:00Z")).value();
}

struct SuspectGroupsTest : ::testing::Test {
  LinkGraph graph;
  Analytics analytics{graph};
  Scope all{.window = {}, .all_agencies = true, .agencies = {}};

  // The groups as sets of suspect labels.
  std::vector<std::set<std::string>> groups() {
    auto snap = analytics.snapshot(all);
    return graph.read([&](const GraphData& data) {
      auto grouping = group_possible_same_suspects(data, *snap, all);
      std::vector<std::set<std::string>> out;
      for (const auto& g : grouping.groups) {
        std::set<std::string> labels;
        for (const auto& m : g.members) {
          labels.insert(data.entities[snap->vertices()[m.vertex].entity].label);
        }
        out.push_back(labels);
      }
      std::sort(out.begin(), out.end());
      return out;
    });
  }
};

TEST_F(SuspectGroupsTest, ThePhoneOfAnUnnamedSuspectJoinsHisNamedRecord) {
  // Each unidentified suspect is a node of his own (exact identity): "Jaz" with a phone, and a
  // man of about 30 with the same phone as written another way.
  graph.add_concern("C1", "police", concern("1", {suspect("p1", "Jaz", "", 30, "07700 900123")}));
  graph.add_concern("C2", "public", concern("2", {suspect("p1", "", "", 31, "+447700900123")}));
  auto g = groups();
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].size(), 2u);
}

TEST_F(SuspectGroupsTest, TheSameChildsBoyfriendJoinsOnlyWhenTheNameAgrees) {
  graph.add_concern("C1", "police", concern("1", {suspect("p1", "Jaz", "", 30)}));
  graph.add_concern("C2", "health", concern("1", {suspect("p1", "Jaz", "Jacob", 31)}));
  // Another man about whom the child spoke: no name in common.
  graph.add_concern("C3", "schools", concern("1", {suspect("p1", "Kaz", "", 30)}));
  auto g = groups();
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0], (std::set<std::string>{"\"Jaz\"", "Jacob"}));
  EXPECT_EQ(g[1], (std::set<std::string>{"\"Kaz\""}));
}

TEST_F(SuspectGroupsTest, TwoMenInOneConcernAreTwoMen) {
  // Two men known as "Jaz", both the child's boyfriends in C1: never one person.
  graph.add_concern("C1", "police",
                    concern("1", {suspect("p1", "Jaz", "", 30), suspect("p2", "Jaz", "", 30)}));
  auto g = groups();
  EXPECT_EQ(g.size(), 2u);
}

TEST_F(SuspectGroupsTest, ContradictingAgesKeepASharedPhoneApart) {
  graph.add_concern("C1", "police", concern("1", {suspect("p1", "Jaz", "", 20, "07700 900123")}));
  graph.add_concern("C2", "police", concern("2", {suspect("p1", "Jaz", "", 55, "07700 900123")}));
  EXPECT_EQ(groups().size(), 2u);
}

TEST_F(SuspectGroupsTest, AGroupJoinsOnlyWhenNoMemberContradictsAnother) {
  // 25-year-old and 45-year-old "Jaz" both use a phone a man of unknown age also uses; the
  // nameless man may join one of them, never both into one group.
  graph.add_concern("C1", "police", concern("1", {suspect("p1", "Jaz", "", 25, "07700 900123")}));
  graph.add_concern("C2", "police", concern("2", {suspect("p1", "Jaz", "", 45, "07700 900123")}));
  json unknown_age = {{"ref", "p1"}, {"role", "suspect"}, {"sex", "M"}, {"phone", "07700 900123"}};
  graph.add_concern("C3", "public", concern("3", {unknown_age}));
  auto g = groups();
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0].size() + g[1].size(), 3u);
}

TEST_F(SuspectGroupsTest, KeyPlayersCountAPossibleSamePersonOnceAndSayWhy) {
  // "Jaz" drives the car in which children 1 and 2 were seen... recorded three times without
  // an identifier: three nodes, one player.
  graph.add_concern("C1", "police", concern("1", {suspect("p1", "Jaz", "", 30)}, "AB12 CDE"));
  graph.add_concern("C2", "police", concern("2", {suspect("p1", "Jaz", "Jacob", 30)}, "AB12CDE"));
  graph.add_concern("C3", "police", concern("3", {suspect("p1", "Jaz", "", 31)}, "AB12 CDE"));
  auto r = analytics.key_players(all, 10).value();
  EXPECT_EQ(r["suspects"], 3);
  ASSERT_EQ(r["key_players"].size(), 1u);
  const auto& top = r["key_players"][0];
  EXPECT_EQ(top["exploitation_children"], 3);
  ASSERT_EQ(top["possible_same_person"].size(), 2u);
  for (const auto& same : top["possible_same_person"]) {
    EXPECT_EQ(same["because"], json({"same vehicle", "same name"}));
    EXPECT_DOUBLE_EQ(same["confidence"].get<double>(), 0.85);
    EXPECT_TRUE(same["with"].is_string());
  }
  // Without grouping, three players with one child each.
  LinkGraph g2;
  g2.add_concern("C1", "police", concern("1", {suspect("p1", "Jaz", "", 30)}, "AB12 CDE"));
  g2.add_concern("C2", "police", concern("2", {suspect("p1", "Jaz", "Jacob", 30)}, "AB12CDE"));
  Analytics separate{g2, {.group_possible_same_suspects = false}};
  auto r2 = separate.key_players(all, 10).value();
  ASSERT_EQ(r2["key_players"].size(), 2u);
  EXPECT_TRUE(r2["key_players"][0]["possible_same_person"].empty());
}

}  // namespace
}  // namespace sg::network
