#include "access/second_factor.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "access/crypto.h"
#include "access/totp.h"
#include "core/ascii.h"
#include "test_support.h"

namespace sg::access {
namespace {

class SecondFactorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto user = w.add_user("prac.one", domain::Role::kPractitioner);
    caller.user = user;
  }
  std::vector<storage::LedgerRow> events() {
    return w.store->begin(storage::TxMode::kRead)
        .value()
        ->ledger_for_record(caller.user.id, 1000)
        .value();
  }
  // Everything ledgered about the user, payloads included.
  std::string ledgered_bytes() {
    auto tx = w.store->begin(storage::TxMode::kRead).value();
    std::string out;
    for (const auto& p : tx->ledger_payloads(1, 100000).value()) out += p.payload;
    return out;
  }

  // Enrols `who` with a confirmed factor; returns the raw secret and the recovery codes.
  std::pair<std::string, std::vector<std::string>> enrol(const Principal& who) {
    auto secret = from_base32(factors.start_enrolment(who).value().secret).value();
    auto codes = factors.confirm_enrolment(who, totp_code(secret, w.clock.now()).value()).value();
    return {secret, codes};
  }
  // The next 30-second step, so that a fresh code is not a replay of the last one.
  void next_step() { w.clock.advance(std::chrono::seconds(30)); }
  core::Result<CodeKind> use_code(const std::string& user_id, const std::string& code,
                                  const SecondFactorKey* key) {
    auto tx = w.store->begin(storage::TxMode::kWrite).value();
    auto used = use_second_factor_code(*tx, user_id, code, w.clock.now(), key);
    if (used.ok()) {
      EXPECT_TRUE(tx->commit().ok());
    }
    return used;
  }
  storage::SecondFactor stored(const std::string& user_id) {
    return w.store->begin(storage::TxMode::kRead).value()->second_factor(user_id).value().value();
  }
  // Runs SQL on the database file as someone with a copy of it could, past the store.
  void tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(w.db_path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  std::string file_bytes() { return testing::database_bytes(w.db_path); }

  testing::World w;
  SecondFactors factors{*w.store, w.ledger, w.clock, &w.second_factor_key};
  Principal caller;
};

TEST_F(SecondFactorsTest, EachChangeIsOneLedgerEventThatHoldsNoSecretOrCode) {
  auto before = events().size();
  auto enrolment = factors.start_enrolment(caller).value();
  auto secret = from_base32(enrolment.secret).value();
  EXPECT_EQ(events().size(), before + 1);
  auto codes = factors.confirm_enrolment(caller, totp_code(secret, w.clock.now()).value()).value();
  EXPECT_EQ(events().size(), before + 2);
  w.clock.advance(std::chrono::seconds(30));
  ASSERT_TRUE(
      factors.remove(caller, "correct horse battery", totp_code(secret, w.clock.now()).value())
          .ok());
  EXPECT_EQ(events().size(), before + 3);
  factors.start_enrolment(caller).value();
  auto second = from_base32(factors.start_enrolment(caller).value().secret).value();
  factors.confirm_enrolment(caller, totp_code(second, w.clock.now()).value()).value();
  ASSERT_TRUE(factors.reset("prac.one", "system:test").ok());
  auto all = events();
  EXPECT_EQ(all.size(), before + 7);
  EXPECT_EQ(all.back().actor, "system:test");
  EXPECT_EQ(all.back().operation, domain::Operation::kAlteration);
  auto ledgered = ledgered_bytes();
  EXPECT_NE(ledgered.find("second_factor_reset"), std::string::npos);
  EXPECT_EQ(ledgered.find(enrolment.secret), std::string::npos);
  for (const auto& c : codes) EXPECT_EQ(ledgered.find(c), std::string::npos);
}

TEST_F(SecondFactorsTest, OneEnrolmentAtATimeAndOnlyARightCodeConfirmsIt) {
  EXPECT_EQ(factors.confirm_enrolment(caller, "123456").error().code,
            core::Code::kFailedPrecondition);
  auto secret = from_base32(factors.start_enrolment(caller).value().secret).value();
  auto right = totp_code(secret, w.clock.now()).value();
  auto wrong = factors.confirm_enrolment(caller, right == "000000" ? "111111" : "000000");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().field, "code");
  ASSERT_TRUE(factors.confirm_enrolment(caller, right).ok());
  auto again = factors.start_enrolment(caller);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().field, "second_factor");
  EXPECT_EQ(factors.reset("nobody", "system:test").error().code, core::Code::kNotFound);
}

