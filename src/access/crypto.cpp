#include "access/crypto.h"

#include <sodium.h>

#include <array>

#include "core/ascii.h"

namespace sg::access {
namespace {

[[maybe_unused]] const bool kSodiumReady = sodium_init() >= 0;

}  // namespace

core::Result<std::string> hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return core::resource_exhausted("not enough memory to hash the password");
  }
  return std::string(out);
}

bool verify_password(std::string_view stored_hash, std::string_view password) {
  std::string hash(stored_hash);  // crypto_pwhash_str_verify wants a NUL-terminated string.
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string random_token() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return core::to_hex(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

std::string token_hash(std::string_view token) {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return core::to_hex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

bool secrets_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string generate_password() {
  // 64 distinct words (6 bits each): six words and four digits give ~49 bits. Online
  // guessing is slowed by argon2id, so this suits generated demo and initial passwords.
  static constexpr std::array<std::string_view, 64> kWords = {
      "amber",  "anchor", "apple",   "arrow",   "aspen",   "badge",  "basil",  "beacon",
      "birch",  "bison",  "blaze",   "bloom",   "brook",   "cedar",  "chalk",  "cliff",
      "clover", "comet",  "coral",   "crane",   "delta",   "ember",  "fable",  "fern",
      "flint",  "forge",  "frost",   "garnet",  "glade",   "harbor", "hazel",  "heron",
      "ivory",  "jasper", "juniper", "kestrel", "lantern", "larch",  "lilac",  "linen",
      "maple",  "marble", "meadow",  "nectar",  "nutmeg",  "oasis",  "olive",  "onyx",
      "orchid", "otter",  "pebble",  "pine",    "quartz",  "raven",  "ridge",  "saffron",
      "sage",   "slate",  "sorrel",  "spruce",  "thistle", "tundra", "willow", "zephyr"};
  std::string out;
  for (int i = 0; i < 6; ++i) {
    if (i) out += '-';
    out += kWords[randombytes_uniform(kWords.size())];
  }
  out += '-';
  out += std::to_string(1000 + randombytes_uniform(9000));
  return out;
}

}  // namespace sg::access
