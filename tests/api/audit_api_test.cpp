// The auditor's ledger API: auditors only, never their own events, every read ledgered,
// parameters checked by name, and proofs that verify (issue 6, section 3).
#include <gtest/gtest.h>

#include "api/app.h"
#include "api_client.h"
#include "audit/checkpoint.h"
#include "audit/merkle.h"
#include "test_support.h"

namespace sg::api {
namespace {

using nlohmann::json;
using testing::at;

using Session = testing::ApiSession;

struct AuditApi : ::testing::Test {
  testing::World w;
  std::unique_ptr<App> app;
  domain::User auditor, other_auditor;

  void SetUp() override {
    w.clock.set(at("2026-12-24T10:00:00Z"));
    auditor = w.add_user("auditor.one", domain::Role::kAuditor);
    other_auditor = w.add_user("auditor.two", domain::Role::kAuditor);
    w.add_user("practitioner.one", domain::Role::kPractitioner);
    w.add_user("manager.one", domain::Role::kManager);
    w.add_user("reviewer.one", domain::Role::kReviewer);
    w.add_user("admin.one", domain::Role::kAdmin);
    app = App::create({*w.store, w.ledger, w.accounts, w.clock, w.casework, w.reports}, {}).value();
  }

  Response send(const std::string& method, const std::string& target, const Session* s,
                const json& body = nullptr) {
    return app->handle(testing::api_request(method, target, s, body));
  }

  Session login(const std::string& user) { return testing::api_login(*app, user); }

  std::int64_t ledger_size() {
    auto tx = w.store->begin(storage::TxMode::kRead).value();
    auto last = tx->ledger_last().value();
    return last ? last->seq : 0;
  }

  storage::LedgerRow last_event() {
    auto tx = w.store->begin(storage::TxMode::kRead).value();
    return tx->ledger_last().value().value();
  }

