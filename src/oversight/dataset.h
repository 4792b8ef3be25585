// The casework as the oversight reports read it: concerns, cases, tasks and decisions from
// their current documents (record_versions), with agencies and users, loaded in one read
// snapshot. Internal to sg::oversight.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "core/time.h"
#include "domain/access_types.h"
#include "storage/store.h"

namespace sg::oversight {

// A child or suspect as one concern recorded them; only what the reports use.
struct PersonSeen {
  std::string key;         // "Same person" key (exact identity, as casework's alerts use).
  std::string record_ref;  // "<concern id>/<ref>": names the record without personal data.
  std::string ref;
  std::string sex;            // "female", "male" or "unknown".
  std::string ethnicity;      // An ONS 2021 code, "not_stated", or "" when not recorded.
  std::string date_of_birth;  // As recorded.
  std::optional<core::Date> full_date_of_birth;
  std::optional<int> approx_age;

  // Years at the last birthday on `on` (or the recorded estimate); nullopt when unknown.
  std::optional<int> age_on(core::Date on) const;
};

struct ConcernSeen {
  std::string id, agency_id, recorded_by, channel;
  core::Timestamp received_at;
  core::Date received_on;  // UK civil date.
  std::vector<PersonSeen> children, suspects;
};

struct CaseEvent {
  std::string kind;  // concern_received, referral_accepted, strategy_discussion, ...
  core::Date date;
};

struct CaseSeen {
  std::string id, agency_id, subject_key, child_ref, assignee_id, status, outcome;
  core::Date opened_on;
  std::optional<core::Date> closed_on;
  std::vector<CaseEvent> events;
  std::vector<std::string> concern_ids;
};

struct TaskSeen {
  std::string id, task, case_id, agency_id, owner_id, status;
  core::Date started_on;
  std::optional<core::Date> due, completed_on;
};

struct DecisionSeen {
  std::string id, case_id, kind, stage, status, proposed_by, agency_id;
  core::Date decided_on;
  bool effective() const { return status == "effective" || status == "signed_off"; }
};

struct Dataset {
  std::map<std::string, domain::Agency> agencies;  // By id.
  std::map<std::string, domain::User> users;       // By id.
  std::vector<ConcernSeen> concerns;               // Oldest first.
  std::map<std::string, std::size_t> concern_index;
  std::map<std::string, CaseSeen> cases;  // By id.
  std::vector<TaskSeen> tasks;
  std::vector<DecisionSeen> decisions;  // By case, then decision date.
  std::map<std::string, std::vector<const DecisionSeen*>> decisions_by_case;

  // The team of a user: their line manager, or themselves when they are a manager with none;
  // "" when they have neither (or are unknown).
  std::string team_of(const std::string& user_id) const;
  std::string agency_code(const std::string& agency_id) const;
  // The child of a case as the concern that opened it recorded them; nullptr if missing.
  const PersonSeen* child_of(const CaseSeen& kase) const;
};

// Reads every concern, case, task and decision document — only those `visible` accepts, when
// it is given (a reader's need to know). DataLoss if a document is corrupt.
using Visible = std::function<bool(const domain::RecordVersion&)>;
core::Result<Dataset> load_dataset(storage::Transaction& tx, const Visible& visible = nullptr);

}  // namespace sg::oversight
