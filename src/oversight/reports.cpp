#include "oversight/reports.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <tuple>

#include "core/calendar.h"
#include "core/csv_writer.h"
#include "oversight/dataset.h"
#include "oversight/suppression.h"
#include "workflow/need_to_know.h"

namespace sg::oversight {
namespace {

using nlohmann::json;

bool in(core::Date d, const Query& q) { return q.from <= d && d <= q.to; }

json date_cell(const std::optional<core::Date>& d) { return d ? json(d->iso()) : json(); }

// A share as a percentage rounded to one decimal place; null when nothing was counted.
json percent(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return nullptr;
  return std::round(1000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 10.0;
}

// Nearest-rank percentile: the value at rank ceil(p/100 * N) of the sorted values, so it is
// always a delay some piece of work actually had; null when there are none.
json percentile(std::vector<int> values, int p) {
  if (values.empty()) return nullptr;
  std::sort(values.begin(), values.end());
  std::size_t n = values.size();
  std::size_t rank = (static_cast<std::size_t>(p) * n + 99) / 100;
  return values[std::max<std::size_t>(rank, 1) - 1];
}

std::string joined(const std::set<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : " ") + s;
  return out;
}

// Work grouped for the per-agency and per-team rows: "all", then each agency by code, then
// each team by manager id. Items without a team appear in the "all" and agency rows only.
struct Groups {
  std::vector<std::tuple<std::string, std::string, std::string>> keys;  // scope, agency, team.

