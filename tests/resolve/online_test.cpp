#include "resolve/online.h"

#include <gtest/gtest.h>

#include <thread>

#include "resolve/compare.h"

namespace sg::resolve {
namespace {

PersonRecord person(std::string id, std::string agency, std::string given, std::string family,
                    std::string dob, std::string postcode = "") {
  PersonRecord p;
  p.id = std::move(id);
  p.agency_id = std::move(agency);
  p.given_name = std::move(given);
  p.family_name = std::move(family);
  p.date_of_birth = std::move(dob);
  p.postcode = std::move(postcode);
  return p;
}

// A pronounceable name that differs from the names of other seeds in several letters.
std::string made_up_name(int seed, int syllables) {
  static const char* kParts[] = {"ka", "lo", "mi", "re", "su", "ta", "vo", "ne", "bi",  "do",
                                 "fu", "ga", "hi", "jo", "pe", "ru", "wa", "ze", "qui", "xan"};
  std::string out;
  unsigned x = static_cast<unsigned>(seed) * 2654435761u + 12345u;
  for (int i = 0; i < syllables; ++i) {
    out += kParts[x % 20];
    x = x * 1103515245u + 12345u;
    x ^= x >> 13;
  }
  out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

TEST(OnlineMatcher, MatchesATransliteratedSpellingOfAKnownChild) {
  OnlineMatcher m;
  ASSERT_TRUE(m.add(person("a/c1", "police", "Mohammed", "Khan", "2011-03-04", "S60 1AA")).ok());
  ASSERT_TRUE(m.add(person("b/c1", "police", "Sophie", "Walker", "2010-07-09")).ok());
  auto found = m.match(person("", "health", "Muhammad", "Khan", "04/03/2011"), 0.5);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].record_id, "a/c1");
  EXPECT_EQ(found[0].entity_id, "a/c1");
  EXPECT_EQ(found[0].agency_id, "police");
  EXPECT_GE(found[0].probability, m.options().link_threshold);
  // The waterfall names the query side and each field's level.
  EXPECT_EQ(found[0].explanation.record_l, "query");
  EXPECT_EQ(found[0].explanation.record_r, "a/c1");
  bool dob_exact = false;
  for (const auto& t : found[0].explanation.terms) {
    if (t.field == "date_of_birth") dob_exact = t.label == "exact";
  }
  EXPECT_TRUE(dob_exact);
  // The query was not kept.
  EXPECT_EQ(m.size(), 2u);
}

TEST(OnlineMatcher, DoesNotMatchADifferentChildWithTheSameFamilyName) {
  OnlineMatcher m;
  ASSERT_TRUE(m.add(person("a/c1", "police", "Amy", "Example", "2012-05-01")).ok());
  auto found = m.match(person("", "health", "Ben", "Example", "2015-11-20"), 0.5);
  EXPECT_TRUE(found.empty());
}

TEST(OnlineMatcher, AddingAMatchingRecordJoinsTheEntityAndKeepsItsId) {
  OnlineMatcher m;
  EXPECT_EQ(*m.add(person("a/c1", "police", "Amy", "Example", "2012-05-01")), "a/c1");
  EXPECT_EQ(*m.add(person("x/c1", "school", "Zoe", "Other", "2013-01-01")), "x/c1");
  // A misspelt repeat joins the first entity: its id is the smallest member id, unchanged.
  EXPECT_EQ(*m.add(person("b/c1", "health", "Amy", "Exmaple", "2012-05-01")), "a/c1");
  auto entity = m.entity("b/c1");
  ASSERT_TRUE(entity.ok());
  EXPECT_EQ(entity->entity_id, "a/c1");
  EXPECT_EQ(entity->record_ids, (std::vector<std::string>{"a/c1", "b/c1"}));
  EXPECT_EQ(m.entity_of("x/c1"), "x/c1");
  EXPECT_FALSE(m.entity_of("nobody").has_value());
  EXPECT_EQ(m.entity("nobody").error().code, core::Code::kNotFound);
  EXPECT_EQ(m.add(person("a/c1", "police", "Amy", "Example", "2012-05-01")).error().code,
            core::Code::kAlreadyExists);
}

TEST(OnlineMatcher, DecisionsOverrideTheModelAndCanBeUndone) {
  OnlineMatcher m;
  ASSERT_TRUE(m.add(person("a/c1", "police", "Amy", "Example", "2012-05-01")).ok());
  ASSERT_TRUE(m.add(person("b/c1", "health", "Amy", "Example", "2012-05-01")).ok());
  ASSERT_TRUE(m.add(person("c/c1", "school", "Jade", "Smith", "2009-02-02")).ok());
  ASSERT_EQ(m.entity_of("b/c1"), "a/c1");

  ASSERT_TRUE(m.decide("a/c1", "b/c1", Verdict::kDifferent).ok());
  EXPECT_EQ(m.entity_of("b/c1"), "b/c1");
  ASSERT_TRUE(m.undo("a/c1", "b/c1").ok());
  EXPECT_EQ(m.entity_of("b/c1"), "a/c1");

  ASSERT_TRUE(m.decide("c/c1", "a/c1", Verdict::kSame).ok());
  EXPECT_EQ(m.entity_of("c/c1"), "a/c1");
  EXPECT_EQ(m.entity("a/c1")->record_ids.size(), 3u);
  ASSERT_TRUE(m.undo("a/c1", "c/c1").ok());
  EXPECT_EQ(m.entity_of("c/c1"), "c/c1");
  EXPECT_EQ(m.entity_of("b/c1"), "a/c1");

  ASSERT_TRUE(m.decide("a/c1", "c/c1", Verdict::kUnsure).ok());
  EXPECT_EQ(m.entity_of("c/c1"), "c/c1");
  EXPECT_EQ(m.decide("a/c1", "nobody", Verdict::kSame).error().code, core::Code::kNotFound);
  EXPECT_EQ(m.decide("a/c1", "a/c1", Verdict::kSame).error().code, core::Code::kInvalidArgument);
}

TEST(OnlineMatcher, DifferentForbidsAMergeByChainingToo) {
  OnlineMatcher m;
  ASSERT_TRUE(m.add(person("a/c1", "police", "Amy", "Example", "2012-05-01")).ok());
  ASSERT_TRUE(m.add(person("c/c1", "school", "Amy", "Example", "2012-05-01")).ok());
  ASSERT_TRUE(m.decide("a/c1", "c/c1", Verdict::kDifferent).ok());
  // A third record matching both can join one of them, never both.
  ASSERT_TRUE(m.add(person("b/c1", "health", "Amy", "Example", "2012-05-01")).ok());
  EXPECT_NE(m.entity_of("a/c1"), m.entity_of("c/c1"));
}

TEST(OnlineMatcher, QueuesPairsBetweenTheThresholdsForReview) {
  OnlineMatcher m;
  ASSERT_TRUE(m.add(person("a/c1", "police", "Amy", "Example", "")).ok());
  ASSERT_TRUE(m.add(person("b/c1", "health", "Amy", "Example", "")).ok());
  // Names alone: possible, not certain.
  EXPECT_EQ(m.entity_of("b/c1"), "b/c1");
  auto queued = m.review_candidates_of("b/c1");
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].record_l, "a/c1");
  EXPECT_EQ(queued[0].record_r, "b/c1");
  EXPECT_GE(queued[0].probability, m.options().review_threshold);
  EXPECT_LT(queued[0].probability, m.options().link_threshold);
}

