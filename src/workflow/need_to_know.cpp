#include "workflow/need_to_know.h"

#include <algorithm>

namespace sg::workflow {
namespace {

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto part = text.substr(0, comma);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

core::Result<NeedToKnow> NeedToKnow::load(storage::Transaction& tx, const Actor& actor,
                                          core::Timestamp now) {
  NeedToKnow n;
  auto& g = n.grants_;
  g.user_id = actor.user_id;
  g.role = actor.role;
  g.agency_id = actor.agency_id;
  g.manager_id = actor.manager_id;
  if (actor.is_system()) return n;
  auto active = [&](std::string_view kind, std::optional<std::string> grantee) {
    return tx.grants({.kind = std::string(kind), .grantee = std::move(grantee), .active_at = now});
  };
  if (!actor.agency_id.empty()) {
    for (const auto& a : SG_TRY(active(kSharingGrant, actor.agency_id))) {
      auto& categories = g.shared_with_me[a.object];
      for (const auto& c : split_commas(a.scope)) {
        if (auto category = domain::parse_category(c); category.ok()) categories.insert(*category);
      }
    }
  }
  for (const auto& t : SG_TRY(active(kCaseTeamGrant, actor.user_id))) g.case_teams.insert(t.object);
  for (const auto& b : SG_TRY(active(kBreakGlassGrant, actor.user_id))) {
    g.break_glass.insert(b.object);
  }
  for (const auto& r : SG_TRY(active(kReviewerScopeGrant, actor.user_id))) {
    // One remit per reviewer: the newest in force wins.
    domain::ReviewerScope scope;
    for (auto& a : split_commas(r.scope)) scope.agency_ids.insert(std::move(a));
    scope.from = r.valid_from.value_or(core::Timestamp{});
    scope.to = r.valid_to.value_or(core::Timestamp::max());
    g.reviewer = std::move(scope);
  }
  for (const auto& r : SG_TRY(active(kRestrictionGrant, std::nullopt))) {
    g.restrictions[r.object].grantees.insert(r.grantee);
  }
  return n;
}

core::Status NeedToKnow::require_read(const domain::RecordFacts& facts) const {
  if (may_read(facts)) return {};
  const auto& bases = domain::read_bases(grants_.role);
  if (std::find(bases.begin(), bases.end(), domain::Basis::kBreakGlass) != bases.end()) {
    return core::permission_denied(
        "you have no need to know this record; in an emergency, break glass with a reason");
  }
  return core::permission_denied("this role does not see case records");
}

bool NeedToKnow::may_see_case(const storage::CaseSummary& c) const {
  return may_read({.record_id = c.case_id,
                   .kind = "case",
                   .agency_id = c.agency_id,
                   .recorded_at = c.opened_at,
                   .case_ids = {c.case_id}});
}

bool NeedToKnow::may_see_work_item(const storage::WorkItem& w,
                                   core::Timestamp first_recorded) const {
  domain::RecordFacts facts{
      .record_id = w.id, .kind = w.kind, .agency_id = w.agency_id, .recorded_at = first_recorded};
  if (!w.case_id.empty()) facts.case_ids.push_back(w.case_id);
  return may_read(facts);
}

bool NeedToKnow::may_see_agency(std::string_view agency_id, domain::Category category) const {
  if (sees_agency_outside_remit(agency_id, category)) return true;
  return remit() != nullptr && remit()->agency_ids.contains(std::string(agency_id));
}

bool NeedToKnow::may_see_agency(std::string_view agency_id, domain::Category category,
                                core::Timestamp first_recorded) const {
  if (sees_agency_outside_remit(agency_id, category)) return true;
  return remit() != nullptr && remit()->covers(agency_id, first_recorded);
}

bool NeedToKnow::sees_agency_outside_remit(std::string_view agency_id,
                                           domain::Category category) const {
  if (grants_.is_system()) return true;
  const auto& bases = domain::read_bases(grants_.role);
  auto has = [&](domain::Basis b) {
    return std::find(bases.begin(), bases.end(), b) != bases.end();
  };
  if (has(domain::Basis::kOwnAgency) && agency_id == grants_.agency_id) return true;
  if (has(domain::Basis::kSharingAgreement)) {
    auto it = grants_.shared_with_me.find(std::string(agency_id));
    if (it != grants_.shared_with_me.end() && it->second.contains(category)) return true;
  }
  return false;
}

const domain::ReviewerScope* NeedToKnow::remit() const {
  if (grants_.is_system() || !grants_.reviewer) return nullptr;
  const auto& bases = domain::read_bases(grants_.role);
  if (std::find(bases.begin(), bases.end(), domain::Basis::kReviewerScope) == bases.end()) {
    return nullptr;
  }
  return &*grants_.reviewer;
}

core::Result<core::Timestamp> first_recorded_at(storage::Transaction& tx,
                                                const domain::RecordVersion& version) {
  if (version.version <= 1) return version.recorded_at;
  return tx.first_recorded_at(version.record_id);
}

core::Result<domain::RecordFacts> facts_of(storage::Transaction& tx,
                                           const domain::RecordVersion& version,
                                           const nlohmann::json& body) {
  domain::RecordFacts facts{.record_id = version.record_id,
                            .kind = version.kind,
                            .agency_id = version.agency_id,
                            .marking = version.marking,
                            .recorded_at = SG_TRY(first_recorded_at(tx, version))};
  if (version.kind == "case") {
    facts.case_ids.push_back(version.record_id);
  } else if (version.kind == "concern") {
    facts.case_ids = SG_TRY(tx.cases_of_concern(version.record_id));
  } else if (body.is_object()) {
    if (auto it = body.find("case_id");
        it != body.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) {
      facts.case_ids.push_back(it->get<std::string>());
    }
  }
  return facts;
}

core::Status require_need_to_know(storage::Transaction& tx, const Actor& actor,
                                  const domain::RecordVersion& version, const nlohmann::json& body,
                                  core::Timestamp now) {
  if (actor.is_system()) return {};
  auto facts = SG_TRY(facts_of(tx, version, body));
  auto need = SG_TRY(NeedToKnow::load(tx, actor, now));
  return need.require_read(facts);
}

}  // namespace sg::workflow
