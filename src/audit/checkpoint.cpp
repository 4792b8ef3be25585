// Ed25519 signed checkpoints in the C2SP signed-note / tlog-checkpoint text formats.
#include "audit/checkpoint.h"

#include <sodium.h>

#include <charconv>
#include <cstdio>

#include "audit/ledger.h"
#include "core/ascii.h"

namespace sg::audit {
namespace {

constexpr std::string_view kEmDash = "\xe2\x80\x94";  // U+2014, which opens a signature line.
constexpr unsigned char kEd25519 = 0x01;              // The signed-note algorithm byte.

bool valid_key_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-' || c == '/' || c == ':';
    if (!ok) return false;
  }
  return true;
}

// C2SP signed-note: the first four bytes of SHA-256(name || "\n" || 0x01 || key), big-endian.
std::uint32_t key_hash_of(std::string_view name, const std::array<unsigned char, 32>& key) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(name.data()),
                            name.size());
  const unsigned char sep[2] = {'\n', kEd25519};
  crypto_hash_sha256_update(&state, sep, 2);
  crypto_hash_sha256_update(&state, key.data(), key.size());
  unsigned char out[32];
  crypto_hash_sha256_final(&state, out);
  return (std::uint32_t{out[0]} << 24) | (std::uint32_t{out[1]} << 16) |
         (std::uint32_t{out[2]} << 8) | std::uint32_t{out[3]};
}

std::string hex8(std::uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

std::string base64(const unsigned char* data, size_t len) {
  std::string out(sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, len, sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // The encoder's terminating NUL.
  return out;
}

// Decodes standard base64 into exactly `len` bytes.
bool unbase64(std::string_view text, unsigned char* out, size_t len) {
  size_t got = 0;
  return sodium_base642bin(out, len, text.data(), text.size(), nullptr, &got, nullptr,
                           sodium_base64_VARIANT_ORIGINAL) == 0 &&
         got == len;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    auto end = text.find(sep, start);
    out.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

// Parses "<name>+<hash>+<base64(0x01 || 32 bytes)>" into its parts.
core::Status parse_key_parts(std::string_view text, std::string_view field, std::string& name,
                             std::uint32_t& hash, std::array<unsigned char, 32>& bytes) {
  auto bad = [&](const char* why) { return core::invalid_argument(why, std::string(field)); };
  // Base64 may itself contain '+': only the first two split the text.
  auto first = text.find('+');
  auto second = first == std::string_view::npos ? first : text.find('+', first + 1);
  if (second == std::string_view::npos) return bad("is not a key: expected NAME+HASH+KEY");
  std::string_view parts[3] = {text.substr(0, first), text.substr(first + 1, second - first - 1),
                               text.substr(second + 1)};
  if (!valid_key_name(parts[0])) return bad("has an invalid key name");
  name = std::string(parts[0]);
  std::string hash_bytes;
  if (parts[1].size() != 8 || !core::from_hex(parts[1], hash_bytes)) {
    return bad("has a key hash that is not 8 hex digits");
  }
  auto [ptr, ec] = std::from_chars(parts[1].data(), parts[1].data() + 8, hash, 16);
  if (ec != std::errc()) return bad("has a key hash that is not 8 hex digits");
  unsigned char raw[33];
  if (!unbase64(parts[2], raw, sizeof raw)) return bad("has a key that is not base64 of 33 bytes");
  if (raw[0] != kEd25519) return bad("is not an Ed25519 key");
  std::copy(raw + 1, raw + 33, bytes.begin());
  sodium_memzero(raw, sizeof raw);
  return {};
}

}  // namespace

core::Result<PublicKey> PublicKey::parse(std::string_view text, std::string_view field) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  PublicKey key;
  SG_TRY(parse_key_parts(text, field, key.name, key.key_hash, key.key));
  if (key_hash_of(key.name, key.key) != key.key_hash) {
    return core::invalid_argument("has a key hash that does not match the key", std::string(field));
  }
  return key;
}

std::string PublicKey::encode() const {
  unsigned char raw[33];
  raw[0] = kEd25519;
  std::copy(key.begin(), key.end(), raw + 1);
  return name + "+" + hex8(key_hash) + "+" + base64(raw, sizeof raw);
}

std::string PublicKey::key_id() const { return name + "+" + hex8(key_hash); }

core::Result<SigningKey> SigningKey::generate(std::string_view name, core::RandomSource& random) {
  if (!valid_key_name(name)) {
    return core::invalid_argument("a key name is 1 to 64 letters, digits or . _ - / :", "name");
  }
  SigningKey key;
  for (size_t i = 0; i < key.seed_.size(); i += 8) {
    std::uint64_t word = random.next_u64();
    for (size_t j = 0; j < 8; ++j) key.seed_[i + j] = static_cast<unsigned char>(word >> (8 * j));
  }
  key.public_key_.name = std::string(name);
  crypto_sign_seed_keypair(key.public_key_.key.data(), key.secret_.data(), key.seed_.data());
  key.public_key_.key_hash = key_hash_of(name, key.public_key_.key);
  return key;
}

core::Result<SigningKey> SigningKey::parse(std::string_view text, std::string_view field) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  constexpr std::string_view kPrefix = "PRIVATE+KEY+";
  if (!text.starts_with(kPrefix)) {
    return core::invalid_argument("is not a private key: expected PRIVATE+KEY+NAME+HASH+KEY",
                                  std::string(field));
  }
  text.remove_prefix(kPrefix.size());
  SigningKey key;
  std::uint32_t hash = 0;
  SG_TRY(parse_key_parts(text, field, key.public_key_.name, hash, key.seed_));
  crypto_sign_seed_keypair(key.public_key_.key.data(), key.secret_.data(), key.seed_.data());
  key.public_key_.key_hash = key_hash_of(key.public_key_.name, key.public_key_.key);
  if (key.public_key_.key_hash != hash) {
    return core::invalid_argument("has a key hash that does not match the key", std::string(field));
  }
  return key;
}

