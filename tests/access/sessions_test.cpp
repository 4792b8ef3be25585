// Sessions a user or an administrator sees and ends (OWASP ASVS 5.0 V7.4.5, V7.5.2), and the
// blocklists on passwords people choose (V6.2.4, V6.2.11) through access::Accounts.
#include <gtest/gtest.h>

#include <algorithm>

#include "access/accounts.h"
#include "access/crypto.h"
#include "test_support.h"

namespace sg::access {
namespace {

using testing::World;

struct Event {
  storage::LedgerRow row;
  std::string payload;
};

std::int64_t ledger_size(World& w) {
  auto last = w.store->begin(storage::TxMode::kRead).value()->ledger_last().value();
  return last ? last->seq : 0;
}

std::vector<Event> events_after(World& w, std::int64_t from) {
  auto tx = w.store->begin(storage::TxMode::kRead).value();
  auto rows = tx->ledger_range(from + 1, 1000).value();
  auto payloads = tx->ledger_payloads(from + 1, 1000).value();
  std::vector<Event> out;
  for (const auto& row : rows) {
    Event e{row, ""};
    for (const auto& p : payloads) {
      if (p.seq == row.seq) e.payload = p.payload;
    }
    out.push_back(e);
  }
  return out;
}

// The payload holds neither `token` nor its stored hash.
void expect_no_secret(const std::string& payload, const std::string& token) {
  EXPECT_EQ(payload.find(token), std::string::npos);
  EXPECT_EQ(payload.find(token_hash(token)), std::string::npos);
}

TEST(Sessions, UsersSeeTheirOwnLiveSessionsByAnIdThatIsNeitherTokenNorHash) {
  World w;
  w.add_user("sam.okafor", domain::Role::kManager);
  w.add_user("other.user", domain::Role::kManager);
  auto first = w.accounts.login("sam.okafor", "correct horse battery").value();
  w.clock.advance(std::chrono::minutes(5));
  auto second = w.accounts.login("sam.okafor", "correct horse battery").value();
  w.accounts.login("other.user", "correct horse battery").value();
  auto caller = w.accounts.authenticate(second.token).value();
  auto list = w.accounts.sessions(caller).value();
  ASSERT_EQ(list.size(), 2u) << "another user's session is not listed";
  EXPECT_EQ(list[0].created_at, first.principal.session.created_at) << "oldest first";
  EXPECT_FALSE(list[0].current);
  EXPECT_TRUE(list[1].current);
  for (const auto& s : list) {
    EXPECT_EQ(s.id.size(), 32u);
    for (const auto& token : {first.token, second.token}) {
      EXPECT_EQ(token.find(s.id), std::string::npos);
      EXPECT_EQ(token_hash(token).find(s.id), std::string::npos);
    }
  }
  EXPECT_NE(list[0].id, list[1].id);
  // An expired session is over even before a sign-in sweeps it from the table.
  w.clock.advance(std::chrono::minutes(27));
  caller = w.accounts.authenticate(second.token).value();
  w.clock.advance(std::chrono::minutes(4));
  list = w.accounts.sessions(caller).value();
  ASSERT_EQ(list.size(), 1u) << "the first session has been idle for over 30 minutes";
  EXPECT_TRUE(list[0].current);
}

TEST(Sessions, EndingOneEndsThatOneAtOnceAndIsLedgeredWithoutTheToken) {
  World w;
  auto user = w.add_user("sam.okafor", domain::Role::kManager);
  auto phone = w.accounts.login("sam.okafor", "correct horse battery").value();
  auto desk = w.accounts.login("sam.okafor", "correct horse battery").value();
  auto caller = w.accounts.authenticate(desk.token).value();
  std::string phone_id = session_public_id(token_hash(phone.token));
  auto before = ledger_size(w);
  ASSERT_TRUE(w.accounts.end_session(caller, phone_id).ok());
  EXPECT_FALSE(w.accounts.authenticate(phone.token).ok());
  EXPECT_TRUE(w.accounts.authenticate(desk.token).ok());
  auto events = events_after(w, before);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].row.actor, user.id);
  EXPECT_EQ(events[0].row.operation, domain::Operation::kAlteration);
  EXPECT_EQ(events[0].row.reason, "own_sessions");
  EXPECT_EQ(events[0].row.record_ids, std::vector<std::string>{user.id});
  EXPECT_NE(events[0].payload.find(phone_id), std::string::npos);
  expect_no_secret(events[0].payload, phone.token);
  // Ended already, or never theirs: not found, naming the field.
  auto again = w.accounts.end_session(caller, phone_id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::Code::kNotFound);
  EXPECT_EQ(again.error().field, "id");
  EXPECT_EQ(w.accounts.end_session(caller, "not-an-id").error().field, "id");
}

