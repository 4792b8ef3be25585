#include "access/totp.h"

#include <liboath/oath.h>
#include <sodium.h>

#include <cctype>

#include "access/crypto.h"
#include "core/ascii.h"
#include "core/assert.h"

namespace sg::access {
namespace {

[[maybe_unused]] const bool kOathReady = oath_init() == OATH_OK;
[[maybe_unused]] const bool kSodiumReady = sodium_init() >= 0;

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

time_t unix_seconds(core::Timestamp at) {
  return static_cast<time_t>(
      std::chrono::floor<std::chrono::seconds>(at.time_since_epoch()).count());
}

// liboath's comparison hook: 0 when the code typed equals the one it computed.
int constant_time_compare(void* handle, const char* computed) {
  auto* typed = static_cast<const std::string*>(handle);
  return secrets_equal(*typed, computed) ? 0 : 1;
}

}  // namespace

std::string new_totp_secret() {
  std::string secret(20, '\0');
  randombytes_buf(secret.data(), secret.size());
  return secret;
}

std::string base32(std::string_view bytes) {
  // RFC 4648 §6, unpadded: five bits at a time, most significant first.
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kBase32[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kBase32[(buffer << (5 - bits)) & 31];
  return out;
}

std::optional<std::string> from_base32(std::string_view text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    auto value = kBase32.find(upper);
    if (value == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view secret) {
  auto escape = [](std::string_view text) {
    std::string out;
    for (unsigned char c : text) {
      if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
        out += static_cast<char>(c);
      } else {
        out += '%';
        out += core::to_hex(std::string_view(reinterpret_cast<const char*>(&c), 1));
      }
    }
    return out;
  };
  return "otpauth://totp/" + escape(issuer) + ":" + escape(account) + "?secret=" + base32(secret) +
         "&issuer=" + escape(issuer) + "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
         "&period=" + std::to_string(kTotpStepSeconds);
}

std::int64_t totp_step(core::Timestamp at) { return unix_seconds(at) / kTotpStepSeconds; }

core::Result<std::string> totp_code(std::string_view secret, core::Timestamp at, int digits) {
  char out[16] = {};
  int rc = oath_totp_generate2(secret.data(), secret.size(), unix_seconds(at), kTotpStepSeconds, 0,
                               static_cast<unsigned>(digits), 0, out);
  if (rc != OATH_OK) return core::internal("TOTP generation failed");
  return std::string(out);
}

bool is_totp_code(std::string_view typed) {
  if (typed.size() != kTotpDigits) return false;
  for (char c : typed) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<std::int64_t> totp_match(std::string_view secret, core::Timestamp at,
                                       std::string_view code) {
  if (!is_totp_code(code)) return std::nullopt;
  std::string typed(code);
  int position = 0;
  std::uint64_t counter = 0;
  int rc = oath_totp_validate4_callback(secret.data(), secret.size(), unix_seconds(at),
                                        kTotpStepSeconds, 0, kTotpDigits, 1, &position, &counter, 0,
                                        constant_time_compare, &typed);
  if (rc < 0) return std::nullopt;
  return static_cast<std::int64_t>(counter);
}

std::string new_recovery_code() {
  unsigned char bytes[15];  // 120 bits: exactly 24 base32 characters.
  randombytes_buf(bytes, sizeof bytes);
  auto letters = base32(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
  SG_ASSERT(letters.size() == 24);
  std::string out;
  for (std::size_t i = 0; i < letters.size(); i += 4) {
    if (i) out += '-';
    out += letters.substr(i, 4);
  }
  return out;
}

std::optional<std::string> recovery_code_hash(std::string_view typed) {
  if (typed.size() > 64) return std::nullopt;
  std::string code;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (kBase32.find(upper) == std::string_view::npos) return std::nullopt;
    code += upper;
  }
  if (code.size() != 24) return std::nullopt;
  return token_hash("sg-recovery-code:" + code);
}

}  // namespace sg::access
