// Forgetting erased records (issue 6, docs/retention.md): after forget(), the online matcher
// answers every question exactly as a matcher that was never given those records does.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "resolve/online.h"
#include "synthetic_people.h"

namespace sg::resolve {
namespace {

PersonRecord person(std::string id, std::string agency, std::string given, std::string family,
                    std::string dob, std::string phone = "") {
  PersonRecord p;
  p.id = std::move(id);
  p.agency_id = std::move(agency);
  p.given_name = std::move(given);
  p.family_name = std::move(family);
  p.date_of_birth = std::move(dob);
  p.phone = std::move(phone);
  return p;
}

// The synthetic town's records (1 to 3 noisy records per person), from two agencies.
std::vector<PersonRecord> town(int people, unsigned seed) {
  auto synthetic = testing::make_people(people, seed);
  std::vector<PersonRecord> out;
  std::istringstream lines(synthetic.csv);
  std::string line;
  std::getline(lines, line);  // The header.
  while (std::getline(lines, line)) {
    std::vector<std::string> f;
    std::stringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) f.push_back(cell);
    f.resize(6);
    PersonRecord p = person(f[0], out.size() % 2 ? "police" : "health", f[1], f[2], f[3]);
    p.postcode = f[4];
    p.address = f[5];
    out.push_back(std::move(p));
  }
  return out;
}

// Everything the matcher answers about the records `ids` and the queries `queries`: each
// record's entity and its members, its review-band pairs, and each query's matches (with
// weights, entities and waterfalls). Two matchers that agree on these behave alike.
std::string answers(OnlineMatcher& m, const std::vector<std::string>& ids,
                    const std::vector<PersonRecord>& queries) {
  std::ostringstream out;
  out.precision(17);
  out << "size " << m.size() << "\n";
  for (const auto& id : ids) {
    auto entity = m.entity(id);
    out << id << " in " << m.entity_of(id).value_or("(none)") << ":";
    if (entity.ok()) {
      for (const auto& r : entity->record_ids) out << " " << r;
    } else {
      out << " not found";
    }
    out << "\n  review:";
    for (const auto& c : m.review_candidates_of(id)) {
      out << " " << c.record_l << "~" << c.record_r << "=" << c.probability;
    }
    out << "\n";
  }
  for (const auto& q : queries) {
    out << "query " << q.id << ":";
    for (const auto& found : m.match(q, 0.0, 1000)) {
      out << " " << found.record_id << "@" << found.entity_id << "=" << found.weight << "/"
          << found.explanation.to_json();
    }
    out << "\n";
  }
  return out.str();
}

std::vector<std::string> ids_of(const std::vector<PersonRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.id);
  return out;
}

// The records of `all` not named in `erased`.
std::vector<PersonRecord> without(const std::vector<PersonRecord>& all,
                                  const std::set<std::string>& erased) {
  std::vector<PersonRecord> out;
  for (const auto& r : all) {
    if (!erased.contains(r.id)) out.push_back(r);
  }
  return out;
}

// Every n-th record, from `first`.
std::set<std::string> every(const std::vector<PersonRecord>& records, std::size_t n,
                            std::size_t first) {
  std::set<std::string> out;
  for (std::size_t i = first; i < records.size(); i += n) out.insert(records[i].id);
  return out;
}

// Bridge: A and C are each the same person as B, but too different from each other to link.
const PersonRecord kA = person("p2/a", "police", "Amy", "Example", "2012-05-01");
const PersonRecord kB = person("p1/b", "health", "Amy", "Example", "2012-05-01", "07700 900123");
const PersonRecord kC = person("p3/c", "school", "", "Example", "", "07700 900123");

