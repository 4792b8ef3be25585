// A Beast request parser that fills an api::Request in place, so a keep-alive connection
// reuses the strings of its previous request instead of building a beast::http::request
// and copying it.
#pragma once

// Boost 1.74's Asio uses std::exchange without including <utility>, so it must come
// first; the comment line after it stops clang-format from sorting it into the block.
#include <utility>
// Other system and library headers.
#include <boost/beast/http/basic_parser.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>

#include "api/http.h"

namespace sg::server {

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  // Clears what a previous request left in `request` (keeping remote_address and secure)
  // and parses the next one into it. Header names are lower-cased. The limits are enforced
  // by Beast: header_limit covers the request line and fields; body_limit applies to the
  // announced Content-Length as soon as the header is read, and to chunked bodies as they
  // arrive. `request` must outlive the parser.
  RequestParser(api::Request& request, size_t max_header_bytes, size_t max_body_bytes);

  // True when the client asked for "Expect: 100-continue" before sending its body.
  bool expects_continue() const { return expects_continue_; }
  // 10 or 11 once the request line has been parsed; 11 before.
  int version() const { return version_; }
  // When the request line arrived, if it has.
  std::optional<std::chrono::steady_clock::time_point> started() const { return started_; }
  // Why the parser refused a request that Beast's grammar allows, or empty. Set together
  // with a Beast error, so the read fails and the connection closes after a 400.
  std::string_view violation() const { return violation_; }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb method, string_view method_text, string_view target,
                       int version, error_code& ec) override;
  void on_response_impl(int status, string_view reason, int version, error_code& ec) override;
  void on_field_impl(boost::beast::http::field name, string_view name_text, string_view value,
                     error_code& ec) override;
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                         error_code& ec) override;
  std::size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t size, string_view extensions, error_code& ec) override;
  std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code& ec) override;
  void on_finish_impl(error_code& ec) override;

  api::Request& request_;
  int version_ = 11;
  bool expects_continue_ = false;
  bool has_transfer_encoding_ = false;
  int host_fields_ = 0;
  std::string_view violation_;
  std::optional<std::chrono::steady_clock::time_point> started_;
};

}  // namespace sg::server
