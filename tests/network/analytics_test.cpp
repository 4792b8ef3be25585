#include "network/analytics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>

#include "network/graph.h"
#include "test_support.h"

namespace sg::network {
namespace {

using nlohmann::json;
using testing::at;

json person(const std::string& ref, const std::string& role, const std::string& id) {
  json p = {{"ref", ref},
            {"record_id", "R-" + id},
            {"given_name", "P" + id},
            {"family_name", "Example"},
            {"date_of_birth", "1990-01-01"}};
  if (role != "child") p["role"] = role;
  return p;
}

// One concern: `kids` (ids) seen in the car `plate` driven by suspect `suspect_id`.
domain::Concern concern(const std::vector<std::string>& kids, const std::string& suspect_id,
                        const std::string& plate, const std::string& date) {
  json doc = {{"channel", "phone"},
              {"received_at", date + "T10:00:00Z"},
              {"narrative", "Seen getting into a car."},
              {"children", json::array()},
              {"persons", {person("s1", "suspect", suspect_id)}},
              {"vehicles", {{{"ref", "v1"}, {"registration", plate}}}},
              {"phones", json::array()},
              {"online_accounts", json::array()},
              {"locations", json::array()},
              {"links", json::array()},
              {"events", json::array()},
              {"indicators", json::array()}};
  for (std::size_t i = 0; i < kids.size(); ++i) {
    auto ref = "c" + std::to_string(i + 1);
    doc["children"].push_back(person(ref, "child", kids[i]));
    doc["links"].push_back({{"type", "child_seen_in_vehicle"},
                            {"from", ref},
                            {"to", "v1"},
                            {"date", date},
                            {"confidence", "confirmed"}});
  }
  doc["links"].push_back({{"type", "person_drives_vehicle"},
                          {"from", "s1"},
                          {"to", "v1"},
                          {"confidence", "probable"}});
  doc["events"].push_back({{"kind", "sighting"}, {"date", date}, {"child", "c1"}});
  return domain::parse_concern(doc, at("2026-12-01T00:00:00Z")).value();
}

struct AnalyticsTest : ::testing::Test {
  LinkGraph graph;
  Analytics analytics{graph};
  Scope all{.window = {}, .all_agencies = true, .agencies = {}};

  void SetUp() override {
    // Group one: suspect 100 and car AB12 CDE with children 1, 2 and 3 over two concerns.
    graph.add_concern("C1", "police", concern({"1", "2"}, "100", "AB12 CDE", "2026-03-01"));
    graph.add_concern("C2", "police", concern({"3"}, "100", "AB12 CDE", "2026-05-01"));
    // Group two: suspect 200 and car XY34 ZZZ with child 4, recorded by health.
    graph.add_concern("C3", "health", concern({"4"}, "200", "XY34 ZZZ", "2026-04-01"));
  }

