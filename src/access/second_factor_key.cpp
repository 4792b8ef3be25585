#include "access/second_factor_key.h"

#include <sodium.h>

#include <algorithm>

#include "core/ascii.h"

namespace sg::access {
namespace {

[[maybe_unused]] const bool kSodiumReady = sodium_init() >= 0;

static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32);
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;

// The key file's label: it names the format, so that another key file (the ledger's signing
// key, a TLS key) given by mistake is refused rather than read as this one.
constexpr std::string_view kLabel = "safeguard-second-factor-key-v1";

// Domain separation: the associated data binds a ciphertext to this use and to one user.
std::string associated_data(std::string_view user_id) {
  std::string out = "safeguard second factor secret\n";
  out.append(user_id);
  return out;
}

const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

SecondFactorKey::SecondFactorKey(const std::array<unsigned char, 32>& bytes) : bytes_(bytes) {
  // A MAC of a constant under the key names it without revealing it.
  constexpr std::string_view kIdMessage = "safeguard second factor key id";
  unsigned char id[8];
  crypto_generichash(id, sizeof id, bytes_of(kIdMessage), kIdMessage.size(), bytes_.data(),
                     bytes_.size());
  id_ = core::to_hex(std::string_view(reinterpret_cast<const char*>(id), sizeof id));
}

SecondFactorKey::~SecondFactorKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

SecondFactorKey SecondFactorKey::generate() {
  std::array<unsigned char, 32> bytes;
  crypto_aead_xchacha20poly1305_ietf_keygen(bytes.data());
  SecondFactorKey key(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  return key;
}

core::Result<SecondFactorKey> SecondFactorKey::parse(std::string_view text,
                                                     std::string_view field) {
  auto bad = [&] {
    return core::invalid_argument(
        "is not a second-factor key file (" + std::string(kLabel) + " and 64 hex digits)",
        std::string(field));
  };
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  while (!text.empty() && (text.front() == '\n' || text.front() == ' ')) text.remove_prefix(1);
  if (!text.starts_with(kLabel) || text.size() != kLabel.size() + 1 + 64 ||
      text[kLabel.size()] != ' ') {
    return bad();
  }
  std::string decoded;
  if (!core::from_hex(text.substr(kLabel.size() + 1), decoded)) return bad();
  std::array<unsigned char, 32> bytes;
  std::copy(decoded.begin(), decoded.end(), bytes.begin());
  sodium_memzero(decoded.data(), decoded.size());
  SecondFactorKey key(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  return key;
}

std::string SecondFactorKey::encode() const {
  return std::string(kLabel) + " " +
         core::to_hex(
             std::string_view(reinterpret_cast<const char*>(bytes_.data()), bytes_.size()));
}

std::string SecondFactorKey::seal(std::string_view user_id, std::string_view secret) const {
  auto ad = associated_data(user_id);
  std::string out(kNonceBytes + secret.size() + kTagBytes, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  // 192-bit random nonces: no counter to keep, and no realistic chance of a repeat.
  randombytes_buf(nonce, kNonceBytes);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + kNonceBytes, &written, bytes_of(secret),
                                             secret.size(), bytes_of(ad), ad.size(), nullptr, nonce,
                                             bytes_.data());
  out.resize(kNonceBytes + written);
  return out;
}

std::optional<std::string> SecondFactorKey::open(std::string_view user_id,
                                                 std::string_view sealed) const {
  if (sealed.size() < kNonceBytes + kTagBytes) return std::nullopt;
  auto ad = associated_data(user_id);
  const auto* nonce = bytes_of(sealed);
  std::string out(sealed.size() - kNonceBytes - kTagBytes, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(out.data()), &written, nullptr, nonce + kNonceBytes,
          sealed.size() - kNonceBytes, bytes_of(ad), ad.size(), nonce, bytes_.data()) != 0) {
    return std::nullopt;
  }
  out.resize(written);
  return out;
}

}  // namespace sg::access
