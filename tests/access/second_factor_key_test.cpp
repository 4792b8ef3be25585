#include "access/second_factor_key.h"

#include <gtest/gtest.h>

#include "access/totp.h"
#include "core/ascii.h"

namespace sg::access {
namespace {

TEST(SecondFactorKey, SealsAndOpensASecretForItsUser) {
  auto key = SecondFactorKey::generate();
  auto secret = new_totp_secret();
  auto sealed = key.seal("user-1", secret);
  EXPECT_EQ(key.open("user-1", sealed), secret);
  // A secret with zero bytes and one of another length survive too.
  std::string odd("\0\x01\xff", 3);
  EXPECT_EQ(key.open("user-1", key.seal("user-1", odd)), odd);
}

TEST(SecondFactorKey, SealedBytesHoldNeitherTheSecretNorItsBase32AndDifferEachTime) {
  auto key = SecondFactorKey::generate();
  auto secret = new_totp_secret();
  auto sealed = key.seal("user-1", secret);
  EXPECT_EQ(sealed.size(), 24 + secret.size() + 16) << "nonce, ciphertext, tag";
  for (const auto& form : {secret, base32(secret), core::to_hex(secret)}) {
    EXPECT_EQ(sealed.find(form), std::string::npos);
    EXPECT_EQ(core::to_hex(sealed).find(core::to_hex(form)), std::string::npos);
  }
  EXPECT_NE(key.seal("user-1", secret), sealed) << "a fresh nonce each time";
}

TEST(SecondFactorKey, ASecretSealedForOneUserDoesNotOpenForAnother) {
  auto key = SecondFactorKey::generate();
  auto sealed = key.seal("user-1", new_totp_secret());
  EXPECT_FALSE(key.open("user-2", sealed).has_value());
  EXPECT_FALSE(key.open("user-10", sealed).has_value());
  EXPECT_FALSE(key.open("", sealed).has_value());
}

TEST(SecondFactorKey, AnotherKeyOrAlteredBytesDoNotOpenIt) {
  auto key = SecondFactorKey::generate();
  auto other = SecondFactorKey::generate();
  EXPECT_NE(key.id(), other.id());
  auto sealed = key.seal("user-1", new_totp_secret());
  EXPECT_FALSE(other.open("user-1", sealed).has_value());
  for (std::size_t i : {std::size_t{0}, std::size_t{30}, sealed.size() - 1}) {
    auto altered = sealed;
    altered[i] = static_cast<char>(altered[i] ^ 1);
    EXPECT_FALSE(key.open("user-1", altered).has_value()) << "byte " << i;
  }
  EXPECT_FALSE(key.open("user-1", sealed.substr(0, 39)).has_value());
  EXPECT_FALSE(key.open("user-1", "").has_value());
}

TEST(SecondFactorKey, TheKeyFileRoundTripsAndAnythingElseIsRefusedWithoutQuotingIt) {
  auto key = SecondFactorKey::generate();
  auto text = key.encode();
  EXPECT_TRUE(text.starts_with("safeguard-second-factor-key-v1 "));
  EXPECT_EQ(text.find(key.id()), std::string::npos) << "the id is not the key";
  auto read = SecondFactorKey::parse(text + "\n", "/etc/sg/2fa.key");
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->id(), key.id());
  auto secret = new_totp_secret();
  EXPECT_EQ(read->open("user-1", key.seal("user-1", secret)), secret);

  std::string signing_key = "PRIVATE+KEY+northfield+abcd1234+AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRob";
  for (const std::string& bad : {std::string(), signing_key, text.substr(0, text.size() - 2),
                                 text.substr(0, text.size() - 1) + "g",
                                 "safeguard-second-factor-key-v2" + text.substr(30)}) {
    auto refused = SecondFactorKey::parse(bad, "/etc/sg/2fa.key");
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().code, core::Code::kInvalidArgument);
    EXPECT_EQ(refused.error().field, "/etc/sg/2fa.key");
    if (!bad.empty()) {
      EXPECT_EQ(refused.error().message.find(bad), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace sg::access