  std::string id_of(const std::string& label) {
    return graph.read([&](const GraphData& d) {
      for (const auto& e : d.entities) {
        if (e.label == label) return e.id;
      }
      return std::string();
    });
  }
};

TEST_F(AnalyticsTest, CommunitiesAreRankedByDistinctChildren) {
  auto r = analytics.communities(all, 10, 50).value();
  ASSERT_EQ(r["communities"].size(), 2u);
  EXPECT_EQ(r["communities"][0]["children"], 3);
  EXPECT_EQ(r["communities"][0]["suspects"], 1);
  EXPECT_EQ(r["communities"][1]["children"], 1);
  EXPECT_EQ(r["algorithm"], "leiden_modularity");
  // Children are listed first.
  EXPECT_EQ(r["communities"][0]["members"][0]["roles"][0], "child");
}

TEST_F(AnalyticsTest, KeyPlayersRankSuspectsOnly) {
  auto r = analytics.key_players(all, 10).value();
  ASSERT_EQ(r["key_players"].size(), 2u);
  EXPECT_EQ(r["key_players"][0]["entity"]["label"], "P100 Example");
  EXPECT_GT(r["key_players"][0]["score"].get<double>(), r["key_players"][1]["score"].get<double>());
  EXPECT_EQ(r["betweenness"], "exact");
}

TEST_F(AnalyticsTest, KeyPlayersShowTheChildrenReachedThroughExploitationLinks) {
  auto r = analytics.key_players(all, 1).value();
  ASSERT_EQ(r["key_players"].size(), 1u);
  const auto& top = r["key_players"][0];
  // Suspect 100 drives the car all three children were seen in.
  EXPECT_EQ(top["exploitation_children"], 3);
  EXPECT_EQ(top["measure_ranks"]["exploitation_children"], 1);
  EXPECT_EQ(top["measure_ranks"]["degree"], 1);
  EXPECT_NE(std::find(top["top_in"].begin(), top["top_in"].end(), "exploitation_children"),
            top["top_in"].end());
  // The centralities stay in the answer.
  for (const char* m : {"degree", "betweenness", "pagerank", "coreness"}) {
    EXPECT_TRUE(top.contains(m)) << m;
  }
}

// A concern naming `people` (id, role) and `kids`, with typed `links` (type, from ref, to ref)
// between refs "p<id>", "c<id>" and the car "v1" (plate `plate`, when given).
domain::Concern named(const std::vector<std::pair<std::string, std::string>>& people,
                      const std::vector<std::string>& kids, const std::string& plate,
                      const std::vector<std::array<std::string, 3>>& links) {
  json doc = {
      {"channel", "phone"},
      {"received_at", "2026-04-01T10:00:00Z"},
      {"narrative", "Concern."},
      {"children", json::array()},
      {"persons", json::array()},
      {"vehicles", json::array()},
      {"phones", json::array()},
      {"online_accounts", json::array()},
      {"locations", json::array()},
      {"links", json::array()},
      {"events", {{{"kind", "incident"}, {"date", "2026-04-01"}, {"child", "c" + kids[0]}}}},
      {"indicators", json::array()}};
  for (const auto& k : kids) doc["children"].push_back(person("c" + k, "child", k));
  for (const auto& [id, role] : people) doc["persons"].push_back(person("p" + id, role, id));
  if (!plate.empty()) doc["vehicles"].push_back({{"ref", "v1"}, {"registration", plate}});
  for (const auto& [type, from, to] : links) {
    doc["links"].push_back(
        {{"type", type}, {"from", from}, {"to", to}, {"confidence", "confirmed"}});
  }
  return domain::parse_concern(doc, at("2026-12-01T00:00:00Z")).value();
}

TEST(KeyPlayers, ARelativesLinksAreNotExploitationEvidence) {
  LinkGraph graph;
  Analytics analytics{graph};
  Scope all{.window = {}, .all_agencies = true, .agencies = {}};
  // 300 drives a car child 11 was seen in, but that concern names 300 as a relative; 300 is
  // named as a suspect only in a domestic concern about four children (no typed links).
  graph.add_concern(
      "C10", "police",
      named({{"300", "relative"}}, {"11"}, "RL10 AAA",
            {{{"person_drives_vehicle", "p300", "v1"}}, {{"child_seen_in_vehicle", "c11", "v1"}}}));
  graph.add_concern("C12", "police", named({{"300", "suspect"}}, {"13", "14", "15", "16"}, "", {}));
  // 400, named as a suspect, drives a car child 12 was seen in.
  graph.add_concern(
      "C11", "police",
      named({{"400", "suspect"}}, {"12"}, "EX11 BBB",
            {{{"person_drives_vehicle", "p400", "v1"}}, {{"child_seen_in_vehicle", "c12", "v1"}}}));
  auto r = analytics.key_players(all, 10).value();
  ASSERT_EQ(r["key_players"].size(), 2u);
  const auto& first = r["key_players"][0];
  const auto& second = r["key_players"][1];
  EXPECT_EQ(first["entity"]["label"], "P400 Example");
  EXPECT_EQ(first["exploitation_children"], 1);
  EXPECT_EQ(second["entity"]["label"], "P300 Example");
  EXPECT_EQ(second["exploitation_children"], 0);
  // 300 is the more central by every measure of position.
  EXPECT_GT(second["degree"].get<double>(), first["degree"].get<double>());
  EXPECT_GT(second["coreness"].get<double>(), first["coreness"].get<double>());
  EXPECT_EQ(second["measure_ranks"]["degree"], 1);
}

TEST(OffenderProjection, LinksPlayersWhoShareAChildAndFindsTheBroker) {
  // Player 0 shares child 10 with 1, child 11 with 2 and child 12 with 3; 3 also shares
  // child 13 with 4; 5 reaches a child nobody else does; 6 reaches none.
  std::vector<std::vector<std::uint32_t>> children = {{10, 11, 12}, {10}, {11}, {12, 13},
                                                      {13},         {14}, {}};
  auto p = offender_projection(children, AnalyticsOptions{});
  EXPECT_EQ(p.co_offenders, (std::vector<double>{3, 1, 1, 2, 1, 0, 0}));
  // 0 is on every shortest path between 1, 2, 3 and 4 (pairs 1-2, 1-3, 2-3, 1-4, 2-4);
  // 3 on those from 0, 1 and 2 to 4.
  EXPECT_EQ(p.brokerage, (std::vector<double>{5, 0, 0, 3, 0, 0, 0}));
}

TEST(OffenderProjection, AChildReachedByManyLinksEachPairOnce) {
  // Three players sharing two children: a triangle, nobody between the others.
  std::vector<std::vector<std::uint32_t>> children = {{1, 2}, {1, 2}, {1, 2}};
  auto p = offender_projection(children, AnalyticsOptions{});
  EXPECT_EQ(p.co_offenders, (std::vector<double>{2, 2, 2}));
  EXPECT_EQ(p.brokerage, (std::vector<double>{0, 0, 0}));
}

TEST(KeyPlayers, TheManWhoIntroducesChildrenToOthersIsTheBrokerAndBrokerageIsShownNotScored) {
  LinkGraph graph;
  Analytics analytics{graph};
  Scope all{.window = {}, .all_agencies = true, .agencies = {}};
  // 500 is seen with children 21, 22 and 23; each child is later seen with one other man
  // (501, 502, 503), in concerns of their own: 500 is the only link between those men. The
  // men's names and ages differ, so none is possibly another (suspect_groups.h).
  const std::map<std::string, std::pair<std::string, std::string>> men = {
      {"500", {"Omar", "1970-02-03"}},
      {"501", {"Xavier", "1995-04-05"}},
      {"502", {"Yusuf", "1988-06-07"}},
      {"503", {"Zak", "2001-08-09"}}};
  int n = 0;
  auto seen = [&](const std::string& man, const std::string& kid) {
    json p = person("p" + man, "suspect", man);
    p["given_name"] = men.at(man).first;
    p["family_name"] = men.at(man).first + "son";
    p["date_of_birth"] = men.at(man).second;
    json doc = {{"channel", "phone"},
                {"received_at", "2026-04-01T10:00:00Z"},
                {"narrative", "Seen together."},
                {"children", {person("c" + kid, "child", kid)}},
                {"persons", {p}},
                {"vehicles", json::array()},
                {"phones", json::array()},
                {"online_accounts", json::array()},
                {"locations", json::array()},
                {"links",
                 {{{"type", "child_seen_with_person"},
                   {"from", "c" + kid},
                   {"to", "p" + man},
                   {"confidence", "confirmed"}}}},
                {"events", {{{"kind", "sighting"}, {"date", "2026-04-01"}, {"child", "c" + kid}}}},
                {"indicators", json::array()}};
    graph.add_concern("C5" + std::to_string(n++), "police",
                      domain::parse_concern(doc, at("2026-12-01T00:00:00Z")).value());
  };
  for (const char* kid : {"21", "22", "23"}) seen("500", kid);
  seen("501", "21");
  seen("502", "22");
  seen("503", "23");
  auto r = analytics.key_players(all, 10).value();
  const auto& players = r["key_players"];
  ASSERT_EQ(players.size(), 4u);
  const auto& top = players[0];
  EXPECT_EQ(top["entity"]["label"], "Omar Omarson");
  EXPECT_EQ(top["co_offenders"], 3);
  EXPECT_EQ(top["brokerage"], 3);  // 501-502, 501-503, 502-503.
  EXPECT_EQ(top["measure_ranks"]["brokerage"], 1);
  EXPECT_NE(std::find(top["top_in"].begin(), top["top_in"].end(), "brokerage"),
            top["top_in"].end());
  for (std::size_t i = 1; i < players.size(); ++i) {
    EXPECT_EQ(players[i]["co_offenders"], 1);
    EXPECT_EQ(players[i]["brokerage"], 0);
  }
  // The score: 0.5 for exploitation evidence, + 0.5 × the mean of the five position
  // measures, each over its maximum; co-offenders and brokerage are shown, not scored.
  const char* kPosition[] = {"suspect_ties", "degree", "betweenness", "pagerank", "coreness"};
  for (const auto& p : players) {
    double mean = 0;
    for (const char* m : kPosition) {
      double max = 0;
      for (const auto& q : players) max = std::max(max, q[m].get<double>());
      mean += max > 0 ? p[m].get<double>() / max : 0.0;
    }
    mean /= 5;
    EXPECT_NEAR(p["score"].get<double>(), 0.5 + 0.5 * mean, 1e-12) << p["entity"]["label"];
  }
}

TEST_F(AnalyticsTest, HotSpotsCountDistinctChildren) {
  auto r = analytics.hot_spots(all, 10).value();
  ASSERT_EQ(r["hot_spots"].size(), 2u);
  EXPECT_EQ(r["hot_spots"][0]["entity"]["label"], "AB12 CDE");
  EXPECT_EQ(r["hot_spots"][0]["children"], 3);
}

TEST_F(AnalyticsTest, PathShowsTheEvidenceBehindEachLink) {
  auto r = analytics.path(all, id_of("P1 Example"), id_of("P3 Example")).value();
  ASSERT_TRUE(r["found"].get<bool>());
  EXPECT_EQ(r["length"], 2);  // Child 1 — car — child 3.
  EXPECT_EQ(r["entities"][1]["kind"], "vehicle");
  EXPECT_EQ(r["links"][0]["evidence"][0]["concern_id"], "C1");
  EXPECT_EQ(r["links"][1]["evidence"][0]["concern_id"], "C2");
  // No path between the two groups.
  auto apart = analytics.path(all, id_of("P1 Example"), id_of("P4 Example")).value();
  EXPECT_FALSE(apart["found"].get<bool>());
}

TEST_F(AnalyticsTest, NeighbourhoodFindsChildrenWithinKHops) {
  auto one = analytics.neighbourhood(all, id_of("P100 Example"), 1).value();
  EXPECT_EQ(one["children"].size(), 3u);  // Co-occurrence links the suspect to the children.
  auto car = analytics.neighbourhood(all, id_of("AB12 CDE"), 2).value();
  EXPECT_EQ(car["children"].size(), 3u);
  EXPECT_EQ(car["children"][0]["path"].size(), 1u);
  EXPECT_FALSE(car["children"][0]["path"][0]["evidence"].empty());
  EXPECT_EQ(analytics.neighbourhood(all, id_of("AB12 CDE"), 0).error().field, "k");
  EXPECT_EQ(analytics.neighbourhood(all, id_of("AB12 CDE"), 99).error().field, "k");
}

TEST_F(AnalyticsTest, HiddenAndUnknownEntitiesGetTheSameNotFound) {
  Scope police{.window = {}, .all_agencies = false, .agencies = {"police"}};
  auto hidden = analytics.entity(police, id_of("P4 Example"));
  auto unknown = analytics.entity(police, "person-0000000000000000");
  ASSERT_FALSE(hidden.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(hidden.error().code, core::Code::kNotFound);
  EXPECT_EQ(hidden.error().code, unknown.error().code);
  EXPECT_EQ(hidden.error().message, unknown.error().message);
  EXPECT_EQ(hidden.error().field, unknown.error().field);
  auto path = analytics.path(police, id_of("P1 Example"), id_of("P4 Example"));
  EXPECT_EQ(path.error().code, core::Code::kNotFound);
  EXPECT_EQ(path.error().field, "to");
  // The police see only their own group.
  EXPECT_EQ(analytics.communities(police, 10, 10).value()["communities"].size(), 1u);
}

TEST_F(AnalyticsTest, TimeWindowDropsLinksOutsideIt) {
  Scope march = all;
  march.window = parse_window("2026-03-01", "2026-03-31").value();
  auto r = analytics.hot_spots(march, 10).value();
  ASSERT_EQ(r["hot_spots"].size(), 1u);
  EXPECT_EQ(r["hot_spots"][0]["children"], 2);  // Child 3 came in May.
  EXPECT_FALSE(analytics.entity(march, id_of("P3 Example")).ok());
}

TEST_F(AnalyticsTest, SnapshotsAreCachedPerGraphVersion) {
  auto a = analytics.snapshot(all);
  EXPECT_EQ(a, analytics.snapshot(all));
  graph.add_concern("C4", "police", concern({"5"}, "100", "AB12 CDE", "2026-06-01"));
  auto b = analytics.snapshot(all);
  EXPECT_NE(a, b);
  EXPECT_EQ(b->vertices().size(), a->vertices().size() + 1);
}

TEST(Snapshot, LeidenSeparatesTwoCliquesJoinedByOneEdge) {
  std::vector<Snapshot::Vertex> vs;
  for (std::uint32_t i = 0; i < 10; ++i) vs.push_back({i, EntityKind::kPerson, false, false});
  std::vector<Snapshot::Edge> es;
  for (std::uint32_t g = 0; g < 2; ++g) {
    for (std::uint32_t i = 0; i < 5; ++i) {
      for (std::uint32_t j = i + 1; j < 5; ++j) es.push_back({g * 5 + i, g * 5 + j, 0, 1.0});
    }
  }
  es.push_back({0, 5, 0, 1.0});
  auto snap = Snapshot::from_parts(vs, es, {});
  auto m = snap->communities().value();
  for (int i = 1; i < 5; ++i) EXPECT_EQ(m[i], m[0]);
  for (int i = 6; i < 10; ++i) EXPECT_EQ(m[i], m[5]);
  EXPECT_NE(m[0], m[5]);
  auto c = snap->centrality().value();
  EXPECT_GT(c.betweenness[0], c.betweenness[1]);  // The bridge.
  EXPECT_EQ(c.coreness[1], 4);
}

}  // namespace
}  // namespace sg::network
