// The transport-neutral HTTP exchange that the api layer handles and the server carries.
// The server (Boost.Beast) converts wire messages to and from these; nothing above the
// server sees Beast types, so handlers can be tested without sockets.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sg::api {

struct Request {
  std::string method;  // "GET", "POST", ... upper case as received.
  std::string target;  // The raw request target, e.g. "/api/v1/me?x=1".
  std::string path;    // Percent-decoded path without the query, e.g. "/api/v1/me".
  std::string query;   // The raw query string without '?', possibly empty.
  // Header names are lower-cased by the server; values are as received.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_address;  // Peer IP as text; used for rate limits only, never stored.
  bool secure = false;         // True when the request arrived over TLS.

  // Returns the first header with this lower-case name.
  std::optional<std::string_view> header(std::string_view lower_name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // The route template that handled the request ("/api/v1/cases/{id}"), for metrics
  // labels. Never a raw path, so ids do not explode the label set.
  std::string route = "unmatched";

  void set_header(std::string name, std::string value);
  std::optional<std::string_view> header(std::string_view name) const;
};

// Handles one request. Implementations must be thread-safe and must not throw; the server
// still wraps each call in a catch-all that answers 500 with a request id.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual Response handle(const Request& request) = 0;
};

// An RFC 9457 problem+json response. `field` (optional) names the offending input.
Response problem(int status, std::string_view title, std::string_view detail,
                 std::string_view field = {});

}  // namespace sg::api
