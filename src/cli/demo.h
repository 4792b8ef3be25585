// The demo partnership: a fictional town's agencies and one account for each role.
// (The synthetic-world issue replaces this small hand-made set with a whole town.)
#pragma once

#include <string>
#include <vector>

#include "access/accounts.h"

namespace sg::cli {

struct DemoAccount {
  std::string username;
  std::string password;
  std::string role;
  std::string agency;
};

// Adds the demo agencies and users with freshly generated passwords, returned so they
// can be printed once. FailedPrecondition if the database already has agencies.
core::Result<std::vector<DemoAccount>> load_demo(access::Accounts& accounts, storage::Store& store);

}  // namespace sg::cli
