// The ledger of processing operations (DPA 2018 s.62): append events in the same
// transaction as the change they describe, hash-chained with BLAKE2b-256, and verify the
// chain end to end.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  std::string_view payload;  // The change's canonical bytes; only its digest is stored.
};

// Lower-case hex BLAKE2b-256 of `bytes`.
std::string digest_hex(std::string_view bytes);

// The chain hash of `row`: BLAKE2b-256 over a domain tag and the length-prefixed fields
// (prev_hash, seq, event_id, at, actor, operation, reason, record ids, recipient,
// payload_digest). Ignores row.hash.
std::string chain_hash(const storage::LedgerRow& row);

// The prev_hash of the first event.
inline const std::string kGenesisHash(64, '0');

class Ledger {
 public:
  // `clock` and `ids` must outlive the ledger. Thread-safe (state lives in the store).
  Ledger(const core::Clock& clock, core::IdGenerator& ids) : clock_(clock), ids_(ids) {}

  // Appends one event inside `tx` (which must be a write transaction). InvalidArgument if
  // the draft is malformed (no actor, bad reason code, a disclosure without recipient).
  core::Result<storage::LedgerRow> append(storage::Transaction& tx, const EventDraft& draft);

 private:
  const core::Clock& clock_;
  core::IdGenerator& ids_;
};

struct VerifyReport {
  std::int64_t events = 0;                    // Events checked.
  std::optional<std::int64_t> first_bad_seq;  // Set when the chain is broken.
  std::string problem;                        // What is wrong at first_bad_seq.
  std::string head_hash;                      // Hash of the last good event.
  bool intact() const { return !first_bad_seq.has_value(); }
};

// Walks the whole chain in one consistent snapshot. Detects edited, deleted, inserted and
// reordered events: each row's hash is recomputed and must equal the stored hash and the
// next row's prev_hash, and sequence numbers must run 1, 2, 3... without gaps.
core::Result<VerifyReport> verify(storage::Store& store);

}  // namespace sg::audit
