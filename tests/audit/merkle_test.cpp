#include "audit/merkle.h"

#include <gtest/gtest.h>

namespace sg::audit {
namespace {

// The eight leaves of the Certificate Transparency test vectors (RFC 6962 reference tests).
std::vector<Hash> ct_leaves() {
  const std::vector<std::string> inputs = {"",
                                           std::string(1, '\x00'),
                                           "\x10",
                                           "\x20\x21",
                                           "\x30\x31",
                                           "\x40\x41\x42\x43",
                                           "\x50\x51\x52\x53\x54\x55\x56\x57",
                                           "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c"
                                           "\x6d\x6e\x6f"};
  std::vector<Hash> out;
  for (const auto& input : inputs) out.push_back(leaf_hash(input));
  return out;
}

// Independent MTH straight from the RFC's recursive definition.
Hash reference_root(std::span<const Hash> leaves) {
  if (leaves.empty()) return empty_tree_root();
  if (leaves.size() == 1) return leaves[0];
  size_t k = 1;
  while (k * 2 < leaves.size()) k *= 2;
  return node_hash(reference_root(leaves.first(k)), reference_root(leaves.subspan(k)));
}

std::vector<Hash> numbered_leaves(size_t n) {
  std::vector<Hash> out;
  for (size_t i = 0; i < n; ++i) out.push_back(leaf_hash("leaf " + std::to_string(i)));
  return out;
}

TEST(Merkle, MatchesTheCertificateTransparencyRoots) {
  const char* expected[] = {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
                            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
                            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
                            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
                            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  auto leaves = ct_leaves();
  for (size_t n = 1; n <= 8; ++n) {
    EXPECT_EQ(to_hex(tree_root(std::span(leaves).first(n))), expected[n - 1]) << "size " << n;
  }
  EXPECT_EQ(to_hex(empty_tree_root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Merkle, StreamingHeadEqualsTheRecursiveDefinitionAtEverySize) {
  auto leaves = numbered_leaves(70);
  TreeBuilder builder;
  for (size_t n = 0; n <= leaves.size(); ++n) {
    ASSERT_EQ(builder.root(), reference_root(std::span(leaves).first(n))) << "size " << n;
    if (n < leaves.size()) builder.add(leaves[n]);
  }
}

TEST(Merkle, ResumesFromAFrontier) {
  auto leaves = numbered_leaves(45);
  TreeBuilder first;
  for (size_t i = 0; i < 29; ++i) first.add(leaves[i]);
  auto resumed = TreeBuilder::resume(29, first.frontier()).value();
  for (size_t i = 29; i < leaves.size(); ++i) resumed.add(leaves[i]);
  EXPECT_EQ(resumed.root(), reference_root(leaves));
  EXPECT_EQ(TreeBuilder::resume(32, first.frontier()).error().field, "frontier");
}

TEST(Merkle, EveryInclusionProofVerifiesAndNoneProvesTheWrongThing) {
  auto leaves = numbered_leaves(33);
  for (size_t n = 1; n <= leaves.size(); ++n) {
    auto tree = std::span(leaves).first(n);
    auto root = tree_root(tree);
    for (size_t i = 0; i < n; ++i) {
      auto path = inclusion_proof(tree, i);
      ASSERT_TRUE(verify_inclusion(leaves[i], i, n, path, root)) << i << " of " << n;
      EXPECT_FALSE(verify_inclusion(leaves[(i + 1) % 33], i, n, path, root));
      if (n > 1) {
        EXPECT_FALSE(verify_inclusion(leaves[i], (i + 1) % n, n, path, root));
        auto bent = path;
        bent[i % bent.size()][0] ^= 1;
        EXPECT_FALSE(verify_inclusion(leaves[i], i, n, bent, root));
      }
      EXPECT_FALSE(verify_inclusion(leaves[i], n, n, path, root)) << "index out of range";
    }
  }
}

TEST(Merkle, EveryConsistencyProofVerifiesAndAChangedPrefixFails) {
  auto leaves = numbered_leaves(33);
  for (size_t n = 1; n <= leaves.size(); ++n) {
    auto new_root = tree_root(std::span(leaves).first(n));
    for (size_t m = 0; m <= n; ++m) {
      auto old_root = tree_root(std::span(leaves).first(m));
      auto proof = consistency_proof(std::span(leaves).first(n), m);
      ASSERT_TRUE(verify_consistency(m, n, old_root, new_root, proof)) << m << " -> " << n;
      if (m > 0 && m < n) {
        // A history rewritten before the old size cannot be shown to extend it.
        auto forged = leaves;
        forged[m - 1] = leaf_hash("rewritten");
        auto forged_root = tree_root(std::span(forged).first(n));
        auto forged_proof = consistency_proof(std::span(forged).first(n), m);
        EXPECT_FALSE(verify_consistency(m, n, old_root, forged_root, forged_proof));
        auto bent = proof;
        bent.back()[3] ^= 1;
        EXPECT_FALSE(verify_consistency(m, n, old_root, new_root, bent));
      }
    }
  }
  EXPECT_FALSE(verify_consistency(5, 4, empty_tree_root(), empty_tree_root(), {}));
}

TEST(Merkle, HashEncodingsRoundTripAndNameTheField) {
  auto h = leaf_hash("x");
  EXPECT_EQ(hash_from_hex(to_hex(h), "root").value(), h);
  EXPECT_EQ(hash_from_base64(to_base64(h), "root").value(), h);
  EXPECT_EQ(hash_from_hex("abc", "root").error().field, "root");
  EXPECT_EQ(hash_from_base64("not base64!", "root_hash").error().field, "root_hash");
}

}  // namespace
}  // namespace sg::audit
