// Response head serialization. Written by hand rather than through beast::http::fields
// so that a connection reuses one buffer and no per-response field list is allocated.
#include "server/response_head.h"

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>

#include "core/ascii.h"

namespace sg::server {
namespace {

// RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
// "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA.
bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

// RFC 9110 §5.5: field values are visible characters, SP, HTAB and obs-text; CR and LF in
// particular would let a value start a header or body of its own.
bool is_field_value(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) return false;
  }
  return true;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";  // The reason-phrase is optional (RFC 9112 §4).
  }
}

enum class HeaderRole {
  kOther,
  kOwnedByServer,
  kContentTypeOptions,
  kReferrerPolicy,
  kFrameOptions
};

HeaderRole classify(std::string_view name) {
  if (core::iequals(name, "content-length") || core::iequals(name, "transfer-encoding") ||
      core::iequals(name, "connection") || core::iequals(name, "server")) {
    return HeaderRole::kOwnedByServer;
  }
  if (core::iequals(name, "x-content-type-options")) return HeaderRole::kContentTypeOptions;
  if (core::iequals(name, "referrer-policy")) return HeaderRole::kReferrerPolicy;
  if (core::iequals(name, "x-frame-options")) return HeaderRole::kFrameOptions;
  return HeaderRole::kOther;
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

void append_number(std::string& out, size_t value) {
  std::array<char, 24> digits;
  auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), value);
  (void)ec;  // 24 digits hold any size_t.
  out.append(digits.data(), end);
}

}  // namespace

core::Status check_response(const api::Response& response) {
  if (response.status < 200 || response.status > 599) {
    return core::internal("the handler returned status " + std::to_string(response.status) +
                          ", outside 200-599");
  }
  for (const auto& [name, value] : response.headers) {
    if (!is_token(name)) return core::internal("the handler returned an invalid header name");
    if (!is_field_value(value)) {
      return core::internal("the handler returned a control character in header " + name);
    }
  }
  return core::ok_status();
}

bool status_has_body(int status) { return status >= 200 && status != 204 && status != 304; }

void append_response_head(const api::Response& response, Persistence persistence,
                          int request_version, std::string_view http_date, std::string& out) {
  out.append("HTTP/1.1 ");
  append_number(out, static_cast<size_t>(response.status));
  out.push_back(' ');
  out.append(reason_phrase(response.status));
  out.append("\r\n");
  append_header(out, "Server", "safeguard");
  append_header(out, "Date", http_date);

  bool has_content_type_options = false, has_referrer_policy = false, has_frame_options = false;
  for (const auto& [name, value] : response.headers) {
    switch (classify(name)) {
      case HeaderRole::kOwnedByServer:
        continue;
      case HeaderRole::kContentTypeOptions:
        has_content_type_options = true;
        break;
      case HeaderRole::kReferrerPolicy:
        has_referrer_policy = true;
        break;
      case HeaderRole::kFrameOptions:
        has_frame_options = true;
        break;
      case HeaderRole::kOther:
        break;
    }
    append_header(out, name, value);
  }
  if (!has_content_type_options) append_header(out, "X-Content-Type-Options", "nosniff");
  if (!has_referrer_policy) append_header(out, "Referrer-Policy", "no-referrer");
  if (!has_frame_options) append_header(out, "X-Frame-Options", "DENY");

  if (status_has_body(response.status)) {
    out.append("Content-Length: ");
    append_number(out, response.body.size());
    out.append("\r\n");
  }
  if (persistence == Persistence::kClose) {
    append_header(out, "Connection", "close");
  } else if (request_version < 11) {
    // HTTP/1.0 connections close by default (RFC 9112 §9.3).
    append_header(out, "Connection", "keep-alive");
  }
  out.append("\r\n");
}

std::string format_http_date(std::time_t time) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm{};
  gmtime_r(&time, &tm);
  char text[40];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return text;
}

std::string_view current_http_date() {
  thread_local std::time_t cached_second = -1;
  thread_local std::string cached_text;
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  if (now != cached_second) {
    cached_second = now;
    cached_text = format_http_date(now);
  }
  return cached_text;
}

}  // namespace sg::server
