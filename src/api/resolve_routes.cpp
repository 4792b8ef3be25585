// The people API (issue 4): as-you-type matching for the concern form, an entity's records
// across agencies, and the analysts' review queue (workflow/people.h).
#include "api/app.h"
#include "api/errors.h"
#include "api/json_io.h"
#include "resolve/dates.h"
#include "workflow/people.h"

namespace sg::api {
namespace {

using nlohmann::json;

json match_json(const resolve::OnlineMatch& m) {
  return {{"record_id", m.record_id},
          {"entity_id", m.entity_id},
          {"agency_id", m.agency_id},
          {"match_probability", m.probability},
          {"explanation", workflow::explanation_json(m.explanation)}};
}

json pair_json(const storage::ReviewPair& p) {
  return {{"pair_id", p.pair_id},
          {"record_l", p.record_l},
          {"record_r", p.record_r},
          {"match_probability", p.probability},
          {"status", p.status},
          {"queued_at", core::format_rfc3339(p.queued_at)},
          {"updated_at", core::format_rfc3339(p.updated_at)}};
}

// The query of GET /api/v1/persons/match: each field at most 200 bytes; a name is required;
// a date of birth must be readable (it is never echoed back).
core::Result<resolve::PersonRecord> match_query(const Request& request) {
  resolve::PersonRecord q;
  struct Param {
    const char* name;
    std::string* into;
  };
  const Param params[] = {{"given_name", &q.given_name},
                          {"family_name", &q.family_name},
                          {"full_name", &q.full_name},
                          {"date_of_birth", &q.date_of_birth},
                          {"sex", &q.sex},
                          {"address", &q.address},
                          {"postcode", &q.postcode},
                          {"phone", &q.phone},
                          {"email", &q.email},
                          {"nhs_number", &q.nhs_number},
                          {"pnc_id", &q.pnc_id},
                          {"upn", &q.upn}};
  for (const auto& p : params) {
    auto value = query_param(request, p.name);
    if (!value) continue;
    if (value->size() > 200)
      return core::invalid_argument("is too long (at most 200 bytes)", p.name);
    *p.into = *value;
  }
  if (q.given_name.empty() && q.family_name.empty() && q.full_name.empty()) {
    return core::invalid_argument("a name is required (given_name, family_name or full_name)",
                                  "family_name");
  }
  if (!q.date_of_birth.empty()) SG_TRY(resolve::parse_birth_date(q.date_of_birth, "date_of_birth"));
  return q;
}

}  // namespace

void App::add_resolve_routes() {
  auto problems = [](std::map<int, std::pair<std::string, std::optional<std::string>>> r) {
    r[400] = {"Invalid input; `field` names it", "Problem"};
    r[401] = {"Not signed in", "Problem"};
    r[403] = {"This role may not do this", "Problem"};
    r[503] = {"Entity resolution is not running", "Problem"};
    return r;
  };
  // Every handler needs the people service; without it the routes answer 503.
  auto people = [this]() -> core::Result<workflow::People*> {
    if (!services_.people) return core::unavailable("entity resolution is not running");
    return services_.people;
  };

  router_.add({.method = "GET",
               .path = "/api/v1/persons/match",
               .operation_id = "matchPerson",
               .summary = "As-you-type matching for the concern form: ?given_name=&family_name=&"
                          "date_of_birth= (also full_name, sex, address, postcode, phone, email, "
                          "nhs_number, pnc_id, upn); the records and entities it matches, with "
                          "their agencies and waterfalls. Logged as a consultation",
               .tag = "people",
               .responses = problems({{200, {"Matches, best first", "PersonMatches"}}}),
               .handler = [people](Context& ctx) {
                 auto service = people();
                 if (!service.ok()) return error_response(service.error());
                 auto query = match_query(ctx.request);
                 if (!query.ok()) return error_response(query.error());
                 auto found = (*service)->lookup(actor_of(*ctx.principal), *query);
                 if (!found.ok()) return error_response(found.error());
                 json items = json::array();
                 for (const auto& m : *found) items.push_back(match_json(m));
                 return json_response(200, {{"matches", items}});
               }});

  router_.add({.method = "GET",
               .path = "/api/v1/persons/{entity_id}",
               .operation_id = "getPerson",
               .summary = "An entity (by entity or record id): its records from every agency, "
                          "each with the waterfall against the entity's first record. "
                          "?as_of=RFC3339 shows the person as known then: only records recorded "
                          "by then, each as it stood then, with the match decisions then in "
                          "force. Logged as a consultation",
               .tag = "people",
               .responses = problems(
                   {{200, {"The entity", "PersonEntity"}}, {404, {"No such entity", "Problem"}}}),
               .handler = [people](Context& ctx) {
                 auto service = people();
                 if (!service.ok()) return error_response(service.error());
                 auto as_of = time_param(ctx.request, "as_of");
                 if (!as_of.ok()) return error_response(as_of.error());
                 const auto& id = ctx.params.at("entity_id");
                 auto actor = actor_of(*ctx.principal);
                 auto entity = *as_of ? (*service)->entity_as_of(actor, id, **as_of)
                                      : (*service)->entity(actor, id);
                 if (!entity.ok()) return error_response(entity.error());
                 return json_response(200, *entity);
               }});

  router_.add({.method = "GET",
               .path = "/api/v1/review-queue",
               .operation_id = "reviewQueue",
               .summary = "Possible matches for an analyst, most probable first: "
                          "?status=open|same|different|unsure|all (default open), &limit=",
               .tag = "people",
               .responses = problems({{200, {"Queued pairs", "ReviewPairList"}}}),
               .handler = [people](Context& ctx) {
                 auto service = people();
                 if (!service.ok()) return error_response(service.error());
                 // Up to four digits are accepted and more than 1,000 is read as 1,000.
                 auto asked = int_param(ctx.request, "limit", 100, 1, 9999);
                 if (!asked.ok()) return error_response(asked.error());
                 auto limit = static_cast<std::size_t>(std::min(*asked, 1000));
                 auto items =
                     (*service)->queue(actor_of(*ctx.principal),
                                       query_param(ctx.request, "status").value_or(""), limit);
                 if (!items.ok()) return error_response(items.error());
                 json out = json::array();
                 for (const auto& p : *items) out.push_back(pair_json(p));
                 return json_response(200, {{"items", out}});
               }});

  router_.add({.method = "GET",
               .path = "/api/v1/review-queue/{pair_id}",
               .operation_id = "reviewPair",
               .summary = "A queued pair with its waterfall and current decision; the ETag is "
                          "the decision's version, for If-Match",
               .tag = "people",
               .responses = problems(
                   {{200, {"The pair", "ReviewPairDetail"}}, {404, {"No such pair", "Problem"}}}),
               .handler = [people](Context& ctx) {
                 auto service = people();
                 if (!service.ok()) return error_response(service.error());
                 auto view = (*service)->pair(actor_of(*ctx.principal), ctx.params.at("pair_id"));
                 if (!view.ok()) return error_response(view.error());
                 json body = pair_json(view->pair);
                 body["explanation"] = workflow::explanation_json(view->explanation);
                 body["decision"] = view->decision;
                 body["version"] = view->version;
                 return with_etag(json_response(200, body), view->version);
               }});

  router_.add(
      {.method = "POST",
       .path = "/api/v1/review-queue/{pair_id}/decision",
       .operation_id = "decideReviewPair",
       .summary = "Decide a pair: same (forces a merge), different (forbids one) or unsure. "
                  "Send If-Match with the version read; a ledger combination event",
       .tag = "people",
       .request_schema = "ReviewDecision",
       .responses = problems({{200, {"Decided", "Version"}},
                              {404, {"No such pair", "Problem"}},
                              {412, {"Decided by someone else since it was read", "Problem"}}}),
       .handler = [people](Context& ctx) {
         auto service = people();
         if (!service.ok()) return error_response(service.error());
         auto match = if_match_version(ctx.request);
         if (!match.ok()) return error_response(match.error());
         auto body = parse_json_body(ctx.request, 16 * 1024);
         if (!body.ok()) return error_response(body.error());
         auto verdict_text = string_field(*body, "verdict", 16);
         if (!verdict_text.ok()) return error_response(verdict_text.error());
         auto verdict = resolve::parse_verdict(*verdict_text, "verdict");
         if (!verdict.ok()) return error_response(verdict.error());
         auto note = optional_string(*body, "note", 2000);
         if (!note.ok()) return error_response(note.error());
         auto version = (*service)->decide(actor_of(*ctx.principal), ctx.params.at("pair_id"),
                                           *verdict, *note, *match);
         if (!version.ok()) return error_response(version.error());
         return with_etag(json_response(200, {{"version", *version}}), *version);
       }});

  router_.add(
      {.method = "POST",
       .path = "/api/v1/review-queue/{pair_id}/undo",
       .operation_id = "undoReviewDecision",
       .summary = "Withdraw the decision on a pair (the model decides again). Send If-Match; a "
                  "ledger combination event",
       .tag = "people",
       .responses = problems({{200, {"Undone", "Version"}},
                              {404, {"No such pair", "Problem"}},
                              {409, {"The pair has no decision", "Problem"}},
                              {412, {"Decided by someone else since it was read", "Problem"}}}),
       .handler = [people](Context& ctx) {
         auto service = people();
         if (!service.ok()) return error_response(service.error());
         auto match = if_match_version(ctx.request);
         if (!match.ok()) return error_response(match.error());
         auto version =
             (*service)->undo(actor_of(*ctx.principal), ctx.params.at("pair_id"), *match);
         if (!version.ok()) return error_response(version.error());
         return with_etag(json_response(200, {{"version", *version}}), *version);
       }});
}

}  // namespace sg::api
