// Fuzzes the API handler with arbitrary methods, paths, headers and bodies: every request
// must get a well-formed response below 500.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "access/accounts.h"
#include "api/app.h"
#include "audit/ledger.h"
#include "storage/sqlite/sqlite_store.h"

namespace {

struct World {
  sg::core::ManualClock clock{sg::core::Timestamp{}};
  sg::core::SeededRandom random{1};
  sg::core::IdGenerator ids{clock, random};
  std::unique_ptr<sg::storage::Store> store;
  std::unique_ptr<sg::audit::Ledger> ledger;
  std::unique_ptr<sg::access::Accounts> accounts;
  std::unique_ptr<sg::workflow::Casework> casework;
  std::unique_ptr<sg::access::PublicReports> reports;
  std::unique_ptr<sg::api::App> app;

  World() {
    auto path = std::filesystem::temp_directory_path() /
                ("sg-api-fuzz-" + std::to_string(getpid()) + ".db");
    std::filesystem::remove(path);
    store = sg::storage::open_sqlite_store(path.string(), sg::storage::OpenMode::kCreate).value();
    ledger = std::make_unique<sg::audit::Ledger>(clock, ids, random);
    // Password-only sign-in, so fuzzed requests reach every route rather than enrolment.
    accounts = std::make_unique<sg::access::Accounts>(
        *store, *ledger, clock, ids, sg::access::SessionPolicy{.second_factor_required = false});
    casework = std::make_unique<sg::workflow::Casework>(*store, *ledger, clock, ids);
    reports = std::make_unique<sg::access::PublicReports>(*store, *ledger, *casework, clock, ids);
    app =
        sg::api::App::create({*store, *ledger, *accounts, clock, *casework, *reports}, {}).value();
  }
};

// Splits the input at NUL bytes into method, path, one header value and the body.
std::string_view take(std::string_view& rest) {
  auto end = rest.find('\0');
  auto part = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World world;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  sg::api::Request request;
  request.method = std::string(take(rest));
  request.path = "/" + std::string(take(rest));
  request.target = request.path;
  request.headers.emplace_back("cookie", std::string(take(rest)));
  request.headers.emplace_back("content-type", "application/json");
  request.headers.emplace_back("host", "localhost");
  request.body = std::string(rest);
  auto response = world.app->handle(request);
  if (response.status < 100 || response.status >= 500) std::abort();
  return 0;
}
