// RequestParser: Beast's HTTP/1.1 grammar and limits, our Request value.
#include "server/request_parser.h"

#include <algorithm>
#include <limits>

#include "core/ascii.h"

namespace sg::server {
namespace {

namespace http = boost::beast::http;

// A body buffer kept from a large upload would otherwise stay allocated for the life of a
// keep-alive connection.
constexpr size_t kMaxRetainedBodyCapacity = 64 * 1024;

std::string_view view(boost::beast::string_view s) { return {s.data(), s.size()}; }

}  // namespace

RequestParser::RequestParser(api::Request& request, size_t max_header_bytes, size_t max_body_bytes)
    : request_(request) {
  header_limit(static_cast<std::uint32_t>(
      std::min<size_t>(max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  body_limit(static_cast<std::uint64_t>(max_body_bytes));
  request_.method.clear();
  request_.target.clear();
  request_.path.clear();
  request_.query.clear();
  request_.headers.clear();
  if (request_.body.capacity() > kMaxRetainedBodyCapacity) {
    std::string().swap(request_.body);
  } else {
    request_.body.clear();
  }
}

void RequestParser::on_request_impl(http::verb, string_view method_text, string_view target,
                                    int version, error_code&) {
  started_ = std::chrono::steady_clock::now();
  request_.method.assign(method_text.data(), method_text.size());
  request_.target.assign(target.data(), target.size());
  version_ = version;
}

void RequestParser::on_response_impl(int, string_view, int, error_code& ec) {
  // Unreachable for a request parser; Beast requires the override.
  ec = http::error::bad_version;
}

void RequestParser::on_field_impl(http::field name, string_view name_text, string_view value,
                                  error_code&) {
  auto& [lower_name, field_value] =
      request_.headers.emplace_back(std::string(view(name_text)), std::string(view(value)));
  for (char& c : lower_name) c = core::ascii_lower(c);
  switch (name) {
    case http::field::expect:
      if (core::iequals(field_value, "100-continue")) expects_continue_ = true;
      break;
    case http::field::host:
      ++host_fields_;
      break;
    case http::field::transfer_encoding:
      has_transfer_encoding_ = true;
      break;
    default:
      break;
  }
}

void RequestParser::on_header_impl(error_code& ec) {
  // Both rules close a request-smuggling gap between us and a proxy in front of us.
  // RFC 9112 §6.3: "If a Transfer-Encoding header field is present in a request and the
  // chunked transfer coding is not the final encoding, [...] the server MUST respond with
  // the 400 (Bad Request) status code and then close the connection."
  if (has_transfer_encoding_ && !chunked()) {
    violation_ = "a request's Transfer-Encoding must end with chunked";
    ec = http::error::bad_transfer_encoding;
    return;
  }
  // RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any
  // HTTP/1.1 request message that lacks a Host header field and to any request message
  // that contains more than one Host header field line".
  if (host_fields_ > 1 || (host_fields_ == 0 && version_ >= 11)) {
    violation_ = "an HTTP/1.1 request needs exactly one Host header";
    ec = http::error::bad_field;
  }
}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                                      error_code&) {
  // Reserve only a little up front: a client may announce a large body and then trickle
  // it, and many such connections must not pin max_body_bytes each.
  if (content_length) {
    request_.body.reserve(
        static_cast<size_t>(std::min<std::uint64_t>(*content_length, kMaxRetainedBodyCapacity)));
  }
}

std::size_t RequestParser::on_body_impl(string_view body, error_code&) {
  request_.body.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_chunk_header_impl(std::uint64_t, string_view, error_code&) {}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code&) {
  request_.body.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_finish_impl(error_code&) {}

}  // namespace sg::server
