// Narrative extraction over HTTP (issue 8): POST /api/v1/extract proposes the vehicles,
// phones, e-mail addresses, postcodes and dates in a narrative being typed into the concern
// form (workflow/extract.h), for the practitioner to confirm one by one.
#include <nlohmann/json.hpp>

#include "api/app.h"
#include "api/errors.h"
#include "api/json_io.h"
#include "domain/concern.h"
#include "workflow/extract.h"

namespace sg::api {

void App::add_extract_routes() {
  router_.add(
      {.method = "POST",
       .path = "/api/v1/extract",
       .operation_id = "extractFromNarrative",
       .summary = "Propose POLE items found in a narrative: body {\"text\": \"…\"} (at most the "
                  "concern narrative's length). Answers {\"items\": [{kind, value, text, start, "
                  "end}]} in order of appearance; kind is vehicle_registration, phone, email, "
                  "postcode or date; start and end count Unicode code points. Records nothing",
       .tag = "casework",
       .responses = {{200, {"The items found, in order of appearance", std::nullopt}},
                     {400, {"Invalid input; `field` names it", "Problem"}},
                     {401, {"Not signed in", "Problem"}},
                     {403, {"This role may not raise concerns", "Problem"}},
                     {413, {"The body is too large", "Problem"}}},
       .handler = [this](Context& ctx) {
         auto actor = actor_of(*ctx.principal);
         if (auto st = workflow::require(actor, workflow::Action::kRaiseConcern); !st.ok()) {
           return error_response(st.error());
         }
         auto body = parse_json_body(ctx.request, options_.max_json_bytes);
         if (!body.ok()) return error_response(body.error());
         // The same limit as a concern's narrative, so whatever the form may send can be read.
         auto text = string_field(*body, "text", domain::ConcernLimits{}.max_narrative_bytes);
         if (!text.ok()) return error_response(text.error());
         // No ledger event: the text is the caller's own draft, sent back only to them, and
         // nothing stored is read or written. Whatever they confirm is recorded (and
         // ledgered) with the concern itself.
         nlohmann::json items = nlohmann::json::array();
         for (const auto& item : workflow::extract_items(*text)) {
           items.push_back({{"kind", item.kind},
                            {"value", item.value},
                            {"text", item.text},
                            {"start", item.start},
                            {"end", item.end}});
         }
         return json_response(200, {{"items", items}});
       }});
}

}  // namespace sg::api
