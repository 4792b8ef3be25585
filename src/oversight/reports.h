// Oversight reports (issue 6, section 5): timeliness of referral decisions and assessments,
// NFA and closure rates, children with repeat concerns and no action, suspects named about
// several children with no investigation, suppressed demographic breakdowns of victims and
// suspects, and an export in the shape of Ofsted's ILACS Annex A lists. Every definition is
// in docs/oversight.md; each report is computed from the casework documents in one read
// snapshot, and each run is one DPA 2018 s.62 consultation in the ledger.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/ledger.h"
#include "core/date.h"
#include "core/result.h"
#include "core/time.h"
#include "oversight/dataset.h"
#include "storage/store.h"
#include "workflow/permissions.h"

namespace sg::oversight {

enum class ReportKind {
  kTimeliness,
  kOutcomes,
  kRepeatConcerns,
  kSuspects,
  kDemographics,
  kAnnexA
};
inline constexpr ReportKind kAllReports[] = {ReportKind::kTimeliness,     ReportKind::kOutcomes,
                                             ReportKind::kRepeatConcerns, ReportKind::kSuspects,
                                             ReportKind::kDemographics,   ReportKind::kAnnexA};
// "timeliness", "outcomes", "repeat-concerns", "suspects", "demographics", "annex-a".
std::string_view report_name(ReportKind kind);
core::Result<ReportKind> parse_report(std::string_view text, std::string_view field = "report");

// What a report covers: the period [from, to] (UK civil dates, both inclusive), optionally
// one agency and one team. A team is a line manager and everyone whose manager they are
// (users.manager_id); work belongs to the team of the person who did it (docs/oversight.md).
struct Query {
  core::Date from, to;
  std::string agency_id;  // Empty: every agency.
  std::string team_id;    // A manager's user id; empty: every team.
};

// Checks and resolves raw parameters (from the API's query string or the CLI's flags): dates
// must be real YYYY-MM-DD with from <= to; `agency` is an agency code; `team` is the user id
// or username of a manager. InvalidArgument naming the field otherwise.
core::Result<Query> parse_query(storage::Transaction& tx, std::string_view from,
                                std::string_view to, std::string_view agency,
                                std::string_view team);

// One table of a report. Cells are JSON numbers, strings or null (not applicable).
struct Table {
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::vector<nlohmann::json>> rows;
};

struct Report {
  ReportKind kind = ReportKind::kTimeliness;
  Query query;
  std::vector<Table> tables;  // The first is the default for CSV.
  // The records a list report names (case and concern ids), for the ledger; empty for the
  // aggregate reports, which name none.
  std::vector<std::string> record_ids;
};

// Computes a report from the store's current documents. Pure: writes nothing.
core::Result<Report> compute(storage::Transaction& tx, ReportKind kind, const Query& query,
                             const Visible& visible = nullptr);

// {"report", "from", "to", "agency", "team", "tables": {name: {"columns", "rows": [{...}]}}}.
nlohmann::json to_json(const Report& report);
// One table as RFC 4180 CSV (core::CsvWriter). `table` empty means the first;
// InvalidArgument (field "table") naming the choices when there is no such table.
core::Result<std::string> to_csv(const Report& report, std::string_view table);

// Runs reports for a front door: checks the role, computes in one read snapshot, and writes
// one ledger consultation (reason "oversight_report") naming the records a list report shows.
class Oversight {
 public:
  // All references must outlive the service. Thread-safe: state lives in the store.
  Oversight(storage::Store& store, audit::Ledger& ledger) : store_(store), ledger_(ledger) {}

  // PermissionDenied unless the actor may read oversight reports (managers, reviewers,
  // auditors; the CLI's system actor). InvalidArgument naming the field for bad parameters.
  core::Result<Report> run(const workflow::Actor& actor, ReportKind kind, std::string_view from,
                           std::string_view to, std::string_view agency, std::string_view team);

 private:
  storage::Store& store_;
  audit::Ledger& ledger_;
};

}  // namespace sg::oversight
