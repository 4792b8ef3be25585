// A concern (POLE capture): what an agency or a member of the public reported about one or
// more children, with the other persons, objects, locations, events, typed links and
// observed risk indicators. The JSON form is docs/import-formats.md; it is stored exactly
// as entered (canonical JSON), and a correction is a new version.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "core/time.h"
#include "domain/record.h"

namespace sg::domain {

// A person as the recording agency wrote them down. Any field may be missing.
struct RecordedPerson {
  std::string ref;   // Unique within the concern: "p1", "c1"...
  std::string role;  // "child" for children; else suspect|associate|relative|reporter|professional.
  std::string record_id;  // The agency's own id for this person, if any.
  std::string given_name, family_name, full_name, nickname;
  std::string date_of_birth;  // As recorded: YYYY-MM-DD, DD/MM/YYYY, YYYYMMDD, YYYY-MM or YYYY.
  std::optional<core::Date> full_date_of_birth;  // Set when the recorded date is complete.
  std::optional<int> approx_age;
  std::string sex, ethnicity, address, postcode, phone, email;
  std::string nhs_number, pnc_id, upn;

  // The key that says "same person" until entity resolution links records: an identifier
  // when one was recorded, else exact normalised name and full date of birth, else empty
  // (unidentifiable: never matched). Exact identity by design, see workflow/alerts.h.
  std::string identity_key() const;
};

struct ConcernEvent {
  std::string kind;  // missing_episode|incident|sighting|disclosure|found|other
  core::Date date;
  std::string child;     // Ref of a child, may be empty.
  std::string location;  // Ref of a location, may be empty.
};

struct ConcernIndicator {
  std::string code;  // A code of the risk tool (data/workflow/risk_tools/).
  std::string child;
  core::Date observed_on;
};

struct Concern {
  std::string source_ref;     // The sender's id for the concern ("id" in files), may be empty.
  std::string source_agency;  // Agency code.
  std::string channel;
  core::Timestamp received_at;
  std::string category;
  // OFFICIAL or OFFICIAL-SENSITIVE (the default: safeguarding records about children).
  Marking marking = Marking::kOfficialSensitive;
  std::string narrative;
  std::vector<RecordedPerson> children;
  std::vector<RecordedPerson> persons;
  std::vector<ConcernEvent> events;
  std::vector<ConcernIndicator> indicators;
  nlohmann::json document;  // The whole validated concern, as stored.
};

struct ConcernLimits {
  std::size_t max_narrative_bytes = 20000;
  std::size_t max_field_bytes = 500;
  std::size_t max_items = 200;  // Per array.
};

// Validates a concern document. Every error is InvalidArgument naming the field as a path
// ("children/0/date_of_birth"). Dates must be real, and nothing may be dated after `now`:
// an event in the future is a typing error, not intelligence.
core::Result<Concern> parse_concern(const nlohmann::json& doc, core::Timestamp now,
                                    const ConcernLimits& limits = {});

// The enumerations a concern uses, for documentation and the OpenAPI schema.
const std::vector<std::string_view>& concern_channels();
const std::vector<std::string_view>& person_roles();
const std::vector<std::string_view>& location_kinds();
const std::vector<std::string_view>& event_kinds();
const std::vector<std::string_view>& ons_ethnicity_codes();

// Parses a recorded date of birth: YYYY-MM-DD, DD/MM/YYYY (UK order), YYYYMMDD, or the
// partial YYYY-MM and YYYY. Returns the full date when complete, nullopt when partial;
// InvalidArgument (naming `field`) when malformed or impossible.
core::Result<std::optional<core::Date>> parse_partial_date(std::string_view text,
                                                           std::string_view field);

}  // namespace sg::domain
