// The RFC 6962 §2.1 Merkle hash tree over ledger events, with SHA-256: leaf and node
// hashes, the tree head of any size (streaming, so verify never holds the whole tree),
// inclusion and consistency proofs, and their verification (RFC 9162 §2.1.3.2, §2.1.4.2).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sg::audit {

// A SHA-256 digest.
using Hash = std::array<unsigned char, 32>;

// RFC 6962 §2.1: leaf hash = SHA-256(0x00 || leaf), node hash = SHA-256(0x01 || left || right).
// The distinct prefixes keep a leaf from being passed off as an interior node.
Hash leaf_hash(std::string_view leaf);
Hash node_hash(const Hash& left, const Hash& right);
// The head of the empty tree: SHA-256 of the empty string.
Hash empty_tree_root();

std::string to_hex(const Hash& hash);
// InvalidArgument naming `field` unless `text` is 64 hex digits.
core::Result<Hash> hash_from_hex(std::string_view text, std::string_view field);
std::string to_base64(const Hash& hash);
// InvalidArgument naming `field` unless `text` is standard base64 of 32 bytes.
core::Result<Hash> hash_from_base64(std::string_view text, std::string_view field);

// Builds the tree head leaf by leaf in O(log n) memory. It keeps the roots of the perfect
// subtrees that make up the tree so far (largest first), which is also what is needed to
// carry on from a checkpoint without re-reading the leaves before it.
class TreeBuilder {
 public:
  TreeBuilder() = default;
  // Resumes a tree of `size` leaves from its perfect-subtree roots (as frontier() gave).
  // InvalidArgument if the count of roots does not match `size` (one per set bit).
  static core::Result<TreeBuilder> resume(std::uint64_t size, std::vector<Hash> frontier);

  void add(const Hash& leaf);  // Appends a leaf hash.
  std::uint64_t size() const { return size_; }
  Hash root() const;  // The tree head, MTH(D[0:size]).
  // The perfect-subtree roots, largest first: one per set bit of size().
  std::vector<Hash> frontier() const { return {frontier_.begin(), frontier_.begin() + count_}; }

 private:
  // A fixed array rather than a vector: copying a builder (as ChainVerifier's callers do to
  // try a row) then costs no allocation.
  std::uint64_t size_ = 0;
  std::size_t count_ = 0;
  std::array<Hash, 64> frontier_{};
};

// MTH(D[0:n]) over `leaves` (leaf hashes).
Hash tree_root(std::span<const Hash> leaves);

// RFC 6962 §2.1.1 PATH(index, D[n]) with n = leaves.size(), deepest sibling first.
// REQUIRES: index < leaves.size().
std::vector<Hash> inclusion_proof(std::span<const Hash> leaves, std::uint64_t index);

// RFC 6962 §2.1.2 PROOF(old_size, D[n]) with n = leaves.size().
// REQUIRES: old_size <= leaves.size(). Empty when old_size is 0 or n.
std::vector<Hash> consistency_proof(std::span<const Hash> leaves, std::uint64_t old_size);

// True when `path` proves that `leaf` is leaf number `index` (from 0) of the tree of
// `size` leaves whose head is `root` (RFC 9162 §2.1.3.2).
bool verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                      std::span<const Hash> path, const Hash& root);

// True when `proof` shows that the tree of `new_size` leaves with head `new_root` extends
// the tree of `old_size` leaves with head `old_root` (RFC 9162 §2.1.4.2): nothing in the
// first old_size leaves was changed, removed or reordered.
bool verify_consistency(std::uint64_t old_size, std::uint64_t new_size, const Hash& old_root,
                        const Hash& new_root, std::span<const Hash> proof);

}  // namespace sg::audit
