// Request-target parsing: form detection, path/query split and percent-decoding.
#include "server/target.h"

#include <utility>

#include "core/ascii.h"

namespace sg::server {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool starts_with_scheme(std::string_view target, std::string_view scheme) {
  return target.size() >= scheme.size() && core::iequals(target.substr(0, scheme.size()), scheme);
}

// RFC 3986 §2.1. '+' is left alone: it means a space only in form-encoded queries.
core::Result<std::string> percent_decode_path(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%') {
      bool complete = i + 2 < raw.size();
      int hi = complete ? hex_value(raw[i + 1]) : -1;
      int lo = complete ? hex_value(raw[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return core::invalid_argument("the request path has an invalid percent-encoding", "target");
      }
      c = static_cast<char>(hi << 4 | lo);
      i += 2;
    }
    if (c == '\0') {
      return core::invalid_argument("the request path contains a NUL byte", "target");
    }
    out += c;
  }
  return out;
}

}  // namespace

core::Result<RequestTarget> parse_target(std::string_view target) {
  if (target == "*") return RequestTarget{"*", ""};

  std::string_view rest = target;
  if (!rest.starts_with('/')) {
    size_t scheme_length = starts_with_scheme(rest, "http://")    ? 7
                           : starts_with_scheme(rest, "https://") ? 8
                                                                  : 0;
    if (scheme_length == 0) {
      return core::invalid_argument("the request target must be a path or an absolute URI",
                                    "target");
    }
    // Drop the authority: the Host header carries the same information for routing.
    rest.remove_prefix(scheme_length);
    size_t path_start = rest.find_first_of("/?");
    rest = path_start == std::string_view::npos ? std::string_view() : rest.substr(path_start);
  }

  std::string_view raw_path = rest;
  std::string_view query;
  if (size_t question = rest.find('?'); question != std::string_view::npos) {
    raw_path = rest.substr(0, question);
    query = rest.substr(question + 1);
  }
  if (raw_path.empty()) raw_path = "/";

  auto path = percent_decode_path(raw_path);
  if (!path.ok()) return std::move(path).error();
  return RequestTarget{std::move(path).value(), std::string(query)};
}

}  // namespace sg::server