  template <typename Item>
  static Groups of(const Dataset& data, const std::vector<Item>& items) {
    std::set<std::string> agencies, teams;
    for (const auto& item : items) {
      agencies.insert(data.agency_code(item.agency_id));
      if (!item.team.empty()) teams.insert(item.team);
    }
    Groups g;
    g.keys.emplace_back("all", "", "");
    for (const auto& a : agencies) g.keys.emplace_back("agency", a, "");
    for (const auto& t : teams) g.keys.emplace_back("team", "", t);
    return g;
  }
  template <typename Item>
  static bool member(const Dataset& data, const Item& item,
                     const std::tuple<std::string, std::string, std::string>& key) {
    const auto& [scope, agency, team] = key;
    if (scope == "agency") return data.agency_code(item.agency_id) == agency;
    if (scope == "team") return item.team == team;
    return true;
  }
};

bool passes(const Query& q, const std::string& agency_id, const std::string& team) {
  return (q.agency_id.empty() || agency_id == q.agency_id) &&
         (q.team_id.empty() || team == q.team_id);
}

// The decision that took effect at a case's referral stage, if any.
const DecisionSeen* referral_decision(const Dataset& data, const std::string& case_id) {
  const DecisionSeen* found = nullptr;
  if (auto it = data.decisions_by_case.find(case_id); it != data.decisions_by_case.end()) {
    for (const auto* d : it->second) {
      if (d->stage == "referral_decision" && d->effective()) found = d;
    }
  }
  return found;
}

// The team that holds a case: its assignee's, else that of whoever proposed its latest
// effective decision.
std::string case_team(const Dataset& data, const CaseSeen& kase) {
  if (!kase.assignee_id.empty()) return data.team_of(kase.assignee_id);
  const DecisionSeen* latest = nullptr;
  if (auto it = data.decisions_by_case.find(kase.id); it != data.decisions_by_case.end()) {
    for (const auto* d : it->second) {
      if (d->effective()) latest = d;  // In date order.
    }
  }
  return latest ? data.team_of(latest->proposed_by) : "";
}

// ---- Timeliness ------------------------------------------------------------------------

struct Timed {
  std::string agency_id, team;
  int working_days = 0;
  bool in_time = false;
};

core::Result<Table> timeliness(const Dataset& data, const Query& q) {
  const auto& calendar = core::WorkingDayCalendar::england_and_wales();
  std::vector<Timed> referrals, assessments;
  for (const auto& t : data.tasks) {
    if (t.status != "done" || !t.completed_on || !t.due || !in(*t.completed_on, q)) continue;
    std::string team;
    if (t.task == "referral_decision") {
      // Made by whoever proposed the effective decision at the referral stage.
      if (const auto* d = referral_decision(data, t.case_id)) team = data.team_of(d->proposed_by);
    } else if (t.task == "assessment") {
      team = data.team_of(t.owner_id);
    } else {
      continue;
    }
    if (!passes(q, t.agency_id, team)) continue;
    int days = SG_TRY(calendar.working_days_between(t.started_on, *t.completed_on));
    Timed item{t.agency_id, team, days, *t.completed_on <= *t.due};
    (t.task == "assessment" ? assessments : referrals).push_back(item);
  }
  std::vector<Timed> all = referrals;
  all.insert(all.end(), assessments.begin(), assessments.end());
  Table table{
      "timeliness",
      {"scope", "agency", "team", "referral_decisions", "referral_decisions_in_time",
       "referral_in_time_percent", "referral_median_working_days", "referral_p90_working_days",
       "assessments", "assessments_in_time", "assessment_in_time_percent",
       "assessment_median_working_days", "assessment_p90_working_days"},
      {}};
  auto groups = Groups::of(data, all);
  for (const auto& key : groups.keys) {
    std::vector<json> row = {std::get<0>(key), std::get<1>(key), std::get<2>(key)};
    for (const auto* items : {&referrals, &assessments}) {
      std::vector<int> delays;
      std::int64_t in_time = 0;
      for (const auto& item : *items) {
        if (!Groups::member(data, item, key)) continue;
        delays.push_back(item.working_days);
        in_time += item.in_time ? 1 : 0;
      }
      auto n = static_cast<std::int64_t>(delays.size());
      row.insert(row.end(),
                 {n, in_time, percent(in_time, n), percentile(delays, 50), percentile(delays, 90)});
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

// ---- NFA and closure rates ---------------------------------------------------------------

struct Outcome {
  std::string agency_id, team, kind;  // kind: a decision kind, or "open"/"closed:<outcome>".
};

Table outcomes(const Dataset& data, const Query& q) {
  std::vector<Outcome> decisions, cases;
  for (const auto& d : data.decisions) {
    if (!d.effective() || d.stage != "referral_decision" || !in(d.decided_on, q)) continue;
    std::string team = data.team_of(d.proposed_by);
    if (passes(q, d.agency_id, team)) decisions.push_back({d.agency_id, team, d.kind});
  }
  for (const auto& [id, c] : data.cases) {
    bool open_in_period = c.opened_on <= q.to && (!c.closed_on || *c.closed_on >= q.from);
    if (!open_in_period) continue;
    std::string team = case_team(data, c);
    if (!passes(q, c.agency_id, team)) continue;
    bool closed = c.closed_on && in(*c.closed_on, q);
    cases.push_back({c.agency_id, team, closed ? "closed:" + c.outcome : "open"});
  }
  std::vector<Outcome> all = decisions;
  all.insert(all.end(), cases.begin(), cases.end());
  Table table{"outcomes",
              {"scope", "agency", "team", "referral_decisions", "accepted", "nfa", "step_down",
               "closed_at_referral", "nfa_percent", "step_down_percent", "cases_open_in_period",
               "cases_closed", "closure_percent", "closed_nfa", "closed_step_down", "closed_close"},
              {}};
  for (const auto& key : Groups::of(data, all).keys) {
    std::map<std::string, std::int64_t> n;
    std::int64_t decided = 0, open = 0, closed = 0;
    for (const auto& d : decisions) {
      if (!Groups::member(data, d, key)) continue;
      ++decided;
      ++n[d.kind];
    }
    for (const auto& c : cases) {
      if (!Groups::member(data, c, key)) continue;
      ++open;
      if (c.kind != "open") {
        ++closed;
        ++n[c.kind];
      }
    }
    table.rows.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), decided,
                          n["accept"], n["nfa"], n["step_down"], n["close"],
                          percent(n["nfa"], decided), percent(n["step_down"], decided), open,
                          closed, percent(closed, open), n["closed:nfa"], n["closed:step_down"],
                          n["closed:close"]});
  }
  return table;
}

// ---- Per-child indexes ---------------------------------------------------------------------

struct ChildIndex {
  std::map<std::string, std::vector<const CaseSeen*>> cases;  // By subject key, oldest first.

