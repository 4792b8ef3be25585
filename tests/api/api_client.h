// Requests to the App as the web app sends them, for the API tests: one place for the
// session cookie, the CSRF header, the JSON body and the consultation reason code.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>

#include "api/app.h"
#include "network/graph.h"

namespace sg::testing {

struct ApiSession {
  std::string cookie, csrf, user_id;
};

// `target` may carry a query string. With a session, sends its cookie and CSRF token; with a
// body, sends it as JSON. `reason` goes in X-Reason (consulting OFFICIAL-SENSITIVE records
// needs one); empty sends none.
inline api::Request api_request(const std::string& method, const std::string& target,
                                const ApiSession* session, const nlohmann::json& body = nullptr,
                                std::string_view reason = "case_work") {
  api::Request r;
  r.method = method;
  r.target = target;
  auto q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) r.query = target.substr(q + 1);
  r.headers = {{"host", "localhost"}};
  if (!reason.empty()) r.headers.emplace_back("x-reason", std::string(reason));
  if (session) {
    r.headers.emplace_back("cookie", session->cookie);
    r.headers.emplace_back("x-csrf-token", session->csrf);
  }
  if (!body.is_null()) {
    r.headers.emplace_back("content-type", "application/json");
    r.body = body.dump();
  }
  return r;
}

// Signs `user` in (the test password of testing::World) and returns the session.
inline ApiSession api_login(api::App& app, const std::string& user,
                            const std::string& password = "correct horse battery") {
  auto res = app.handle(api_request("POST", "/api/v1/session", nullptr,
                                    {{"username", user}, {"password", password}}, ""));
  EXPECT_EQ(res.status, 200) << res.body;
  if (res.status != 200) return {};
  auto cookie = std::string(res.header("Set-Cookie").value_or(""));
  auto body = nlohmann::json::parse(res.body);
  return {cookie.substr(0, cookie.find(';')), body["csrf_token"], body["user"]["id"]};
}

// The id of the link graph's entity labelled `label`, or "" when there is none.
inline std::string entity_labelled(const network::LinkGraph& graph, const std::string& label) {
  return graph.read([&](const network::GraphData& d) {
    for (const auto& e : d.entities) {
      if (e.label == label) return e.id;
    }
    return std::string();
  });
}

// The labels of the other ends of an entity's links, as the API lists them.
inline std::set<std::string> link_labels(const nlohmann::json& links) {
  std::set<std::string> out;
  for (const auto& l : links) out.insert(l["other"]["label"].get<std::string>());
  return out;
}

}  // namespace sg::testing
