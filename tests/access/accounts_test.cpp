#include "access/accounts.h"

#include <gtest/gtest.h>

#include "access/crypto.h"
#include "test_support.h"

namespace sg::access {
namespace {

using testing::World;

TEST(Passwords, HashIsArgon2idAndVerifies) {
  auto hash = hash_password("correct horse battery").value();
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(verify_password(hash, "correct horse battery"));
  EXPECT_FALSE(verify_password(hash, "correct horse batterY"));
  EXPECT_NE(hash_password("correct horse battery").value(), hash) << "salted";
}

TEST(Tokens, AreRandom256BitHex) {
  auto a = random_token(), b = random_token();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  EXPECT_EQ(token_hash(a).size(), 64u);
  EXPECT_NE(token_hash(a), a);
}

TEST(Accounts, AddUserIsLedgeredWithoutThePassword) {
  World w;
  auto user = w.add_user("sam.okafor", domain::Role::kPractitioner);
  auto tx = w.store->begin(storage::TxMode::kRead).value();
  auto stored = tx->user_by_username("sam.okafor").value();
  EXPECT_EQ(stored.id, user.id);
  EXPECT_NE(stored.password_hash.find("$argon2id$"), std::string::npos);
  auto last = tx->ledger_last().value();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->operation, domain::Operation::kCollection);
  EXPECT_EQ(last->record_ids.at(0), user.id);
  EXPECT_EQ(last->actor, "system:test");
}

TEST(Accounts, RejectsBadFieldsNamingThem) {
  World w;
  w.add_user("first.user", domain::Role::kAnalyst);
  auto bad_name = w.accounts.add_user(
      {"Bad Name", "X", "NFP", domain::Role::kAnalyst, "long enough password"}, "t");
  EXPECT_EQ(bad_name.error().field, "username");
  auto short_pw =
      w.accounts.add_user({"ok.name", "X", "NFP", domain::Role::kAnalyst, "short"}, "t");
  EXPECT_EQ(short_pw.error().field, "password");
  auto no_agency = w.accounts.add_user(
      {"ok.name", "X", "NOPE", domain::Role::kAnalyst, "long enough password"}, "t");
  EXPECT_EQ(no_agency.error().field, "agency");
  auto dup = w.accounts.add_user(
      {"first.user", "X", "NFP", domain::Role::kAnalyst, "long enough password"}, "t");
  EXPECT_EQ(dup.error().code, core::Code::kAlreadyExists);
}

TEST(Accounts, LoginAndAuthenticate) {
  World w;
  auto user = w.add_user("sam.okafor", domain::Role::kManager);
  auto login = w.accounts.login("sam.okafor", "correct horse battery");
  ASSERT_TRUE(login.ok()) << login.error().to_string();
  EXPECT_EQ(login->principal.user.id, user.id);
  EXPECT_EQ(login->principal.agency.code, "NFP");
  auto who = w.accounts.authenticate(login->token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->user.role, domain::Role::kManager);
  // The token itself is not what is stored.
  auto tx = w.store->begin(storage::TxMode::kRead).value();
  EXPECT_FALSE(tx->session(login->token).ok());
  EXPECT_TRUE(tx->session(token_hash(login->token)).ok());
}

TEST(Accounts, WrongPasswordAndUnknownUserFailTheSameWay) {
  World w;
  w.add_user("sam.okafor", domain::Role::kManager);
  auto wrong = w.accounts.login("sam.okafor", "not the password");
  auto unknown = w.accounts.login("nobody.here", "not the password");
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.error().code, core::Code::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST(Accounts, IdleSessionExpires) {
  World w;
  w.add_user("sam.okafor", domain::Role::kManager);
  auto login = w.accounts.login("sam.okafor", "correct horse battery").value();
  w.clock.advance(std::chrono::minutes(29));
  ASSERT_TRUE(w.accounts.authenticate(login.token).ok()) << "activity within 30 minutes";
  w.clock.advance(std::chrono::minutes(29));
  ASSERT_TRUE(w.accounts.authenticate(login.token).ok()) << "the last request reset the clock";
  w.clock.advance(std::chrono::minutes(31));
  auto expired = w.accounts.authenticate(login.token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, core::Code::kUnauthenticated);
}

TEST(Accounts, SessionEndsAfterAbsoluteTimeoutDespiteActivity) {
  World w;
  w.add_user("sam.okafor", domain::Role::kManager);
  auto login = w.accounts.login("sam.okafor", "correct horse battery").value();
  for (int i = 0; i < 12 * 3 - 1; ++i) {
    w.clock.advance(std::chrono::minutes(20));
    ASSERT_TRUE(w.accounts.authenticate(login.token).ok()) << "at step " << i;
  }
  w.clock.advance(std::chrono::minutes(21));
  EXPECT_FALSE(w.accounts.authenticate(login.token).ok());
}

TEST(Accounts, LogoutKillsTheSession) {
  World w;
  w.add_user("sam.okafor", domain::Role::kManager);
  auto login = w.accounts.login("sam.okafor", "correct horse battery").value();
  ASSERT_TRUE(w.accounts.logout(login.token).ok());
  EXPECT_FALSE(w.accounts.authenticate(login.token).ok());
  EXPECT_TRUE(w.accounts.logout(login.token).ok()) << "idempotent";
}

TEST(Accounts, InactiveUserCannotSignInOrKeepASession) {
  World w;
  auto user = w.add_user("sam.okafor", domain::Role::kManager);
  auto login = w.accounts.login("sam.okafor", "correct horse battery").value();
  {
    auto tx = w.store->begin(storage::TxMode::kWrite).value();
    user.active = false;
    ASSERT_TRUE(tx->update_user(user).ok());
    ASSERT_TRUE(w.ledger
                    .append(*tx, {.actor = "system:test",
                                  .operation = domain::Operation::kAlteration,
                                  .reason = "account_admin",
                                  .record_ids = {user.id},
                                  .payload = "deactivate"})
                    .ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  EXPECT_FALSE(w.accounts.authenticate(login.token).ok());
  EXPECT_FALSE(w.accounts.login("sam.okafor", "correct horse battery").ok());
}

}  // namespace
}  // namespace sg::access