TEST(OnlineMatcherForget, ARecordThatAloneJoinedTwoOthersLeavesThemApart) {
  OnlineMatcher m;
  for (const auto& p : {kA, kB, kC}) ASSERT_TRUE(m.add(p).ok());
  // The entity is named by its smallest record id, B's.
  ASSERT_EQ(m.entity("p2/a")->record_ids, (std::vector<std::string>{"p1/b", "p2/a", "p3/c"}));
  ASSERT_EQ(m.entity_of("p3/c"), "p1/b");

  EXPECT_EQ(m.forget({"p1/b"}), 1u);

  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.entity_of("p2/a"), "p2/a");
  EXPECT_EQ(m.entity_of("p3/c"), "p3/c");
  EXPECT_EQ(m.entity("p2/a")->record_ids, std::vector<std::string>{"p2/a"});
  // The old entity id was B's record id: it names nothing now, and is never reused.
  EXPECT_FALSE(m.entity_of("p1/b").has_value());
  EXPECT_EQ(m.entity("p1/b").error().code, core::Code::kNotFound);
  EXPECT_EQ(m.explain("p2/a", "p1/b").error().code, core::Code::kNotFound);
  // B is proposed for nothing: a query that is B finds only A and C, by what they hold.
  for (const auto& found : m.match(kB, 0.0)) EXPECT_NE(found.record_id, "p1/b");

  OnlineMatcher never;
  for (const auto& p : {kA, kC}) ASSERT_TRUE(never.add(p).ok());
  const std::vector<std::string> ids = {"p1/b", "p2/a", "p3/c"};
  EXPECT_EQ(answers(m, ids, {kA, kB, kC}), answers(never, ids, {kA, kB, kC}));
  // Forgetting again, or an unknown id, changes nothing.
  EXPECT_EQ(m.forget({"p1/b", "nobody"}), 0u);
  EXPECT_EQ(answers(m, ids, {kA, kB, kC}), answers(never, ids, {kA, kB, kC}));
}

TEST(OnlineMatcherForget, RecordsStillJoinedByAnotherStayTogetherUnderTheSmallestRemainingId) {
  OnlineMatcher m;
  const PersonRecord d = person("p4/d", "police", "Amy", "Example", "2012-05-01", "07700 900123");
  for (const auto& p : {kA, kB, kC, d}) ASSERT_TRUE(m.add(p).ok());
  ASSERT_EQ(m.entity_of("p4/d"), "p1/b");
  EXPECT_EQ(m.forget({"p1/b"}), 1u);
  // D holds what B held, so A, C and D stay one person, now named by A's id.
  EXPECT_EQ(m.entity("p3/c")->record_ids, (std::vector<std::string>{"p2/a", "p3/c", "p4/d"}));
  EXPECT_EQ(m.entity_of("p4/d"), "p2/a");
  // All of an entity's records forgotten: the entity is gone.
  EXPECT_EQ(m.forget({"p2/a", "p3/c", "p4/d"}), 3u);
  EXPECT_EQ(m.size(), 0u);
  EXPECT_EQ(m.entity("p2/a").error().code, core::Code::kNotFound);
  EXPECT_TRUE(m.match(kA, 0.0).empty());
}

TEST(OnlineMatcherForget, DropsTheReviewPairsAndDecisionsThatNameTheRecord) {
  OnlineMatcher m;
  ASSERT_TRUE(m.add(person("a", "police", "Amy", "Example", "")).ok());
  ASSERT_TRUE(m.add(person("b", "health", "Amy", "Example", "")).ok());
  ASSERT_TRUE(m.add(person("c", "school", "Amy", "Example", "")).ok());
  ASSERT_EQ(m.review_candidates_of("c").size(), 2u);
  // An analyst joined a and c, and kept b apart from c.
  ASSERT_TRUE(m.decide("a", "c", Verdict::kSame).ok());
  ASSERT_TRUE(m.decide("b", "c", Verdict::kDifferent).ok());
  ASSERT_EQ(m.entity_of("c"), "a");

  EXPECT_EQ(m.forget({"a"}), 1u);
  EXPECT_EQ(m.entity_of("c"), "c");  // The "same" decision went with a.
  auto queued = m.review_candidates_of("c");
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].record_l, "b");
  EXPECT_EQ(m.undo("a", "c").code(), core::Code::kNotFound);

  OnlineMatcher never;
  ASSERT_TRUE(never.add(person("b", "health", "Amy", "Example", "")).ok());
  ASSERT_TRUE(never.add(person("c", "school", "Amy", "Example", "")).ok());
  ASSERT_TRUE(never.decide("b", "c", Verdict::kDifferent).ok());
  const auto q = person("q", "council", "Amy", "Example", "");
  EXPECT_EQ(answers(m, {"a", "b", "c"}, {q}), answers(never, {"a", "b", "c"}, {q}));
}

