// The ledger: append with salted, erasable payloads; MoPI erasure; the chain and tree
// verifier.
#include "audit/ledger.h"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "core/ascii.h"

namespace sg::audit {
namespace {

constexpr std::string_view kDomainTag = "safeguard-ledger-v1";
constexpr std::string_view kLeafTag = "safeguard-ledger-leaf-v1";

// Lower-case hex of a 32-byte digest. libsodium's encoder: verify calls this for every
// event, several times.
std::string hex32(const unsigned char* bytes) {
  char out[65];
  sodium_bin2hex(out, sizeof out, bytes, 32);
  return std::string(out, 64);
}

void absorb(crypto_generichash_state& state, std::string_view field) {
  // Length-prefixing makes the encoding unambiguous: ("ab","c") never hashes like ("a","bc").
  unsigned char len[8];
  std::uint64_t n = field.size();
  for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(n >> (8 * i));
  crypto_generichash_update(&state, len, sizeof len);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(field.data()),
                            field.size());
}

// The same length-prefixed encoding as absorb(), into a buffer.
void append_field(std::string& out, std::string_view field) {
  char len[8];
  std::uint64_t n = field.size();
  for (int i = 0; i < 8; ++i) len[i] = static_cast<char>(n >> (8 * i));
  out.append(len, sizeof len);
  out.append(field);
}

std::string random_salt_hex(core::RandomSource& random) {
  unsigned char bytes[32];
  for (int i = 0; i < 4; ++i) {
    std::uint64_t word = random.next_u64();
    for (int j = 0; j < 8; ++j) bytes[8 * i + j] = static_cast<unsigned char>(word >> (8 * j));
  }
  return hex32(bytes);
}

}  // namespace

// libsodium must be initialised before use; sodium_init() is idempotent and thread-safe.
[[maybe_unused]] const bool kSodiumReady = sodium_init() >= 0;

std::string digest_hex(std::string_view bytes) {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
  return hex32(out);
}

std::string salted_digest_hex(std::string_view salt_hex, std::string_view payload) {
  unsigned char salt[32];
  size_t len = 0;
  if (salt_hex.size() != 64 ||
      sodium_hex2bin(salt, sizeof salt, salt_hex.data(), salt_hex.size(), nullptr, &len, nullptr) !=
          0 ||
      len != sizeof salt) {
    return "";
  }
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(payload.data()),
                     payload.size(), salt, sizeof salt);
  return hex32(out);
}

std::string leaf_bytes(const storage::LedgerRow& row) {
  std::string out;
  out.reserve(256);
  append_field(out, kLeafTag);
  append_field(out, std::to_string(row.seq));
  append_field(out, row.event_id);
  append_field(out, std::to_string(core::to_micros(row.at)));
  append_field(out, row.actor);
  append_field(out, domain::operation_name(row.operation));
  append_field(out, row.reason);
  append_field(out, std::to_string(row.record_ids.size()));
  for (const auto& id : row.record_ids) append_field(out, id);
  append_field(out, row.recipient);
  append_field(out, row.payload_digest);
  return out;
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
  return hex32(out);
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
  auto last = SG_TRY(tx.ledger_tail());
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
  // A fresh salt per event: the digest commits to the payload, yet once salt and payload
  // are erased it no longer lets anyone confirm a guess of what was erased.
  auto salt = random_salt_hex(random_);
  row.payload_digest = salted_digest_hex(salt, draft.payload);
  row.hash = chain_hash(row);
  SG_TRY(tx.append_ledger(row));
  SG_TRY(tx.put_ledger_payload({row.seq, salt, std::string(draft.payload), 0}));
  return row;
}

