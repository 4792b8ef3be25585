#include "workflow/risk_tool.h"

#include <gtest/gtest.h>

namespace sg::workflow {
namespace {

core::Date d(const char* iso) { return core::Date::parse_iso(iso).value(); }

const RiskTool& tool() { return RiskTool::cse_screening_v1(); }

ScreeningInput input(std::vector<Observation> observations,
                     std::optional<core::Date> dob = d("2010-01-01")) {
  return {d("2026-11-30"), dob, std::move(observations), std::nullopt};
}

TEST(RiskTool, NoIndicatorsIsNotAtRisk) {
  auto s = tool().screen(input({})).value();
  EXPECT_EQ(s.score, 0);
  EXPECT_EQ(s.final_level, "not_at_risk");
  EXPECT_EQ(s.reassess_by, d("2027-02-28"));
}

TEST(RiskTool, VulnerabilitiesScoreOneEachWhenever) {
  auto s = tool()
               .screen(input({{"V_PRIOR_ABUSE", d("2015-01-01")},
                              {"V_LOOKED_AFTER", d("2026-11-01")},
                              {"V_LOOKED_AFTER", d("2020-01-01")}}))
               .value();
  EXPECT_EQ(s.score, 2) << "an indicator counts once";
  ASSERT_EQ(s.contributions.size(), 2u);
  EXPECT_EQ(s.contributions[0].code, "V_LOOKED_AFTER") << "in the tool's order";
  EXPECT_EQ(s.contributions[0].seen_on, d("2026-11-01")) << "the latest observation is shown";
}

TEST(RiskTool, ModerateIndicatorsCountOnlyWithinThreeMonths) {
  auto s = tool()
               .screen(input({{"M_MISSING_EPISODE", d("2026-08-30")},  // exactly 3 months
                              {"M_SUBSTANCE_USE", d("2026-08-29")}}))  // just older
               .value();
  EXPECT_EQ(s.score, 1);
  ASSERT_EQ(s.contributions.size(), 2u) << "old indicators are still shown, with 0 points";
  EXPECT_EQ(s.contributions[1].points, 0);
}

TEST(RiskTool, SignificantIndicatorsScoreFiveThenOneThenNothing) {
  auto recent = tool().screen(input({{"S_MISSING_REPEAT", d("2026-06-01")}})).value();
  EXPECT_EQ(recent.score, 5);
  auto older = tool().screen(input({{"S_MISSING_REPEAT", d("2026-02-01")}})).value();
  EXPECT_EQ(older.score, 1);
  auto stale = tool().screen(input({{"S_MISSING_REPEAT", d("2025-10-01")}})).value();
  EXPECT_EQ(stale.score, 0);
}

TEST(RiskTool, BandsMapTheTotal) {
  // 5 vulnerabilities = 5 (not at risk); +1 moderate = 6 (mild); +5 = 11 (moderate);
  // +5 = 16 (significant).
  std::vector<Observation> obs = {{"V_PRIOR_ABUSE", d("2026-01-01")},
                                  {"V_NEGLECT", d("2026-01-01")},
                                  {"V_MENTAL_HEALTH", d("2026-01-01")},
                                  {"V_ISOLATION", d("2026-01-01")},
                                  {"V_BEREAVEMENT", d("2026-01-01")}};
  EXPECT_EQ(tool().screen(input(obs)).value().final_level, "not_at_risk");
  obs.push_back({"M_SUBSTANCE_USE", d("2026-11-01")});
  EXPECT_EQ(tool().screen(input(obs)).value().final_level, "mild");
  obs.push_back({"S_CONTROLLING_RELATIONSHIP", d("2026-11-01")});
  EXPECT_EQ(tool().screen(input(obs)).value().final_level, "moderate");
  obs.push_back({"S_FOUND_AT_ADULT_ADDRESS", d("2026-11-01")});
  auto s = tool().screen(input(obs)).value();
  EXPECT_EQ(s.score, 16);
  EXPECT_EQ(s.final_level, "significant");
  EXPECT_TRUE(s.forced.empty());
}

TEST(RiskTool, DisclosureForcesSignificant) {
  auto s = tool().screen(input({{"S_DISCLOSURE", d("2024-01-01")}})).value();
  EXPECT_EQ(s.score, 0) << "an old disclosure scores nothing but still forces the level";
  EXPECT_EQ(s.scored_level, "not_at_risk");
  EXPECT_EQ(s.final_level, "significant");
  ASSERT_EQ(s.forced.size(), 1u);
}

TEST(RiskTool, UnderThirteenIsNeverBelowModerate) {
  auto young = tool().screen(input({}, d("2014-01-01"))).value();
  EXPECT_EQ(young.final_level, "moderate");
  auto thirteen_today = tool().screen(input({}, d("2013-11-30"))).value();
  EXPECT_EQ(thirteen_today.final_level, "not_at_risk");
  auto unknown_age = tool().screen(input({}, std::nullopt)).value();
  EXPECT_EQ(unknown_age.final_level, "not_at_risk");
}

TEST(RiskTool, LearningDisabilityIsNeverBelowModerate) {
  auto s = tool().screen(input({{"V_LEARNING_DISABILITY", d("2020-01-01")}})).value();
  EXPECT_EQ(s.score, 1);
  EXPECT_EQ(s.final_level, "moderate");
}

TEST(RiskTool, ForcedFloorDoesNotLowerAHigherScore) {
  auto s = tool()
               .screen(input({{"V_LEARNING_DISABILITY", d("2020-01-01")},
                              {"S_CONTROLLING_RELATIONSHIP", d("2026-11-01")},
                              {"S_FOUND_AT_ADULT_ADDRESS", d("2026-11-01")},
                              {"S_SUPPLIED_DRUGS_ALCOHOL", d("2026-11-01")}}))
               .value();
  EXPECT_EQ(s.score, 16);
  EXPECT_EQ(s.final_level, "significant");
  EXPECT_TRUE(s.forced.empty());
}

TEST(RiskTool, OverrideNeedsAReasonAndIsRecordedBesideTheScore) {
  auto in = input({{"M_SUBSTANCE_USE", d("2026-11-01")}});
  in.override_level = Override{"moderate", "  "};
  EXPECT_EQ(tool().screen(in).error().field, "override/reason");
  in.override_level = Override{"extreme", "reason"};
  EXPECT_EQ(tool().screen(in).error().field, "override/level");
  in.override_level = Override{"moderate", "sibling recently exploited by the same group"};
  auto s = tool().screen(in).value();
  EXPECT_EQ(s.level, "not_at_risk");
  EXPECT_EQ(s.final_level, "moderate");
}

TEST(RiskTool, RejectsUnknownCodesAndFutureObservations) {
  EXPECT_EQ(tool().screen(input({{"made_up", d("2026-01-01")}})).error().field,
            "observations/0/code");
  EXPECT_EQ(
      tool()
          .screen(input({{"V_PRIOR_ABUSE", d("2026-01-01")}, {"M_SUBSTANCE_USE", d("2026-12-01")}}))
          .error()
          .field,
      "observations/1/seen_on");
}

TEST(RiskTool, MalformedToolsAreRefused) {
  EXPECT_FALSE(RiskTool::parse("{}").ok());
  auto bad_band = RiskTool::parse(R"({"id":"t","version":1,
    "indicators":[{"code":"a","category":"moderate"}],
    "scoring":{"vulnerability":[],"moderate":[{"points":1}],"significant":[]},
    "bands":[{"level":"low","min":0},{"level":"high","min":0}]})");
  EXPECT_EQ(bad_band.error().field, "/bands/1/min");
}

}  // namespace
}  // namespace sg::workflow
