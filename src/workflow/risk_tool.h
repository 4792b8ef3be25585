// Versioned, data-defined risk screening tools (data/workflow/risk_tools/), in the shape of
// SERAF: indicators in three categories score points by recency, bands map the total to a
// level, forced rules set floors, and a practitioner may override with a reason.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace sg::workflow {

enum class IndicatorCategory { kVulnerability, kModerate, kSignificant };
std::string_view category_name(IndicatorCategory category);

struct Indicator {
  std::string code;
  IndicatorCategory category = IndicatorCategory::kVulnerability;
  std::string label;
};

// One observation of an indicator: what was seen, and when.
struct Observation {
  std::string code;
  core::Date seen_on;
};

struct Override {
  std::string level;
  std::string reason;
};

struct ScreeningInput {
  core::Date as_of;
  std::optional<core::Date> date_of_birth;
  std::vector<Observation> observations;
  std::optional<Override> override_level;
};

// Why an indicator counted, and for how much. Indicators that were observed but fall
// outside every scoring window are listed with 0 points, so nothing seen is hidden.
struct Contribution {
  std::string code;
  std::string label;
  IndicatorCategory category;
  core::Date seen_on;  // The most recent observation.
  int points = 0;
};

struct Screening {
  std::string tool_id;
  int tool_version = 0;
  int score = 0;
  std::string scored_level;         // From the bands alone.
  std::string level;                // After forced rules.
  std::vector<std::string> forced;  // Explanations of the forced rules that applied.
  std::optional<Override> override_level;
  std::string final_level;  // The override when given, else `level`.
  std::vector<Contribution> contributions;
  core::Date reassess_by;
};

class RiskTool {
 public:
  // Parses a tool definition; InvalidArgument naming the JSON path on any defect.
  static core::Result<RiskTool> parse(std::string_view json_text);
  // The shipped CSE screening tool, version 1.
  static const RiskTool& cse_screening_v1();

  // Scores `input`. InvalidArgument naming the field for an unknown indicator code
  // ("observations/N/code"), an observation dated after as_of ("observations/N/seen_on"),
  // an unknown override level, or an override without a reason ("override/reason").
  core::Result<Screening> screen(const ScreeningInput& input) const;

  const std::string& id() const { return id_; }
  int version() const { return version_; }
  const std::vector<Indicator>& indicators() const { return indicators_; }
  const Indicator* find(std::string_view code) const;
  // Levels from lowest to highest.
  const std::vector<std::string>& levels() const { return levels_; }

 private:
  struct Step {
    std::optional<int> within_months;  // Unset: counts whenever seen.
    int points = 0;
  };
  struct Band {
    std::string level;
    int min = 0;
  };
  struct Forced {
    std::string explain;
    std::optional<std::string> when_indicator;
    std::optional<int> when_age_under;
    std::string at_least;  // The level below which this rule never lets the child fall.
  };
  int rank(std::string_view level) const;

  std::string id_;
  int version_ = 0;
  int reassess_after_months_ = 3;
  std::vector<Indicator> indicators_;
  std::vector<Step> steps_[3];  // By category.
  std::vector<Band> bands_;
  std::vector<std::string> levels_;
  std::vector<Forced> forced_;
};

}  // namespace sg::workflow
