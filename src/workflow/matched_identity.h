// Who a recorded person is in the link graph, answered by the online matcher (issue 7: "nodes
// are resolved entities"). A person the matcher holds in an entity is that entity's node; one
// it does not hold (not yet added) falls back to exact identity.
//
// Entity ids are read when a concern is added to the graph. A later merge of two entities
// (a new record bridging them, or an analyst's "same") shows in the graph after the next
// load — the server loads it at start.
#pragma once

#include <string>
#include <string_view>

#include "domain/concern.h"
#include "network/entity.h"
#include "workflow/people.h"

namespace sg::workflow {

class MatchedPersonIdentity final : public network::PersonIdentity {
 public:
  // `people` must outlive this and hold every concern before the graph adds it.
  explicit MatchedPersonIdentity(const People& people) : people_(people) {}

  std::string key_of(const domain::RecordedPerson& person,
                     std::string_view concern_id) const override;

 private:
  const People& people_;
  network::ExactPersonIdentity exact_;
};

}  // namespace sg::workflow