TEST_F(SecondFactorsTest, TheSecretIsStoredSealedAndTheDatabaseHoldsNoFormOfIt) {
  auto [secret, codes] = enrol(caller);
  auto row = stored(caller.user.id);
  EXPECT_EQ(row.key_id, w.second_factor_key.id());
  EXPECT_NE(row.secret, secret);
  EXPECT_EQ(w.second_factor_key.open(caller.user.id, row.secret), secret);
  auto bytes = file_bytes();
  ASSERT_FALSE(bytes.empty());
  for (const auto& form : {secret, base32(secret), core::to_hex(secret)}) {
    EXPECT_EQ(bytes.find(form), std::string::npos);
  }
  // And the round trip: a code from the app's copy signs in.
  next_step();
  EXPECT_EQ(use_code(caller.user.id, totp_code(secret, w.clock.now()).value(), &w.second_factor_key)
                .value(),
            CodeKind::kTotp);
}

TEST_F(SecondFactorsTest, ASealedSecretCopiedOntoAnotherAccountsRowOpensForNeither) {
  auto other_user = w.add_user("prac.two", domain::Role::kPractitioner);
  Principal other;
  other.user = other_user;
  auto [mine, my_codes] = enrol(caller);
  auto [theirs, their_codes] = enrol(other);
  // Someone who can write the database file gives the other account this one's secret, so
  // as to sign in as them with a code from this one's app.
  tamper("UPDATE second_factors SET secret = (SELECT secret FROM second_factors WHERE user_id = '" +
         caller.user.id + "') WHERE user_id = '" + other.user.id + "'");
  next_step();
  auto copied =
      use_code(other.user.id, totp_code(mine, w.clock.now()).value(), &w.second_factor_key);
  ASSERT_FALSE(copied.ok());
  EXPECT_EQ(copied.error().code, core::Code::kUnavailable);
  EXPECT_EQ(copied.error().field, "second_factor");
  EXPECT_EQ(use_code(other.user.id, totp_code(theirs, w.clock.now()).value(), &w.second_factor_key)
                .error()
                .code,
            core::Code::kUnavailable);
  // Recovery codes are hashed, not sealed: the other user can still get in and re-enrol.
  EXPECT_EQ(use_code(other.user.id, their_codes[0], &w.second_factor_key).value(),
            CodeKind::kRecoveryCode);
  // The account whose secret was copied is unaffected.
  EXPECT_EQ(use_code(caller.user.id, totp_code(mine, w.clock.now()).value(), &w.second_factor_key)
                .value(),
            CodeKind::kTotp);
}

TEST_F(SecondFactorsTest, AWrongOrMissingKeyAcceptsNoCodeAndSaysOnlyThatItCannotCheck) {
  auto [secret, codes] = enrol(caller);
  next_step();
  auto code = totp_code(secret, w.clock.now()).value();
  auto other = SecondFactorKey::generate();
  for (const SecondFactorKey* key :
       std::initializer_list<const SecondFactorKey*>{&other, nullptr}) {
    auto refused = use_code(caller.user.id, code, key);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::Code::kUnavailable);
    EXPECT_EQ(refused.error().message.find(w.second_factor_key.id()), std::string::npos);
    EXPECT_EQ(refused.error().message.find(other.id()), std::string::npos);
  }
  // Nothing was used up: with the right key the same code is accepted once.
  EXPECT_EQ(use_code(caller.user.id, code, &w.second_factor_key).value(), CodeKind::kTotp);

  // Without a key nothing can be set up either, and nothing is ledgered.
  auto before = events().size();
  SecondFactors keyless{*w.store, w.ledger, w.clock, nullptr};
  auto other_user = w.add_user("prac.two", domain::Role::kPractitioner);
  Principal newcomer;
  newcomer.user = other_user;
  EXPECT_EQ(keyless.start_enrolment(newcomer).error().code, core::Code::kUnavailable);
  EXPECT_EQ(events().size(), before);
  // A reset needs no key.
  EXPECT_TRUE(keyless.reset("prac.one", "system:test").ok());
}

