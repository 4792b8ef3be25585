// Password hashing (argon2id) and session tokens, wrapping libsodium for the access layer.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace sg::access {

// Hashes a password with argon2id (libsodium crypto_pwhash_str, interactive limits).
// ResourceExhausted if the machine is out of memory for the hash.
core::Result<std::string> hash_password(std::string_view password);
// Constant-time verification against a stored crypto_pwhash_str string.
bool verify_password(std::string_view stored_hash, std::string_view password);

// A fresh 256-bit random token as 64 lower-case hex characters.
std::string random_token();
// The stored form of a bearer token: hex BLAKE2b-256. Tokens are high-entropy, so a fast
// hash suffices; the point is that a stolen database holds no usable session.
std::string token_hash(std::string_view token);
// Constant-time equality for secrets of equal length.
bool secrets_equal(std::string_view a, std::string_view b);

// A memorable random password for generated accounts: six words and four digits, ~49 bits.
std::string generate_password();

}  // namespace sg::access
