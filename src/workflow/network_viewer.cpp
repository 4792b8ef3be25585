#include "workflow/network_viewer.h"

namespace sg::workflow {

core::Result<network::Viewer> network_viewer(storage::Transaction& tx, const Actor& actor,
                                             const NeedToKnow& need) {
  network::Viewer viewer{actor.user_id, actor.role, actor.agency_id, std::set<std::string>{}};
  for (const auto& a : SG_TRY(tx.agencies())) {
    if (need.may_see_agency(a.id, domain::Category::kConcerns)) viewer.agencies->insert(a.id);
  }
  if (const auto* remit = need.remit()) viewer.remit = *remit;
  return viewer;
}

}  // namespace sg::workflow
