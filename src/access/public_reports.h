// Anonymous reports from the public: anyone, with no account, raises a concern and gets a
// reference and a receipt code of eight words (80 bits) to check the status, add
// information and read replies. The code is stored only as a slow (argon2id) hash; no IP
// address or user agent is stored anywhere.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "audit/ledger.h"
#include "core/id.h"
#include "core/result.h"
#include "storage/store.h"
#include "workflow/casework.h"

namespace sg::access {

struct Submitted {
  std::string reference;     // Not secret: quote it when phoning.
  std::string receipt_code;  // Secret: eight words; shown once, never stored.
  std::string report_id;
};

struct ReportMessage {
  std::string from;  // "reporter" or "staff" (never a name).
  std::string at;    // RFC 3339.
  std::string text;
};

struct ReportStatus {
  std::string reference;
  std::string received_on;  // YYYY-MM-DD.
  std::string status;       // received | being_acted_on | closed
  std::vector<ReportMessage> messages;
};

// The number of words in a receipt code, and the word list (1,024 words, 10 bits each).
inline constexpr int kReceiptWords = 8;
const std::vector<std::string>& receipt_words();
// A fresh code: eight random words joined by '-'.
std::string generate_receipt_code();
// Reads a code as a person might type it back: any case, any separators, each word
// recognised by its first four letters. Returns "" when it cannot be a code.
std::string canonical_receipt_code(std::string_view typed);

class PublicReports {
 public:
  // `public_agency_code` is the agency code public reports are recorded under ("PUBLIC").
  PublicReports(storage::Store& store, audit::Ledger& ledger, workflow::Casework& casework,
                const core::Clock& clock, core::IdGenerator& ids,
                std::string public_agency_code = "PUBLIC")
      : store_(store),
        ledger_(ledger),
        casework_(casework),
        clock_(clock),
        ids_(ids),
        public_agency_code_(std::move(public_agency_code)) {}

  // Records the report as a concern (channel "anonymous") in the MASH queue with its clock.
  // `report` holds the concern fields a member of the public may give: narrative,
  // children, persons, vehicles, phones, online_accounts, locations, events, links.
  // InvalidArgument naming the field; FailedPrecondition if the public agency is missing.
  core::Result<Submitted> submit(const nlohmann::json& report);

  // The status and messages for a receipt code. A wrong code — malformed, unknown or
  // mistyped — is refused with the same NotFound and after the same argon2id work.
  core::Result<ReportStatus> status(std::string_view receipt_code);
  // The reporter adds information; it reaches the MASH inbox.
  core::Status add_information(std::string_view receipt_code, std::string_view text);
  // Staff reply to the reporter (MASH coordinators and managers).
  core::Status reply(const workflow::Actor& staff, std::string_view report_id,
                     std::string_view text);

 private:
  core::Result<std::string> receipt_hash(std::string_view receipt_code);
  core::Result<std::string> find_report(std::string_view receipt_code);

  storage::Store& store_;
  audit::Ledger& ledger_;
  workflow::Casework& casework_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  std::string public_agency_code_;
};

}  // namespace sg::access
