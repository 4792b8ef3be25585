#include "workflow/grants.h"

#include <algorithm>
#include <set>

#include "domain/access_types.h"

namespace sg::workflow {
namespace {

using nlohmann::json;

json time_json(const std::optional<core::Timestamp>& t) {
  return t ? json(core::format_rfc3339(*t)) : json();
}

core::Status require_reason(std::string_view reason, std::size_t min = 1) {
  auto first = reason.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return core::invalid_argument("is required", "reason");
  if (reason.size() > 1000)
    return core::invalid_argument("is too long (at most 1000 bytes)", "reason");
  if (reason.size() < min) {
    return core::invalid_argument(
        "must say why, in at least " + std::to_string(min) + " characters", "reason");
  }
  return domain::validate_display_text(reason, "reason", 1000);
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ",") + p;
  return out;
}

}  // namespace

json grant_json(const storage::Grant& g) {
  return {{"id", g.id},
          {"kind", g.kind},
          {"object", g.object},
          {"grantee", g.grantee},
          {"scope", g.scope},
          {"reason", g.reason},
          {"created_by", g.created_by},
          {"created_at", core::format_rfc3339(g.created_at)},
          {"valid_from", time_json(g.valid_from)},
          {"valid_to", time_json(g.valid_to)},
          {"revoked_at", time_json(g.revoked_at)},
          {"revoked_by", g.revoked_by}};
}

core::Status Grants::ledger(storage::Transaction& tx, const Actor& actor, std::string_view reason,
                            std::vector<std::string> record_ids, const json& payload) {
  std::sort(record_ids.begin(), record_ids.end());
  record_ids.erase(std::unique(record_ids.begin(), record_ids.end()), record_ids.end());
  SG_TRY(ledger_.append(tx, {.actor = actor.user_id,
                             .operation = domain::Operation::kAlteration,
                             .reason = std::string(reason),
                             .record_ids = std::move(record_ids),
                             .payload = payload.dump()}));
  return {};
}

core::Result<domain::RecordVersion> Grants::visible_record(storage::Transaction& tx,
                                                           const Actor& actor,
                                                           std::string_view id) {
  auto version = tx.record(id);
  if (!version.ok()) return core::not_found("record not found");
  auto body = json::parse(version->body, nullptr, false);
  SG_TRY(require_need_to_know(tx, actor, *version, body, clock_.now()));
  return *version;
}

core::Result<storage::Grant> Grants::add_sharing(const Actor& actor, const NewSharing& sharing) {
  SG_TRY(require(actor, Action::kManageSharing));
  if (sharing.categories.empty()) return core::invalid_argument("name at least one", "categories");
  std::set<std::string> categories;
  for (size_t i = 0; i < sharing.categories.size(); ++i) {
    SG_TRY(domain::parse_category(sharing.categories[i], "categories/" + std::to_string(i)));
    categories.insert(sharing.categories[i]);
  }
  SG_TRY(require_reason(sharing.reason));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto provider = tx->agency_by_code(sharing.provider_code);
  if (!provider.ok()) return core::invalid_argument("no agency has this code", "provider");
  auto recipient = tx->agency_by_code(sharing.recipient_code);
  if (!recipient.ok()) return core::invalid_argument("no agency has this code", "recipient");
  if (provider->id == recipient->id) {
    return core::invalid_argument("must be another agency than the provider", "recipient");
  }
  storage::Grant g{.id = ids_.next(),
                   .kind = std::string(kSharingGrant),
                   .object = provider->id,
                   .grantee = recipient->id,
                   .scope = join({categories.begin(), categories.end()}),
                   .reason = sharing.reason,
                   .created_by = actor.user_id,
                   .created_at = clock_.now()};
  SG_TRY(tx->insert_grant(g));
  SG_TRY(ledger(*tx, actor, "sharing_agreement", {g.id}, grant_json(g)));
  SG_TRY(tx->commit());
  return g;
}