  explicit ChildIndex(const Dataset& data) {
    for (const auto& [id, c] : data.cases) cases[c.subject_key].push_back(&c);
    for (auto& [key, list] : cases) {
      std::sort(list.begin(), list.end(), [](const CaseSeen* a, const CaseSeen* b) {
        return std::tie(a->opened_on, a->id) < std::tie(b->opened_on, b->id);
      });
    }
  }
  // The child's id in lists: their first case's id (no personal data).
  std::string child_id(const std::string& key) const {
    auto it = cases.find(key);
    return it == cases.end() || it->second.empty() ? "" : it->second.front()->id;
  }
  // Case events of `kinds` about the child dated in [from, to].
  std::vector<core::Date> events(const std::string& key,
                                 std::initializer_list<std::string_view> kinds, core::Date from,
                                 core::Date to) const {
    std::vector<core::Date> out;
    auto it = cases.find(key);
    if (it == cases.end()) return out;
    for (const auto* c : it->second) {
      for (const auto& e : c->events) {
        if (from <= e.date && e.date <= to &&
            std::find(kinds.begin(), kinds.end(), e.kind) != kinds.end()) {
          out.push_back(e.date);
        }
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

// ---- Repeat concerns and no action -----------------------------------------------------

Table repeat_concerns(const Dataset& data, const Query& q, std::vector<std::string>& named) {
  using std::chrono::days;
  ChildIndex index(data);
  std::map<std::string, std::vector<const ConcernSeen*>> about;  // Concerns are oldest first.
  for (const auto& c : data.concerns) {
    for (const auto& child : c.children) {
      if (child.key.starts_with("unidentified:")) continue;  // As alert rule (b).
      auto& list = about[child.key];
      if (list.empty() || list.back() != &c) list.push_back(&c);
    }
  }
  Table table{"children",
              {"child_id", "case_ids", "concerns_in_12_months", "first_concern_on",
               "last_concern_on", "agencies", "closed_nfa_or_step_down", "open_case"},
              {}};
  for (const auto& [key, list] : about) {
    // The latest concern about the child received in the period, and the 12 months up to it.
    const ConcernSeen* last = nullptr;
    for (const auto* c : list) {
      if (in(c->received_on, q)) last = c;
    }
    if (!last) continue;
    std::vector<const ConcernSeen*> window;
    for (const auto* c : list) {
      if (c->received_at <= last->received_at && last->received_at - c->received_at <= days(365)) {
        window.push_back(c);
      }
    }
    if (window.size() < 3) continue;
    core::Date start = window.front()->received_on;
    if (!index.events(key, {"referral_accepted", "strategy_discussion"}, start, q.to).empty()) {
      continue;  // Action was taken: an assessment or a strategy discussion.
    }
    bool agency_ok = q.agency_id.empty(), team_ok = q.team_id.empty();
    std::set<std::string> agencies;
    for (const auto* c : window) {
      agencies.insert(data.agency_code(c->agency_id));
      agency_ok = agency_ok || c->agency_id == q.agency_id;
      team_ok = team_ok || data.team_of(c->recorded_by) == q.team_id;
    }
    if (!agency_ok || !team_ok) continue;
    std::set<std::string> case_ids;
    std::int64_t closed_without_action = 0;
    bool open = false;
    auto it = index.cases.find(key);
    if (it != index.cases.end()) {
      for (const auto* c : it->second) {
        if (c->opened_on > q.to) continue;
        case_ids.insert(c->id);
        if (c->closed_on && start <= *c->closed_on && *c->closed_on <= q.to &&
            (c->outcome == "nfa" || c->outcome == "step_down")) {
          ++closed_without_action;
        }
        open = open || !c->closed_on || *c->closed_on > q.to;
      }
    }
    for (const auto& id : case_ids) named.push_back(id);
    for (const auto* c : window) named.push_back(c->id);
    table.rows.push_back({index.child_id(key), joined(case_ids),
                          static_cast<std::int64_t>(window.size()), start.iso(),
                          last->received_on.iso(), joined(agencies), closed_without_action,
                          open ? "yes" : "no"});
  }
  std::sort(table.rows.begin(), table.rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a[4], a[0]) > std::tie(b[4], b[0]);  // Most recent concern first.
  });
  return table;
}

// ---- Suspects named about several children with no investigation ---------------------------

Table suspects(const Dataset& data, const Query& q, std::vector<std::string>& named) {
  ChildIndex index(data);
  struct Naming {
    const ConcernSeen* concern;
    const PersonSeen* person;
  };
  std::map<std::string, std::vector<Naming>> by_suspect;
  for (const auto& c : data.concerns) {
    if (c.received_on > q.to) continue;
    for (const auto& s : c.suspects) {
      if (s.key.starts_with("unidentified:")) continue;  // Cannot be matched across concerns.
      by_suspect[s.key].push_back({&c, &s});
    }
  }
  Table table{"suspects",
              {"suspect", "concerns", "children", "first_named_on", "last_named_on", "agencies",
               "concern_ids", "child_ids"},
              {}};
  for (const auto& [key, namings] : by_suspect) {
    bool recent = false, agency_ok = q.agency_id.empty(), team_ok = q.team_id.empty();
    std::set<std::string> children, agencies, concern_ids, child_ids;
    for (const auto& n : namings) {
      recent = recent || in(n.concern->received_on, q);
      agency_ok = agency_ok || n.concern->agency_id == q.agency_id;
      team_ok = team_ok || data.team_of(n.concern->recorded_by) == q.team_id;
      agencies.insert(data.agency_code(n.concern->agency_id));
      concern_ids.insert(n.concern->id);
      for (const auto& child : n.concern->children) {
        children.insert(child.key);
        child_ids.insert(index.child_id(child.key));
      }
    }
    if (!recent || !agency_ok || !team_ok || children.size() < 2) continue;
    core::Date first = namings.front().concern->received_on;
    bool investigated = false;
    for (const auto& child : children) {
      investigated =
          investigated || !index.events(child, {"strategy_discussion"}, first, q.to).empty();
    }
    if (investigated) continue;
    child_ids.erase("");
    for (const auto& id : concern_ids) named.push_back(id);
    table.rows.push_back({namings.back().person->record_ref,
                          static_cast<std::int64_t>(concern_ids.size()),
                          static_cast<std::int64_t>(children.size()), first.iso(),
                          namings.back().concern->received_on.iso(), joined(agencies),
                          joined(concern_ids), joined(child_ids)});
  }
  std::sort(table.rows.begin(), table.rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a[2], a[0]) > std::tie(b[2], b[0]);  // Most children first.
  });
  return table;
}

// ---- Demographics --------------------------------------------------------------------------

const std::vector<std::string>& ethnicity_rows() {
  // ONS 2021 ethnic groups (England and Wales), in the census order, then the two blanks.
  static const std::vector<std::string> v = {"white_british",
                                             "white_irish",
                                             "white_gypsy_irish_traveller",
                                             "white_roma",
                                             "white_other",
                                             "mixed_white_black_caribbean",
                                             "mixed_white_black_african",
                                             "mixed_white_asian",
                                             "mixed_other",
                                             "asian_indian",
                                             "asian_pakistani",
                                             "asian_bangladeshi",
                                             "asian_chinese",
                                             "asian_other",
                                             "black_african",
                                             "black_caribbean",
                                             "black_other",
                                             "other_arab",
                                             "other_any",
                                             "not_stated",
                                             "not_recorded"};
  return v;
}

const std::vector<std::string>& sexes() {
  static const std::vector<std::string> v = {"female", "male", "unknown"};
  return v;
}

std::string child_band(std::optional<int> age) {
  if (!age) return "unknown";
  if (*age <= 9) return "0-9";
  if (*age <= 12) return "10-12";
  if (*age <= 15) return "13-15";
  if (*age <= 17) return "16-17";
  return "18+";
}

std::string adult_band(std::optional<int> age) {
  if (!age) return "unknown";
  if (*age <= 17) return "under 18";
  if (*age <= 24) return "18-24";
  if (*age <= 34) return "25-34";
  if (*age <= 44) return "35-44";
  return "45+";
}

void add_breakdown(Table& table, std::string_view population, std::string_view breakdown,
                   const std::vector<std::string>& categories,
                   const std::map<std::string, std::map<std::string, std::int64_t>>& counts) {
  std::vector<std::vector<std::int64_t>> cells;
  for (const auto& category : categories) {
    std::vector<std::int64_t> row;
    for (const auto& sex : sexes()) {
      auto it = counts.find(category);
      row.push_back(it == counts.end() || !it->second.contains(sex) ? 0 : it->second.at(sex));
    }
    cells.push_back(std::move(row));
  }
  CountTable counted(std::move(cells));
  counted.suppress();
  for (std::size_t r = 0; r < counted.rows(); ++r) {
    std::vector<json> row = {population, breakdown,
                             r < categories.size() ? categories[r] : std::string("total")};
    for (std::size_t c = 0; c < counted.columns(); ++c) {
      if (counted.shown(r, c) == Shown::kValue) {
        row.push_back(counted.count(r, c));
      } else {
        row.push_back(counted.display(r, c));
      }
    }
    table.rows.push_back(std::move(row));
  }
}

Table demographics(const Dataset& data, const Query& q) {
  // The latest record of each person in the period's concerns (concerns are oldest first).
  std::map<std::string, std::pair<const PersonSeen*, core::Date>> victims, suspected;
  for (const auto& c : data.concerns) {
    if (!in(c.received_on, q) || !passes(q, c.agency_id, data.team_of(c.recorded_by))) continue;
    for (const auto& p : c.children) victims[p.key] = {&p, c.received_on};
    for (const auto& p : c.suspects) suspected[p.key] = {&p, c.received_on};
  }
  Table table{"breakdown",
              {"population", "breakdown", "category", "female", "male", "unknown", "total"},
              {}};
  auto tabulate = [&](std::string_view population, const auto& people,
                      const std::vector<std::string>& bands,
                      std::function<std::string(std::optional<int>)> band) {
    std::map<std::string, std::map<std::string, std::int64_t>> by_age, by_ethnicity;
    for (const auto& [key, seen] : people) {
      const auto& [person, on] = seen;
      ++by_age[band(person->age_on(on))][person->sex];
      ++by_ethnicity[person->ethnicity.empty() ? "not_recorded" : person->ethnicity][person->sex];
    }
    add_breakdown(table, population, "age_band", bands, by_age);
    add_breakdown(table, population, "ethnicity", ethnicity_rows(), by_ethnicity);
  };
  tabulate("victims", victims, {"0-9", "10-12", "13-15", "16-17", "18+", "unknown"}, child_band);
  tabulate("suspects", suspected, {"under 18", "18-24", "25-34", "35-44", "45+", "unknown"},
           adult_band);
  return table;
}

// ---- Annex A -------------------------------------------------------------------------------

const std::vector<std::string> kChildColumns = {"child_id",      "gender", "ethnicity",
                                                "date_of_birth", "age",    "disability"};

std::vector<json> child_cells(const ChildIndex& index, const PersonSeen* child,
                              const std::string& key, core::Date age_on) {
  std::string gender = "Unknown";
  if (child && child->sex == "female") gender = "Female";
  if (child && child->sex == "male") gender = "Male";
  auto age = child ? child->age_on(age_on) : std::nullopt;
  // Disability is not recorded in a concern, so the column stays empty (docs/oversight.md).
  return {index.child_id(key),
          gender,
          child && !child->ethnicity.empty() ? child->ethnicity : "not_recorded",
          child ? child->date_of_birth : "",
          age ? json(*age) : json(),
          nullptr};
}

std::vector<std::string> with_child(std::vector<std::string> columns) {
  columns.insert(columns.begin(), kChildColumns.begin(), kChildColumns.end());
  return columns;
}

// Annex A's contact source, from the kind of agency that recorded the concern.
std::string contact_source(const Dataset& data, const ConcernSeen& c) {
  if (c.channel == "anonymous") return "Anonymous";
  auto it = data.agencies.find(c.agency_id);
  if (it == data.agencies.end()) return "Other";
  switch (it->second.kind) {
    case domain::AgencyKind::kPolice:
      return "Police";
    case domain::AgencyKind::kHealth:
      return "Health services";
    case domain::AgencyKind::kEducation:
      return "Schools";
    case domain::AgencyKind::kChildrensServices:
      return "LA services";
    case domain::AgencyKind::kYouthService:
    case domain::AgencyKind::kOther:
      break;
  }
  return "Other";
}

std::vector<Table> annex_a(const Dataset& data, const Query& q, std::vector<std::string>& named) {
  using std::chrono::days;
  ChildIndex index(data);
  std::vector<Table> tables;

  Table contacts{"contacts", with_child({"contact_id", "contact_date", "contact_source"}), {}};
  for (const auto& c : data.concerns) {
    if (!in(c.received_on, q) || !passes(q, c.agency_id, data.team_of(c.recorded_by))) continue;
    named.push_back(c.id);
    for (const auto& child : c.children) {
      auto row = child_cells(index, &child, child.key, q.to);
      row.insert(row.end(), {c.id, c.received_on.iso(), contact_source(data, c)});
      contacts.rows.push_back(std::move(row));
    }
  }

  // Cases by team once; the referral, enquiry and plan lists all filter on them.
  std::vector<std::pair<const CaseSeen*, std::string>> held;
  for (const auto& [id, c] : data.cases) {
    std::string team = case_team(data, c);
    if (passes(q, c.agency_id, team)) held.emplace_back(&c, team);
  }

  Table referrals{
      "referrals",
      with_child({"referral_id", "referral_date", "primary_need_code", "referral_nfa",
                  "referrals_in_previous_12_months", "allocated_team", "allocated_worker"}),
      {}};
  for (const auto& [c, team] : held) {
    if (!in(c->opened_on, q)) continue;
    named.push_back(c->id);
    std::int64_t previous = 0;
    for (const auto* other : index.cases.at(c->subject_key)) {
      if (other != c && other->opened_on < c->opened_on &&
          other->opened_on >= c->opened_on.plus_days(-365)) {
        ++previous;
      }
    }
    // NFA: the referral decision was no further action by children's social care — NFA or a
    // step down to early help; empty while it is undecided.
    json nfa = nullptr;
    if (const auto* d = referral_decision(data, c->id)) nfa = d->kind == "accept" ? "No" : "Yes";
    auto row = child_cells(index, data.child_of(*c), c->subject_key, q.to);
    row.insert(row.end(),
               {c->id, c->opened_on.iso(), nullptr, nfa, previous, team, c->assignee_id});
    referrals.rows.push_back(std::move(row));
  }

  Table assessments{
      "assessments",
      with_child({"assessment_id", "assessment_start_date", "assessment_authorised_date",
                  "allocated_team", "allocated_worker"}),
      {}};
  for (const auto& t : data.tasks) {
    if (t.task != "assessment" || t.status == "cancelled") continue;
    // Started in the period, or still running at its start.
    bool overlaps = t.started_on <= q.to && (!t.completed_on || *t.completed_on >= q.from);
    std::string team = data.team_of(t.owner_id);
    if (!overlaps || !passes(q, t.agency_id, team)) continue;
    auto kase = data.cases.find(t.case_id);
    if (kase == data.cases.end()) continue;
    named.push_back(t.id);
    auto row = child_cells(index, data.child_of(kase->second), kase->second.subject_key, q.to);
    bool done = t.status == "done" && t.completed_on && *t.completed_on <= q.to;
    row.insert(row.end(), {t.id, t.started_on.iso(), done ? json(t.completed_on->iso()) : json(),
                           team, t.owner_id});
    assessments.rows.push_back(std::move(row));
  }

  Table enquiries{"section_47",
                  with_child({"enquiry_id", "strategy_discussion_date", "s47_outcome_date",
                              "icpc_required", "icpc_date", "s47_in_previous_12_months",
                              "icpcs_in_previous_12_months", "allocated_team", "allocated_worker"}),
                  {}};
  Table plans{"plans",
              with_child({"plan_id", "plan_start_date", "category_of_abuse", "latest_review_date",
                          "plan_end_date", "previous_plans", "allocated_team", "allocated_worker"}),
              {}};
  for (const auto& [c, team] : held) {
    int strategy_n = 0, plan_n = 0;
    for (std::size_t i = 0; i < c->events.size(); ++i) {
      const auto& e = c->events[i];
      if (e.kind == "strategy_discussion") {
        std::string id = c->id + "/strategy/" + std::to_string(++strategy_n);
        if (!in(e.date, q)) continue;
        std::optional<core::Date> icpc;
        for (std::size_t j = i + 1; j < c->events.size() && !icpc; ++j) {
          if (c->events[j].kind == "initial_conference") icpc = c->events[j].date;
        }
        auto before = e.date.plus_days(-1);
        auto year_ago = e.date.plus_days(-365);
        auto previous = index.events(c->subject_key, {"strategy_discussion"}, year_ago, before);
        auto conferences = index.events(c->subject_key, {"initial_conference"}, year_ago, before);
        named.push_back(c->id);
        auto row = child_cells(index, data.child_of(*c), c->subject_key, q.to);
        row.insert(row.end(),
                   {id, e.date.iso(), nullptr, icpc && *icpc <= q.to ? "Yes" : "No",
                    icpc && *icpc <= q.to ? json(icpc->iso()) : json(),
                    static_cast<std::int64_t>(previous.size()),
                    static_cast<std::int64_t>(conferences.size()), team, c->assignee_id});
        enquiries.rows.push_back(std::move(row));
      } else if (e.kind == "initial_conference") {
        std::string id = c->id + "/plan/" + std::to_string(++plan_n);
        std::optional<core::Date> end =
            c->closed_on && *c->closed_on >= e.date ? c->closed_on : std::nullopt;
        if (end && *end > q.to) end.reset();
        if (e.date > q.to || (end && *end < q.from)) continue;
        std::optional<core::Date> review;
        for (const auto& r : c->events) {
          if (r.kind == "review_conference" && r.date >= e.date && r.date <= q.to) review = r.date;
        }
        auto earlier = index.events(c->subject_key, {"initial_conference"}, core::Date(),
                                    e.date.plus_days(-1));
        named.push_back(c->id);
        auto row = child_cells(index, data.child_of(*c), c->subject_key, q.to);
        row.insert(row.end(), {id, e.date.iso(), nullptr, date_cell(review), date_cell(end),
                               static_cast<std::int64_t>(earlier.size()), team, c->assignee_id});
        plans.rows.push_back(std::move(row));
      }
    }
  }
  // Each list in date order (then id), as inspectors read them.
  auto by_date = [](Table& t, std::size_t date_column, std::size_t id_column) {
    std::stable_sort(t.rows.begin(), t.rows.end(), [&](const auto& a, const auto& b) {
      return std::tie(a[date_column], a[id_column]) < std::tie(b[date_column], b[id_column]);
    });
  };
  std::size_t base = kChildColumns.size();
  by_date(contacts, base + 1, base);
  by_date(referrals, base + 1, base);
  by_date(assessments, base + 1, base);
  by_date(enquiries, base + 1, base);
  by_date(plans, base + 1, base);
  tables.push_back(std::move(contacts));
  tables.push_back(std::move(referrals));
  tables.push_back(std::move(assessments));
  tables.push_back(std::move(enquiries));
  tables.push_back(std::move(plans));
  return tables;
}

}  // namespace

std::string_view report_name(ReportKind kind) {
  switch (kind) {
    case ReportKind::kTimeliness:
      return "timeliness";
    case ReportKind::kOutcomes:
      return "outcomes";
    case ReportKind::kRepeatConcerns:
      return "repeat-concerns";
    case ReportKind::kSuspects:
      return "suspects";
    case ReportKind::kDemographics:
      return "demographics";
    case ReportKind::kAnnexA:
      return "annex-a";
  }
  return "timeliness";
}

core::Result<ReportKind> parse_report(std::string_view text, std::string_view field) {
  for (auto kind : kAllReports) {
    if (report_name(kind) == text) return kind;
  }
  return core::invalid_argument(
      "must be one of timeliness, outcomes, repeat-concerns, suspects, demographics, annex-a",
      std::string(field));
}

core::Result<Query> parse_query(storage::Transaction& tx, std::string_view from,
                                std::string_view to, std::string_view agency,
                                std::string_view team) {
  Query q;
  if (from.empty()) return core::invalid_argument("is required (YYYY-MM-DD)", "from");
  if (to.empty()) return core::invalid_argument("is required (YYYY-MM-DD)", "to");
  q.from = SG_TRY(core::Date::parse_iso(from, "from"));
  q.to = SG_TRY(core::Date::parse_iso(to, "to"));
  if (q.to < q.from) return core::invalid_argument("is after to", "from");
  if (!agency.empty()) {
    auto found = tx.agency_by_code(agency);
    if (!found.ok()) return core::invalid_argument("no agency has this code", "agency");
    q.agency_id = found->id;
  }
  if (!team.empty()) {
    auto user = tx.user(team);
    if (!user.ok()) user = tx.user_by_username(team);
    if (!user.ok() || user->role != domain::Role::kManager) {
      return core::invalid_argument("is not a manager's user id or username", "team");
    }
    q.team_id = user->id;
  }
  return q;
}

core::Result<Report> compute(storage::Transaction& tx, ReportKind kind, const Query& query,
                             const Visible& visible) {
  auto data = SG_TRY(load_dataset(tx, visible));
  Report report{kind, query, {}, {}};
  switch (kind) {
    case ReportKind::kTimeliness:
      report.tables.push_back(SG_TRY(timeliness(data, query)));
      break;
    case ReportKind::kOutcomes:
      report.tables.push_back(outcomes(data, query));
      break;
    case ReportKind::kRepeatConcerns:
      report.tables.push_back(repeat_concerns(data, query, report.record_ids));
      break;
    case ReportKind::kSuspects:
      report.tables.push_back(suspects(data, query, report.record_ids));
      break;
    case ReportKind::kDemographics:
      report.tables.push_back(demographics(data, query));
      break;
    case ReportKind::kAnnexA:
      report.tables = annex_a(data, query, report.record_ids);
      break;
  }
  std::sort(report.record_ids.begin(), report.record_ids.end());
  report.record_ids.erase(std::unique(report.record_ids.begin(), report.record_ids.end()),
                          report.record_ids.end());
  return report;
}

json to_json(const Report& report) {
  json tables = json::object();
  for (const auto& t : report.tables) {
    json rows = json::array();
    for (const auto& row : t.rows) {
      json object = json::object();
      for (std::size_t i = 0; i < t.columns.size() && i < row.size(); ++i) {
        object[t.columns[i]] = row[i];
      }
      rows.push_back(std::move(object));
    }
    tables[t.name] = {{"columns", t.columns}, {"rows", std::move(rows)}};
  }
  return {{"report", report_name(report.kind)}, {"from", report.query.from.iso()},
          {"to", report.query.to.iso()},        {"agency_id", report.query.agency_id},
          {"team", report.query.team_id},       {"tables", std::move(tables)}};
}

core::Result<std::string> to_csv(const Report& report, std::string_view table) {
  const Table* chosen = nullptr;
  std::string names;
  for (const auto& t : report.tables) {
    if (!chosen && (table.empty() || t.name == table)) chosen = &t;
    names += (names.empty() ? "" : ", ") + t.name;
  }
  if (!chosen) return core::invalid_argument("must be one of " + names, "table");
  core::CsvWriter csv(chosen->columns);
  for (const auto& row : chosen->rows) {
    for (const auto& cell : row) {
      if (cell.is_number_integer()) {
        csv.number(cell.get<std::int64_t>());
      } else if (cell.is_number()) {
        csv.number(cell.get<double>(), 1);
      } else if (cell.is_string()) {
        csv.text(cell.get<std::string>());
      } else {
        csv.empty();
      }
    }
    csv.end_row();
  }
  return csv.str();
}

core::Result<Report> Oversight::run(const workflow::Actor& actor, ReportKind kind,
                                    std::string_view from, std::string_view to,
                                    std::string_view agency, std::string_view team) {
  SG_TRY(workflow::require(actor, workflow::Action::kReadOversight));
  Report report;
  {
    auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
    auto query = SG_TRY(parse_query(*tx, from, to, agency, team));
    // Reports draw only on what the reader has a need to know: a manager's own and shared
    // agencies, a reviewer's remit. Auditors, who see no case records, read the
    // partnership-wide figures: oversight of the whole is their function.
    Visible visible;
    if (!actor.is_system() && !domain::read_bases(actor.role).empty()) {
      auto need = SG_TRY(workflow::NeedToKnow::load(*tx, actor, ledger_.clock().now()));
      visible = [need = std::move(need), &t = *tx](const domain::RecordVersion& v) {
        // A reviewer's period turns on when the record was first recorded, whichever
        // version the report reads; nobody else's basis does, so only they pay the read.
        auto first = v.recorded_at;
        if (need.remit() != nullptr) {
          auto at = workflow::first_recorded_at(t, v);
          if (!at.ok()) return false;
          first = *at;
        }
        return need.may_read({.record_id = v.record_id,
                              .kind = v.kind,
                              .agency_id = v.agency_id,
                              .marking = v.marking,
                              .recorded_at = first});
      };
    }
    report = SG_TRY(compute(*tx, kind, query, visible));
  }
  // DPA 2018 s.62: running a report is a consultation. Aggregate reports name no records; a
  // list names the cases and concerns it shows.
  json payload = {{"report", report_name(kind)},
                  {"from", report.query.from.iso()},
                  {"to", report.query.to.iso()},
                  {"agency_id", report.query.agency_id},
                  {"team", report.query.team_id}};
  auto bytes = payload.dump();
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  SG_TRY(ledger_.append(*tx, {.actor = actor.user_id,
                              .operation = domain::Operation::kConsultation,
                              .reason = "oversight_report",
                              .record_ids = report.record_ids,
                              .payload = bytes}));
  SG_TRY(tx->commit());
  return report;
}

}  // namespace sg::oversight
