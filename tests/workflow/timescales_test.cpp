#include "workflow/timescales.h"

#include <gtest/gtest.h>

namespace sg::workflow {
namespace {

core::Date d(const char* iso) { return core::Date::parse_iso(iso).value(); }

TEST(Timescales, ReferralDecisionOverChristmasIsDueTheNextWorkingDay) {
  // Received Thursday 24 December 2026: Friday 25 and Monday 28 are bank holidays.
  EXPECT_EQ(Timescales::shipped().due("referral_decision", d("2026-12-24")).value(),
            d("2026-12-29"));
}

TEST(Timescales, AssessmentIs45WorkingDaysUnderTheCurrentRegime) {
  // 2 March 2026 + 45 working days, with Good Friday 3 April and Easter Monday 6 April.
  EXPECT_EQ(Timescales::shipped().due("assessment", d("2026-03-02")).value(), d("2026-05-07"));
}

TEST(Timescales, InitialConferenceIs15WorkingDaysAfterTheStrategyDiscussion) {
  // Strategy discussion Friday 22 May 2026; spring bank holiday Monday 25 May.
  EXPECT_EQ(Timescales::shipped().due("initial_conference", d("2026-05-22")).value(),
            d("2026-06-15"));
}

TEST(Timescales, ReviewsFollowInMonthsClampedToMonthEnd) {
  const auto& t = Timescales::shipped();
  EXPECT_EQ(t.due("first_review_conference", d("2026-11-30")).value(), d("2027-02-28"));
  EXPECT_EQ(t.due("review_conference", d("2027-02-28")).value(), d("2027-08-28"));
  EXPECT_EQ(add_months(d("2024-01-31"), 1), d("2024-02-29"));
}

TEST(Timescales, Pre2013RegimeUsesInitialAndCoreAssessments) {
  const auto& t = Timescales::shipped();
  auto regime = t.regime_on(d("2010-06-01")).value();
  EXPECT_EQ(regime->id, "pre_2013");
  // Referral accepted Monday 7 June 2010: initial assessment 10 working days.
  EXPECT_EQ(t.due("initial_assessment", d("2010-06-07")).value(), d("2010-06-21"));
  // Core assessment 35 working days from Monday 21 June 2010 (no bank holidays to 9 Aug).
  EXPECT_EQ(t.due("core_assessment", d("2010-06-21")).value(), d("2010-08-09"));
  // The single assessment did not exist then.
  EXPECT_EQ(t.due("assessment", d("2010-06-07")).error().code, core::Code::kNotFound);
}

TEST(Timescales, RegimeChangesOnItsEffectiveDate) {
  const auto& t = Timescales::shipped();
  EXPECT_EQ(t.regime_on(d("2013-04-14")).value()->id, "pre_2013");
  EXPECT_EQ(t.regime_on(d("2013-04-15")).value()->id, "working_together_2013");
  EXPECT_FALSE(t.regime_on(d("1994-12-31")).ok());
}

TEST(Timescales, EveryShippedRuleCitesItsSource) {
  for (const auto& regime : Timescales::shipped().regimes()) {
    for (const auto& rule : regime.timescales) {
      EXPECT_FALSE(rule.source.empty()) << regime.id << " " << rule.task;
    }
  }
}

TEST(Timescales, MalformedDocumentsNameThePath) {
  EXPECT_EQ(Timescales::parse("[]").error().code, core::Code::kInvalidArgument);
  auto missing_unit = Timescales::parse(
      R"({"regimes":[{"id":"a","name":"A","effective_from":"2000-01-01",
          "timescales":[{"task":"t","after":"x"}]}]})");
  EXPECT_EQ(missing_unit.error().field, "/regimes/0/timescales/0");
  auto bad_date = Timescales::parse(
      R"({"regimes":[{"id":"a","name":"A","effective_from":"2000-02-30","timescales":[]}]})");
  EXPECT_EQ(bad_date.error().field, "/regimes/0/effective_from");
}

}  // namespace
}  // namespace sg::workflow