SigningKey::~SigningKey() {
  sodium_memzero(seed_.data(), seed_.size());
  sodium_memzero(secret_.data(), secret_.size());
}

std::string SigningKey::encode() const {
  unsigned char raw[33];
  raw[0] = kEd25519;
  std::copy(seed_.begin(), seed_.end(), raw + 1);
  auto out = "PRIVATE+KEY+" + public_key_.name + "+" + hex8(public_key_.key_hash) + "+" +
             base64(raw, sizeof raw);
  sodium_memzero(raw, sizeof raw);
  return out;
}

std::array<unsigned char, 64> SigningKey::sign(std::string_view message) const {
  std::array<unsigned char, 64> sig;
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), secret_.data());
  return sig;
}

std::string Checkpoint::body() const {
  return origin + "\n" + std::to_string(tree_size) + "\n" + to_base64(root) + "\ntimestamp " +
         core::format_rfc3339(at) + "\n";
}

std::string Checkpoint::note() const {
  std::string out = body() + "\n";
  for (const auto& s : signatures) {
    unsigned char raw[68];
    for (int i = 0; i < 4; ++i) raw[i] = static_cast<unsigned char>(s.key_hash >> (24 - 8 * i));
    std::copy(s.bytes.begin(), s.bytes.end(), raw + 4);
    out += std::string(kEmDash) + " " + s.key_name + " " + base64(raw, sizeof raw) + "\n";
  }
  return out;
}

Checkpoint sign_checkpoint(const SigningKey& key, std::string origin, std::uint64_t tree_size,
                           const Hash& root, core::Timestamp at) {
  Checkpoint c;
  c.origin = std::move(origin);
  c.tree_size = tree_size;
  c.root = root;
  c.at = at;
  c.signatures.push_back({key.public_key().name, key.public_key().key_hash, key.sign(c.body())});
  return c;
}

core::Result<Checkpoint> parse_checkpoint(std::string_view text, std::string_view source) {
  auto bad = [&](int line, const std::string& why) {
    return core::invalid_argument(why, std::string(source) + " line " + std::to_string(line));
  };
  auto blank = text.find("\n\n");
  if (blank == std::string_view::npos) return bad(1, "no blank line before the signatures");
  auto body = split(text.substr(0, blank), '\n');
  if (body.size() != 4) return bad(1, "the body must have 4 lines: origin, size, root, timestamp");
  Checkpoint c;
  c.origin = std::string(body[0]);
  if (c.origin.empty()) return bad(1, "the origin is empty");
  auto [ptr, ec] = std::from_chars(body[1].data(), body[1].data() + body[1].size(), c.tree_size);
  if (ec != std::errc() || ptr != body[1].data() + body[1].size() || body[1].empty() ||
      (body[1].size() > 1 && body[1][0] == '0')) {
    return bad(2, "the tree size must be a decimal number");
  }
  auto root = hash_from_base64(body[2], "root");
  if (!root.ok()) return bad(3, "the root hash must be base64 of a SHA-256 hash");
  c.root = *root;
  constexpr std::string_view kTimestamp = "timestamp ";
  if (!body[3].starts_with(kTimestamp)) return bad(4, "expected 'timestamp <RFC 3339 time>'");
  auto at = core::parse_rfc3339(body[3].substr(kTimestamp.size()));
  if (!at.ok()) return bad(4, "the timestamp is not an RFC 3339 time");
  c.at = *at;
  auto lines = split(text.substr(blank + 2), '\n');
  int line_no = 5;
  for (auto line : lines) {
    ++line_no;
    if (line.empty()) continue;
    auto parts = split(line, ' ');
    if (parts.size() != 3 || parts[0] != kEmDash || !valid_key_name(parts[1])) {
      return bad(line_no, "expected a signature line: '— <key name> <base64 signature>'");
    }
    unsigned char raw[68];
    if (!unbase64(parts[2], raw, sizeof raw)) {
      return bad(line_no, "the signature is not base64 of a key hash and an Ed25519 signature");
    }
    Checkpoint::Signature s;
    s.key_name = std::string(parts[1]);
    s.key_hash = (std::uint32_t{raw[0]} << 24) | (std::uint32_t{raw[1]} << 16) |
                 (std::uint32_t{raw[2]} << 8) | std::uint32_t{raw[3]};
    std::copy(raw + 4, raw + 68, s.bytes.begin());
    c.signatures.push_back(s);
  }
  if (c.signatures.empty()) return bad(line_no, "the checkpoint is not signed");
  // The body must round-trip, or the signature would be checked over other bytes than those
  // in the file.
  if (c.body() != text.substr(0, blank + 1)) {
    return bad(4, "the body is not in canonical form (timestamp as YYYY-MM-DDTHH:MM:SS.ffffffZ)");
  }
  return c;
}

