// How each agency records a person: its own identifiers, its own formats and its own errors
// (typos, phonetic spellings, nicknames, transliterations, swapped dates of birth, approximate
// ages, stale addresses, phones in every format). The same person gets a different record in
// every agency that meets them, and sometimes two in one agency.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "synth/plot.h"
#include "synth/world.h"

namespace sg::synth {

// Each kind of recording error, as a bit in PersonRecord::noise. Names are the codes written
// to truth/persons.csv (docs/synthetic-world.md).
enum class Noise : std::uint8_t {
  kNameTypo,
  kPhoneticSpelling,
  kNickname,
  kTransliteration,
  kDiacriticsDropped,
  kInitialOnly,
  kFullNameOnly,
  kMiddleNameAsGiven,
  kNameOrderSwapped,
  kFamilyNameMissing,
  kDobMissing,
  kDobDayMonthSwapped,
  kDobYearWrong,
  kDobDayWrong,
  kDobPartial,
  kApproximateAge,
  kSexMissing,
  kEthnicityMissing,
  kEthnicityDifferent,
  kAddressMissing,
  kAddressStale,
  kAddressReformatted,
  kPostcodeMissing,
  kPostcodeReformatted,
  kPostcodeTypo,
  kPhoneMissing,
  kPhoneTypo,
  kIdentifierTypo,
  kDuplicateRecord,
};
inline constexpr int kNoiseCount = 29;
std::string_view noise_code(Noise noise);

// One person record as an agency holds it. Empty strings are fields the agency does not have.
struct PersonRecord {
  std::string record_id;
  std::string_view agency;
  std::string given_name, family_name, full_name, nickname;
  std::string date_of_birth;    // As recorded: "2009-03-14", "14/03/2009", "20090314", "2009"...
  std::string approx_age;       // "14" when only an age was given.
  std::string age_recorded_on;  // The date the approximate age refers to, ISO.
  std::string sex;              // As recorded: "M"/"F", "Male"/"Female", "male"/"female".
  std::string ethnicity;        // ONS 2021 code, "not_stated", or empty.
  std::string address, postcode, phone, email;
  std::string nhs_number, pnc_id, upn;
  std::uint32_t noise = 0;  // Bits of Noise.
};

struct RecordMeta {
  std::uint32_t person = 0;
  Agency agency = Agency::kPolice;
  Knowledge knowledge = Knowledge::kIdentified;
  bool professional = false;
  bool duplicate = false;  // A second record of a person the agency already held.
  core::Date created = core::Date::from_days({});
  std::uint32_t number = 0;  // Per-agency serial, for the record id.
};

// Every person record of every agency. Records are rendered on demand from a per-record
// random stream, so the same record always reads the same without being stored.
class RecordRegistry {
 public:
  RecordRegistry(const World& world, std::uint64_t seed);

  // Creates the records agencies hold before the period starts: the GP register, school
  // rolls, police and children's-services histories, the youth project's members.
  void register_baseline(core::Date as_of);

  // The record `agency` uses for `person` when it mentions them with `knowledge` on `on`:
  // its existing record when it finds it, else a new one.
  std::uint32_t record_for(std::uint32_t person, Agency agency, Knowledge knowledge,
                           bool professional, core::Date on, Rng& rng);

  std::size_t size() const { return meta_.size(); }
  const RecordMeta& meta(std::uint32_t index) const { return meta_[index]; }
  // Renders record `index` (deterministic). `out` is reused to avoid allocations.
  void render(std::uint32_t index, PersonRecord& out) const;

 private:
  std::uint32_t create(std::uint32_t person, Agency agency, Knowledge knowledge, bool professional,
                       bool duplicate, core::Date created);

  const World& world_;
  std::uint64_t seed_;
  std::vector<RecordMeta> meta_;
  std::uint32_t next_number_[kAgencyCount] = {};
  // Per agency and person: the identified record (or UINT32_MAX).
  std::vector<std::uint32_t> identified_[kAgencyCount];
  std::map<std::pair<int, std::uint32_t>, std::uint32_t> nickname_records_;
  std::map<std::pair<int, std::uint32_t>, std::uint32_t> professional_records_;
};

// Free-text renderings with each agency's errors, shared with the narratives.
std::string format_phone(std::string_view nsn, Rng& rng);
std::string format_registration(std::string_view canonical, Rng& rng, bool may_misread,
                                bool may_be_partial);
std::string format_date_uk(core::Date d);  // "14/03/2024"

}  // namespace sg::synth
