// Turns an api::Response into the HTTP/1.1 status line and header block that precede its
// body on the wire: framing headers owned by the server, default security headers, and
// the checks that keep a handler's header from splitting the response.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

#include "api/http.h"
#include "core/result.h"

namespace sg::server {

// Whether the connection stays open after this response; decides the Connection header.
enum class Persistence { kKeepAlive, kClose };

// Returns Internal when the response cannot be sent as it is: a status outside 200–599
// (interim responses are the server's business), a header name that is not an RFC 9110
// token, or a header value with a control character other than HTAB. Such a response is
// a handler bug; the caller answers 500 instead.
core::Status check_response(const api::Response& response);

// False for statuses that never carry content (1xx, 204, 304; RFC 9110 §6.4.1).
bool status_has_body(int status);

// Appends the head for `response` to `out`. The server owns framing, so the handler's
// Content-Length, Transfer-Encoding, Connection and Server headers are replaced; the
// defaults X-Content-Type-Options, Referrer-Policy and X-Frame-Options are added unless
// the handler set them. Content-Length is always the body's size, so a HEAD response,
// sent without its body, still describes it (RFC 9110 §9.3.2). `request_version` is 10 or
// 11. REQUIRES: check_response(response).
void append_response_head(const api::Response& response, Persistence persistence,
                          int request_version, std::string_view http_date, std::string& out);

// The IMF-fixdate for a time, e.g. "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 §5.6.7).
std::string format_http_date(std::time_t time);

// The current IMF-fixdate, formatted at most once a second per thread. The view stays
// valid until the next call on the same thread.
std::string_view current_http_date();

}  // namespace sg::server
