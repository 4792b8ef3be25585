#include "audit/ledger.h"

#include <sodium.h>

#include <cstring>

#include "core/ascii.h"

namespace sg::audit {
namespace {

constexpr std::string_view kDomainTag = "safeguard-ledger-v1";

void absorb(crypto_generichash_state& state, std::string_view field) {
  // Length-prefixing makes the encoding unambiguous: ("ab","c") never hashes like ("a","bc").
  unsigned char len[8];
  std::uint64_t n = field.size();
  for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(n >> (8 * i));
  crypto_generichash_update(&state, len, sizeof len);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(field.data()),
                            field.size());
}

}  // namespace

// libsodium must be initialised before use; sodium_init() is idempotent and thread-safe.
[[maybe_unused]] const bool kSodiumReady = sodium_init() >= 0;

std::string digest_hex(std::string_view bytes) {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
  return core::to_hex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

std::string chain_hash(const storage::LedgerRow& row) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 32);
  absorb(state, kDomainTag);
  absorb(state, row.prev_hash);
  absorb(state, std::to_string(row.seq));
  absorb(state, row.event_id);
  absorb(state, std::to_string(core::to_micros(row.at)));
  absorb(state, row.actor);
  absorb(state, domain::operation_name(row.operation));
  absorb(state, row.reason);
  absorb(state, std::to_string(row.record_ids.size()));
  for (const auto& id : row.record_ids) absorb(state, id);
  absorb(state, row.recipient);
  absorb(state, row.payload_digest);
  unsigned char out[32];
  crypto_generichash_final(&state, out, sizeof out);
  return core::to_hex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

core::Result<storage::LedgerRow> Ledger::append(storage::Transaction& tx, const EventDraft& draft) {
  if (draft.actor.empty()) return core::invalid_argument("a ledger event needs an actor", "actor");
  SG_TRY(domain::validate_reason_code(draft.reason));
  if (draft.operation == domain::Operation::kDisclosure && draft.recipient.empty()) {
    return core::invalid_argument("a disclosure must name its recipient", "recipient");
  }
  for (const auto& id : draft.record_ids) {
    if (id.empty() || id.find(' ') != std::string::npos) {
      return core::invalid_argument("record ids must be non-empty and contain no spaces",
                                    "record_ids");
    }
  }
  auto last = SG_TRY(tx.ledger_last());
  storage::LedgerRow row;
  row.seq = last ? last->seq + 1 : 1;
  row.prev_hash = last ? last->hash : kGenesisHash;
  row.event_id = ids_.next();
  row.at = clock_.now();
  row.actor = draft.actor;
  row.operation = draft.operation;
  row.reason = draft.reason;
  row.record_ids = draft.record_ids;
  row.recipient = draft.recipient;
  row.payload_digest = digest_hex(draft.payload);
  row.hash = chain_hash(row);
  SG_TRY(tx.append_ledger(row));
  return row;
}

core::Result<VerifyReport> verify(storage::Store& store) {
  auto tx = SG_TRY(store.begin(storage::TxMode::kRead));
  VerifyReport report;
  std::string expected_prev = kGenesisHash;
  std::int64_t expected_seq = 1;
  constexpr std::size_t kBatch = 2048;
  for (;;) {
    auto rows = SG_TRY(tx->ledger_range(expected_seq, kBatch));
    if (rows.empty()) break;
    for (const auto& row : rows) {
      auto fail = [&](std::string problem) {
        report.first_bad_seq = expected_seq;
        report.problem = std::move(problem);
        return report;
      };
      if (row.seq != expected_seq) {
        return fail("event " + std::to_string(expected_seq) + " is missing");
      }
      if (row.prev_hash != expected_prev) {
        return fail("the link to the previous event is broken");
      }
      if (chain_hash(row) != row.hash) {
        return fail("the event's contents do not match its hash");
      }
      expected_prev = row.hash;
      report.head_hash = row.hash;
      ++report.events;
      ++expected_seq;
    }
  }
  return report;
}

}  // namespace sg::audit
