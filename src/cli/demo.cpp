#include "cli/demo.h"

#include "access/crypto.h"
#include "core/calendar.h"
#include "synth/synth.h"
#include "workflow/import.h"

namespace sg::cli {
namespace {

constexpr std::string_view kDemoActor = "system:demo";

workflow::Actor demo_actor() { return {std::string(kDemoActor), domain::Role::kAdmin, "", ""}; }

}  // namespace

core::Status ensure_partnership_agencies(Runtime& rt) {
  using domain::AgencyKind;
  const access::NewAgency agencies[] = {
      {"NFP", "Northfield Police", AgencyKind::kPolice},
      {"NCS", "Northfield Children's Services", AgencyKind::kChildrensServices},
      {"NHS-NF", "Northfield Health Trust", AgencyKind::kHealth},
      {"NFED", "Northfield Schools", AgencyKind::kEducation},
      {"NYP", "Northfield Youth Project", AgencyKind::kYouthService},
      // Anonymous reports from the public are recorded under this code, not an agency.
      {"PUBLIC", "Member of the public", AgencyKind::kOther},
  };
  for (const auto& agency : agencies) {
    auto tx = SG_TRY(rt.store->begin(storage::TxMode::kRead));
    bool exists = tx->agency_by_code(agency.code).ok();
    tx.reset();
    if (!exists) SG_TRY(rt.accounts->add_agency(agency, kCliActor));
  }
  // The partnership's MASH information-sharing agreement: every agency (and the public
  // reporting line) shares everything with children's services, who run the MASH; the
  // police see who is known, the concerns and the alerts, for joint work.
  auto actor = demo_actor();
  if (!SG_TRY(rt.grants->sharing(actor, false)).empty()) return {};
  const std::string kReason = "Northfield MASH information-sharing agreement";
  std::vector<std::string> everything, police;
  for (auto c : domain::kAllCategories) everything.emplace_back(domain::category_name(c));
  police = {"person_index", "concerns", "alerts"};
  for (const auto& agency : agencies) {
    if (std::string_view(agency.code) != "NCS") {
      SG_TRY(rt.grants->add_sharing(actor, {agency.code, "NCS", everything, kReason}));
    }
    if (std::string_view(agency.code) != "NFP") {
      SG_TRY(rt.grants->add_sharing(actor, {agency.code, "NFP", police, kReason}));
    }
  }
  return {};
}

core::Result<workflow::ImportReport> load_world(Runtime& rt, const std::filesystem::path& dir) {
  SG_TRY(ensure_partnership_agencies(rt));
  return workflow::import_file(*rt.casework, demo_actor(), (dir / "concerns.ndjson").string());
}

core::Result<DemoSummary> load_demo(Runtime& rt, const DemoOptions& options) {
  {
    auto tx = SG_TRY(rt.store->begin(storage::TxMode::kRead));
    if (!SG_TRY(tx->agencies()).empty()) {
      return core::failed_precondition("the database already has data; demo data needs a new one");
    }
  }
  SG_TRY(ensure_partnership_agencies(rt));
  struct Person {
    const char* username;
    const char* display_name;
    const char* agency;
    domain::Role role;
  };
  const Person people[] = {
      {"manager", "Priya Desai", "NCS", domain::Role::kManager},
      {"practitioner", "Sam Okafor", "NCS", domain::Role::kPractitioner},
      {"mash", "Tom Hughes", "NCS", domain::Role::kMashCoordinator},
      {"analyst", "Aisha Rahman", "NFP", domain::Role::kAnalyst},
      {"reviewer", "Helen Marsh", "NCS", domain::Role::kReviewer},
      {"auditor", "David Lee", "NCS", domain::Role::kAuditor},
      {"admin", "Grace Whitfield", "NCS", domain::Role::kAdmin},
  };
  DemoSummary summary;
  for (const auto& p : people) {
    // Practitioners' overdue work escalates to the demo manager.
    std::string manager = p.role == domain::Role::kPractitioner ? "manager" : "";
    access::NewUser user{p.username, p.display_name, p.agency, p.role, access::generate_password(),
                         manager};
    SG_TRY(rt.accounts->add_user(user, kCliActor));
    summary.accounts.push_back(
        {p.username, user.password, std::string(domain::role_name(p.role)), p.agency});
  }
  // The demo reviewer's remit: every agency's records, since 2000.
  {
    auto tx = SG_TRY(rt.store->begin(storage::TxMode::kRead));
    auto reviewer = SG_TRY(tx->user_by_username("reviewer"));
    std::vector<std::string> codes;
    for (const auto& a : SG_TRY(tx->agencies())) codes.push_back(a.code);
    tx.reset();
    SG_TRY(rt.grants->set_reviewer_scope(demo_actor(), reviewer.id, codes,
                                         SG_TRY(core::Date::from_ymd(2000, 1, 1)),
                                         core::london_date(rt.clock.now())));
  }

  synth::SynthOptions world{.seed = options.seed, .people = options.people, .end = options.end};
  SG_TRY(synth::generate(world, options.world_dir));
  auto report = SG_TRY(load_world(rt, options.world_dir));
  summary.concerns = report.concerns;
  summary.alerts = report.alerts;

  // A plausible past: a case whose newest concern is more than 45 days old was dealt with at
  // the time. The demo records that as a step-down by the demo's own actor, with a rationale
  // that says so, so nobody mistakes it for a practitioner's decision.
  auto cutoff = options.end.plus_days(-45);
  const auto& calendar = core::WorkingDayCalendar::england_and_wales();
  auto open = SG_TRY(rt.casework->inbox(demo_actor(), {.kind = "task", .limit = 1000000}));
  for (const auto& task : open) {
    if (task.subkind != "referral_decision") continue;
    auto doc = SG_TRY(rt.casework->document(demo_actor(), task.case_id));
    const auto& events = doc["body"]["events"];
    auto last = core::Date::parse_iso(events.back().value("date", "")).value_or(options.end);
    if (last >= cutoff) {
      ++summary.cases_open;
      continue;
    }
    auto decided = calendar.add_working_days(last, 1).value_or(last);
    SG_TRY(rt.casework->decide(demo_actor(), task.case_id,
                               {.kind = workflow::DecisionKind::kStepDown,
                                .rationale = "Synthetic demo history: stepped down to early help "
                                             "before the demo period.",
                                .decided_on = decided,
                                .late_reason = "Synthetic demo history."}));
    ++summary.cases_closed;
  }
  summary.escalated = SG_TRY(rt.casework->escalate_overdue(demo_actor()));
  return summary;
}

}  // namespace sg::cli
