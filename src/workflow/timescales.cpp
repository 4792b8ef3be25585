#include "workflow/timescales.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace sg::embedded {
std::string_view timescales_json();
}

namespace sg::workflow {
namespace {

using nlohmann::json;

core::Result<std::string> get_string(const json& node, const std::string& key,
                                     const std::string& path, bool required = true) {
  auto it = node.find(key);
  if (it == node.end()) {
    if (!required) return std::string();
    return core::invalid_argument("is required", path + "/" + key);
  }
  if (!it->is_string()) return core::invalid_argument("must be a string", path + "/" + key);
  return it->get<std::string>();
}

core::Result<int> get_count(const json& node, const std::string& key, const std::string& path) {
  auto it = node.find(key);
  if (it == node.end()) return 0;
  if (!it->is_number_integer() || it->get<long long>() < 1 || it->get<long long>() > 3650) {
    return core::invalid_argument("must be an integer from 1 to 3650", path + "/" + key);
  }
  return it->get<int>();
}

}  // namespace

const Timescale* Regime::find(std::string_view task) const {
  for (const auto& t : timescales) {
    if (t.task == task) return &t;
  }
  return nullptr;
}

core::Date add_months(core::Date date, int months) {
  using namespace std::chrono;
  auto ymd = date.ymd() + std::chrono::months(months);
  if (!ymd.ok()) ymd = ymd.year() / ymd.month() / last;
  return core::Date::from_days(sys_days(ymd));
}

core::Result<Timescales> Timescales::parse(std::string_view json_text) {
  auto doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return core::invalid_argument("the timescales document is not a JSON object", "");
  }
  auto regimes = doc.find("regimes");
  if (regimes == doc.end() || !regimes->is_array() || regimes->empty()) {
    return core::invalid_argument("must be a non-empty array", "/regimes");
  }
  Timescales out;
  for (size_t i = 0; i < regimes->size(); ++i) {
    const auto& r = (*regimes)[i];
    std::string path = "/regimes/" + std::to_string(i);
    if (!r.is_object()) return core::invalid_argument("must be an object", path);
    Regime regime;
    regime.id = SG_TRY(get_string(r, "id", path));
    regime.name = SG_TRY(get_string(r, "name", path));
    regime.source = SG_TRY(get_string(r, "source", path, false));
    auto from = SG_TRY(get_string(r, "effective_from", path));
    regime.effective_from = SG_TRY(core::Date::parse_iso(from, path + "/effective_from"));
    auto list = r.find("timescales");
    if (list == r.end() || !list->is_array()) {
      return core::invalid_argument("must be an array", path + "/timescales");
    }
    for (size_t k = 0; k < list->size(); ++k) {
      const auto& t = (*list)[k];
      std::string tpath = path + "/timescales/" + std::to_string(k);
      if (!t.is_object()) return core::invalid_argument("must be an object", tpath);
      Timescale ts;
      ts.task = SG_TRY(get_string(t, "task", tpath));
      ts.after = SG_TRY(get_string(t, "after", tpath));
      ts.source = SG_TRY(get_string(t, "source", tpath, false));
      ts.working_days = SG_TRY(get_count(t, "working_days", tpath));
      ts.months = SG_TRY(get_count(t, "months", tpath));
      if ((ts.working_days > 0) == (ts.months > 0)) {
        return core::invalid_argument("needs exactly one of working_days and months", tpath);
      }
      if (regime.find(ts.task)) {
        return core::invalid_argument("duplicate task in one regime", tpath + "/task");
      }
      regime.timescales.push_back(std::move(ts));
    }
    out.regimes_.push_back(std::move(regime));
  }
  std::sort(out.regimes_.begin(), out.regimes_.end(),
            [](const Regime& a, const Regime& b) { return a.effective_from < b.effective_from; });
  for (size_t i = 1; i < out.regimes_.size(); ++i) {
    if (out.regimes_[i].effective_from == out.regimes_[i - 1].effective_from) {
      return core::invalid_argument("two regimes take effect on the same date", "/regimes");
    }
  }
  return out;
}

const Timescales& Timescales::shipped() {
  static const Timescales instance = [] {
    auto parsed = parse(embedded::timescales_json());
    if (!parsed.ok()) {
      std::fprintf(stderr, "shipped timescales are malformed: %s\n",
                   parsed.error().to_string().c_str());
      std::abort();
    }
    return std::move(parsed).value();
  }();
  return instance;
}

core::Result<const Regime*> Timescales::regime_on(core::Date date) const {
  const Regime* found = nullptr;
  for (const auto& r : regimes_) {
    if (r.effective_from <= date) found = &r;
  }
  if (!found) return core::not_found("no timescale regime was in force on that date");
  return found;
}

core::Result<core::Date> Timescales::due(std::string_view task, core::Date start,
                                         const core::WorkingDayCalendar& calendar) const {
  const Regime* regime = SG_TRY(regime_on(start));
  const Timescale* rule = regime->find(task);
  if (!rule) {
    return core::not_found("the " + regime->id + " regime sets no timescale for " +
                           std::string(task));
  }
  if (rule->working_days > 0) return calendar.add_working_days(start, rule->working_days);
  return add_months(start, rule->months);
}

}  // namespace sg::workflow
