// Response head serialization: framing owned by the server, security defaults, and the
// checks that stop a handler's header from splitting a response.
#include "server/response_head.h"

#include <gtest/gtest.h>

namespace sg::server {
namespace {

constexpr std::string_view kDate = "Sun, 06 Nov 1994 08:49:37 GMT";

std::string head_of(const api::Response& response,
                    Persistence persistence = Persistence::kKeepAlive, int version = 11) {
  std::string out;
  append_response_head(response, persistence, version, kDate, out);
  return out;
}

TEST(ResponseHead, WritesStatusLineFramingAndSecurityDefaults) {
  api::Response response;
  response.set_header("Content-Type", "text/plain");
  response.body = "ok";
  EXPECT_EQ(head_of(response),
            "HTTP/1.1 200 OK\r\n"
            "Server: safeguard\r\n"
            "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Type: text/plain\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            "Referrer-Policy: no-referrer\r\n"
            "X-Frame-Options: DENY\r\n"
            "Content-Length: 2\r\n"
            "\r\n");
}

TEST(ResponseHead, KeepsSecurityHeadersTheHandlerSet) {
  api::Response response;
  response.set_header("x-frame-options", "SAMEORIGIN");
  response.set_header("Referrer-Policy", "same-origin");
  std::string head = head_of(response);
  EXPECT_NE(head.find("x-frame-options: SAMEORIGIN\r\n"), std::string::npos);
  EXPECT_EQ(head.find("X-Frame-Options: DENY"), std::string::npos);
  EXPECT_EQ(head.find("no-referrer"), std::string::npos);
  EXPECT_NE(head.find("X-Content-Type-Options: nosniff\r\n"), std::string::npos);
}

TEST(ResponseHead, ReplacesFramingHeadersFromTheHandler) {
  api::Response response;
  response.body = "four";
  response.set_header("Content-Length", "999");
  response.set_header("Transfer-Encoding", "chunked");
  response.set_header("Connection", "upgrade");
  response.set_header("Server", "other");
  std::string head = head_of(response, Persistence::kClose);
  EXPECT_EQ(head.find("999"), std::string::npos);
  EXPECT_EQ(head.find("chunked"), std::string::npos);
  EXPECT_EQ(head.find("upgrade"), std::string::npos);
  EXPECT_EQ(head.find("other"), std::string::npos);
  EXPECT_NE(head.find("Content-Length: 4\r\n"), std::string::npos);
  EXPECT_NE(head.find("Connection: close\r\n"), std::string::npos);
}

TEST(ResponseHead, OmitsContentLengthWhereStatusForbidsContent) {
  api::Response response;
  response.status = 204;
  EXPECT_EQ(head_of(response).find("Content-Length"), std::string::npos);
  response.status = 304;
  EXPECT_EQ(head_of(response).find("Content-Length"), std::string::npos);
}

TEST(ResponseHead, AnnouncesKeepAliveOnlyToHttp10Clients) {
  api::Response response;
  EXPECT_NE(head_of(response, Persistence::kKeepAlive, 10).find("Connection: keep-alive\r\n"),
            std::string::npos);
  EXPECT_EQ(head_of(response, Persistence::kKeepAlive, 11).find("Connection:"), std::string::npos);
}

TEST(ResponseHead, UsesEmptyReasonForUnlistedStatus) {
  api::Response response;
  response.status = 299;
  EXPECT_TRUE(head_of(response).starts_with("HTTP/1.1 299 \r\n"));
}

TEST(CheckResponse, AcceptsOrdinaryResponse) {
  api::Response response = api::problem(404, "Not Found", "no such case");
  EXPECT_TRUE(check_response(response).ok());
}

TEST(CheckResponse, RejectsHeaderValueThatWouldSplitTheResponse) {
  api::Response response;
  response.set_header("Location", "/a\r\nSet-Cookie: stolen=1");
  EXPECT_EQ(check_response(response).error().code, core::Code::kInternal);
}

TEST(CheckResponse, RejectsHeaderNameThatIsNotAToken) {
  api::Response response;
  response.set_header("Bad Name", "x");
  EXPECT_FALSE(check_response(response).ok());
  response.headers = {{"", "x"}};
  EXPECT_FALSE(check_response(response).ok());
}

TEST(CheckResponse, RejectsStatusOutsideFinalRange) {
  api::Response response;
  response.status = 101;
  EXPECT_FALSE(check_response(response).ok());
  response.status = 600;
  EXPECT_FALSE(check_response(response).ok());
}

TEST(CheckResponse, AllowsTabAndObsTextInValues) {
  api::Response response;
  response.set_header("X-Note", "a\tb \xe9");
  EXPECT_TRUE(check_response(response).ok());
}

TEST(HttpDate, FormatsImfFixdate) {
  EXPECT_EQ(format_http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(current_http_date().size(), kDate.size());
}

}  // namespace
}  // namespace sg::server
