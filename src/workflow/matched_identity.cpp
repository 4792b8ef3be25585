#include "workflow/matched_identity.h"

namespace sg::workflow {

std::string MatchedPersonIdentity::key_of(const domain::RecordedPerson& person,
                                          std::string_view concern_id) const {
  auto entity = people_.entity_of_key(subject_key_of(person, concern_id));
  if (entity.empty()) return exact_.key_of(person, concern_id);
  return "entity:" + entity;
}

}  // namespace sg::workflow