core::Result<std::vector<storage::Grant>> Grants::sharing(const Actor& actor,
                                                          bool include_revoked) {
  SG_TRY(require(actor, Action::kReadDirectory));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  storage::GrantQuery q{.kind = std::string(kSharingGrant)};
  if (!include_revoked) q.active_at = clock_.now();
  return tx->grants(q);
}

core::Result<storage::Grant> Grants::add_to_case_team(const Actor& actor, std::string_view case_id,
                                                      std::string_view user_id) {
  SG_TRY(require(actor, Action::kManageCaseTeam));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto kase = SG_TRY(visible_record(*tx, actor, case_id));
  // A context case (workflow/context_cases.h) has a team like a child's case.
  if (kase.kind != "case" && kase.kind != "context_case") return core::not_found("case not found");
  auto user = tx->user(user_id);
  if (!user.ok() || !user->active)
    return core::invalid_argument("no active user has this id", "user_id");
  auto now = clock_.now();
  for (auto& g : SG_TRY(tx->grants({.kind = std::string(kCaseTeamGrant),
                 .object = std::string(case_id),
                 .grantee = std::string(user_id),
                 .active_at = now}))) {
    return g;
  }
  storage::Grant g{.id = ids_.next(),
                   .kind = std::string(kCaseTeamGrant),
                   .object = std::string(case_id),
                   .grantee = std::string(user_id),
                   .scope = "",
                   .reason = "case team",
                   .created_by = actor.user_id,
                   .created_at = now};
  SG_TRY(tx->insert_grant(g));
  SG_TRY(ledger(*tx, actor, "case_team", {std::string(case_id), g.id}, grant_json(g)));
  SG_TRY(tx->commit());
  return g;
}

core::Result<std::vector<storage::Grant>> Grants::case_team(const Actor& actor,
                                                            std::string_view case_id) {
  SG_TRY(require(actor, Action::kReadCasework));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  auto kase = SG_TRY(visible_record(*tx, actor, case_id));
  // A context case (workflow/context_cases.h) has a team like a child's case.
  if (kase.kind != "case" && kase.kind != "context_case") return core::not_found("case not found");
  return tx->grants({.kind = std::string(kCaseTeamGrant),
                     .object = std::string(case_id),
                     .active_at = clock_.now()});
}

core::Result<std::vector<storage::Grant>> Grants::restrict(const Actor& actor,
                                                           std::string_view record_id,
                                                           const std::vector<std::string>& grantees,
                                                           std::string_view reason) {
  SG_TRY(require(actor, Action::kRestrictRecord));
  SG_TRY(require_reason(reason));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto record = SG_TRY(visible_record(*tx, actor, record_id));
  if (record.kind != "case" && record.kind != "concern" && record.kind != "context_case") {
    return core::invalid_argument("only a case or a concern can be restricted", "record_id");
  }
  std::set<std::string> names = {"user:" + actor.user_id};
  for (size_t i = 0; i < grantees.size(); ++i) {
    const auto& g = grantees[i];
    std::string field = "grantees/" + std::to_string(i);
    std::string_view id = g;
    bool team = id.starts_with("team:");
    if (!team && !id.starts_with("user:")) {
      return core::invalid_argument("must be user:<id> or team:<manager id>", field);
    }
    id.remove_prefix(5);
    auto user = tx->user(id);
    if (!user.ok() || !user->active)
      return core::invalid_argument("no active user has this id", field);
    if (team && user->role != domain::Role::kManager) {
      return core::invalid_argument("a team is named by its manager", field);
    }
    names.insert(g);
  }
  auto now = clock_.now();
  for (const auto& old : SG_TRY(tx->grants({.kind = std::string(kRestrictionGrant),
                         .object = std::string(record_id),
                         .active_at = now}))) {
    SG_TRY(tx->revoke_grant(old.id, now, actor.user_id));
  }
  std::vector<storage::Grant> out;
  json payload = {{"record_id", record_id}, {"grantees", names}, {"reason", reason}};
  std::vector<std::string> ids = {std::string(record_id)};
  for (const auto& name : names) {
    storage::Grant g{.id = ids_.next(),
                     .kind = std::string(kRestrictionGrant),
                     .object = std::string(record_id),
                     .grantee = name,
                     .scope = "",
                     .reason = std::string(reason),
                     .created_by = actor.user_id,
                     .created_at = now};
    SG_TRY(tx->insert_grant(g));
    ids.push_back(g.id);
    out.push_back(std::move(g));
  }
  SG_TRY(ledger(*tx, actor, "restriction", ids, payload));
  SG_TRY(tx->commit());
  return out;
}

