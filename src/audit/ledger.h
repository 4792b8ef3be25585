// The ledger of processing operations (DPA 2018 s.62): append events in the same
// transaction as the change they describe, hash-chained with BLAKE2b-256 and leaves of an
// RFC 6962 Merkle tree; keep each event's payload erasable behind a salted digest; erase
// it under MoPI review; verify the whole against signed checkpoints (docs/ledger.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/checkpoint.h"
#include "audit/merkle.h"
#include "core/id.h"
#include "core/result.h"
#include "core/time.h"
#include "domain/record.h"
#include "storage/store.h"

namespace sg::audit {

// What the caller knows about an operation; the ledger adds sequence, time, id and hashes.
struct EventDraft {
  std::string actor;  // User id or "system:<component>".
  domain::Operation operation = domain::Operation::kConsultation;
  std::string reason;  // A reason code (domain::validate_reason_code).
  std::vector<std::string> record_ids;
  std::string recipient;     // Required for disclosures, empty otherwise.
  std::string_view payload;  // The change's canonical bytes, stored erasably under a salt.
};

// Lower-case hex BLAKE2b-256 of `bytes`.
std::string digest_hex(std::string_view bytes);

// The salted payload digest: lower-case hex keyed BLAKE2b-256 of `payload` with the 32-byte
// `salt` as key. Without the salt the digest does not let anyone confirm a guess of an
// erased payload. "" if the salt is not 64 hex digits.
std::string salted_digest_hex(std::string_view salt_hex, std::string_view payload);

// The chain hash of `row`: BLAKE2b-256 over a domain tag and the length-prefixed fields
// (prev_hash, seq, event_id, at, actor, operation, reason, record ids, recipient,
// payload_digest). Ignores row.hash.
std::string chain_hash(const storage::LedgerRow& row);

// The Merkle tree leaf of `row` (its leaf hash is leaf_hash(leaf_bytes(row))): a domain tag
// and the same length-prefixed fields as the chain hash, without prev_hash and hash, so the
// tree commits to the events themselves.
std::string leaf_bytes(const storage::LedgerRow& row);

// The prev_hash of the first event.
inline const std::string kGenesisHash(64, '0');

class Ledger {
 public:
  // `clock`, `ids` and `random` (for payload salts) must outlive the ledger. Thread-safe
  // (state lives in the store).
  Ledger(const core::Clock& clock, core::IdGenerator& ids, core::RandomSource& random)
      : clock_(clock), ids_(ids), random_(random) {}

  // The clock events are stamped by: "now" for services that work alongside the ledger.
  const core::Clock& clock() const { return clock_; }

  // Appends one event inside `tx` (which must be a write transaction), and its payload under
  // a fresh salt. InvalidArgument if the draft is malformed (no actor, bad reason code, a
  // disclosure without recipient).
  core::Result<storage::LedgerRow> append(storage::Transaction& tx, const EventDraft& draft);

  // MoPI erasure inside `tx`: blanks the stored payload of every event naming one of
  // `record_ids` (erasure events excepted) and appends one content-free erasure event whose
  // payload lists only the sequence numbers erased. The events themselves, their salted
  // digests, the chain and the tree are untouched, so all still verify. Returns the erasure
  // event. InvalidArgument if `record_ids` is empty or the actor or reason is malformed.
  core::Result<storage::LedgerRow> erase(storage::Transaction& tx, std::string_view actor,
                                         std::vector<std::string> record_ids,
                                         std::string_view reason);

 private:
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  core::RandomSource& random_;
};

// Checks ledger rows one by one, in order: sequence numbers without gaps, each row's stored
// hash equal to its recomputed chain hash, each prev_hash equal to the previous row's hash;
// and builds the Merkle tree head as it goes. A copy is cheap (O(log n) state), so a caller
// can try a row against a copy without disturbing the original.
class ChainVerifier {
 public:
  // Checks `row` as the next event. Returns "" and advances if it fits; otherwise returns
  // what is wrong and leaves the verifier as it was.
  std::string feed(const storage::LedgerRow& row);

  std::int64_t events() const { return static_cast<std::int64_t>(tree_.size()); }
  const std::string& head_hash() const { return prev_hash_; }
  Hash root() const { return tree_.root(); }

 private:
  std::string prev_hash_ = kGenesisHash;
  TreeBuilder tree_;
};

struct VerifyOptions {
  // Checkpoints exported earlier and kept off the machine; the ledger must extend each.
  std::vector<Checkpoint> checkpoints;
  // When set, every checkpoint, exported or stored, must carry a valid signature by it.
  std::optional<PublicKey> public_key;
};

struct VerifyReport {
  std::int64_t events = 0;  // Events checked (before the first bad one).
  // The first sequence number at fault: an edited, missing, inserted or reordered event; the
  // first missing event after a truncation; or the last event of a checkpoint the ledger
  // no longer matches. Unset when the problem is a checkpoint's signature.
  std::optional<std::int64_t> first_bad_seq;
  std::string problem;    // Empty when intact.
  std::string head_hash;  // Chain hash of the last good event.
  std::string root_hash;  // Merkle tree head over the good events (hex).
  std::int64_t checkpoints_checked = 0;
  bool signatures_checked = false;   // A public key was given and every signature verified.
  std::int64_t payloads_held = 0;    // Payloads present and matching their digests.
  std::int64_t payloads_erased = 0;  // Payloads blanked by an erasure event.
  bool intact() const { return problem.empty(); }
};

// Verifies the whole ledger in one consistent snapshot: the chain (ChainVerifier), each
// stored payload against its salted digest and each erased one against its erasure event,
// and the tree head against every stored and given checkpoint, so that a ledger rewritten
// consistently, truncated or rolled back below a checkpoint is caught too. Errors only when
// the store cannot be read; a broken ledger is a report with a problem.
core::Result<VerifyReport> verify(storage::Store& store, const VerifyOptions& options = {});

// All leaf hashes of the ledger's first `size` events (all events when size is unset), for
// proofs. NotFound if the ledger holds fewer events; DataLoss if one is missing.
core::Result<std::vector<Hash>> ledger_leaves(storage::Transaction& tx,
                                              std::optional<std::int64_t> size = std::nullopt);

}  // namespace sg::audit