core::Result<storage::LedgerRow> Ledger::erase(storage::Transaction& tx, std::string_view actor,
                                               std::vector<std::string> record_ids,
                                               std::string_view reason) {
  if (record_ids.empty()) {
    return core::invalid_argument("name at least one record to erase", "record_ids");
  }
  std::sort(record_ids.begin(), record_ids.end());
  record_ids.erase(std::unique(record_ids.begin(), record_ids.end()), record_ids.end());
  std::set<std::int64_t> seqs;
  for (const auto& id : record_ids) {
    auto events = SG_TRY(tx.ledger_for_record(id, static_cast<std::size_t>(INT64_MAX)));
    for (const auto& event : events) {
      // An erasure event's payload holds sequence numbers only, and is the evidence that
      // the erasure happened: it is never itself erased.
      if (event.operation == domain::Operation::kErasure) continue;
      auto held = SG_TRY(tx.ledger_payloads(event.seq, 1));
      if (!held.empty() && held[0].seq == event.seq && held[0].erased_by == 0) {
        seqs.insert(event.seq);
      }
    }
  }
  std::string payload = "{\"erased_events\":[";
  for (auto seq : seqs) {
    if (payload.back() != '[') payload += ',';
    payload += std::to_string(seq);
  }
  payload += "]}";
  auto event = SG_TRY(append(tx, {.actor = std::string(actor),
                                  .operation = domain::Operation::kErasure,
                                  .reason = std::string(reason),
                                  .record_ids = record_ids,
                                  .payload = payload}));
  for (auto seq : seqs) SG_TRY(tx.erase_ledger_payload(seq, event.seq));
  return event;
}

std::string ChainVerifier::feed(const storage::LedgerRow& row) {
  const auto expected = events() + 1;
  if (row.seq != expected) return "event " + std::to_string(expected) + " is missing";
  if (row.prev_hash != prev_hash_) return "the link to the previous event is broken";
  if (chain_hash(row) != row.hash) return "the event's contents do not match its hash";
  prev_hash_ = row.hash;
  tree_.add(leaf_hash(leaf_bytes(row)));
  return "";
}

namespace {

// Reads payload rows alongside the ledger rows, in seq order, a batch at a time.
class PayloadCursor {
 public:
  explicit PayloadCursor(storage::Transaction& tx) : tx_(tx) {}

  // The payload row of event `seq`, or null. Calls must come in increasing seq order.
  core::Result<const storage::LedgerPayload*> at(std::int64_t seq) {
    for (;;) {
      while (next_ < batch_.size() && batch_[next_].seq < seq) ++next_;
      if (next_ < batch_.size()) return batch_[next_].seq == seq ? &batch_[next_] : nullptr;
      if (exhausted_) return nullptr;
      batch_ = SG_TRY(tx_.ledger_payloads(seq, 4096));
      next_ = 0;
      exhausted_ = batch_.empty();
    }
  }

 private:
  storage::Transaction& tx_;
  std::vector<storage::LedgerPayload> batch_;
  size_t next_ = 0;
  bool exhausted_ = false;
};

}  // namespace