core::Status Grants::lift_restriction(const Actor& actor, std::string_view record_id,
                                      std::string_view reason) {
  SG_TRY(require(actor, Action::kRestrictRecord));
  SG_TRY(require_reason(reason));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  SG_TRY(visible_record(*tx, actor, record_id));
  auto now = clock_.now();
  auto active = SG_TRY(tx->grants({.kind = std::string(kRestrictionGrant),
                                   .object = std::string(record_id),
                                   .active_at = now}));
  if (active.empty()) return core::not_found("the record is not restricted");
  std::vector<std::string> ids = {std::string(record_id)};
  for (const auto& g : active) {
    SG_TRY(tx->revoke_grant(g.id, now, actor.user_id));
    ids.push_back(g.id);
  }
  SG_TRY(ledger(*tx, actor, "restriction_lifted", ids,
                {{"record_id", record_id}, {"reason", reason}}));
  return tx->commit();
}

core::Result<std::vector<storage::Grant>> Grants::restriction(const Actor& actor,
                                                              std::string_view record_id) {
  SG_TRY(require(actor, Action::kReadCasework));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  SG_TRY(visible_record(*tx, actor, record_id));
  return tx->grants({.kind = std::string(kRestrictionGrant),
                     .object = std::string(record_id),
                     .active_at = clock_.now()});
}

core::Result<storage::Grant> Grants::break_glass(const Actor& actor, std::string_view record_id,
                                                 std::string_view reason) {
  SG_TRY(require(actor, Action::kBreakGlass));
  SG_TRY(require_reason(reason, 20));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto record = tx->record(record_id);
  if (!record.ok()) return core::not_found("record not found");
  if (record->kind != "case" && record->kind != "concern" && record->kind != "context_case") {
    return core::invalid_argument("break glass on a case or a concern", "record_id");
  }
  auto now = clock_.now();
  storage::Grant g{.id = ids_.next(),
                   .kind = std::string(kBreakGlassGrant),
                   .object = std::string(record_id),
                   .grantee = actor.user_id,
                   .scope = "",
                   .reason = std::string(reason),
                   .created_by = actor.user_id,
                   .created_at = now,
                   .valid_to = now + kBreakGlassFor};
  SG_TRY(tx->insert_grant(g));
  // The auditors hear of it at once: a notice in their inbox, naming who, what and why.
  std::string notice_id = ids_.next();
  json notice = {{"id", notice_id},
                 {"label", "Break-glass access"},
                 {"rule", "break_glass"},
                 {"summary", "emergency access to a " + record->kind + " outside need to know"},
                 {"grant_id", g.id},
                 {"record_id", record_id},
                 {"user_id", actor.user_id},
                 {"reason", reason},
                 {"raised_at", core::format_rfc3339(now)},
                 {"until", core::format_rfc3339(*g.valid_to)},
                 {"inbox", kAuditorsInbox},
                 {"status", "open"}};
  domain::RecordVersion draft;
  draft.record_id = notice_id;
  draft.kind = "audit_notice";
  draft.agency_id = actor.agency_id;
  draft.marking = domain::Marking::kOfficialSensitive;
  draft.body = notice.dump();
  draft.recorded_at = now;
  draft.recorded_by = actor.user_id;
  SG_TRY(tx->put_record(draft, 0));
  SG_TRY(tx->upsert_work_item({.id = notice_id,
                               .kind = "audit_notice",
                               .subkind = "break_glass",
                               .inbox = std::string(kAuditorsInbox),
                               .status = "open",
                               .agency_id = actor.agency_id,
                               .updated_at = now,
                               .label = "Break-glass access"}));
  SG_TRY(
      ledger(*tx, actor, "break_glass", {std::string(record_id), g.id, notice_id}, grant_json(g)));
  SG_TRY(tx->commit());
  return g;
}

