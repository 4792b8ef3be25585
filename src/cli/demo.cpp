#include "cli/demo.h"

#include "access/crypto.h"
#include "cli/runtime.h"

namespace sg::cli {

core::Result<std::vector<DemoAccount>> load_demo(access::Accounts& accounts,
                                                 storage::Store& store) {
  {
    auto tx = SG_TRY(store.begin(storage::TxMode::kRead));
    if (!SG_TRY(tx->agencies()).empty()) {
      return core::failed_precondition("the database already has data; demo data needs a new one");
    }
  }
  using domain::AgencyKind;
  const access::NewAgency agencies[] = {
      {"NFP", "Northfield Police", AgencyKind::kPolice},
      {"NCS", "Northfield Children's Services", AgencyKind::kChildrensServices},
      {"NHS-NF", "Northfield Health Trust", AgencyKind::kHealth},
      {"NFED", "Northfield Schools", AgencyKind::kEducation},
      {"NYP", "Northfield Youth Project", AgencyKind::kYouthService},
  };
  for (const auto& agency : agencies) SG_TRY(accounts.add_agency(agency, kCliActor));

  struct Person {
    const char* username;
    const char* display_name;
    const char* agency;
    domain::Role role;
  };
  const Person people[] = {
      {"manager", "Priya Desai", "NCS", domain::Role::kManager},
      {"practitioner", "Sam Okafor", "NCS", domain::Role::kPractitioner},
      {"mash", "Tom Hughes", "NFP", domain::Role::kMashCoordinator},
      {"analyst", "Aisha Rahman", "NFP", domain::Role::kAnalyst},
      {"reviewer", "Helen Marsh", "NCS", domain::Role::kReviewer},
      {"auditor", "David Lee", "NCS", domain::Role::kAuditor},
      {"admin", "Grace Whitfield", "NCS", domain::Role::kAdmin},
  };
  std::vector<DemoAccount> out;
  for (const auto& p : people) {
    // Practitioners' overdue work escalates to the demo manager.
    std::string manager = p.role == domain::Role::kPractitioner ? "manager" : "";
    access::NewUser user{p.username, p.display_name, p.agency, p.role, access::generate_password(),
                         manager};
    SG_TRY(accounts.add_user(user, kCliActor));
    out.push_back({p.username, user.password, std::string(domain::role_name(p.role)), p.agency});
  }
  return out;
}

}  // namespace sg::cli