core::Result<VerifyReport> verify(storage::Store& store, const VerifyOptions& options) {
  auto tx = SG_TRY(store.begin(storage::TxMode::kRead));
  VerifyReport report;
  auto fail = [&](std::optional<std::int64_t> seq, std::string problem) {
    report.first_bad_seq = seq;
    report.problem = std::move(problem);
    return report;
  };

  // Every checkpoint the ledger must extend: those stored beside it and those given.
  std::vector<Checkpoint> checkpoints = options.checkpoints;
  for (const auto& stored : SG_TRY(tx->ledger_checkpoints())) {
    auto parsed = parse_checkpoint(stored.note, "stored checkpoint");
    if (!parsed.ok() || static_cast<std::int64_t>(parsed->tree_size) != stored.tree_size ||
        to_hex(parsed->root) != stored.root_hash) {
      return fail(std::nullopt, "the stored checkpoint of tree size " +
                                    std::to_string(stored.tree_size) +
                                    " is malformed or does not match its signed text");
    }
    checkpoints.push_back(*parsed);
  }
  if (options.public_key) {
    for (const auto& c : checkpoints) {
      if (auto st = verify_checkpoint_signature(c, *options.public_key); !st.ok()) {
        return fail(std::nullopt, st.error().message);
      }
    }
  }
  std::sort(checkpoints.begin(), checkpoints.end(),
            [](const auto& a, const auto& b) { return a.tree_size < b.tree_size; });
  size_t next_checkpoint = 0;
  ChainVerifier chain;
  // Checks every checkpoint of the tree size reached so far.
  auto check_checkpoints = [&]() -> std::string {
    for (; next_checkpoint < checkpoints.size() &&
           static_cast<std::int64_t>(checkpoints[next_checkpoint].tree_size) <= chain.events();
         ++next_checkpoint) {
      const auto& c = checkpoints[next_checkpoint];
      if (c.root != chain.root()) {
        return "the first " + std::to_string(c.tree_size) +
               " events do not match the checkpoint of that size signed at " +
               core::format_rfc3339(c.at) + ": the ledger was rewritten";
      }
      ++report.checkpoints_checked;
    }
    return "";
  };
  if (auto problem = check_checkpoints(); !problem.empty()) return fail(0, problem);

  std::int64_t payloads_from = 1;
  if (auto marker = SG_TRY(tx->setting("ledger.payloads_from_seq"))) {
    std::from_chars(marker->data(), marker->data() + marker->size(), payloads_from);
  }
  PayloadCursor payloads(*tx);
  // Erasure event seq -> the events whose payloads it blanked, checked when it is reached.
  std::map<std::int64_t, std::int64_t> erasures_due;
  constexpr std::size_t kBatch = 4096;
  for (;;) {
    auto rows = SG_TRY(tx->ledger_range(chain.events() + 1, kBatch));
    if (rows.empty()) break;
    for (const auto& row : rows) {
      if (auto problem = chain.feed(row); !problem.empty()) {
        return fail(chain.events() + 1, std::move(problem));
      }
      report.events = chain.events();
      report.head_hash = chain.head_hash();
      const auto* payload = SG_TRY(payloads.at(row.seq));
      if (payload && payload->erased_by == 0) {
        if (salted_digest_hex(payload->salt, payload->payload) != row.payload_digest) {
          return fail(row.seq, "the stored payload does not match the event's salted digest");
        }
        ++report.payloads_held;
      } else if (payload) {
        if (payload->erased_by <= row.seq) {
          return fail(row.seq, "the payload was blanked without a later erasure event");
        }
        erasures_due.emplace(payload->erased_by, row.seq);
        ++report.payloads_erased;
      } else if (row.seq >= payloads_from) {
        return fail(row.seq, "the event's payload row is missing");
      }
      if (auto due = erasures_due.find(row.seq); due != erasures_due.end()) {
        if (row.operation != domain::Operation::kErasure) {
          return fail(due->second, "the payload was blanked by an event that is not an erasure");
        }
        erasures_due.erase(due);
      }
      if (auto problem = check_checkpoints(); !problem.empty()) {
        return fail(chain.events(), std::move(problem));
      }
    }
  }
  if (!erasures_due.empty()) {
    return fail(erasures_due.begin()->second,
                "the payload was blanked by an erasure event that does not exist");
  }
  report.root_hash = to_hex(chain.root());
  if (next_checkpoint < checkpoints.size()) {
    return fail(chain.events() + 1, "the ledger has " + std::to_string(chain.events()) +
                                        " events but a checkpoint covers " +
                                        std::to_string(checkpoints.back().tree_size) +
                                        ": it was truncated or rolled back");
  }
  report.signatures_checked = options.public_key.has_value();
  return report;
}

core::Result<std::vector<Hash>> ledger_leaves(storage::Transaction& tx,
                                              std::optional<std::int64_t> size) {
  std::vector<Hash> leaves;
  constexpr std::size_t kBatch = 4096;
  for (;;) {
    auto next = static_cast<std::int64_t>(leaves.size()) + 1;
    if (size && next > *size) break;
    auto rows = SG_TRY(tx.ledger_range(next, kBatch));
    if (rows.empty()) break;
    for (const auto& row : rows) {
      if (row.seq != static_cast<std::int64_t>(leaves.size()) + 1) {
        return core::data_loss("ledger event " + std::to_string(leaves.size() + 1) +
                               " is missing; run `safeguard audit verify`");
      }
      if (size && row.seq > *size) break;
      leaves.push_back(leaf_hash(leaf_bytes(row)));
    }
  }
  if (size && static_cast<std::int64_t>(leaves.size()) < *size) {
    return core::not_found("the ledger has only " + std::to_string(leaves.size()) + " events");
  }
  return leaves;
}

}  // namespace sg::audit