core::Result<storage::Grant> Grants::set_reviewer_scope(
    const Actor& actor, std::string_view user_id, const std::vector<std::string>& agency_codes,
    core::Date from, core::Date to) {
  SG_TRY(require(actor, Action::kManageAccounts));
  if (agency_codes.empty()) return core::invalid_argument("name at least one", "agencies");
  if (to < from) return core::invalid_argument("must not be before from", "to");
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto user = tx->user(user_id);
  if (!user.ok()) return core::not_found("user not found");
  if (user->role != domain::Role::kReviewer) {
    return core::invalid_argument("only a reviewer has a remit", "user_id");
  }
  std::vector<std::string> agency_ids;
  for (size_t i = 0; i < agency_codes.size(); ++i) {
    auto agency = tx->agency_by_code(agency_codes[i]);
    if (!agency.ok()) {
      return core::invalid_argument("no agency has this code", "agencies/" + std::to_string(i));
    }
    agency_ids.push_back(agency->id);
  }
  auto now = clock_.now();
  for (const auto& old : SG_TRY(tx->grants({.kind = std::string(kReviewerScopeGrant),
                         .grantee = std::string(user_id),
                         .active_at = now}))) {
    SG_TRY(tx->revoke_grant(old.id, now, actor.user_id));
  }
  storage::Grant g{.id = ids_.next(),
                   .kind = std::string(kReviewerScopeGrant),
                   .object = "",
                   .grantee = std::string(user_id),
                   .scope = join(agency_ids),
                   .reason = "reviewer remit",
                   .created_by = actor.user_id,
                   .created_at = now,
                   .valid_from = core::london_midnight(from),
                   .valid_to = core::london_midnight(to.plus_days(1))};
  SG_TRY(tx->insert_grant(g));
  SG_TRY(ledger(*tx, actor, "reviewer_scope", {g.id}, grant_json(g)));
  SG_TRY(tx->commit());
  return g;
}

core::Status Grants::revoke(const Actor& actor, std::string_view grant_id,
                            std::string_view reason) {
  SG_TRY(require_reason(reason));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto g = SG_TRY(tx->grant(grant_id));
  if (g.kind == kSharingGrant) {
    SG_TRY(require(actor, Action::kManageSharing));
  } else if (g.kind == kReviewerScopeGrant) {
    SG_TRY(require(actor, Action::kManageAccounts));
  } else if (g.kind == kBreakGlassGrant) {
    // The holder ends their own emergency access early.
    if (!actor.is_system() && g.grantee != actor.user_id) {
      return core::permission_denied("only its holder ends a break-glass grant");
    }
  } else {
    SG_TRY(require(actor,
                   g.kind == kCaseTeamGrant ? Action::kManageCaseTeam : Action::kRestrictRecord));
    SG_TRY(visible_record(*tx, actor, g.object));
  }
  auto now = clock_.now();
  SG_TRY(tx->revoke_grant(grant_id, now, actor.user_id));
  SG_TRY(ledger(*tx, actor, "grant_revoked", {g.id, g.object},
                {{"grant_id", g.id}, {"kind", g.kind}, {"reason", reason}}));
  return tx->commit();
}

}  // namespace sg::workflow
