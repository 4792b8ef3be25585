#include "resolve/blocking.h"

#include <gtest/gtest.h>

#include <set>

namespace sg::resolve {
namespace {

RecordStore people(const std::string& csv) {
  return RecordStore::load_texts({csv}, {"p.csv"}, "id",
                                 {{FieldKind::kGivenName, "g"},
                                  {FieldKind::kFamilyName, "f"},
                                  {FieldKind::kDateOfBirth, "d"}})
      .value();
}

std::set<std::pair<std::string, std::string>> pair_ids(const RecordStore& s, const Candidates& c) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& p : c.pairs) out.insert({s.id(p.a), s.id(p.b)});
  return out;
}

TEST(Blocking, CountsEachPairOnceUnderTheFirstRuleThatFindsIt) {
  RecordStore s =
      people("id,g,f,d\n1,ann,smith,2001-01-01\n2,ann,smyth,2001-01-01\n3,bob,jones,1990\n");
  auto rules = default_blocking_rules(s.comparators());
  Candidates c = generate_candidates(s, rules, {});
  EXPECT_EQ(c.pairs.size(), 1u);
  ASSERT_FALSE(c.rules.empty());
  EXPECT_EQ(c.rules[0].name, "date_of_birth:exact");
  EXPECT_EQ(c.rules[0].pairs, 1u);
  std::uint64_t total = 0;
  for (const auto& r : c.rules) total += r.pairs;
  EXPECT_EQ(total, 1u);  // Also in the phonetic-name block, but not counted again.
}

TEST(Blocking, SkipsAndReportsBlocksOverTheCap) {
  std::string csv = "id,g,f,d\n";
  for (int i = 0; i < 12; ++i)
    csv +=
        std::to_string(i) + ",x" + std::to_string(i) + ",y" + std::to_string(i) + ",2001-01-01\n";
  RecordStore s = people(csv);
  auto rule = parse_blocking_rule("date_of_birth:exact", s.comparators()).value();
  Candidates capped = generate_candidates(s, {rule}, {.max_block_size = 10});
  EXPECT_TRUE(capped.pairs.empty());
  EXPECT_EQ(capped.rules[0].capped_blocks, 1u);
  EXPECT_EQ(capped.rules[0].capped_records, 12u);
  Candidates full = generate_candidates(s, {rule}, {.max_block_size = 12});
  EXPECT_EQ(full.pairs.size(), 66u);
}

TEST(Blocking, LinkOnlyPairsRecordsFromDifferentFilesOnly) {
  auto s = RecordStore::load_texts({"id,g\n1,ann\n2,ann\n", "id,g\n3,ann\n"}, {"a.csv", "b.csv"},
                                   "id", {{FieldKind::kGivenName, "g"}})
               .value();
  auto rule = parse_blocking_rule("given_name:exact", s.comparators()).value();
  Candidates c = generate_candidates(s, {rule}, {.link_only = true});
  EXPECT_EQ(pair_ids(s, c),
            (std::set<std::pair<std::string, std::string>>{{"1", "3"}, {"2", "3"}}));
}

TEST(Blocking, AnyOrderRuleFindsNamesWrittenTheOtherWayRound) {
  RecordStore s = people("id,g,f,d\n1,sophie,snell,\n2,snell,sophie,\n");
  auto ordered =
      parse_blocking_rule("given_name:phonetic+family_name:phonetic", s.comparators()).value();
  auto any =
      parse_blocking_rule("given_name:phonetic|family_name:phonetic", s.comparators()).value();
  EXPECT_TRUE(generate_candidates(s, {ordered}, {}).pairs.empty());
  EXPECT_EQ(generate_candidates(s, {any}, {}).pairs.size(), 1u);
}

TEST(Blocking, RejectsMalformedRules) {
  RecordStore s = people("id,g,f,d\n1,a,b,2001\n");
  EXPECT_FALSE(parse_blocking_rule("", s.comparators()).ok());
  EXPECT_FALSE(parse_blocking_rule("given_name", s.comparators()).ok());
  EXPECT_FALSE(parse_blocking_rule("colour:exact", s.comparators()).ok());
  EXPECT_FALSE(parse_blocking_rule("given_name:sideways", s.comparators()).ok());
  EXPECT_FALSE(
      parse_blocking_rule("given_name:exact+family_name:exact|date_of_birth:year", s.comparators())
          .ok());
  EXPECT_TRUE(parse_blocking_rule("date_of_birth:year+family_name:prefix2", s.comparators()).ok());
}

TEST(Blocking, LeavesOutDefaultRulesWhoseFieldsAreAbsent) {
  RecordStore s = people("id,g,f,d\n1,a,b,2001\n");
  for (const auto& r : default_blocking_rules(s.comparators())) {
    EXPECT_EQ(r.name.find("postcode"), std::string::npos) << r.name;
  }
}

}  // namespace
}  // namespace sg::resolve
