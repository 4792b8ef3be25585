// Signed checkpoints of the ledger's Merkle tree: Ed25519 keys (libsodium) and the text
// formats of C2SP signed-note and tlog-checkpoint, so a checkpoint kept off the machine can
// be checked by this tool or by any verifier of those formats (docs/ledger.md).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/merkle.h"
#include "core/id.h"
#include "core/result.h"
#include "core/time.h"
#include "storage/store.h"

namespace sg::audit {

// An Ed25519 verifier key, encoded as "<name>+<hash>+<base64(0x01 || key)>" where <hash> is
// 8 hex digits: the first four bytes of SHA-256(name || "\n" || 0x01 || key).
struct PublicKey {
  std::string name;
  std::uint32_t key_hash = 0;
  std::array<unsigned char, 32> key{};

  // InvalidArgument naming `field` if the text is not a verifier key or its hash is wrong.
  static core::Result<PublicKey> parse(std::string_view text, std::string_view field);
  std::string encode() const;
  std::string key_id() const;  // "<name>+<hash>": names the key without giving it away.
};

// An Ed25519 signing key, encoded as "PRIVATE+KEY+<name>+<hash>+<base64(0x01 || seed)>".
// Held in a file outside the database; never logged.
class SigningKey {
 public:
  // A new key named `name` (letters, digits and . _ - / :, at most 64) from `random`.
  static core::Result<SigningKey> generate(std::string_view name, core::RandomSource& random);
  static core::Result<SigningKey> parse(std::string_view text, std::string_view field);
  ~SigningKey();
  SigningKey(const SigningKey&) = default;
  SigningKey& operator=(const SigningKey&) = default;

  std::string encode() const;
  const PublicKey& public_key() const { return public_key_; }
  // The 64-byte Ed25519 signature of `message`.
  std::array<unsigned char, 64> sign(std::string_view message) const;

 private:
  SigningKey() = default;
  std::array<unsigned char, 32> seed_{};
  std::array<unsigned char, 64> secret_{};  // libsodium's seed || public key.
  PublicKey public_key_;
};

// A tree head signed as a C2SP signed note. The signed body is
//   <origin>\n<tree size>\n<base64 root hash>\ntimestamp <RFC 3339>\n
// and each signature line is "— <key name> <base64(4-byte key hash || signature)>".
struct Checkpoint {
  struct Signature {
    std::string key_name;
    std::uint32_t key_hash = 0;
    std::array<unsigned char, 64> bytes{};
  };
  std::string origin;
  std::uint64_t tree_size = 0;
  Hash root{};
  core::Timestamp at;
  std::vector<Signature> signatures;

  std::string body() const;  // The signed text.
  std::string note() const;  // Body, blank line, signature lines: the exported file.
};

// Signs the tree head with `key`.
Checkpoint sign_checkpoint(const SigningKey& key, std::string origin, std::uint64_t tree_size,
                           const Hash& root, core::Timestamp at);

// Parses an exported checkpoint. InvalidArgument naming `source` and the line at fault.
core::Result<Checkpoint> parse_checkpoint(std::string_view text, std::string_view source);

// OK when one of the checkpoint's signatures is by `key` and verifies. PermissionDenied
// saying which when it is signed by another key or the signature does not verify.
core::Status verify_checkpoint_signature(const Checkpoint& checkpoint, const PublicKey& key);

// When checkpoints are cut: after `every_events` new events, or once `every` has passed
// since the last checkpoint and there is at least one new event.
struct CheckpointPolicy {
  std::string origin = "safeguard/ledger";
  std::int64_t every_events = 10000;
  std::chrono::seconds every{300};
};

// Cuts, signs and stores checkpoints. Reads only the events since the last checkpoint:
// the stored frontier resumes the tree. Thread-compatible: one checkpointer per store.
class Checkpointer {
 public:
  // `store` and `clock` must outlive the checkpointer.
  Checkpointer(storage::Store& store, const core::Clock& clock, SigningKey key,
               CheckpointPolicy policy)
      : store_(store), clock_(clock), key_(std::move(key)), policy_(std::move(policy)) {}

  // Cuts a checkpoint if the policy says one is due. Returns it, or nullopt if none was due.
  core::Result<std::optional<storage::LedgerCheckpoint>> maybe_cut();
  // Cuts a checkpoint of the whole ledger now, unless the last one already covers it.
  core::Result<std::optional<storage::LedgerCheckpoint>> cut();

 private:
  core::Result<std::optional<storage::LedgerCheckpoint>> cut_if(bool forced);

  storage::Store& store_;
  const core::Clock& clock_;
  SigningKey key_;
  CheckpointPolicy policy_;
};

}  // namespace sg::audit