// The property, on the synthetic town: records added one by one, decisions on some pairs,
// then a third of the records forgotten, equals the same history without those records.
// Small blocks make the max_block windows matter: a forgotten record no longer crowds an
// older one out of a later record's comparisons.
class ForgetEquivalence : public ::testing::TestWithParam<std::size_t> {};

TEST_P(ForgetEquivalence, AddedOneByOneThenForgottenEqualsNeverAdded) {
  OnlineOptions options;
  options.max_block = GetParam();
  const auto all = town(120, 7);
  const auto erased = every(all, 3, 1);
  // Decisions on pairs of neighbours, some naming records that will be forgotten.
  std::vector<std::pair<std::string, std::string>> same, different;
  for (std::size_t i = 0; i + 5 < all.size(); i += 11) {
    same.emplace_back(all[i].id, all[i + 5].id);
    different.emplace_back(all[i + 1].id, all[i + 2].id);
  }
  auto build = [&](OnlineMatcher& m, const std::vector<PersonRecord>& records) {
    for (const auto& p : records) ASSERT_TRUE(m.add(p).ok());
    for (const auto& [l, r] : same) (void)m.decide(l, r, Verdict::kSame);
    for (const auto& [l, r] : different) (void)m.decide(l, r, Verdict::kDifferent);
  };
  OnlineMatcher m(options), never(options);
  build(m, all);
  build(never, without(all, erased));
  const std::string before = answers(m, ids_of(all), all);
  EXPECT_EQ(m.forget({erased.begin(), erased.end()}), erased.size());
  const std::string after = answers(m, ids_of(all), all);
  EXPECT_NE(before, after);
  EXPECT_EQ(after, answers(never, ids_of(all), all));
}

TEST_P(ForgetEquivalence, LoadedThenAddedThenForgottenEqualsNeverAdded) {
  OnlineOptions options;
  options.max_block = GetParam();
  const auto all = town(120, 11);
  const std::vector<PersonRecord> loaded(all.begin(), all.begin() + all.size() / 2);
  const std::vector<PersonRecord> added(all.begin() + all.size() / 2, all.end());
  const auto erased = every(all, 4, 2);
  auto build = [&](OnlineMatcher& m, const std::set<std::string>& skip) {
    ASSERT_TRUE(m.load(without(loaded, skip)).ok());
    for (const auto& p : without(added, skip)) ASSERT_TRUE(m.add(p).ok());
  };
  OnlineMatcher m(options), never(options);
  build(m, {});
  build(never, erased);
  EXPECT_EQ(m.forget({erased.begin(), erased.end()}), erased.size());
  EXPECT_EQ(answers(m, ids_of(all), all), answers(never, ids_of(all), all));
}

INSTANTIATE_TEST_SUITE_P(BlockCaps, ForgetEquivalence, ::testing::Values(1, 2, 5, 250),
                         [](const auto& info) {
                           return "max_block_" + std::to_string(info.param);
                         });

TEST(OnlineMatcherForget, ComparesThePairsAForgottenRecordHadCrowdedOutOfACappedBlock) {
  OnlineOptions options;
  options.max_block = 1;  // Each record is compared with the newest record of each block.
  const auto x = person("x", "police", "Amy", "Example", "2012-05-01");
  const auto b = person("b", "health", "Amy", "Example", "2012-05-01");
  const auto y = person("y", "school", "Amy", "Example", "2012-05-01");
  OnlineMatcher m(options);
  for (const auto& p : {x, b, y}) ASSERT_TRUE(m.add(p).ok());
  // y was compared with b only, and joined x through it.
  ASSERT_EQ(m.entity("y")->record_ids, (std::vector<std::string>{"b", "x", "y"}));
  m.forget({"b"});
  // Had b never come, y would have been compared with x: they are one person still.
  EXPECT_EQ(m.entity("y")->record_ids, (std::vector<std::string>{"x", "y"}));
  OnlineMatcher never(options);
  for (const auto& p : {x, y}) ASSERT_TRUE(never.add(p).ok());
  EXPECT_EQ(answers(m, {"b", "x", "y"}, {x, b, y}), answers(never, {"b", "x", "y"}, {x, b, y}));
}