  // Every page of the ledger as `s` sees it.
  std::vector<json> all_events(const Session& s, const std::string& filters = "") {
    std::vector<json> out;
    std::string after = "0";
    for (int page = 0; page < 100; ++page) {
      auto r = send("GET", "/api/v1/ledger?limit=3&after_seq=" + after + filters, &s);
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status != 200) break;
      auto body = json::parse(r.body);
      for (const auto& e : body["items"]) out.push_back(e);
      if (body["next_after_seq"].is_null()) break;
      after = std::to_string(body["next_after_seq"].get<std::int64_t>());
    }
    return out;
  }
};

TEST_F(AuditApi, AuditorSeesOthersEventsButNeverTheirOwn) {
  auto one = login("auditor.one");
  auto two = login("auditor.two");
  // auditor.one reads the ledger, which logs a consultation by them.
  auto first = send("GET", "/api/v1/ledger", &one);
  ASSERT_EQ(first.status, 200) << first.body;
  auto items = json::parse(first.body)["items"];
  ASSERT_FALSE(items.empty());
  for (const auto& e : items) EXPECT_NE(e["actor"], one.user_id);
  EXPECT_EQ(items[0]["seq"], 1);
  EXPECT_TRUE(items[0].contains("record_ids"));
  EXPECT_EQ(items[0]["operation"], "collection");

  // auditor.two sees auditor.one's read, by name and role.
  auto seen_by_two = all_events(two);
  auto by_one = std::find_if(seen_by_two.begin(), seen_by_two.end(),
                             [&](const json& e) { return e["actor"] == one.user_id; });
  ASSERT_NE(by_one, seen_by_two.end());
  EXPECT_EQ((*by_one)["reason"], "audit_review");
  EXPECT_EQ((*by_one)["operation"], "consultation");
  EXPECT_EQ((*by_one)["actor_role"], "auditor");
  for (const auto& e : seen_by_two) EXPECT_NE(e["actor"], two.user_id);

  // auditor.one, even filtering for themselves, sees none of their own.
  auto own = send("GET", "/api/v1/ledger?actor=" + one.user_id, &one);
  ASSERT_EQ(own.status, 200);
  EXPECT_TRUE(json::parse(own.body)["items"].empty());
  for (const auto& e : all_events(one)) EXPECT_NE(e["actor"], one.user_id);
  // Only the other auditor's events when filtering for them.
  auto theirs = json::parse(send("GET", "/api/v1/ledger?actor=" + two.user_id, &one).body);
  ASSERT_FALSE(theirs["items"].empty());
  for (const auto& e : theirs["items"]) EXPECT_EQ(e["actor"], two.user_id);
}

TEST_F(AuditApi, PagesBySeqWithoutGapsOrRepeats) {
  auto two = login("auditor.two");
  auto one = login("auditor.one");
  auto events = all_events(one);
  // Every event by someone else, once, in order: those before this test's reads are all the
  // set-up events, none of them by auditor.one.
  ASSERT_GE(events.size(), 7u);
  for (std::size_t i = 1; i < events.size(); ++i) {
    EXPECT_LT(events[i - 1]["seq"].get<std::int64_t>(), events[i]["seq"].get<std::int64_t>());
  }
  EXPECT_EQ(events.front()["seq"], 1);
  auto collections = all_events(one, "&operation=collection");
  ASSERT_FALSE(collections.empty());
  for (const auto& e : collections) EXPECT_EQ(e["operation"], "collection");
  auto consultations = all_events(one, "&operation=consultation");
  for (const auto& e : consultations) EXPECT_EQ(e["operation"], "consultation");
  EXPECT_TRUE(consultations.empty()) << "auditor.two has not read anything yet";
  (void)two;
}

TEST_F(AuditApi, TimeFiltersTakeDatesAndInstants) {
  auto one = login("auditor.one");
  auto before = json::parse(send("GET", "/api/v1/ledger?to=2026-12-23", &one).body);
  EXPECT_TRUE(before["items"].empty());
  auto that_day =
      json::parse(send("GET", "/api/v1/ledger?from=2026-12-24&to=2026-12-24", &one).body);
  EXPECT_FALSE(that_day["items"].empty());
  auto later = json::parse(send("GET", "/api/v1/ledger?from=2026-12-24T10:00:01Z", &one).body);
  EXPECT_TRUE(later["items"].empty());
}

TEST_F(AuditApi, OtherRolesAreRefusedAndNothingIsLogged) {
  for (const char* user : {"practitioner.one", "manager.one", "reviewer.one", "admin.one"}) {
    auto s = login(user);
    auto size = ledger_size();
    for (const char* path :
         {"/api/v1/ledger", "/api/v1/ledger/checkpoints", "/api/v1/ledger/proof/1"}) {
      auto r = send("GET", path, &s);
      EXPECT_EQ(r.status, 403) << user << " " << path;
      EXPECT_EQ(r.header("Content-Type").value_or(""), "application/problem+json");
    }
    EXPECT_EQ(ledger_size(), size) << user;
  }
  EXPECT_EQ(send("GET", "/api/v1/ledger", nullptr).status, 401);
}

TEST_F(AuditApi, EveryReadIsOneLedgeredConsultation) {
  auto one = login("auditor.one");
  for (const char* path : {"/api/v1/ledger?operation=collection", "/api/v1/ledger/checkpoints",
                           "/api/v1/ledger/proof/1"}) {
    auto size = ledger_size();
    auto r = send("GET", path, &one);
    ASSERT_EQ(r.status, 200) << path << " " << r.body;
    EXPECT_EQ(ledger_size(), size + 1) << path;
    auto event = last_event();
    EXPECT_EQ(event.actor, one.user_id);
    EXPECT_EQ(event.operation, domain::Operation::kConsultation);
    EXPECT_EQ(event.reason, "audit_review");
  }
  // A refused read is not ledgered as a read.
  auto size = ledger_size();
  EXPECT_EQ(send("GET", "/api/v1/ledger?limit=0", &one).status, 400);
  EXPECT_EQ(ledger_size(), size);
}

TEST_F(AuditApi, BadParametersNameTheirField) {
  auto one = login("auditor.one");
  struct Case {
    std::string query, field;
  };
  for (const auto& c : std::vector<Case>{{"from=2026-02-30", "from"},
                                         {"to=2026-13-01", "to"},
                                         {"from=2026-12-24T25:00:00Z", "from"},
                                         {"from=yesterday", "from"},
                                         {"from=2026-12-24&to=2026-12-01", "to"},
                                         {"limit=0", "limit"},
                                         {"limit=1001", "limit"},
                                         {"limit=ten", "limit"},
                                         {"operation=peeking", "operation"},
                                         {"after_seq=-1", "after_seq"},
                                         {"actor=", "actor"},
                                         {"record=a%20b", "record"}}) {
    auto r = send("GET", "/api/v1/ledger?" + c.query, &one);
    ASSERT_EQ(r.status, 400) << c.query;
    EXPECT_EQ(r.header("Content-Type").value_or(""), "application/problem+json");
    EXPECT_EQ(json::parse(r.body)["field"], c.field) << c.query;
  }
  EXPECT_EQ(send("GET", "/api/v1/ledger?limit=1000", &one).status, 200);
  auto bad_seq = send("GET", "/api/v1/ledger/proof/first", &one);
  EXPECT_EQ(bad_seq.status, 400);
  EXPECT_EQ(json::parse(bad_seq.body)["field"], "seq");
  EXPECT_EQ(send("GET", "/api/v1/ledger/proof/0", &one).status, 400);
  EXPECT_EQ(send("GET", "/api/v1/ledger/proof/999999", &one).status, 404);
}

TEST_F(AuditApi, ProofVerifiesAgainstTheTreeHeadAndTheCheckpoint) {
  auto one = login("auditor.one");
  auto key = audit::SigningKey::generate("test", w.random).value();
  audit::Checkpointer checkpointer(*w.store, w.clock, key, {});
  auto cut = checkpointer.cut().value().value();
  // Events after the checkpoint, so the tree head and the checkpoint differ.
  w.add_user("practitioner.two", domain::Role::kPractitioner);

  auto listed = send("GET", "/api/v1/ledger/checkpoints", &one);
  ASSERT_EQ(listed.status, 200);
  auto checkpoints = json::parse(listed.body)["items"];
  ASSERT_EQ(checkpoints.size(), 1u);
  EXPECT_EQ(checkpoints[0]["tree_size"], cut.tree_size);
  EXPECT_EQ(checkpoints[0]["root_hash"], cut.root_hash);
  EXPECT_EQ(checkpoints[0]["key_id"], key.public_key().key_id());
  auto note = audit::parse_checkpoint(checkpoints[0]["note"].get<std::string>(), "api").value();
  EXPECT_TRUE(audit::verify_checkpoint_signature(note, key.public_key()).ok());

  const std::int64_t seq = 2;
  auto r = send("GET", "/api/v1/ledger/proof/" + std::to_string(seq), &one);
  ASSERT_EQ(r.status, 200) << r.body;
  auto proof = json::parse(r.body);
  EXPECT_EQ(proof["seq"], seq);
  EXPECT_EQ(proof["event"]["seq"], seq);
  auto hashes = [](const json& path) {
    std::vector<audit::Hash> out;
    for (const auto& h : path)
      out.push_back(audit::hash_from_hex(h.get<std::string>(), "path").value());
    return out;
  };
  auto leaf = audit::hash_from_hex(proof["leaf_hash"].get<std::string>(), "leaf_hash").value();
  auto root = audit::hash_from_hex(proof["root_hash"].get<std::string>(), "root_hash").value();
  auto size = proof["tree_size"].get<std::uint64_t>();
  EXPECT_GT(size, static_cast<std::uint64_t>(cut.tree_size));
  EXPECT_TRUE(audit::verify_inclusion(leaf, seq - 1, size, hashes(proof["path"]), root));
  // The head is the whole ledger as it stood before this read was logged.
  EXPECT_EQ(static_cast<std::int64_t>(size), ledger_size() - 1);
  // A wrong leaf does not verify.
  auto wrong = leaf;
  wrong[0] ^= 1;
  EXPECT_FALSE(audit::verify_inclusion(wrong, seq - 1, size, hashes(proof["path"]), root));

  // Against the signed checkpoint too.
  ASSERT_TRUE(proof["checkpoint"].is_object());
  EXPECT_EQ(proof["checkpoint"]["tree_size"], cut.tree_size);
  EXPECT_TRUE(audit::verify_inclusion(leaf, seq - 1, note.tree_size,
                                      hashes(proof["checkpoint"]["path"]), note.root));

  // A proof of an event newer than every checkpoint has none.
  auto newest = send("GET", "/api/v1/ledger/proof/" + std::to_string(cut.tree_size + 1), &one);
  ASSERT_EQ(newest.status, 200) << newest.body;
  EXPECT_TRUE(json::parse(newest.body)["checkpoint"].is_null());
}

TEST_F(AuditApi, NoProofOfTheCallersOwnEvents) {
  auto one = login("auditor.one");
  ASSERT_EQ(send("GET", "/api/v1/ledger/checkpoints", &one).status, 200);
  auto own = last_event();
  ASSERT_EQ(own.actor, one.user_id);
  EXPECT_EQ(send("GET", "/api/v1/ledger/proof/" + std::to_string(own.seq), &one).status, 403);
  auto two = login("auditor.two");
  EXPECT_EQ(send("GET", "/api/v1/ledger/proof/" + std::to_string(own.seq), &two).status, 200);
}

}  // namespace
}  // namespace sg::api
