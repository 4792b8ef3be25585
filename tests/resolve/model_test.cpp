#include "resolve/model.h"

#include <gtest/gtest.h>

#include <cmath>

#include "resolve/blocking.h"
#include "synthetic_people.h"

namespace sg::resolve {
namespace {

std::vector<FieldMapping> synthetic_fields() {
  return {{FieldKind::kGivenName, "given"},
          {FieldKind::kFamilyName, "family"},
          {FieldKind::kDateOfBirth, "dob"},
          {FieldKind::kPostcode, "postcode"},
          {FieldKind::kLocality, "town"}};
}

struct Trained {
  RecordStore store;
  Model model;
  TrainingReport report;
  std::size_t true_pairs;
};

Trained train_on_synthetic(int people, unsigned seed) {
  auto data = testing::make_people(people, seed);
  RecordStore store =
      RecordStore::load_texts({data.csv}, {"s.csv"}, "id", synthetic_fields()).value();
  Candidates c = generate_candidates(store, default_blocking_rules(store.comparators()), {});
  std::unordered_map<Pattern, std::uint64_t> counts;
  std::uint8_t levels[kMaxComparators];
  for (const auto& p : c.pairs) {
    compare_record_pair(store, p.a, p.b, levels);
    ++counts[pack_levels(levels, store.comparators().size())];
  }
  TrainingReport report;
  Model model = Model::train(store, counts, {}, &report);
  std::size_t true_pairs = 0;
  for (std::size_t i = 0; i < data.entity.size(); ++i) {
    for (std::size_t j = i + 1; j < data.entity.size(); ++j)
      true_pairs += data.entity[i] == data.entity[j];
  }
  return {std::move(store), std::move(model), report, true_pairs};
}

TEST(Model, WeightAtLeastIsTheWeightWhenItReachesTheFloorAndNothingOtherwise) {
  Trained t = train_on_synthetic(400, 11);
  // Every pair among the first records, names written the other way round among them, at
  // floors from hopeless to certain: the pruned weight must be weight() to the bit, or absent
  // exactly when weight() is below the floor.
  const auto n = static_cast<std::uint32_t>(std::min<std::size_t>(t.store.size(), 160));
  std::size_t kept = 0, pruned = 0;
  for (double floor : {-40.0, -5.0, 0.0, 4.321, 10.0, 60.0}) {
    for (std::uint32_t a = 0; a < n; ++a) {
      for (std::uint32_t b = 0; b < n; ++b) {
        if (a == b) continue;
        double w = t.model.weight(t.store, a, b);
        auto at_least = t.model.weight_at_least(t.store, a, b, floor);
        if (w >= floor) {
          ASSERT_TRUE(at_least.has_value()) << a << " " << b << " floor " << floor;
          ASSERT_EQ(*at_least, w);
          ++kept;
        } else {
          ASSERT_FALSE(at_least.has_value()) << a << " " << b << " floor " << floor;
          ++pruned;
        }
      }
    }
  }
  EXPECT_GT(kept, 0u);
  EXPECT_GT(pruned, 0u);
}

TEST(Model, WeightAtLeastScoresNamesWrittenTheOtherWayRoundAsWeightDoes) {
  RecordStore store = RecordStore::load_texts({"id,given,family,dob,postcode,town\n"
                                               "1,Ayesha,Khan,2011-04-02,,\n"
                                               "2,Khan,Ayesha,2011-04-02,,\n"
                                               "3,Ayesha,Kahn,2011-04-02,,\n"},
                                              {"s.csv"}, "id", synthetic_fields())
                          .value();
  std::vector<FieldParameters> fields;
  for (const auto& c : store.comparators()) {
    FieldParameters f;
    f.name = c.name;
    f.kind = c.compare;
    int levels = level_count(c.compare);
    for (int l = 0; l < levels; ++l) {
      f.m.push_back(l + 1 == levels ? 0.9 : 0.1 / (levels - 1));
      f.u.push_back(l == 0 ? 0.9 : 0.1 / (levels - 1));
    }
    fields.push_back(f);
  }
  Model model(std::move(fields), 1e-4);
  for (std::uint32_t a = 0; a < 3; ++a) {
    for (std::uint32_t b = 0; b < 3; ++b) {
      if (a == b) continue;
      double w = model.weight(store, a, b);
      auto at_least = model.weight_at_least(store, a, b, w);
      ASSERT_TRUE(at_least.has_value());
      EXPECT_EQ(*at_least, w);
      EXPECT_FALSE(model.weight_at_least(store, a, b, std::nextafter(w, 1e9)).has_value());
    }
  }
}

TEST(Pattern, PacksAndUnpacksLevelsIncludingMissing) {
  std::uint8_t in[5] = {0, 3, kMissing, 1, 2}, out[5];
  unpack_levels(pack_levels(in, 5), 5, out);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(in[i], out[i]);
}

TEST(Em, EstimatesTheNumberOfMatchesWithoutGroundTruth) {
  Trained t = train_on_synthetic(600, 3);
  EXPECT_TRUE(t.report.converged);
  EXPECT_NEAR(t.report.expected_matches, static_cast<double>(t.true_pairs), 0.1 * t.true_pairs);
  double n = static_cast<double>(t.store.size());
  EXPECT_NEAR(t.model.prior(), t.true_pairs / (n * (n - 1) / 2), 0.2 * t.model.prior());
}

TEST(Em, LearnsThatAgreementIsEvidenceAndDisagreementIsAgainst) {
  Trained t = train_on_synthetic(600, 5);
  for (const auto& f : t.model.fields()) {
    double exact = std::log2(f.m.back() / f.u.back());
    double different = std::log2(f.m.front() / f.u.front());
    EXPECT_GT(exact, 2.0) << f.name;
    EXPECT_LT(different, 0.0) << f.name;
    double m_sum = 0, u_sum = 0;
    for (double v : f.m) m_sum += v;
    for (double v : f.u) u_sum += v;
    EXPECT_NEAR(m_sum, 1.0, 1e-9) << f.name;
    EXPECT_NEAR(u_sum, 1.0, 1e-6) << f.name;
  }
}

TEST(Em, IsDeterministic) {
  Trained a = train_on_synthetic(200, 9), b = train_on_synthetic(200, 9);
  EXPECT_EQ(a.model.prior(), b.model.prior());
  EXPECT_EQ(a.model.fields()[0].m, b.model.fields()[0].m);
}

TEST(TermFrequency, ARareSurnameCountsForMoreThanACommonOne) {
  std::string csv = "id,given,family,dob,postcode,town\n";
  for (int i = 0; i < 50; ++i)
    csv += "s" + std::to_string(i) + ",x" + std::to_string(i) + ",smith,,,\n";
  csv += "r1,ann,zebedee,,,\nr2,ann,zebedee,,,\nc1,ann,smith,,,\n";
  RecordStore store = RecordStore::load_texts({csv}, {"t.csv"}, "id", synthetic_fields()).value();
  FieldParameters given{
      "given_name", CompareKind::kName, {0.1, 0.05, 0.15, 0.7}, {0.97, 0.01, 0.01, 0.01}, true};
  FieldParameters family{
      "family_name", CompareKind::kName, {0.1, 0.05, 0.15, 0.7}, {0.97, 0.01, 0.01, 0.01}, true};
  FieldParameters dob{
      "date_of_birth", CompareKind::kDate, {0.1, 0.1, 0.1, 0.7}, {0.9, 0.05, 0.04, 0.01}};
  FieldParameters pc{
      "postcode", CompareKind::kPostcode, {0.1, 0.1, 0.1, 0.7}, {0.9, 0.05, 0.04, 0.01}};
  FieldParameters town{
      "locality", CompareKind::kPlace, {0.1, 0.1, 0.1, 0.7}, {0.9, 0.05, 0.04, 0.01}, true};
  Model model({given, family, dob, pc, town}, 0.001);
  auto id = [&](const char* s) { return static_cast<std::uint32_t>(store.find(s)); };
  double rare = model.weight(store, id("r1"), id("r2"));
  double common = model.weight(store, id("s0"), id("c1"));
  EXPECT_GT(rare, common + 3.0);
}

TEST(MissingValues, AreNeutral) {
  std::string csv = "id,given,family,dob,postcode,town\na,ann,lee,2001-01-01,,\nb,ann,lee,,,\n";
  RecordStore store = RecordStore::load_texts({csv}, {"t.csv"}, "id", synthetic_fields()).value();
  FieldParameters f{"x", CompareKind::kName, {0.1, 0.1, 0.1, 0.7}, {0.7, 0.1, 0.1, 0.1}};
  FieldParameters d{
      "date_of_birth", CompareKind::kDate, {0.1, 0.1, 0.1, 0.7}, {0.7, 0.1, 0.1, 0.1}};
  Model model({f, f, d, d, d}, 0.5);
  // Only the two names count: prior odds 1, and log2(0.7 / 0.1) for each name.
  EXPECT_NEAR(model.weight(store, 0, 1), 2 * std::log2(7.0), 1e-9);
  Explanation e = explain_pair(model, store, 0, 1);
  EXPECT_EQ(e.terms[2].level, -1);
  EXPECT_EQ(e.terms[2].label, "missing");
  EXPECT_EQ(e.terms[2].weight, 0.0);
}

TEST(Explanation, WaterfallAddsUpToTheTotal) {
  Trained t = train_on_synthetic(100, 4);
  Explanation e = explain_pair(t.model, t.store, 0, 1);
  double sum = e.prior_weight;
  for (const auto& term : e.terms) sum += term.weight + term.tf_adjustment;
  EXPECT_NEAR(sum, e.total_weight, 1e-9);
  EXPECT_NEAR(e.total_weight, t.model.weight(t.store, 0, 1), 1e-9);
  EXPECT_NEAR(e.probability, Model::probability(e.total_weight), 1e-12);
  EXPECT_EQ(e.terms.size(), t.model.fields().size());
  std::string text = e.to_text();
  EXPECT_NE(text.find("prior"), std::string::npos);
  EXPECT_NE(text.find("match probability"), std::string::npos);
  EXPECT_NE(e.to_json().find("\"match_weight\""), std::string::npos);
}

}  // namespace
}  // namespace sg::resolve
