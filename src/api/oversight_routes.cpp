// The oversight API (issue 6, section 5): each report as JSON or, with ?format=csv or
// Accept: text/csv, as one RFC 4180 table. Each run is one ledger consultation
// (oversight/reports.h; definitions in docs/oversight.md).
#include "api/app.h"
#include "api/errors.h"
#include "api/json_io.h"
#include "oversight/reports.h"

namespace sg::api {
namespace {

// CSV when asked for by ?format=csv or by an Accept header that names text/csv; JSON by
// default. InvalidArgument (field "format") for any other format.
core::Result<bool> wants_csv(const Request& request) {
  if (auto format = query_param(request, "format")) {
    if (*format == "csv") return true;
    if (*format == "json") return false;
    return core::invalid_argument("must be json or csv", "format");
  }
  auto accept = request.header("accept");
  return accept && accept->find("text/csv") != std::string_view::npos;
}

}  // namespace

void App::add_oversight_routes() {
  for (auto kind : oversight::kAllReports) {
    std::string name(oversight::report_name(kind));
    std::string summary;
    switch (kind) {
      case oversight::ReportKind::kTimeliness:
        summary =
            "Referral decisions within 1 working day and assessments within 45, with "
            "median and 90th-percentile delays, overall, per agency and per team";
        break;
      case oversight::ReportKind::kOutcomes:
        summary = "NFA, step-down and closure rates, overall, per agency and per team";
        break;
      case oversight::ReportKind::kRepeatConcerns:
        summary =
            "Children with 3+ concerns in 12 months and no assessment or strategy "
            "discussion";
        break;
      case oversight::ReportKind::kSuspects:
        summary = "Suspects named in concerns about 2+ children with no strategy discussion";
        break;
      case oversight::ReportKind::kDemographics:
        summary =
            "Victims and suspects by age band, sex and ONS 2021 ethnicity; counts under "
            "5 shown as <5, with secondary suppression ([c])";
        break;
      case oversight::ReportKind::kAnnexA:
        summary =
            "Ofsted Annex A-shaped lists: contacts, referrals, assessments, section_47, "
            "plans (CSV: &table=)";
        break;
    }
    summary +=
        ". ?from=&to= (YYYY-MM-DD, inclusive), &agency=<code>, &team=<manager id or "
        "username>, &format=json|csv (or Accept: text/csv), &table=. Managers, "
        "reviewers and auditors; logged as a consultation.";
    std::string operation = "oversight";
    bool upper = true;
    for (char c : name) {
      if (c == '-') {
        upper = true;
      } else {
        operation += upper ? static_cast<char>(c - 'a' + 'A') : c;
        upper = false;
      }
    }
    router_.add(
        {.method = "GET",
         .path = "/api/v1/oversight/" + name,
         .operation_id = operation,
         .summary = summary,
         .tag = "oversight",
         .responses = {{200,
                        {"The report (JSON) or one of its tables (text/csv)", "OversightReport"}},
                       {400, {"Invalid parameter; `field` names it", "Problem"}},
                       {401, {"Not signed in", "Problem"}},
                       {403, {"This role may not read oversight reports", "Problem"}}},
         .handler = [this, kind, name](Context& ctx) {
           auto csv = wants_csv(ctx.request);
           if (!csv.ok()) return error_response(csv.error());
           auto param = [&](const char* key) { return query_param(ctx.request, key).value_or(""); };
           auto table = param("table");
           oversight::Oversight service(services_.store, services_.ledger);
           auto report = service.run(actor_of(*ctx.principal), kind, param("from"), param("to"),
                                     param("agency"), param("team"));
           if (!report.ok()) return error_response(report.error());
           if (!*csv) return json_response(200, oversight::to_json(*report));
           auto body = oversight::to_csv(*report, table);
           if (!body.ok()) return error_response(body.error());
           Response r;
           r.set_header("Content-Type", "text/csv; charset=utf-8; header=present");
           std::string file = name + (table.empty() ? "" : "-" + table) + "-" +
                              report->query.from.iso() + "-" + report->query.to.iso() + ".csv";
           r.set_header("Content-Disposition", "attachment; filename=\"" + file + "\"");
           r.body = std::move(*body);
           return r;
         }});
  }
}

}  // namespace sg::api
