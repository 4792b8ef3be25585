// RFC 6962 Merkle tree arithmetic over SHA-256 (libsodium crypto_hash_sha256).
#include "audit/merkle.h"

#include <sodium.h>

#include <bit>

#include "core/ascii.h"

namespace sg::audit {
namespace {

// The largest power of two strictly less than n (RFC 6962 §2.1's k). REQUIRES: n > 1.
std::uint64_t split_point(std::uint64_t n) { return std::bit_floor(n - 1); }

void subproof(std::span<const Hash> leaves, std::uint64_t m, bool whole, std::vector<Hash>& out) {
  // RFC 6962 §2.1.2 SUBPROOF(m, D[n], b).
  const std::uint64_t n = leaves.size();
  if (m == n) {
    if (!whole) out.push_back(tree_root(leaves));
    return;
  }
  const std::uint64_t k = split_point(n);
  if (m <= k) {
    subproof(leaves.first(k), m, whole, out);
    out.push_back(tree_root(leaves.subspan(k)));
  } else {
    subproof(leaves.subspan(k), m - k, false, out);
    out.push_back(tree_root(leaves.first(k)));
  }
}

}  // namespace

Hash leaf_hash(std::string_view leaf) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  const unsigned char prefix = 0x00;
  crypto_hash_sha256_update(&state, &prefix, 1);
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(leaf.data()),
                            leaf.size());
  Hash out;
  crypto_hash_sha256_final(&state, out.data());
  return out;
}

Hash node_hash(const Hash& left, const Hash& right) {
  unsigned char buffer[65];
  buffer[0] = 0x01;
  std::copy(left.begin(), left.end(), buffer + 1);
  std::copy(right.begin(), right.end(), buffer + 33);
  Hash out;
  crypto_hash_sha256(out.data(), buffer, sizeof buffer);
  return out;
}

Hash empty_tree_root() {
  Hash out;
  crypto_hash_sha256(out.data(), nullptr, 0);
  return out;
}

std::string to_hex(const Hash& hash) {
  char out[65];
  sodium_bin2hex(out, sizeof out, hash.data(), hash.size());
  return std::string(out, 64);
}

core::Result<Hash> hash_from_hex(std::string_view text, std::string_view field) {
  std::string bytes;
  if (text.size() != 64 || !core::from_hex(text, bytes) || bytes.size() != 32) {
    return core::invalid_argument("must be a SHA-256 hash in 64 hex digits", std::string(field));
  }
  Hash out;
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

std::string to_base64(const Hash& hash) {
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(out, sizeof out, hash.data(), hash.size(), sodium_base64_VARIANT_ORIGINAL);
  return out;
}

core::Result<Hash> hash_from_base64(std::string_view text, std::string_view field) {
  Hash out;
  size_t len = 0;
  if (text.size() != 44 ||
      sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len != out.size()) {
    return core::invalid_argument("must be a SHA-256 hash in base64", std::string(field));
  }
  return out;
}

core::Result<TreeBuilder> TreeBuilder::resume(std::uint64_t size, std::vector<Hash> frontier) {
  if (frontier.size() != static_cast<size_t>(std::popcount(size))) {
    return core::invalid_argument("the subtree roots do not match the tree size", "frontier");
  }
  TreeBuilder builder;
  builder.size_ = size;
  builder.count_ = frontier.size();
  std::copy(frontier.begin(), frontier.end(), builder.frontier_.begin());
  return builder;
}

void TreeBuilder::add(const Hash& leaf) {
  frontier_[count_++] = leaf;
  ++size_;
  // Like carrying in binary addition: each trailing zero bit of the new size is a pair of
  // equal perfect subtrees that now merge into one.
  for (std::uint64_t n = size_; (n & 1) == 0; n >>= 1) {
    --count_;
    frontier_[count_ - 1] = node_hash(frontier_[count_ - 1], frontier_[count_]);
  }
}

Hash TreeBuilder::root() const {
  if (count_ == 0) return empty_tree_root();
  // MTH(D[n]) = node(MTH(D[0:k]), MTH(D[k:n])) with the largest perfect subtree on the
  // left, so the head folds the subtree roots from the smallest (rightmost) up.
  Hash root = frontier_[count_ - 1];
  for (size_t i = count_ - 1; i-- > 0;) root = node_hash(frontier_[i], root);
  return root;
}

Hash tree_root(std::span<const Hash> leaves) {
  TreeBuilder builder;
  for (const auto& leaf : leaves) builder.add(leaf);
  return builder.root();
}

std::vector<Hash> inclusion_proof(std::span<const Hash> leaves, std::uint64_t index) {
  SG_ASSERT(index < leaves.size());
  // RFC 6962 §2.1.1 PATH(m, D[n]), unrolled from the root down; the path lists the
  // siblings from the leaf up, so it is reversed at the end.
  std::vector<Hash> path;
  while (leaves.size() > 1) {
    const std::uint64_t k = split_point(leaves.size());
    if (index < k) {
      path.push_back(tree_root(leaves.subspan(k)));
      leaves = leaves.first(k);
    } else {
      path.push_back(tree_root(leaves.first(k)));
      leaves = leaves.subspan(k);
      index -= k;
    }
  }
  return {path.rbegin(), path.rend()};
}

std::vector<Hash> consistency_proof(std::span<const Hash> leaves, std::uint64_t old_size) {
  SG_ASSERT(old_size <= leaves.size());
  std::vector<Hash> proof;
  if (old_size == 0 || old_size == leaves.size()) return proof;
  subproof(leaves, old_size, true, proof);
  return proof;
}

bool verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                      std::span<const Hash> path, const Hash& root) {
  // RFC 9162 §2.1.3.2, step by step.
  if (index >= size) return false;
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Hash r = leaf;
  for (const auto& p : path) {
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      r = node_hash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool verify_consistency(std::uint64_t old_size, std::uint64_t new_size, const Hash& old_root,
                        const Hash& new_root, std::span<const Hash> proof) {
  if (old_size > new_size) return false;
  // The empty tree is a prefix of every tree; a tree is consistent only with itself.
  if (old_size == 0) return proof.empty();
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  // RFC 9162 §2.1.4.2, step by step.
  if (proof.empty()) return false;
  std::vector<Hash> path(proof.begin(), proof.end());
  // Step 2: when the old tree is a perfect subtree, its head is the proof's implicit start.
  if (std::has_single_bit(old_size)) path.insert(path.begin(), old_root);
  std::uint64_t fn = old_size - 1;
  std::uint64_t sn = new_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path.front();
  Hash sr = path.front();
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

}  // namespace sg::audit
