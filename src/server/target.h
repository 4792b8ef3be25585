// Splits an HTTP request-target (RFC 9112 §3.2) into the percent-decoded path that routes
// match on and the raw query string that handlers parse themselves.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace sg::server {

struct RequestTarget {
  std::string path;   // Percent-decoded; "/" for an absolute-form target without a path.
  std::string query;  // As received, without the '?'; empty when absent.
};

// Accepts origin-form ("/a%20b?x=1"), absolute-form ("http://host/a?x=1", which RFC 9112
// §3.2.2 requires servers to accept) and asterisk-form ("*", for OPTIONS). Returns
// InvalidArgument (field "target") for any other form, for a '%' not followed by two hex
// digits, and for a path that decodes to a NUL byte, which no route can mean.
core::Result<RequestTarget> parse_target(std::string_view target);

}  // namespace sg::server
