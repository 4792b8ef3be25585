// Anonymous reporting: public endpoints with no login, rate-limited per client, and the
// staff reply endpoint (access/public_reports.h).
#include "api/app.h"
#include "api/errors.h"
#include "api/json_io.h"

namespace sg::api {
namespace {

using nlohmann::json;

Response too_many() {
  auto r = problem(429, "Too many requests", "please wait a while before trying again");
  r.set_header("Retry-After", "600");
  return r;
}

}  // namespace

void App::add_public_routes() {
  auto& reports = services_.reports;
  router_.add({.method = "POST",
               .path = "/api/v1/public/reports",
               .auth = Auth::kPublic,
               .operation_id = "submitAnonymousReport",
               .summary = "Report a concern anonymously; returns a reference and an eight-word "
                          "receipt code (shown once). No address or user agent is stored.",
               .tag = "public",
               .request_schema = "PublicReport",
               .responses = {{201, {"Received", "Receipt"}},
                             {400, {"Invalid input; `field` names it", "Problem"}},
                             {429, {"Too many reports from this client", "Problem"}}},
               .handler = [this, &reports](Context& ctx) {
                 if (!submit_limit_.allow(ctx.request.remote_address, services_.clock.now())) {
                   return too_many();
                 }
                 auto body = parse_json_body(ctx.request, 64 * 1024);
                 if (!body.ok()) return error_response(body.error());
                 auto r = reports.submit(*body);
                 if (!r.ok()) return error_response(r.error());
                 return json_response(
                     201, {{"reference", r->reference}, {"receipt_code", r->receipt_code}});
               }});
  auto with_code = [this](Context& ctx, auto then) -> Response {
    if (!check_limit_.allow(ctx.request.remote_address, services_.clock.now())) {
      return too_many();
    }
    auto body = parse_json_body(ctx.request, 16 * 1024);
    if (!body.ok()) return error_response(body.error());
    auto code = string_field(*body, "receipt_code", 200);
    if (!code.ok()) return error_response(code.error());
    return then(*body, *code);
  };
  router_.add({.method = "POST",
               .path = "/api/v1/public/reports/status",
               .auth = Auth::kPublic,
               .operation_id = "anonymousReportStatus",
               .summary = "Where a report stands, and messages from staff, for its receipt code "
                          "(sent in the body, never the URL)",
               .tag = "public",
               .request_schema = "ReceiptCode",
               .responses = {{200, {"The status", "ReportStatus"}},
                             {404, {"No report matches this code", "Problem"}},
                             {429, {"Too many attempts", "Problem"}}},
               .handler = [with_code, &reports](Context& ctx) {
                 return with_code(ctx, [&](const json&, const std::string& code) {
                   auto s = reports.status(code);
                   if (!s.ok()) return error_response(s.error());
                   json messages = json::array();
                   for (const auto& m : s->messages) {
                     messages.push_back({{"from", m.from}, {"at", m.at}, {"text", m.text}});
                   }
                   return json_response(200, {{"reference", s->reference},
                                              {"received_on", s->received_on},
                                              {"status", s->status},
                                              {"messages", messages}});
                 });
               }});
  router_.add({.method = "POST",
               .path = "/api/v1/public/reports/messages",
               .auth = Auth::kPublic,
               .operation_id = "addToAnonymousReport",
               .summary = "Add information to a report, with its receipt code",
               .tag = "public",
               .request_schema = "ReportMessage",
               .responses = {{204, {"Added", std::nullopt}},
                             {400, {"Invalid input", "Problem"}},
                             {404, {"No report matches this code", "Problem"}},
                             {429, {"Too many attempts", "Problem"}}},
               .handler = [with_code, &reports](Context& ctx) {
                 return with_code(ctx, [&](const json& body, const std::string& code) {
                   auto text = string_field(body, "text", 5000);
                   if (!text.ok()) return error_response(text.error());
                   auto st = reports.add_information(code, *text);
                   if (!st.ok()) return error_response(st.error());
                   return no_content();
                 });
               }});
  router_.add({.method = "POST",
               .path = "/api/v1/reports/{id}/replies",
               .operation_id = "replyToAnonymousReporter",
               .summary = "Staff reply to an anonymous reporter (logged as a disclosure)",
               .tag = "public",
               .request_schema = "ReplyRequest",
               .responses = {{204, {"Sent", std::nullopt}},
                             {400, {"Invalid input", "Problem"}},
                             {403, {"This role may not reply", "Problem"}},
                             {404, {"No such report", "Problem"}}},
               .handler = [&reports](Context& ctx) {
                 auto body = parse_json_body(ctx.request, 16 * 1024);
                 if (!body.ok()) return error_response(body.error());
                 auto text = string_field(*body, "text", 5000);
                 if (!text.ok()) return error_response(text.error());
                 auto st = reports.reply(actor_of(*ctx.principal), ctx.params.at("id"), *text);
                 if (!st.ok()) return error_response(st.error());
                 return no_content();
               }});
}

}  // namespace sg::api
