#include "access/second_factor.h"

#include <gtest/gtest.h>

#include "access/totp.h"
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

  testing::World w;
  SecondFactors factors{*w.store, w.ledger, w.clock};
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

}  // namespace
}  // namespace sg::access
