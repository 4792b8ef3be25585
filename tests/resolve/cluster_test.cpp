#include "resolve/cluster.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace sg::resolve {
namespace {

std::vector<FieldMapping> fields() {
  return {
      {FieldKind::kGivenName, "g"}, {FieldKind::kFamilyName, "f"}, {FieldKind::kDateOfBirth, "d"}};
}

Model simple_model() {
  FieldParameters name{"name", CompareKind::kName, {0.05, 0.05, 0.1, 0.8}, {0.9, 0.05, 0.03, 0.02}};
  FieldParameters dob{
      "date_of_birth", CompareKind::kDate, {0.05, 0.05, 0.1, 0.8}, {0.9, 0.05, 0.04, 0.01}};
  return Model({name, name, dob}, 0.01);
}

// Two clear groups of three and one spurious strong edge between them.
const char* kTwoGroups =
    "id,g,f,d\n"
    "a1,anna,smith,2001-01-01\na2,anna,smith,2001-01-01\na3,anna,smyth,2001-01-01\n"
    "b1,john,brown,1990-05-05\nb2,john,brown,1990-05-05\nb3,jon,brown,1990-05-05\n";

std::vector<ScoredPair> all_pairs_with_bridge(const RecordStore& s, const Model& m) {
  std::vector<ScoredPair> pairs;
  for (std::uint32_t i = 0; i < s.size(); ++i) {
    for (std::uint32_t j = i + 1; j < s.size(); ++j) {
      pairs.push_back({i, j, static_cast<float>(m.weight(s, i, j))});
    }
  }
  // A weak bridge: just over the threshold (p = 0.94), as a wrong shared value would make,
  // while the links inside each group are far stronger.
  pairs.push_back(
      {static_cast<std::uint32_t>(s.find("a1")), static_cast<std::uint32_t>(s.find("b1")), 4.0f});
  return pairs;
}

std::map<std::string, std::string> entity_ids(const RecordStore& s,
                                              const std::vector<std::uint32_t>& e) {
  std::map<std::string, std::string> out;
  for (std::uint32_t r = 0; r < s.size(); ++r) out[s.id(r)] = s.id(e[r]);
  return out;
}

TEST(Clustering, AWeakBridgeDoesNotMergeTwoStrongGroups) {
  auto s = RecordStore::load_texts({kTwoGroups}, {"t.csv"}, "id", fields()).value();
  Model m = simple_model();
  ClusterStats stats;
  auto e = entity_ids(s, cluster_records(s, m, all_pairs_with_bridge(s, m), {}, &stats));
  EXPECT_EQ(e["a1"], "a1");
  EXPECT_EQ(e["a3"], "a1");
  EXPECT_EQ(e["b1"], "b1");
  EXPECT_EQ(e["b3"], "b1");
  EXPECT_GE(stats.refused_merges, 1u);
}

TEST(Clustering, WithoutTheLinkageCheckTheBridgeWouldChain) {
  auto s = RecordStore::load_texts({kTwoGroups}, {"t.csv"}, "id", fields()).value();
  Model m = simple_model();
  auto e = entity_ids(s, cluster_records(s, m, all_pairs_with_bridge(s, m), {.linkage = 0.0}));
  EXPECT_EQ(e["b1"], "a1");  // Plain connected components: one entity.
}

TEST(Clustering, LinksOnlyPairsAtOrAboveTheThreshold) {
  auto s = RecordStore::load_texts({kTwoGroups}, {"t.csv"}, "id", fields()).value();
  std::vector<ScoredPair> pairs = {{0, 1, 3.0f}, {3, 4, 4.0f}};  // p = 0.889 and 0.941.
  auto e = entity_ids(s, cluster_records(s, simple_model(), pairs, {.threshold = 0.9}));
  EXPECT_EQ(e["a2"], "a2");
  EXPECT_EQ(e["b2"], "b1");
}

TEST(EntityIds, AreTheSmallestMemberIdWhateverTheInputOrder) {
  std::string reversed = "id,g,f,d\n";
  std::string text = kTwoGroups;
  std::vector<std::string> lines;
  std::size_t pos = text.find('\n') + 1;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    lines.push_back(text.substr(pos, end - pos + 1));
    pos = end + 1;
  }
  std::reverse(lines.begin(), lines.end());
  for (const auto& l : lines) reversed += l;
  Model m = simple_model();
  auto s1 = RecordStore::load_texts({kTwoGroups}, {"t.csv"}, "id", fields()).value();
  auto s2 = RecordStore::load_texts({reversed}, {"t.csv"}, "id", fields()).value();
  auto e1 = entity_ids(s1, cluster_records(s1, m, all_pairs_with_bridge(s1, m), {}));
  auto e2 = entity_ids(s2, cluster_records(s2, m, all_pairs_with_bridge(s2, m), {}));
  EXPECT_EQ(e1, e2);
}

TEST(EntityIds, StayTheSameWhenAnUnrelatedRecordIsAdded) {
  Model m = simple_model();
  auto s1 = RecordStore::load_texts({kTwoGroups}, {"t.csv"}, "id", fields()).value();
  auto s2 = RecordStore::load_texts({std::string(kTwoGroups) + "0000,zed,zulu,1950-01-01\n"},
                                    {"t.csv"}, "id", fields())
                .value();
  auto e1 = entity_ids(s1, cluster_records(s1, m, all_pairs_with_bridge(s1, m), {}));
  auto e2 = entity_ids(s2, cluster_records(s2, m, all_pairs_with_bridge(s2, m), {}));
  for (const auto& [record, entity] : e1) EXPECT_EQ(e2[record], entity) << record;
  EXPECT_EQ(e2["0000"], "0000");
}

}  // namespace
}  // namespace sg::resolve
