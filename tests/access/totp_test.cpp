#include "access/totp.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>

#include "test_support.h"

namespace sg::access {
namespace {

core::Timestamp unix_time(std::int64_t seconds) {
  return core::Timestamp(std::chrono::seconds(seconds));
}

// RFC 6238 Appendix B: the SHA-1 rows, with the 20-byte ASCII seed "12345678901234567890".
struct Vector {
  std::int64_t time;
  const char* code;
};
constexpr Vector kRfc6238Sha1[] = {{59, "94287082"},         {1111111109, "07081804"},
                                   {1111111111, "14050471"}, {1234567890, "89005924"},
                                   {2000000000, "69279037"}, {20000000000, "65353130"}};
constexpr std::string_view kSeed = "12345678901234567890";

TEST(Totp, MatchesTheRfc6238AppendixBSha1Vectors) {
  for (const auto& v : kRfc6238Sha1) {
    EXPECT_EQ(totp_code(kSeed, unix_time(v.time), 8).value(), v.code) << v.time;
    // Six digits are the same truncation modulo 10^6 (RFC 4226 §5.3): the last six.
    EXPECT_EQ(totp_code(kSeed, unix_time(v.time)).value(), std::string(v.code).substr(2)) << v.time;
  }
}

TEST(Totp, AcceptsTheCurrentStepAndOneEitherSideOnly) {
  auto now = unix_time(1111111111);
  auto step = totp_step(now);
  EXPECT_EQ(step, 1111111111 / 30);
  for (int offset : {-1, 0, 1}) {
    auto code = totp_code(kSeed, now + std::chrono::seconds(30 * offset)).value();
    EXPECT_EQ(totp_match(kSeed, now, code), step + offset) << offset;
  }
  for (int offset : {-3, -2, 2, 3}) {
    auto code = totp_code(kSeed, now + std::chrono::seconds(30 * offset)).value();
    EXPECT_EQ(totp_match(kSeed, now, code), std::nullopt) << offset;
  }
  EXPECT_EQ(totp_match(kSeed, now, ""), std::nullopt);
  EXPECT_EQ(totp_match(kSeed, now, "12345a"), std::nullopt);
  EXPECT_EQ(totp_match(kSeed, now, "14050471"), std::nullopt);  // Eight digits are not six.
}

TEST(Totp, SecretsAre160RandomBitsAndRoundTripThroughBase32) {
  auto a = new_totp_secret();
  auto b = new_totp_secret();
  EXPECT_EQ(a.size(), 20u);
  EXPECT_NE(a, b);
  EXPECT_EQ(base32(a).size(), 32u);
  EXPECT_EQ(from_base32(base32(a)), a);
  // RFC 4648 §10 test vector, unpadded.
  EXPECT_EQ(base32("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(from_base32("mzxw6ytboi"), "foobar");
  EXPECT_EQ(from_base32("MZXW6YTBO1"), std::nullopt);  // 1 is not a base32 digit.
}

TEST(Totp, OtpauthUriNamesIssuerAccountAndParameters) {
  EXPECT_EQ(otpauth_uri("Safeguard", "mash.one", "foobar"),
            "otpauth://totp/Safeguard:mash.one?secret=MZXW6YTBOI&issuer=Safeguard"
            "&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(otpauth_uri("Safe guard", "a@b", "foobar").substr(0, 33),
            "otpauth://totp/Safe%20guard:a%40b");
}

TEST(RecoveryCodes, Are120BitsInSixGroupsAndHashWhateverTheSpelling) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    auto code = new_recovery_code();
    ASSERT_EQ(code.size(), 29u) << "six groups of four, five hyphens";
    EXPECT_EQ(code[4], '-');
    seen.insert(code);
  }
  EXPECT_EQ(seen.size(), 20u);
  auto code = *seen.begin();
  auto hash = recovery_code_hash(code);
  ASSERT_TRUE(hash.has_value());
  EXPECT_EQ(hash->size(), 64u);
  EXPECT_EQ(hash->find(code.substr(0, 4)), std::string::npos);
  std::string lower, spaced;
  for (char c : code) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    spaced += c == '-' ? ' ' : c;
  }
  EXPECT_EQ(recovery_code_hash(lower), hash);
  EXPECT_EQ(recovery_code_hash(spaced), hash);
  EXPECT_NE(recovery_code_hash(*std::next(seen.begin())), hash);
  EXPECT_EQ(recovery_code_hash("123456"), std::nullopt);
  EXPECT_EQ(recovery_code_hash(code.substr(0, 24)), std::nullopt);
}

}  // namespace
}  // namespace sg::access