TEST(OnlineMatcher, ComparesAnApproximateAgeWithADateOfBirth) {
  OnlineMatcher m;
  ASSERT_TRUE(m.add(person("a/c1", "police", "Amy", "Example", "2010-03-04")).ok());
  auto found = m.match(person("", "health", "Amy", "Example", "about 14 on 2024-06-01"), 0);
  ASSERT_EQ(found.size(), 1u);
  for (const auto& t : found[0].explanation.terms) {
    if (t.field == "date_of_birth") {
      EXPECT_EQ(t.level, 1) << t.label;  // Compatible birth years.
    }
  }
}

TEST(OnlineMatcher, LoadEstimatesTheModelWhenThereAreEnoughRecords) {
  OnlineOptions options;
  options.min_training_records = 200;
  OnlineMatcher m(options);
  std::vector<PersonRecord> records;
  for (int i = 0; i < 300; ++i) {
    std::string dob = std::to_string(2005 + i % 12) + "-0" + std::to_string(1 + i % 9) + "-1" +
                      std::to_string(i % 10);
    records.push_back(person("r" + std::to_string(1000 + i), i % 2 ? "police" : "health",
                             made_up_name(i, 3), made_up_name(i * 7 + 1, 4), dob));
  }
  // Every tenth person recorded again by another agency with a typo.
  for (int i = 0; i < 300; i += 10) {
    auto p = records[i];
    p.id = "s" + std::to_string(1000 + i);
    p.family_name += "e";
    records.push_back(p);
  }
  ASSERT_TRUE(m.load(records).ok());
  EXPECT_TRUE(m.trained());
  EXPECT_EQ(m.size(), 330u);
  EXPECT_EQ(m.entity_of("s1010"), "r1010");
  EXPECT_EQ(m.entity_of("r1011"), "r1011");
}

TEST(OnlineMatcher, ReadsAndWritesFromManyThreads) {
  OnlineMatcher m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m, t] {
      for (int i = 0; i < 50; ++i) {
        std::string id = std::to_string(t) + "/" + std::to_string(i);
        ASSERT_TRUE(m.add(person(id, "a", "Amy", made_up_name(i, 4), "2012-05-01")).ok());
        m.match(person("", "b", "Amy", made_up_name(i, 4), "2012-05-01"), 0.5);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(m.size(), 200u);
  // The four copies of each person form one entity.
  EXPECT_EQ(m.entity("0/7")->record_ids.size(), 4u);
}

}  // namespace
}  // namespace sg::resolve
