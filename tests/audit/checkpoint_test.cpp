#include "audit/checkpoint.h"

#include <gtest/gtest.h>

#include "audit/ledger.h"
#include "test_support.h"

namespace sg::audit {
namespace {

using testing::World;

SigningKey test_key(std::uint64_t seed = 1, const char* name = "northfield-ledger") {
  core::SeededRandom random{seed};
  return SigningKey::generate(name, random).value();
}

void append_events(World& w, int n) {
  auto tx = w.store->begin(storage::TxMode::kWrite).value();
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(w.ledger
                    .append(*tx, {.actor = "user-1",
                                  .operation = domain::Operation::kConsultation,
                                  .reason = "case_work",
                                  .record_ids = {"rec-" + std::to_string(i)},
                                  .payload = "p"})
                    .ok());
  }
  ASSERT_TRUE(tx->commit().ok());
}

TEST(SigningKeys, RoundTripThroughTheirTextForms) {
  auto key = test_key();
  auto text = key.encode();
  EXPECT_TRUE(text.starts_with("PRIVATE+KEY+northfield-ledger+"));
  auto again = SigningKey::parse(text + "\n", "key file").value();
  EXPECT_EQ(again.public_key().encode(), key.public_key().encode());
  auto pub = PublicKey::parse(key.public_key().encode(), "public key").value();
  EXPECT_EQ(pub.key, key.public_key().key);
  EXPECT_EQ(pub.key_id(), key.public_key().key_id());
  EXPECT_NE(test_key(2).public_key().encode(), key.public_key().encode());
}

TEST(SigningKeys, RejectMalformedTextNamingTheSource) {
  EXPECT_EQ(SigningKey::parse("hello", "key.txt").error().field, "key.txt");
  EXPECT_EQ(PublicKey::parse("a+b", "pub.txt").error().field, "pub.txt");
  auto pub = test_key().public_key().encode();
  // A key whose hash does not match its name and bytes has been tampered with.
  auto renamed = "other" + pub.substr(pub.find('+'));
  EXPECT_FALSE(PublicKey::parse(renamed, "pub.txt").ok());
  core::SeededRandom random{1};
  EXPECT_EQ(SigningKey::generate("has space", random).error().field, "name");
}

TEST(Checkpoints, AreSignedNotesThatRoundTripAndVerify) {
  auto key = test_key();
  auto root = leaf_hash("x");
  auto c = sign_checkpoint(key, "safeguard/ledger", 42, root, testing::at("2026-12-01T10:00:00Z"));
  auto note = c.note();
  EXPECT_EQ(note.substr(0, note.find("\n\n") + 1), "safeguard/ledger\n42\n" + to_base64(root) +
                                                       "\ntimestamp 2026-12-01T10:00:00.000000Z\n");
  EXPECT_NE(note.find("\n\n\xe2\x80\x94 northfield-ledger "), std::string::npos);
  auto parsed = parse_checkpoint(note, "cp.txt").value();
  EXPECT_EQ(parsed.tree_size, 42u);
  EXPECT_EQ(parsed.root, root);
  EXPECT_EQ(parsed.note(), note);
  EXPECT_TRUE(verify_checkpoint_signature(parsed, key.public_key()).ok());
}

TEST(Checkpoints, AWrongKeyOrAnEditedBodyFailsVerification) {
  auto key = test_key();
  auto c = sign_checkpoint(key, "safeguard/ledger", 42, leaf_hash("x"),
                           testing::at("2026-12-01T10:00:00Z"));
  // Re-signed by someone else, even under the same key name.
  auto impostor = test_key(99);
  auto forged = sign_checkpoint(impostor, "safeguard/ledger", 42, leaf_hash("x"), c.at);
  auto st = verify_checkpoint_signature(forged, key.public_key());
  EXPECT_EQ(st.code(), core::Code::kPermissionDenied);
  EXPECT_NE(st.error().message.find("not by the given key"), std::string::npos);
  // The body changed after signing: the signature no longer covers it.
  auto edited = c;
  edited.tree_size = 41;
  st = verify_checkpoint_signature(edited, key.public_key());
  EXPECT_EQ(st.code(), core::Code::kPermissionDenied);
  EXPECT_NE(st.error().message.find("does not verify"), std::string::npos);
}

TEST(Checkpoints, ParseErrorsNameTheLine) {
  auto note =
      sign_checkpoint(test_key(), "o", 3, leaf_hash("x"), testing::at("2026-12-01T10:00:00Z"))
          .note();
  EXPECT_EQ(parse_checkpoint("no blank line", "cp.txt").error().field, "cp.txt line 1");
  auto bad_size = note;
  bad_size.replace(note.find("\n3\n") + 1, 1, "x");
  EXPECT_EQ(parse_checkpoint(bad_size, "cp.txt").error().field, "cp.txt line 2");
  auto unsigned_note = note.substr(0, note.find("\n\n") + 2);
  EXPECT_FALSE(parse_checkpoint(unsigned_note, "cp.txt").ok());
  auto bad_sig = note.substr(0, note.find("\n\n") + 2) + "\xe2\x80\x94 k notbase64\n";
  EXPECT_EQ(parse_checkpoint(bad_sig, "cp.txt").error().field, "cp.txt line 6");
}

TEST(Checkpointer, CutsEveryNEventsOrAfterTSecondsAndResumesTheTree) {
  World w;
  Checkpointer checkpointer(
      *w.store, w.clock, test_key(),
      {.origin = "test/ledger", .every_events = 5, .every = std::chrono::seconds(60)});
  EXPECT_FALSE(checkpointer.maybe_cut().value().has_value()) << "nothing to checkpoint";
  append_events(w, 3);
  auto first = checkpointer.maybe_cut().value();
  ASSERT_TRUE(first.has_value()) << "the first events are checkpointed at once";
  EXPECT_EQ(first->tree_size, 3);
  append_events(w, 2);
  EXPECT_FALSE(checkpointer.maybe_cut().value().has_value()) << "2 events, 0 s: not due";
  w.clock.advance(std::chrono::seconds(61));
  auto timed = checkpointer.maybe_cut().value();
  ASSERT_TRUE(timed.has_value());
  EXPECT_EQ(timed->tree_size, 5);
  append_events(w, 5);
  auto counted = checkpointer.maybe_cut().value();
  ASSERT_TRUE(counted.has_value());
  EXPECT_EQ(counted->tree_size, 10);
  EXPECT_FALSE(checkpointer.cut().value().has_value()) << "already covers the whole ledger";

  auto tx = w.store->begin(storage::TxMode::kRead).value();
  auto leaves = ledger_leaves(*tx).value();
  EXPECT_EQ(counted->root_hash, to_hex(tree_root(leaves))) << "resumed tree == fresh tree";
  auto stored = tx->ledger_checkpoints().value();
  ASSERT_EQ(stored.size(), 3u);
  auto parsed = parse_checkpoint(stored[2].note, "stored").value();
  EXPECT_EQ(parsed.origin, "test/ledger");
  EXPECT_EQ(parsed.at, w.clock.now());
  EXPECT_TRUE(verify_checkpoint_signature(parsed, test_key().public_key()).ok());
  EXPECT_EQ(stored[2].key_id, test_key().public_key().key_id());
}

}  // namespace
}  // namespace sg::audit
