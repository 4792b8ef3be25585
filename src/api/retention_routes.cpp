// Retention review (workflow/retention.h, docs/retention.md): the policy groups, the reviews
// due on a date, and a manager's decision to retain (with a reason) or erase a record.
#include "api/app.h"
#include "api/errors.h"
#include "api/json_io.h"

namespace sg::api {
namespace {

using nlohmann::json;

std::map<int, std::pair<std::string, std::optional<std::string>>> with_problems(
    std::map<int, std::pair<std::string, std::optional<std::string>>> r) {
  r[400] = {"Invalid input; `field` names it", "Problem"};
  r[401] = {"Not signed in", "Problem"};
  r[403] = {"This role may not review retention, or has no need to know the record", "Problem"};
  return r;
}

}  // namespace

void App::add_retention_routes() {
  if (!services_.retention) return;
  auto& retention = *services_.retention;
  const auto& clock = services_.clock;

  router_.add({.method = "GET",
               .path = "/api/v1/retention/policy",
               .operation_id = "retentionPolicy",
               .summary = "The retention policy in force: review groups, what each covers and "
                          "its review period",
               .tag = "retention",
               .responses = with_problems({{200, {"The policy", "RetentionPolicy"}}}),
               .handler = [&retention](Context&) {
                 return json_response(200, retention.policy().to_json());
               }});
  router_.add({.method = "GET",
               .path = "/api/v1/retention/due",
               .operation_id = "listRetentionDue",
               .summary = "Records due for retention review on a date (?on=YYYY-MM-DD, default "
                          "today; ?limit= 1 to 1000), earliest first: ids, kinds, groups and "
                          "dates only",
               .tag = "retention",
               .responses = with_problems({{200, {"Reviews due", "RetentionDueList"}}}),
               .handler = [&retention, &clock](Context& ctx) {
                 auto on = core::london_date(clock.now());
                 if (auto text = query_param(ctx.request, "on")) {
                   auto parsed = core::Date::parse_iso(*text, "on");
                   if (!parsed.ok()) return error_response(parsed.error());
                   on = *parsed;
                 }
                 auto limit = int_param(ctx.request, "limit", 100, 1, 1000);
                 if (!limit.ok()) return error_response(limit.error());
                 auto due =
                     retention.due(actor_of(*ctx.principal), on, static_cast<std::size_t>(*limit));
                 if (!due.ok()) return error_response(due.error());
                 json items = json::array();
                 for (const auto& s : *due) items.push_back(workflow::retention_status_json(s));
                 return json_response(200, {{"on", on.iso()}, {"items", items}});
               }});
  router_.add({.method = "POST",
               .path = "/api/v1/retention/{id}/decision",
               .operation_id = "decideRetention",
               .summary = "Decide a record's review: {decision: retain|erase, reason, "
                          "next_review_on?}. Erase blanks the record's personal data and its "
                          "ledger payloads, only once the review is due",
               .tag = "retention",
               .request_schema = "RetentionDecisionRequest",
               .responses = with_problems({{200, {"Decided", "RetentionStatus"}},
                                           {404, {"No such record, or erased", "Problem"}},
                                           {409, {"Not yet due, or an open case", "Problem"}}}),
               .handler = [&retention](Context& ctx) {
                 auto body = parse_json_body(ctx.request, 16 * 1024);
                 if (!body.ok()) return error_response(body.error());
                 auto decision = string_field(*body, "decision", 16);
                 if (!decision.ok()) return error_response(decision.error());
                 auto disposal = workflow::parse_disposal(*decision, "decision");
                 if (!disposal.ok()) return error_response(disposal.error());
                 auto reason = string_field(*body, "reason", 1000);
                 if (!reason.ok()) return error_response(reason.error());
                 workflow::RetentionDecision d{.disposal = *disposal, .reason = *reason};
                 if (body->contains("next_review_on") && !(*body)["next_review_on"].is_null()) {
                   auto next = date_field(*body, "next_review_on");
                   if (!next.ok()) return error_response(next.error());
                   d.next_review_on = *next;
                 }
                 auto r = retention.decide(actor_of(*ctx.principal), ctx.params.at("id"), d);
                 if (!r.ok()) return error_response(r.error());
                 return json_response(200, workflow::retention_status_json(*r));
               }});
}

}  // namespace sg::api
