// Search: full-text search of concern narratives, for the practitioners, managers, MASH
// coordinators, analysts and reviewers who read casework. Each search is one ledger
// consultation naming the concerns it returned (DPA 2018 s.62), with the words searched for,
// so an auditor can see who looked for what.
#include <cctype>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/app.h"
#include "api/errors.h"
#include "api/json_io.h"
#include "resolve/csv.h"
#include "workflow/need_to_know.h"

namespace sg::api {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxQueryBytes = 200;
constexpr std::size_t kMaxTerms = 12;

// Words of the query: runs of letters and digits (any byte of a multi-byte UTF-8 character
// counts as a letter; the index's tokenizer folds case and accents).
std::vector<std::string> terms_of(std::string_view q) {
  std::vector<std::string> out;
  std::string word;
  for (unsigned char c : q) {
    if (c >= 0x80 || std::isalnum(c) != 0) {
      word += static_cast<char>(c);
    } else if (!word.empty()) {
      out.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

// A snippet as segments [{text, match}], so clients highlight without parsing markup.
json snippet_segments(std::string_view snippet) {
  json out = json::array();
  std::string text;
  bool match = false;
  auto flush = [&] {
    if (!text.empty()) out.push_back({{"text", text}, {"match", match}});
    text.clear();
  };
  for (char c : snippet) {
    if (c == storage::kMatchStart || c == storage::kMatchEnd) {
      flush();
      match = c == storage::kMatchStart;
    } else {
      text += c;
    }
  }
  flush();
  return out;
}

}  // namespace

void App::add_search_routes() {
  router_.add({.method = "GET",
               .path = "/api/v1/search/concerns",
               .operation_id = "searchConcerns",
               .summary =
                   "Concerns whose narrative holds every word of ?q= (the last also as a prefix), "
                   "best match first, with the matching passage and the children's cases; "
                   "&limit= 1 to 100 (default 20). Logged as a consultation.",
               .tag = "casework",
               .responses = {{200, {"Matching concerns", "ConcernSearch"}},
                             {400, {"Invalid input; `field` names it", "Problem"}},
                             {401, {"Not signed in", "Problem"}},
                             {403, {"This role may not read casework", "Problem"}}},
               .handler = [this](Context& ctx) {
                 auto actor = actor_of(*ctx.principal);
                 if (auto st = workflow::require(actor, workflow::Action::kSearch); !st.ok()) {
                   return error_response(st.error());
                 }
                 auto q = query_param(ctx.request, "q").value_or("");
                 if (q.size() > kMaxQueryBytes) {
                   return error_response(core::invalid_argument(
                       "must be at most " + std::to_string(kMaxQueryBytes) + " bytes", "q"));
                 }
                 if (!resolve::is_valid_utf8(q)) {
                   return error_response(core::invalid_argument("must be UTF-8 text", "q"));
                 }
                 auto terms = terms_of(q);
                 if (terms.empty()) {
                   return error_response(core::invalid_argument("needs at least one word", "q"));
                 }
                 if (terms.size() > kMaxTerms) {
                   return error_response(core::invalid_argument(
                       "may have at most " + std::to_string(kMaxTerms) + " words", "q"));
                 }
                 auto limit = int_param(ctx.request, "limit", 20, 1, 100);
                 if (!limit.ok()) return error_response(limit.error());
                 auto tx = services_.store.begin(storage::TxMode::kWrite);
                 if (!tx.ok()) return error_response(tx.error());
                 auto need = workflow::NeedToKnow::load(**tx, actor, services_.clock.now());
                 if (!need.ok()) return error_response(need.error());
                 // Only concerns the searcher has a need to know: read further, keep those, cut.
                 auto hits = (*tx)->search_concerns(terms, static_cast<std::size_t>(*limit) * 10);
                 if (!hits.ok()) return error_response(hits.error());
                 std::erase_if(*hits, [&](const storage::ConcernHit& h) {
                   // The stored version carries what need to know turns on (when it
                   // was recorded, for reviewers' remits).
                   auto version = (*tx)->record(h.concern_id);
                   if (!version.ok()) return true;
                   auto facts = workflow::facts_of(**tx, *version, json());
                   return !facts.ok() || !need->may_read(*facts);
                 });
                 if (hits->size() > static_cast<std::size_t>(*limit)) hits->resize(*limit);
                 json items = json::array();
                 std::vector<std::string> ids;
                 for (const auto& hit : *hits) {
                   json item = {{"concern_id", hit.concern_id},
                                {"agency_id", hit.agency_id},
                                {"snippet", snippet_segments(hit.snippet)},
                                {"case_ids", hit.case_ids}};
                   if (auto record = (*tx)->record(hit.concern_id); record.ok()) {
                     auto doc = json::parse(record->body, nullptr, false);
                     if (doc.is_object()) {
                       item["received_at"] = doc.value("received_at", "");
                       item["channel"] = doc.value("channel", "");
                       item["category"] = doc.value("category", "");
                     }
                   }
                   items.push_back(std::move(item));
                   ids.push_back(hit.concern_id);
                 }
                 auto event = services_.ledger.append(
                     **tx, {.actor = actor.user_id,
                            .operation = domain::Operation::kConsultation,
                            .reason = "search",
                            .record_ids = ids,
                            .payload = json{{"search", terms}, {"results", ids.size()}}.dump()});
                 if (!event.ok()) return error_response(event.error());
                 if (auto st = (*tx)->commit(); !st.ok()) return error_response(st.error());
                 return json_response(200, {{"items", items}});
               }});
}

}  // namespace sg::api
