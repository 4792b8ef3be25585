// Request-target parsing: the path the router sees and the query handlers parse.
#include "server/target.h"

#include <gtest/gtest.h>

namespace sg::server {
namespace {

RequestTarget parse_ok(std::string_view target) {
  auto parsed = parse_target(target);
  EXPECT_TRUE(parsed.ok()) << target;
  return parsed.ok() ? std::move(parsed).value() : RequestTarget{};
}

void expect_rejected(std::string_view target) {
  auto parsed = parse_target(target);
  ASSERT_FALSE(parsed.ok()) << target;
  EXPECT_EQ(parsed.error().code, core::Code::kInvalidArgument);
  EXPECT_EQ(parsed.error().field, "target");
}

TEST(ParseTarget, SplitsPathFromRawQuery) {
  RequestTarget t = parse_ok("/api/v1/cases?status=open&page=2");
  EXPECT_EQ(t.path, "/api/v1/cases");
  EXPECT_EQ(t.query, "status=open&page=2");
}

TEST(ParseTarget, DecodesPathButLeavesQueryEncoded) {
  RequestTarget t = parse_ok("/files/a%20b%2Fc%c3%a9?q=a%20b+c");
  EXPECT_EQ(t.path, "/files/a b/c\xc3\xa9");
  EXPECT_EQ(t.query, "q=a%20b+c");
}

TEST(ParseTarget, LeavesPlusInPathAlone) { EXPECT_EQ(parse_ok("/a+b").path, "/a+b"); }

TEST(ParseTarget, KeepsEmptyQueryAfterQuestionMark) {
  RequestTarget t = parse_ok("/healthz?");
  EXPECT_EQ(t.path, "/healthz");
  EXPECT_EQ(t.query, "");
}

TEST(ParseTarget, RejectsTruncatedPercentEncoding) {
  expect_rejected("/a%");
  expect_rejected("/a%4");
  expect_rejected("/a%4?x=1");
}

TEST(ParseTarget, RejectsNonHexPercentEncoding) { expect_rejected("/a%zz"); }

TEST(ParseTarget, RejectsPathThatDecodesToNul) { expect_rejected("/a%00b"); }

TEST(ParseTarget, AcceptsAbsoluteFormAndDropsAuthority) {
  RequestTarget t = parse_ok("HTTP://example.org:8080/api/v1/me?x=1");
  EXPECT_EQ(t.path, "/api/v1/me");
  EXPECT_EQ(t.query, "x=1");
  EXPECT_EQ(parse_ok("https://example.org").path, "/");
  RequestTarget bare = parse_ok("http://example.org?x=1");
  EXPECT_EQ(bare.path, "/");
  EXPECT_EQ(bare.query, "x=1");
}

TEST(ParseTarget, AcceptsAsteriskForm) { EXPECT_EQ(parse_ok("*").path, "*"); }

TEST(ParseTarget, RejectsAuthorityFormAndRelativePaths) {
  expect_rejected("example.org:443");
  expect_rejected("healthz");
  expect_rejected("");
}

}  // namespace
}  // namespace sg::server
