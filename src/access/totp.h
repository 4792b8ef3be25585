// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps) and the
// single-use recovery codes beside them, wrapping oath-toolkit's liboath and libsodium.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"

namespace sg::access {

inline constexpr int kTotpDigits = 6;
inline constexpr int kTotpStepSeconds = 30;
inline constexpr int kRecoveryCodeCount = 10;

// A fresh 160-bit TOTP secret (RFC 4226 §4 R6 recommends 160 bits) from libsodium's CSPRNG,
// as raw bytes.
std::string new_totp_secret();
// RFC 4648 base32 without padding, as authenticator apps take it.
std::string base32(std::string_view bytes);
// The bytes of unpadded base32 (upper or lower case); nullopt if it is not base32.
std::optional<std::string> from_base32(std::string_view text);
// The `otpauth://totp/` URI of Google Authenticator's key-uri format, which every
// authenticator app reads from a QR code: issuer and account label, secret in base32.
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret);

// The RFC 6238 time step of `at`: whole 30-second periods since the Unix epoch (T0 = 0).
std::int64_t totp_step(core::Timestamp at);
// The `digits`-digit code for `secret` at `at` (RFC 6238 §4 with HMAC-SHA1). Internal only
// if liboath fails, which it does not for a valid length.
core::Result<std::string> totp_code(std::string_view secret, core::Timestamp at,
                                    int digits = kTotpDigits);
// Whether `typed` has the form of a TOTP code: exactly kTotpDigits ASCII digits.
bool is_totp_code(std::string_view typed);
// The step whose code `code` is, trying the step of `at` and one either side (RFC 6238
// §5.2 allows for clock drift and the time to type), compared in constant time; nullopt
// when it matches none. The caller refuses a step it already accepted (no replay).
std::optional<std::int64_t> totp_match(std::string_view secret, core::Timestamp at,
                                       std::string_view code);

// A new recovery code: 120 random bits as 24 base32 letters and digits in six groups of four
// ("ABCD-EFGH-..."). 120 bits lets a fast hash store it (OWASP ASVS 5.0 V6.5.2: 112 or more).
std::string new_recovery_code();
// The stored form of a recovery code as typed: case, spaces and hyphens are ignored, then
// hex BLAKE2b-256. Nullopt when what was typed cannot be a recovery code.
std::optional<std::string> recovery_code_hash(std::string_view typed);

}  // namespace sg::access
