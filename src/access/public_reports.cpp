#include "access/public_reports.h"

#include <sodium.h>

#include <mutex>

#include "core/ascii.h"
#include "domain/access_types.h"
#include "workflow/need_to_know.h"

namespace sg::embedded {
std::string_view receipt_words_txt();
}

namespace sg::access {
namespace {

using nlohmann::json;

[[maybe_unused]] const bool kSodiumReady = sodium_init() >= 0;

constexpr std::string_view kPublicActor = "system:public";
constexpr std::string_view kSaltSetting = "receipt_hash_salt";

// The public may describe people, places and things; indicators, dates of receipt and the
// source are for the system and professionals to set.
const std::vector<std::string_view> kPublicFields = {"narrative", "children", "persons",
                                                     "vehicles",  "phones",   "online_accounts",
                                                     "locations", "events",   "links"};

core::Status check_text(std::string_view text, const char* field) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return core::invalid_argument("is required", field);
  }
  std::string flat(text);
  for (auto& c : flat) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return domain::validate_display_text(flat, field, 5000);
}

}  // namespace

const std::vector<std::string>& receipt_words() {
  static const std::vector<std::string> words = [] {
    auto lines = core::text_lines(embedded::receipt_words_txt(), false);
    return std::vector<std::string>(lines.begin(), lines.end());
  }();
  return words;
}

std::string generate_receipt_code() {
  const auto& words = receipt_words();
  std::string code;
  for (int i = 0; i < kReceiptWords; ++i) {
    if (i) code += '-';
    code += words[randombytes_uniform(static_cast<std::uint32_t>(words.size()))];
  }
  return code;
}