core::Status verify_checkpoint_signature(const Checkpoint& checkpoint, const PublicKey& key) {
  std::string signers;
  for (const auto& s : checkpoint.signatures) {
    if (s.key_name != key.name || s.key_hash != key.key_hash) {
      signers += (signers.empty() ? "" : ", ") + s.key_name + "+" + hex8(s.key_hash);
      continue;
    }
    auto body = checkpoint.body();
    if (crypto_sign_verify_detached(s.bytes.data(),
                                    reinterpret_cast<const unsigned char*>(body.data()),
                                    body.size(), key.key.data()) != 0) {
      return core::permission_denied(
          "the checkpoint of tree size " + std::to_string(checkpoint.tree_size) +
          " has a signature by key " + key.key_id() + " that does not verify");
    }
    return {};
  }
  return core::permission_denied("the checkpoint of tree size " +
                                 std::to_string(checkpoint.tree_size) + " is signed by " + signers +
                                 ", not by the given key " + key.key_id());
}

core::Result<std::optional<storage::LedgerCheckpoint>> Checkpointer::maybe_cut() {
  return cut_if(false);
}

core::Result<std::optional<storage::LedgerCheckpoint>> Checkpointer::cut() { return cut_if(true); }

core::Result<std::optional<storage::LedgerCheckpoint>> Checkpointer::cut_if(bool forced) {
  using None = std::optional<storage::LedgerCheckpoint>;
  TreeBuilder tree;
  std::optional<storage::LedgerCheckpoint> last;
  std::int64_t head = 0;
  {
    // Compute in a read snapshot so appends carry on meanwhile.
    auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
    auto all = SG_TRY(tx->ledger_checkpoints());
    if (!all.empty()) last = all.back();
    auto newest = SG_TRY(tx->ledger_last());
    head = newest ? newest->seq : 0;
    std::int64_t since = head - (last ? last->tree_size : 0);
    if (since <= 0) return None();
    bool due = forced || since >= policy_.every_events || !last ||
               clock_.now() - last->at >= policy_.every;
    if (!due) return None();
    if (last) {
      std::vector<Hash> frontier;
      for (auto part : split(last->frontier, ' ')) {
        if (!part.empty()) frontier.push_back(SG_TRY(hash_from_hex(part, "frontier")));
      }
      tree = SG_TRY(TreeBuilder::resume(static_cast<std::uint64_t>(last->tree_size), frontier));
      if (to_hex(tree.root()) != last->root_hash) {
        return core::data_loss("the stored checkpoint of tree size " +
                               std::to_string(last->tree_size) +
                               " does not match its own frontier; run `safeguard audit verify`");
      }
    }
    constexpr std::size_t kBatch = 4096;
    while (static_cast<std::int64_t>(tree.size()) < head) {
      auto rows = SG_TRY(tx->ledger_range(static_cast<std::int64_t>(tree.size()) + 1, kBatch));
      if (rows.empty()) break;
      for (const auto& row : rows) {
        if (row.seq != static_cast<std::int64_t>(tree.size()) + 1) {
          return core::data_loss("ledger event " + std::to_string(tree.size() + 1) +
                                 " is missing; run `safeguard audit verify`");
        }
        tree.add(leaf_hash(leaf_bytes(row)));
        if (static_cast<std::int64_t>(tree.size()) == head) break;
      }
    }
  }
  auto signed_checkpoint =
      sign_checkpoint(key_, policy_.origin, tree.size(), tree.root(), clock_.now());
  storage::LedgerCheckpoint stored;
  stored.tree_size = static_cast<std::int64_t>(tree.size());
  stored.root_hash = to_hex(tree.root());
  stored.at = signed_checkpoint.at;
  stored.key_id = key_.public_key().key_id();
  for (const auto& h : tree.frontier()) {
    if (!stored.frontier.empty()) stored.frontier += ' ';
    stored.frontier += to_hex(h);
  }
  stored.note = signed_checkpoint.note();
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto st = tx->append_checkpoint(stored);
  // Another checkpointer got there first with the same tree: nothing to add.
  if (!st.ok() && st.error().code == core::Code::kAlreadyExists) return None();
  SG_TRY(std::move(st));
  SG_TRY(tx->commit());
  return std::optional(stored);
}

}  // namespace sg::audit
