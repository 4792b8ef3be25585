// Versioned records and the processing operations the ledger logs.
// What an agency recorded stays exactly as entered; a correction is a new version.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace sg::domain {

// Government Security Classifications marking carried by every record.
enum class Marking { kOfficial, kOfficialSensitive };
std::string_view marking_name(Marking marking);  // "OFFICIAL", "OFFICIAL-SENSITIVE"
core::Result<Marking> parse_marking(std::string_view text, std::string_view field = "marking");

// The processing operations that DPA 2018 s.62(1) requires to be logged.
enum class Operation {
  kCollection,
  kAlteration,
  kConsultation,
  kDisclosure,
  kCombination,
  kErasure,
};
std::string_view operation_name(Operation op);  // lower case, e.g. "collection"
core::Result<Operation> parse_operation(std::string_view text);

// One stored version of a record. Versions are immutable; the newest is current.
struct RecordVersion {
  std::string record_id;
  int version = 1;
  std::string kind;  // e.g. "demo_note", later "concern", "person", "vehicle"...
  std::string agency_id;
  Marking marking = Marking::kOfficialSensitive;
  std::string body;  // Canonical JSON document, exactly as entered.
  core::Timestamp recorded_at;
  std::string recorded_by;  // User id or "system:<component>".
};

// A reason code says why personal data was processed: [a-z0-9_]{2,48}, e.g. "referral",
// "case_work", "account_admin", "audit_review".
core::Status validate_reason_code(std::string_view code, std::string_view field = "reason");

}  // namespace sg::domain
