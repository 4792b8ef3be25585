#include "resolve/engine.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "resolve/csv.h"
#include "synthetic_people.h"
#include "test_util.h"

namespace sg::resolve {
namespace {

std::vector<FieldMapping> synthetic_fields() {
  return {{FieldKind::kGivenName, "given"},
          {FieldKind::kFamilyName, "family"},
          {FieldKind::kDateOfBirth, "dob"},
          {FieldKind::kPostcode, "postcode"},
          {FieldKind::kLocality, "town"}};
}

struct Scores {
  double precision, recall, f1;
};

Scores pairwise(const ResolveResult& r, const std::vector<std::string>& truth) {
  double tp = 0, predicted = 0, actual = 0;
  for (std::uint32_t i = 0; i < r.store.size(); ++i) {
    for (std::uint32_t j = i + 1; j < r.store.size(); ++j) {
      bool p = r.entity[i] == r.entity[j];
      bool t = truth[i] == truth[j];
      tp += p && t;
      predicted += p;
      actual += t;
    }
  }
  double precision = predicted ? tp / predicted : 1, recall = actual ? tp / actual : 1;
  return {precision, recall, 2 * precision * recall / (precision + recall)};
}

TEST(Resolve, FindsTheSamePeopleInNoisySyntheticRecordsWithoutTraining) {
  auto data = testing::make_people(400, 17);
  auto store = RecordStore::load_texts({data.csv}, {"s.csv"}, "id", synthetic_fields());
  ASSERT_TRUE(store.ok());
  auto result = resolve(std::move(store).value(), {});
  ASSERT_TRUE(result.ok()) << result.error().message;
  Scores s = pairwise(*result, data.entity);
  EXPECT_GT(s.precision, 0.97);
  EXPECT_GT(s.recall, 0.95);
  EXPECT_GT(result->stats.candidate_pairs, 0u);
  EXPECT_FALSE(result->stats.rules.empty());
}

// Households: members share family name, address and postcode but not given name or date of
// birth. EM over all candidates would take "same household" for "same person" and merge
// siblings; the model must link only each person's own records.
TEST(Resolve, DoesNotMergeMembersOfOneHousehold) {
  static const char* kGiven[] = {"oliver", "amelia", "jack",   "olivia", "harry", "isla",
                                 "george", "ava",    "noah",   "emily",  "leo",   "sophia",
                                 "oscar",  "grace",  "arthur", "freya",  "lily",  "thomas"};
  static const char* kFamily[] = {"smith", "jones",  "williams", "taylor", "brown",  "davies",
                                  "evans", "wilson", "khan",     "patel",  "wright", "nowak"};
  static const char* kStreet[] = {"mill lane",   "high street",  "church road",
                                  "park avenue", "station road", "green walk"};
  std::mt19937 rng(31);
  std::string csv = "id,given,family,dob,address,postcode\n";
  std::vector<std::string> person, household;
  int row = 0;
  for (int h = 0; h < 150; ++h) {
    std::string family = kFamily[rng() % 12];
    std::string address = std::to_string(1 + rng() % 80) + " " + kStreet[rng() % 6];
    char pc[16];
    std::snprintf(pc, sizeof pc, "S%d %d%c%c", 1 + static_cast<int>(rng() % 30),
                  static_cast<int>(rng() % 10), 'A' + static_cast<char>(rng() % 26),
                  'A' + static_cast<char>(rng() % 26));
    const int members = 2 + static_cast<int>(rng() % 4);
    const std::size_t first = rng() % 18;
    for (int m = 0; m < members; ++m) {
      std::string given = kGiven[(first + m) % 18];
      char dob[16];
      std::snprintf(dob, sizeof dob, "%04d-%02d-%02d", 1970 + static_cast<int>(rng() % 50),
                    1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28));
      const int copies = 2 + static_cast<int>(rng() % 2);
      for (int c = 0; c < copies; ++c) {
        csv += "r" + std::to_string(row++) + "," + given + "," + family + "," + dob + "," +
               address + "," + pc + "\n";
        person.push_back("h" + std::to_string(h) + "m" + std::to_string(m));
        household.push_back("h" + std::to_string(h));
      }
    }
  }
  std::vector<FieldMapping> fields = {{FieldKind::kGivenName, "given"},
                                      {FieldKind::kFamilyName, "family"},
                                      {FieldKind::kDateOfBirth, "dob"},
                                      {FieldKind::kAddress, "address"},
                                      {FieldKind::kPostcode, "postcode"}};
  auto store = RecordStore::load_texts({csv}, {"h.csv"}, "id", fields);
  ASSERT_TRUE(store.ok());
  auto result = resolve(std::move(store).value(), {});
  ASSERT_TRUE(result.ok()) << result.error().message;
  int merged_members = 0;
  for (std::uint32_t i = 0; i < result->store.size(); ++i) {
    for (std::uint32_t j = i + 1; j < result->store.size(); ++j) {
      if (result->entity[i] == result->entity[j] && person[i] != person[j]) ++merged_members;
    }
  }
  EXPECT_EQ(merged_members, 0);
  Scores s = pairwise(*result, person);
  EXPECT_GT(s.recall, 0.95);
}

TEST(Resolve, GivesTheSameEntitiesOnEveryRunAndThreadCount) {
  auto data = testing::make_people(150, 23);
  auto run = [&](int threads) {
    ResolveOptions options;
    options.threads = threads;
    auto r = resolve(
        RecordStore::load_texts({data.csv}, {"s.csv"}, "id", synthetic_fields()).value(), options);
    std::vector<std::string> ids;
    for (std::uint32_t i = 0; i < r->store.size(); ++i) ids.push_back(r->store.id(r->entity[i]));
    return ids;
  };
  EXPECT_EQ(run(1), run(2));
  EXPECT_EQ(run(2), run(2));
}

TEST(Resolve, LinkOnlyNeverPairsRecordsFromTheSameFile) {
  std::string a =
      "id,given,family,dob,postcode,town\na1,ann,lee,2001-01-01,S1 1AA,leeds\n"
      "a2,ann,lee,2001-01-01,S1 1AA,leeds\n";
  std::string b = "id,given,family,dob,postcode,town\nb1,ann,lee,2001-01-01,S1 1AA,leeds\n";
  ResolveOptions options;
  options.link_only = true;
  auto r =
      resolve(RecordStore::load_texts({a, b}, {"a.csv", "b.csv"}, "id", synthetic_fields()).value(),
              options);
  ASSERT_TRUE(r.ok());
  for (const auto& p : r->pairs) EXPECT_NE(r->store.source(p.a).file, r->store.source(p.b).file);
  EXPECT_EQ(r->pairs.size(), 2u);
}

TEST(Resolve, RejectsABadBlockingRule) {
  ResolveOptions options;
  options.blocking_rules = {"colour:exact"};
  auto r = resolve(RecordStore::load_texts({"id,given\n1,a\n"}, {"a.csv"}, "id",
                                           {{FieldKind::kGivenName, "given"}})
                       .value(),
                   options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "--block");
}

TEST(ResolveOutput, ClustersCsvHasOneRowPerRecordInInputOrder) {
  testing::TempDir dir;
  auto data = testing::make_people(50, 2);
  auto r =
      resolve(RecordStore::load_texts({data.csv}, {"s.csv"}, "id", synthetic_fields()).value(), {});
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(write_clusters(*r, dir.path("c.csv")).ok());
  auto reader = CsvReader::open(dir.path("c.csv")).value();
  EXPECT_EQ(reader.header(), (std::vector<std::string>{"record_id", "entity_id"}));
  std::vector<std::string_view> f;
  std::uint32_t row = 0;
  std::set<std::string> ids;
  while (*reader.next(f)) {
    EXPECT_EQ(f[0], r->store.id(row));
    ids.insert(std::string(f[1]));
    ++row;
  }
  EXPECT_EQ(row, r->store.size());
  EXPECT_EQ(ids.size(), r->stats.entities);
}

TEST(ResolveOutput, PairsCsvListsPairsWithProbabilityAndWeight) {
  testing::TempDir dir;
  auto data = testing::make_people(50, 2);
  auto r =
      resolve(RecordStore::load_texts({data.csv}, {"s.csv"}, "id", synthetic_fields()).value(), {});
  ASSERT_TRUE(write_pairs(*r, dir.path("p.csv"), 0.5).ok());
  auto reader = CsvReader::open(dir.path("p.csv")).value();
  EXPECT_EQ(reader.header(), (std::vector<std::string>{"record_id_l", "record_id_r",
                                                       "match_probability", "match_weight"}));
  std::vector<std::string_view> f;
  int rows = 0;
  while (*reader.next(f)) {
    double p = std::stod(std::string(f[2]));
    EXPECT_GE(p, 0.5);
    EXPECT_NEAR(p, Model::probability(std::stod(std::string(f[3]))), 1e-4);
    ++rows;
  }
  EXPECT_GT(rows, 0);
  EXPECT_FALSE(write_pairs(*r, dir.path("no/such/dir/p.csv"), 0.5).ok());
}

TEST(ResolveOutput, ExplainsAPairByIdsAndNamesAnUnknownId) {
  auto data = testing::make_people(50, 2);
  auto r =
      resolve(RecordStore::load_texts({data.csv}, {"s.csv"}, "id", synthetic_fields()).value(), {});
  auto e = explain_ids(*r, "p0", "p1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->record_l, "p0");
  EXPECT_EQ(e->terms.size(), 5u);
  auto missing = explain_ids(*r, "p0", "nobody");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::Code::kNotFound);
  EXPECT_NE(r->stats.to_json(r->model, r->store).find("\"blocking_rules\""), std::string::npos);
}

}  // namespace
}  // namespace sg::resolve