TEST(OnlineMatcherForget, RecordsAddedAfterAForgettingAreMatchedAsIfItNeverHappened) {
  const auto all = town(80, 5);
  const auto erased = every(all, 2, 0);
  const std::vector<PersonRecord> later = town(30, 6);
  OnlineOptions options;
  options.max_block = 3;
  OnlineMatcher m(options), never(options);
  for (const auto& p : all) ASSERT_TRUE(m.add(p).ok());
  m.forget({erased.begin(), erased.end()});
  for (const auto& p : without(all, erased)) ASSERT_TRUE(never.add(p).ok());
  // Ids of the later records differ from the town's.
  for (auto p : later) {
    p.id = "later/" + p.id;
    ASSERT_EQ(m.add(p).value(), never.add(p).value());
  }
  EXPECT_EQ(answers(m, ids_of(all), all), answers(never, ids_of(all), all));
}

TEST(OnlineMatcherForget, AnEstimatedModelIsReestimatedWithoutTheForgottenRecords) {
  OnlineOptions options;
  options.min_training_records = 100;
  const auto all = town(150, 3);
  const auto erased = every(all, 5, 0);
  OnlineMatcher m(options), never(options);
  ASSERT_TRUE(m.load(all).ok());
  ASSERT_TRUE(m.trained());
  m.forget({erased.begin(), erased.end()});
  for (const auto& id : erased) EXPECT_FALSE(m.entity_of(id).has_value());
  for (const auto& found : m.match(all[0], 0.0, 1000)) {
    EXPECT_FALSE(erased.contains(found.record_id)) << found.record_id;
  }
  // retrain() (or a restart) estimates the model from the records held, as a matcher loaded
  // without the forgotten ones does.
  EXPECT_TRUE(m.retrain());
  ASSERT_TRUE(never.load(without(all, erased)).ok());
  ASSERT_TRUE(never.trained());
  for (const auto& p : without(all, erased)) {
    EXPECT_EQ(m.entity(p.id)->record_ids, never.entity(p.id)->record_ids) << p.id;
  }
  auto ours = m.match(all[1], 0.0, 1000), theirs = never.match(all[1], 0.0, 1000);
  ASSERT_EQ(ours.size(), theirs.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    EXPECT_EQ(ours[i].record_id, theirs[i].record_id);
    EXPECT_NEAR(ours[i].weight, theirs[i].weight, 1e-9);
  }
}

TEST(OnlineMatcherForget, ForgetsWhileOtherThreadsAddAndMatch) {
  OnlineMatcher m;
  const auto all = town(100, 9);
  for (const auto& p : all) ASSERT_TRUE(m.add(p).ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&m, &all, t] {
      for (std::size_t i = 0; i < all.size(); ++i) {
        PersonRecord p = all[i];
        p.id = "t" + std::to_string(t) + "/" + p.id;
        (void)m.add(p);
        m.match(all[(i * 7) % all.size()], 0.5);
        (void)m.entity(all[i].id);
      }
    });
  }
  threads.emplace_back([&m, &all] {
    for (std::size_t i = 0; i < all.size(); i += 2) m.forget({all[i].id});
  });
  for (auto& th : threads) th.join();
  EXPECT_EQ(m.size(), all.size() * 4 - (all.size() + 1) / 2);
  for (std::size_t i = 0; i < all.size(); i += 2) EXPECT_FALSE(m.entity_of(all[i].id));
}

}  // namespace
}  // namespace sg::resolve
