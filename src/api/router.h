// Route table: method + path template ("/api/v1/records/{id}") → handler, with the
// metadata the OpenAPI document is generated from, so the document cannot drift.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/accounts.h"
#include "api/http.h"

namespace sg::api {

// Everything a handler gets: the request, path parameters and (on authenticated routes)
// the caller.
struct Context {
  const Request& request;
  std::map<std::string, std::string, std::less<>> params;
  std::optional<access::Principal> principal;
};

using RouteHandler = std::function<Response(Context&)>;

enum class Auth { kPublic, kSession };

struct Route {
  std::string method;
  std::string path;  // Template; "{name}" matches one non-empty segment.
  Auth auth = Auth::kSession;
  std::string operation_id;
  std::string summary;
  std::string tag;
  std::optional<std::string> request_schema;  // Component schema name of the JSON body.
  // Status → (description, optional component schema name of the JSON response).
  std::map<int, std::pair<std::string, std::optional<std::string>>> responses;
  RouteHandler handler;
};

class Router {
 public:
  void add(Route route);

  struct Match {
    const Route* route = nullptr;  // Null when nothing matched.
    std::map<std::string, std::string, std::less<>> params;
    std::vector<std::string> allowed_methods;  // Set when the path matched another method.
  };
  Match match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace sg::api