TEST(Sessions, NobodyEndsAnotherUsersSessionByItsId) {
  World w;
  w.add_user("sam.okafor", domain::Role::kManager);
  w.add_user("other.user", domain::Role::kManager);
  auto mine = w.accounts.login("sam.okafor", "correct horse battery").value();
  auto theirs = w.accounts.login("other.user", "correct horse battery").value();
  auto caller = w.accounts.authenticate(mine.token).value();
  auto before = ledger_size(w);
  auto r = w.accounts.end_session(caller, session_public_id(token_hash(theirs.token)));
  EXPECT_EQ(r.error().code, core::Code::kNotFound);
  EXPECT_TRUE(w.accounts.authenticate(theirs.token).ok());
  EXPECT_EQ(ledger_size(w), before);
}

TEST(Sessions, EndingTheOthersKeepsTheCurrentOne) {
  World w;
  w.add_user("sam.okafor", domain::Role::kManager);
  auto a = w.accounts.login("sam.okafor", "correct horse battery").value();
  auto b = w.accounts.login("sam.okafor", "correct horse battery").value();
  auto c = w.accounts.login("sam.okafor", "correct horse battery").value();
  auto caller = w.accounts.authenticate(c.token).value();
  auto before = ledger_size(w);
  EXPECT_EQ(w.accounts.end_other_sessions(caller).value(), 2);
  EXPECT_FALSE(w.accounts.authenticate(a.token).ok());
  EXPECT_FALSE(w.accounts.authenticate(b.token).ok());
  EXPECT_TRUE(w.accounts.authenticate(c.token).ok());
  EXPECT_EQ(events_after(w, before).size(), 1u);
  EXPECT_EQ(w.accounts.end_other_sessions(caller).value(), 0);
  EXPECT_EQ(events_after(w, before).size(), 1u) << "nothing ended, nothing ledgered";
}

TEST(Sessions, AnAdministratorEndsAUsersSessionsAndTheAccountStaysAsItWas) {
  World w;
  auto admin = w.add_user("admin.one", domain::Role::kAdmin);
  auto user = w.add_user("sam.okafor", domain::Role::kManager);
  auto a = w.accounts.login("sam.okafor", "correct horse battery").value();
  auto b = w.accounts.login("sam.okafor", "correct horse battery").value();
  auto admins = w.accounts.login("admin.one", "correct horse battery").value();
  auto before = ledger_size(w);
  EXPECT_EQ(w.accounts.end_user_sessions("sam.okafor", admin.id).value(), 2);
  EXPECT_FALSE(w.accounts.authenticate(a.token).ok());
  EXPECT_FALSE(w.accounts.authenticate(b.token).ok());
  EXPECT_TRUE(w.accounts.authenticate(admins.token).ok()) << "only that user's sessions";
  auto again = w.accounts.login("sam.okafor", "correct horse battery");
  ASSERT_TRUE(again.ok()) << "the account and its password are unchanged";
  EXPECT_TRUE(again->principal.user.active);
  auto events = events_after(w, before);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].row.actor, admin.id);
  EXPECT_EQ(events[0].row.reason, "account_admin");
  EXPECT_EQ(events[0].row.record_ids, std::vector<std::string>{user.id});
  expect_no_secret(events[0].payload, a.token);
  auto unknown = w.accounts.end_user_sessions("nobody.here", admin.id);
  EXPECT_EQ(unknown.error().code, core::Code::kNotFound);
  EXPECT_EQ(unknown.error().field, "username");
}

