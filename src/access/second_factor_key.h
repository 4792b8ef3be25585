// The key that seals each user's TOTP secret in the database (OWASP ASVS 5.0 V6.5, V11.4):
// XChaCha20-Poly1305 under a 256-bit key held in a file outside the database, as the
// ledger's signing key is (docs/deployment.md), so that a copy of the database alone mints
// no codes. The user id is the associated data: a sealed secret opens only on its own row.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sg::access {

// Copyable; the key bytes are wiped when an instance is destroyed. Thread-safe for const use.
class SecondFactorKey {
 public:
  // A fresh key from libsodium's CSPRNG.
  static SecondFactorKey generate();
  // The key in `text` as encode() wrote it (surrounding white space ignored). InvalidArgument
  // naming `field` (the file) for anything else; the message never quotes the text.
  static core::Result<SecondFactorKey> parse(std::string_view text, std::string_view field);

  SecondFactorKey(const SecondFactorKey&) = default;
  SecondFactorKey& operator=(const SecondFactorKey&) = default;
  ~SecondFactorKey();

  // One line for the key file: a label naming the format, then the key in hex.
  std::string encode() const;
  // 16 hex digits that name this key and reveal nothing of it (keyed BLAKE2b of a constant).
  // Stored beside each secret it seals, so that a secret sealed under another key is told
  // apart from one that was damaged or moved.
  const std::string& id() const { return id_; }

  // `secret` sealed for `user_id`: a random 24-byte nonce, then the ciphertext and its tag.
  std::string seal(std::string_view user_id, std::string_view secret) const;
  // The secret that seal(user_id, ...) sealed; nullopt when `sealed` was not sealed under
  // this key for this user (another key, another user's row, or altered bytes).
  std::optional<std::string> open(std::string_view user_id, std::string_view sealed) const;

 private:
  explicit SecondFactorKey(const std::array<unsigned char, 32>& bytes);

  std::array<unsigned char, 32> bytes_;
  std::string id_;
};

}  // namespace sg::access
