#include "workflow/risk_tool.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "workflow/timescales.h"

namespace sg::embedded {
std::string_view cse_screening_v1_json();
}

namespace sg::workflow {
namespace {

using nlohmann::json;

core::Error bad(const std::string& path, const std::string& what) {
  return core::invalid_argument(what, path);
}

core::Result<IndicatorCategory> parse_category(const json& node, const std::string& path) {
  if (node == "vulnerability") return IndicatorCategory::kVulnerability;
  if (node == "moderate") return IndicatorCategory::kModerate;
  if (node == "significant") return IndicatorCategory::kSignificant;
  return bad(path, "must be vulnerability, moderate or significant");
}

// Whole years from `dob` to `on`.
int age_on(core::Date dob, core::Date on) {
  int age = on.year() - dob.year();
  if (on.month() < dob.month() || (on.month() == dob.month() && on.day() < dob.day())) --age;
  return age;
}

}  // namespace

std::string_view category_name(IndicatorCategory category) {
  switch (category) {
    case IndicatorCategory::kVulnerability:
      return "vulnerability";
    case IndicatorCategory::kModerate:
      return "moderate";
    case IndicatorCategory::kSignificant:
      return "significant";
  }
  return "vulnerability";
}

const Indicator* RiskTool::find(std::string_view code) const {
  for (const auto& i : indicators_) {
    if (i.code == code) return &i;
  }
  return nullptr;
}

int RiskTool::rank(std::string_view level) const {
  for (size_t i = 0; i < levels_.size(); ++i) {
    if (levels_[i] == level) return static_cast<int>(i);
  }
  return -1;
}

core::Result<RiskTool> RiskTool::parse(std::string_view json_text) {
  auto doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return bad("", "the tool is not a JSON object");
  RiskTool tool;
  if (!doc.contains("id") || !doc["id"].is_string()) return bad("/id", "must be a string");
  tool.id_ = doc["id"];
  if (!doc.contains("version") || !doc["version"].is_number_integer()) {
    return bad("/version", "must be an integer");
  }
  tool.version_ = doc["version"];
  if (doc.contains("reassess_after_months")) {
    if (!doc["reassess_after_months"].is_number_integer()) {
      return bad("/reassess_after_months", "must be an integer");
    }
    tool.reassess_after_months_ = doc["reassess_after_months"];
  }

  const auto& indicators = doc.value("indicators", json::array());
  if (!indicators.is_array() || indicators.empty()) {
    return bad("/indicators", "must be a non-empty array");
  }
  for (size_t i = 0; i < indicators.size(); ++i) {
    std::string path = "/indicators/" + std::to_string(i);
    const auto& node = indicators[i];
    if (!node.is_object() || !node.contains("code") || !node["code"].is_string()) {
      return bad(path + "/code", "must be a string");
    }
    Indicator ind;
    ind.code = node["code"];
    ind.category = SG_TRY(parse_category(node.value("category", json()), path + "/category"));
    ind.label = node.value("label", ind.code);
    if (tool.find(ind.code)) return bad(path + "/code", "duplicate indicator code");
    tool.indicators_.push_back(std::move(ind));
  }

  const auto& scoring = doc.value("scoring", json::object());
  const char* names[] = {"vulnerability", "moderate", "significant"};
  for (int c = 0; c < 3; ++c) {
    std::string path = std::string("/scoring/") + names[c];
    if (!scoring.contains(names[c]) || !scoring[names[c]].is_array()) {
      return bad(path, "must be an array of {within_months, points}");
    }
    for (const auto& s : scoring[names[c]]) {
      Step step;
      if (!s.is_object() || !s.contains("points") || !s["points"].is_number_integer()) {
        return bad(path, "each step needs integer points");
      }
      step.points = s["points"];
      if (s.contains("within_months") && !s["within_months"].is_null()) {
        if (!s["within_months"].is_number_integer()) return bad(path, "within_months: integer");
        step.within_months = s["within_months"].get<int>();
      }
      tool.steps_[c].push_back(step);
    }
  }

  const auto& bands = doc.value("bands", json::array());
  if (!bands.is_array() || bands.empty()) return bad("/bands", "must be a non-empty array");
  for (size_t i = 0; i < bands.size(); ++i) {
    const auto& b = bands[i];
    std::string path = "/bands/" + std::to_string(i);
    if (!b.is_object() || !b.contains("level") || !b["level"].is_string() || !b.contains("min") ||
        !b["min"].is_number_integer()) {
      return bad(path, "needs a string level and an integer min");
    }
    Band band{b["level"], b["min"]};
    if (!tool.bands_.empty() && band.min <= tool.bands_.back().min) {
      return bad(path + "/min", "bands must rise strictly");
    }
    tool.bands_.push_back(band);
    tool.levels_.push_back(band.level);
  }
  if (tool.bands_.front().min != 0) return bad("/bands/0/min", "the lowest band must start at 0");

  const auto& forced = doc.value("forced", json::array());
  for (size_t i = 0; i < forced.size(); ++i) {
    const auto& f = forced[i];
    std::string path = "/forced/" + std::to_string(i);
    Forced rule;
    rule.explain = f.value("explain", std::string());
    if (f.contains("when_indicator")) {
      if (!f["when_indicator"].is_string()) return bad(path + "/when_indicator", "string");
      rule.when_indicator = f["when_indicator"].get<std::string>();
      if (!tool.find(*rule.when_indicator)) return bad(path + "/when_indicator", "unknown code");
    }
    if (f.contains("when_age_under")) {
      if (!f["when_age_under"].is_number_integer()) return bad(path + "/when_age_under", "int");
      rule.when_age_under = f["when_age_under"].get<int>();
    }
    if (rule.when_indicator.has_value() == rule.when_age_under.has_value()) {
      return bad(path, "needs exactly one of when_indicator and when_age_under");
    }
    if (!f.contains("at_least") || !f["at_least"].is_string() ||
        tool.rank(f["at_least"].get<std::string>()) < 0) {
      return bad(path + "/at_least", "must name a level that a band has");
    }
    rule.at_least = f["at_least"].get<std::string>();
    tool.forced_.push_back(std::move(rule));
  }
  return tool;
}

const RiskTool& RiskTool::cse_screening_v1() {
  static const RiskTool tool = [] {
    auto parsed = parse(embedded::cse_screening_v1_json());
    if (!parsed.ok()) {
      std::fprintf(stderr, "shipped risk tool is malformed: %s\n",
                   parsed.error().to_string().c_str());
      std::abort();
    }
    return std::move(parsed).value();
  }();
  return tool;
}

core::Result<Screening> RiskTool::screen(const ScreeningInput& input) const {
  // The most recent observation of each indicator counts, once.
  std::map<std::string, core::Date> latest;
  for (size_t i = 0; i < input.observations.size(); ++i) {
    const auto& obs = input.observations[i];
    std::string path = "observations/" + std::to_string(i);
    if (!find(obs.code)) return core::invalid_argument("unknown indicator code", path + "/code");
    if (obs.seen_on > input.as_of) {
      return core::invalid_argument("is after the screening date", path + "/seen_on");
    }
    auto [it, added] = latest.emplace(obs.code, obs.seen_on);
    if (!added && obs.seen_on > it->second) it->second = obs.seen_on;
  }
  if (input.override_level) {
    if (rank(input.override_level->level) < 0) {
      return core::invalid_argument("is not a level of this tool", "override/level");
    }
    if (input.override_level->reason.find_first_not_of(" \t\r\n") == std::string::npos) {
      return core::invalid_argument("an override needs a reason", "override/reason");
    }
  }

  Screening out;
  out.tool_id = id_;
  out.tool_version = version_;
  for (const auto& ind : indicators_) {  // Tool order keeps results stable and readable.
    auto it = latest.find(ind.code);
    if (it == latest.end()) continue;
    int points = 0;
    for (const auto& step : steps_[static_cast<int>(ind.category)]) {
      if (!step.within_months || it->second >= add_months(input.as_of, -*step.within_months)) {
        points = step.points;
        break;
      }
    }
    out.score += points;
    out.contributions.push_back({ind.code, ind.label, ind.category, it->second, points});
  }
  for (const auto& band : bands_) {
    if (out.score >= band.min) out.scored_level = band.level;
  }
  int level = rank(out.scored_level);
  for (const auto& rule : forced_) {
    bool applies = false;
    if (rule.when_indicator) applies = latest.contains(*rule.when_indicator);
    if (rule.when_age_under && input.date_of_birth) {
      applies = age_on(*input.date_of_birth, input.as_of) < *rule.when_age_under;
    }
    if (!applies) continue;
    int target = rank(rule.at_least);
    if (level < target) {
      level = target;
      out.forced.push_back(rule.explain);
    }
  }
  out.level = levels_[static_cast<size_t>(level)];
  out.override_level = input.override_level;
  out.final_level = input.override_level ? input.override_level->level : out.level;
  out.reassess_by = add_months(input.as_of, reassess_after_months_);
  return out;
}

}  // namespace sg::workflow