TEST(Sessions, EndingEveryonesKeepsOnlyTheOneAskedToKeepAndNamesEachUserSignedOut) {
  World w;
  auto admin = w.add_user("admin.one", domain::Role::kAdmin);
  auto u1 = w.add_user("sam.okafor", domain::Role::kManager);
  auto u2 = w.add_user("kim.lee", domain::Role::kAnalyst);
  w.add_user("not.signed.in", domain::Role::kAnalyst);
  auto a = w.accounts.login("sam.okafor", "correct horse battery").value();
  auto b = w.accounts.login("kim.lee", "correct horse battery").value();
  auto mine = w.accounts.login("admin.one", "correct horse battery").value();
  auto before = ledger_size(w);
  EXPECT_EQ(w.accounts.end_all_sessions(admin.id, token_hash(mine.token)).value(), 2);
  EXPECT_FALSE(w.accounts.authenticate(a.token).ok());
  EXPECT_FALSE(w.accounts.authenticate(b.token).ok());
  EXPECT_TRUE(w.accounts.authenticate(mine.token).ok());
  auto events = events_after(w, before);
  ASSERT_EQ(events.size(), 1u);
  auto ids = events[0].row.record_ids;
  std::sort(ids.begin(), ids.end());
  auto want = std::vector<std::string>{u1.id, u2.id};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(ids, want);
  // From the command line nothing is kept.
  EXPECT_EQ(w.accounts.end_all_sessions("system:cli", "").value(), 1);
  EXPECT_FALSE(w.accounts.authenticate(mine.token).ok());
  EXPECT_EQ(w.accounts.end_all_sessions("system:cli", "").value(), 0);
}

TEST(ChosenPasswords, ACommonPasswordIsRefusedOnAddingAUserNamingTheField) {
  World w;
  w.add_user("admin.one", domain::Role::kAdmin);
  auto r = w.accounts.add_user(
      {"kim.lee", "Kim Lee", "NFP", domain::Role::kAnalyst, "Qwertyuiop123", ""}, "system:test");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::Code::kInvalidArgument);
  EXPECT_EQ(r.error().field, "password");
  EXPECT_EQ(r.error().message.find("werty"), std::string::npos);
  auto tx = w.store->begin(storage::TxMode::kRead).value();
  EXPECT_EQ(tx->user_by_username("kim.lee").error().code, core::Code::kNotFound);
}

TEST(ChosenPasswords, ContextWordsOfTheProductAgencyAndAccountAreRefused) {
  World w;
  w.add_user("admin.one", domain::Role::kAdmin);  // Adds agency NFP, "Northfield Police".
  for (const char* password : {"my safeguard login", "Northfield-winter-77", "kimberley.lee.2026",
                               "LEE!!2026!!!!", "police horse battery"}) {
    auto r = w.accounts.add_user(
        {"kimberley.lee", "Kimberley Lee", "NFP", domain::Role::kAnalyst, password, ""}, "t");
    ASSERT_FALSE(r.ok()) << password;
    EXPECT_EQ(r.error().field, "password") << password;
  }
  EXPECT_TRUE(w.accounts
                  .add_user({"kimberley.lee", "Kimberley Lee", "NFP", domain::Role::kAnalyst,
                             "correct horse battery", ""},
                            "t")
                  .ok());
}

TEST(ChosenPasswords, AGeneratedOneTimePasswordIsNotCheckedAgainstTheBlocklists) {
  World w;
  w.add_user("admin.one", domain::Role::kAdmin);
  NewUser input{"kim.lee", "Kim Lee", "NFP", domain::Role::kAnalyst, "password12345678", ""};
  input.one_time_password = true;
  EXPECT_TRUE(w.accounts.add_user(input, "t").ok())
      << "generated passwords are random and changed at first sign-in";
}

TEST(ChosenPasswords, ChangingToACommonOrContextPasswordIsRefusedAndTheOldOneStays) {
  World w;
  w.add_user("sam.okafor", domain::Role::kManager);
  auto login = w.accounts.login("sam.okafor", "correct horse battery").value();
  auto caller = w.accounts.authenticate(login.token).value();
  for (const char* fresh : {"iloveyou123456", "okafor household 1", "SAFEGUARDING rocks"}) {
    auto st = w.accounts.change_password(caller, "correct horse battery", fresh);
    ASSERT_FALSE(st.ok()) << fresh;
    EXPECT_EQ(st.error().field, "new_password") << fresh;
  }
  EXPECT_TRUE(w.accounts.login("sam.okafor", "correct horse battery").ok());
  EXPECT_TRUE(
      w.accounts.change_password(caller, "correct horse battery", "lantern orbit kettle").ok());
}

}  // namespace
}  // namespace sg::access
