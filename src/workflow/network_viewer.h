// The viewer of a link-graph query as the access policy sees them: one place turns a user's
// need to know into network::Viewer, for every graph query and the place-case draft.
#pragma once

#include "network/access.h"
#include "storage/store.h"
#include "workflow/need_to_know.h"

namespace sg::workflow {

// The viewer for `actor`: the agencies whose concerns `need` opens and, for an independent
// reviewer, their remit (so only concerns first recorded within its period are admitted).
core::Result<network::Viewer> network_viewer(storage::Transaction& tx, const Actor& actor,
                                             const NeedToKnow& need);

}  // namespace sg::workflow