std::string canonical_receipt_code(std::string_view typed) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : typed) {
    char lower = core::ascii_lower(c);
    if (lower >= 'a' && lower <= 'z') {
      current += lower;
    } else if (!current.empty()) {
      tokens.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  if (tokens.size() != kReceiptWords) return {};
  std::string out;
  for (const auto& token : tokens) {
    // BIP-39 words are unique in their first four letters, so a misspelt ending still reads.
    const std::string* match = nullptr;
    for (const auto& word : receipt_words()) {
      if (word == token ||
          (token.size() >= 4 && word.size() >= 4 && word.compare(0, 4, token, 0, 4) == 0)) {
        match = &word;
        break;
      }
    }
    if (!match) return {};
    if (!out.empty()) out += '-';
    out += *match;
  }
  return out;
}

core::Result<std::string> PublicReports::receipt_hash(std::string_view receipt_code) {
  // One salt per database: deterministic, so a code finds its report by hash equality, while
  // argon2id keeps each guess as slow as a password check.
  std::string salt;
  {
    auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
    if (auto stored = SG_TRY(tx->setting(kSaltSetting))) salt = *stored;
  }
  if (salt.empty()) {
    auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
    if (auto stored = SG_TRY(tx->setting(kSaltSetting))) {
      salt = *stored;
    } else {
      unsigned char bytes[crypto_pwhash_SALTBYTES];
      randombytes_buf(bytes, sizeof bytes);
      salt = core::to_hex(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
      SG_TRY(tx->put_setting(kSaltSetting, salt));
      SG_TRY(tx->commit());
    }
  }
  std::string raw_salt;
  if (!core::from_hex(salt, raw_salt) || raw_salt.size() != crypto_pwhash_SALTBYTES) {
    return core::data_loss("the receipt salt setting is corrupt");
  }
  unsigned char out[32];
  if (crypto_pwhash(out, sizeof out, receipt_code.data(), receipt_code.size(),
                    reinterpret_cast<const unsigned char*>(raw_salt.data()),
                    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return core::resource_exhausted("not enough memory to check the code");
  }
  return core::to_hex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

core::Result<std::string> PublicReports::find_report(std::string_view receipt_code) {
  // Hash whatever was typed, even when it cannot be a code, so every refusal costs the same.
  auto canonical = canonical_receipt_code(receipt_code);
  auto hash = SG_TRY(receipt_hash(canonical.empty() ? std::string(receipt_code) : canonical));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  auto found = SG_TRY(tx->report_for_receipt(hash));
  if (canonical.empty() || !found) {
    return core::not_found("no report matches this receipt code");
  }
  return *found;
}

core::Result<Submitted> PublicReports::submit(const json& report) {
  if (!report.is_object()) return core::invalid_argument("must be a JSON object", "body");
  json concern = json::object();
  for (const auto& [key, value] : report.items()) {
    if (std::find(kPublicFields.begin(), kPublicFields.end(), key) == kPublicFields.end()) {
      return core::invalid_argument("is not a field of a public report", key);
    }
    concern[key] = value;
  }
  std::string agency_id;
  {
    auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
    auto agency = tx->agency_by_code(public_agency_code_);
    if (!agency.ok()) {
      return core::failed_precondition("public reporting is not set up (no PUBLIC agency)");
    }
    agency_id = agency->id;
  }
  auto now = clock_.now();
  concern["channel"] = "anonymous";
  concern["received_at"] = core::format_rfc3339(now);
  concern["source_agency"] = public_agency_code_;
  Submitted out;
  out.receipt_code = generate_receipt_code();
  auto hash = SG_TRY(receipt_hash(out.receipt_code));
  workflow::Actor actor{std::string(kPublicActor), domain::Role::kAdmin, agency_id, ""};
  SG_TRY(casework_.record_concern(
      actor, concern,
      [&](storage::Transaction& tx,
          const workflow::IntakeResult& intake) -> core::Result<std::vector<std::string>> {
        out.report_id = ids_.next();
        // The reference is read over the phone: short, upper case, no 0/O or 1/I confusion.
        static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        out.reference = "AR-";
        for (int i = 0; i < 8; ++i) out.reference += kAlphabet[randombytes_uniform(32)];
        json body = {{"id", out.report_id},
                     {"reference", out.reference},
                     {"concern_id", intake.concern_id},
                     {"case_ids", intake.case_ids},
                     {"received_at", core::format_rfc3339(now)},
                     {"messages", json::array()}};
        domain::RecordVersion draft{out.report_id,
                                    0,
                                    "anonymous_report",
                                    agency_id,
                                    domain::Marking::kOfficialSensitive,
                                    body.dump(),
                                    now,
                                    std::string(kPublicActor)};
        SG_TRY(tx.put_record(draft, 0));
        SG_TRY(tx.put_receipt(hash, out.report_id));
        // Staff reach the report (to reply) from the case: mark the concern's event.
        std::vector<std::string> touched = {out.report_id};
        for (const auto& case_id : intake.case_ids) {
          auto kase = SG_TRY(tx.record(case_id));
          auto doc = json::parse(kase.body, nullptr, false);
          if (doc.is_discarded()) return core::data_loss("stored case is corrupt");
          for (auto& event : doc["events"]) {
            if (event.value("concern_id", "") == intake.concern_id) {
              event["anonymous_report_id"] = out.report_id;
            }
          }
          int current = kase.version;
          kase.body = doc.dump();
          kase.recorded_at = now;
          kase.recorded_by = std::string(kPublicActor);
          SG_TRY(tx.put_record(kase, current));
          touched.push_back(case_id);
        }
        return touched;
      }));
  return out;
}

core::Result<ReportStatus> PublicReports::status(std::string_view receipt_code) {
  auto report_id = SG_TRY(find_report(receipt_code));
  auto tx = SG_TRY(store_.begin(storage::TxMode::kRead));
  auto version = SG_TRY(tx->record(report_id));
  auto body = json::parse(version.body, nullptr, false);
  if (body.is_discarded()) return core::data_loss("stored report is corrupt");
  ReportStatus out;
  out.reference = body.value("reference", "");
  out.received_on = body.value("received_at", "").substr(0, 10);
  // The reporter learns only where the report stands, never what was decided or about whom.
  bool any_open = false, acted_on = false;
  for (const auto& id : body.value("case_ids", json::array())) {
    auto summary = tx->case_summary(id.get<std::string>());
    if (!summary.ok()) continue;
    if (summary->status == "open") any_open = true;
    if (summary->stage != "referral_decision") acted_on = true;
  }
  out.status = !any_open ? "closed" : acted_on ? "being_acted_on" : "received";
  for (const auto& m : body.value("messages", json::array())) {
    out.messages.push_back({m.value("from", ""), m.value("at", ""), m.value("text", "")});
  }
  return out;
}

core::Status PublicReports::add_information(std::string_view receipt_code, std::string_view text) {
  SG_TRY(check_text(text, "text"));
  auto report_id = SG_TRY(find_report(receipt_code));
  auto now = clock_.now();
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto version = SG_TRY(tx->record(report_id));
  auto body = json::parse(version.body, nullptr, false);
  if (body.is_discarded()) return core::data_loss("stored report is corrupt");
  if (body["messages"].size() >= 200) {
    return core::resource_exhausted("this report has reached its message limit", "text");
  }
  body["messages"].push_back(
      {{"from", "reporter"}, {"at", core::format_rfc3339(now)}, {"text", text}});
  version.body = body.dump();
  version.recorded_at = now;
  version.recorded_by = std::string(kPublicActor);
  int current = version.version;
  SG_TRY(tx->put_record(version, current));
  // The MASH team sees new information at once.
  std::string case_id = body["case_ids"].empty() ? "" : body["case_ids"][0].get<std::string>();
  std::string label;
  if (auto summary = tx->case_summary(case_id); summary.ok()) label = summary->label;
  std::string item_id = ids_.next();
  json alert = {{"id", item_id},
                {"rule", "anonymous_report_update"},
                {"summary", "the anonymous reporter added information"},
                {"report_id", report_id},
                {"case_id", case_id},
                {"raised_at", core::format_rfc3339(now)},
                {"inbox", "mash"},
                {"status", "open"}};
  domain::RecordVersion draft{item_id,
                              0,
                              "alert",
                              version.agency_id,
                              domain::Marking::kOfficialSensitive,
                              alert.dump(),
                              now,
                              std::string(kPublicActor)};
  SG_TRY(tx->put_record(draft, 0));
  SG_TRY(tx->upsert_work_item({.id = item_id,
                               .kind = "alert",
                               .subkind = "anonymous_report_update",
                               .case_id = case_id,
                               .inbox = "mash",
                               .status = "open",
                               .agency_id = version.agency_id,
                               .updated_at = now,
                               .label = label}));
  auto payload = json{{"report_id", report_id}, {"text", text}}.dump();
  SG_TRY(ledger_.append(*tx, {.actor = std::string(kPublicActor),
                              .operation = domain::Operation::kCollection,
                              .reason = "public_report",
                              .record_ids = {report_id, item_id},
                              .payload = payload}));
  return tx->commit();
}

core::Status PublicReports::reply(const workflow::Actor& staff, std::string_view report_id,
                                  std::string_view text) {
  SG_TRY(workflow::require(staff, workflow::Action::kAcknowledgeAlert));
  SG_TRY(check_text(text, "text"));
  auto now = clock_.now();
  auto tx = SG_TRY(store_.begin(storage::TxMode::kWrite));
  auto version = tx->record(report_id);
  if (!version.ok() || version->kind != "anonymous_report") {
    return core::not_found("anonymous report not found");
  }
  auto body = json::parse(version->body, nullptr, false);
  if (body.is_discarded()) return core::data_loss("stored report is corrupt");
  // Only staff with a need to know the report may answer its reporter.
  SG_TRY(workflow::require_need_to_know(*tx, staff, *version, body, now));
  body["messages"].push_back(
      {{"from", "staff"}, {"at", core::format_rfc3339(now)}, {"text", text}});
  auto updated = *version;
  updated.body = body.dump();
  updated.recorded_at = now;
  updated.recorded_by = staff.user_id;
  SG_TRY(tx->put_record(updated, version->version));
  // Telling the reporter something is a disclosure to a person outside the partnership.
  auto payload = json{{"report_id", report_id}, {"text", text}}.dump();
  SG_TRY(ledger_.append(*tx, {.actor = staff.user_id,
                              .operation = domain::Operation::kDisclosure,
                              .reason = "public_report",
                              .record_ids = {std::string(report_id)},
                              .recipient = "anonymous reporter " + body.value("reference", ""),
                              .payload = payload}));
  return tx->commit();
}

}  // namespace sg::access
