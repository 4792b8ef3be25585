// What `safeguard serve` does with the second-factor key at start (Runtime::start_second_factors):
// the key file is made once, private, beside the database unless configured elsewhere, and
// read again at every start; secrets left in the clear by schema 13 are sealed.
#include "cli/runtime.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "access/second_factor.h"
#include "access/totp.h"
#include "test_support.h"

namespace sg::cli {
namespace {

struct SecondFactorKeyFile : ::testing::Test {
  testing::TempDir dir;
  Config config;

  void SetUp() override {
    config.db_path = dir.file("s.db");
    ASSERT_TRUE(Runtime::open(config, storage::OpenMode::kCreate).ok());
  }
  core::Result<std::unique_ptr<Runtime>> start() {
    auto rt = SG_TRY(Runtime::open(config, storage::OpenMode::kExistingOnly));
    SG_TRY(rt->start_second_factors(config));
    return rt;
  }
  static unsigned mode_of(const std::string& path) {
    struct stat info;
    EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
    return info.st_mode & 0777;
  }
};

TEST_F(SecondFactorKeyFile, IsMadeOnceBesideTheDatabaseReadableOnlyByItsOwner) {
  auto path = dir.file("s.db.second-factor-key");
  EXPECT_EQ(second_factor_key_file(config), path);
  auto first = start();
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(mode_of(path), 0600u);
  ASSERT_NE((*first)->second_factor_key, nullptr);
  EXPECT_EQ((*first)->accounts->second_factor_key(), (*first)->second_factor_key.get());
  auto id = (*first)->second_factor_key->id();
  first->reset();
  auto again = start();
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ((*again)->second_factor_key->id(), id) << "the same key, read back";
}

TEST_F(SecondFactorKeyFile, TheConfiguredFileIsUsedAndABadOneStopsTheStart) {
  config.session_second_factor_key = dir.file("elsewhere.key");
  ASSERT_TRUE(start().ok());
  EXPECT_EQ(mode_of(dir.file("elsewhere.key")), 0600u);
  EXPECT_FALSE(std::filesystem::exists(dir.file("s.db.second-factor-key")));

  ::chmod(config.session_second_factor_key.c_str(), 0644);
  auto exposed = start();
  ASSERT_FALSE(exposed.ok());
  EXPECT_EQ(exposed.error().field, config.session_second_factor_key);
  EXPECT_NE(exposed.error().message.find("chmod 600"), std::string::npos);

  // A file that is not this kind of key is refused, not replaced.
  auto wrong = dir.file("wrong.key");
  std::ofstream(wrong) << "PRIVATE+KEY+northfield+abcd1234+AQIDBAUGBwgJ\n";
  ::chmod(wrong.c_str(), 0600);
  config.session_second_factor_key = wrong;
  auto refused = start();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::Code::kInvalidArgument);
  EXPECT_EQ(refused.error().field, wrong);

  // Nor is a directory that cannot hold it created.
  config.session_second_factor_key = dir.file("no/such/dir/key");
  EXPECT_FALSE(start().ok());
}

TEST_F(SecondFactorKeyFile, SecretsLeftInTheClearAreSealedAtStartAndStillWork) {
  auto secret = access::new_totp_secret();
  std::string user_id;
  {
    auto rt = Runtime::open(config, storage::OpenMode::kExistingOnly).value();
    rt->accounts->add_agency({"NFP", "Police"}, "system:test").value();
    user_id = rt->accounts
                  ->add_user({"prac.one", "Pat One", "NFP", domain::Role::kPractitioner,
                              "correct horse battery", ""},
                             "system:test")
                  .value()
                  .id;
    // As schema 13 stored it: the secret as it is, no key.
    auto tx = rt->store->begin(storage::TxMode::kWrite).value();
    auto now = rt->clock.now();
    ASSERT_TRUE(tx->put_second_factor({user_id, secret, now, now, -1}).ok());
    ASSERT_TRUE(rt->ledger
                    ->append(*tx, {.actor = "system:test",
                                   .operation = domain::Operation::kAlteration,
                                   .reason = "account_admin",
                                   .record_ids = {user_id}})
                    .ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  auto rt = start().value();
  auto row =
      rt->store->begin(storage::TxMode::kRead).value()->second_factor(user_id).value().value();
  EXPECT_EQ(row.key_id, rt->second_factor_key->id());
  EXPECT_EQ(rt->second_factor_key->open(user_id, row.secret), secret);
  // The user signs in with a code from the app they already have.
  auto pending = rt->accounts->login("prac.one", "correct horse battery").value();
  auto signed_in = rt->accounts->complete_sign_in(
      pending.second_factor_token, access::totp_code(secret, rt->clock.now()).value());
  EXPECT_TRUE(signed_in.ok()) << signed_in.error().message;
  EXPECT_TRUE(audit::verify(*rt->store).value().intact());
}

}  // namespace
}  // namespace sg::cli