TEST_F(SecondFactorsTest, SecretsLeftInTheClearAreSealedOnceWithOneLedgerEvent) {
  // A factor enrolled before schema 15: the secret in the clear, no key id.
  auto secret = new_totp_secret();
  {
    auto tx = w.store->begin(storage::TxMode::kWrite).value();
    ASSERT_TRUE(
        tx->put_second_factor({caller.user.id, secret, w.clock.now(), w.clock.now(), -1}).ok());
    ASSERT_TRUE(w.ledger
                    .append(*tx, {.actor = "system:test",
                                  .operation = domain::Operation::kAlteration,
                                  .reason = "account_admin",
                                  .record_ids = {caller.user.id}})
                    .ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  next_step();
  auto code = totp_code(secret, w.clock.now()).value();
  EXPECT_EQ(use_code(caller.user.id, code, &w.second_factor_key).error().code,
            core::Code::kUnavailable)
      << "a secret in the clear is never used as it is";

  auto before = events().size();
  auto sealed =
      seal_second_factor_secrets(*w.store, w.ledger, w.second_factor_key, "system:serve").value();
  EXPECT_EQ(sealed.sealed, 1);
  EXPECT_EQ(sealed.under_other_key, 0);
  auto all = events();
  ASSERT_EQ(all.size(), before + 1);
  EXPECT_EQ(all.back().actor, "system:serve");
  EXPECT_EQ(all.back().operation, domain::Operation::kAlteration);
  EXPECT_EQ(ledgered_bytes().find(core::to_hex(secret)), std::string::npos);
  auto row = stored(caller.user.id);
  EXPECT_EQ(row.key_id, w.second_factor_key.id());
  EXPECT_NE(row.secret, secret);
  EXPECT_EQ(use_code(caller.user.id, code, &w.second_factor_key).value(), CodeKind::kTotp);

  // Again: nothing to seal, nothing ledgered. Under another key it is counted, not touched.
  EXPECT_EQ(
      seal_second_factor_secrets(*w.store, w.ledger, w.second_factor_key, "system:serve")->sealed,
      0);
  EXPECT_EQ(events().size(), before + 1);
  auto other = SecondFactorKey::generate();
  auto found = seal_second_factor_secrets(*w.store, w.ledger, other, "system:serve").value();
  EXPECT_EQ(found.sealed, 0);
  EXPECT_EQ(found.under_other_key, 1);
  EXPECT_EQ(stored(caller.user.id).secret, row.secret);
  EXPECT_TRUE(audit::verify(*w.store, {}).value().intact());
}

TEST_F(SecondFactorsTest, ExpiredPendingSignInsAreDeletedAtTheNextPasswordStep) {
  auto [secret, codes] = enrol(caller);
  auto pending = [&](const std::string& token) {
    auto tx = w.store->begin(storage::TxMode::kRead).value();
    return tx->pending_sign_in(token_hash(token)).value().has_value();
  };
  auto password_step = [&] {
    auto r = w.accounts.login("prac.one", "correct horse battery").value();
    EXPECT_TRUE(r.token.empty());
    return r.second_factor_token;
  };
  auto abandoned = password_step();
  w.clock.advance(std::chrono::minutes(1));
  auto recent = password_step();
  EXPECT_TRUE(pending(abandoned)) << "not expired yet";
  w.clock.advance(std::chrono::minutes(4));  // `abandoned` is now five minutes old.
  auto latest = password_step();
  EXPECT_FALSE(pending(abandoned)) << "expired, so deleted";
  EXPECT_TRUE(pending(recent));
  EXPECT_TRUE(pending(latest));
  // Completing one deletes it, and any that expired meanwhile.
  w.clock.advance(std::chrono::minutes(2));
  auto done = w.accounts.complete_sign_in(latest, totp_code(secret, w.clock.now()).value());
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_FALSE(pending(latest));
  EXPECT_FALSE(pending(recent));
}

TEST_F(SecondFactorsTest, APasswordResetEndsASignInAwaitingItsCode) {
  auto [secret, codes] = enrol(caller);
  auto waiting = w.accounts.login("prac.one", "correct horse battery").value().second_factor_token;
  ASSERT_TRUE(w.accounts.reset_password("prac.one", "system:test").ok());
  next_step();
  auto late = w.accounts.complete_sign_in(waiting, totp_code(secret, w.clock.now()).value());
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, core::Code::kUnauthenticated);
}

TEST_F(SecondFactorsTest, EndingEveryonesSessionsEndsASignInAwaitingItsCode) {
  auto [secret, codes] = enrol(caller);
  auto waiting = w.accounts.login("prac.one", "correct horse battery").value().second_factor_token;
  // Nobody else is signed in: the half-finished sign-in alone is what ends.
  EXPECT_EQ(w.accounts.end_all_sessions("system:cli", "").value(), 1);
  next_step();
  auto late = w.accounts.complete_sign_in(waiting, totp_code(secret, w.clock.now()).value());
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, core::Code::kUnauthenticated);
}

}  // namespace
}  // namespace sg::access
