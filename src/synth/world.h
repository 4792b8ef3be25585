// The true synthetic town of Northfield: people in households at addresses, schools,
// businesses, parks, vehicles and phones. This is what really is; agencies only ever see it
// through their own noisy records (records.h). Nothing here describes a real person.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "synth/lexicon.h"
#include "synth/rng.h"

namespace sg::synth {

// ONS 2021 census ethnic groups (England and Wales, 19 categories), as recorded by agencies.
enum class Ethnicity : std::uint8_t {
  kWhiteBritish,
  kWhiteIrish,
  kWhiteGypsyIrishTraveller,
  kWhiteRoma,
  kWhiteOther,
  kMixedWhiteBlackCaribbean,
  kMixedWhiteBlackAfrican,
  kMixedWhiteAsian,
  kMixedOther,
  kAsianIndian,
  kAsianPakistani,
  kAsianBangladeshi,
  kAsianChinese,
  kAsianOther,
  kBlackAfrican,
  kBlackCaribbean,
  kBlackOther,
  kOtherArab,
  kOtherAny,
};
inline constexpr int kEthnicityCount = 19;
// The import-format code, e.g. "asian_pakistani" (docs/import-formats.md).
std::string_view ethnicity_code(Ethnicity e);
Ethnicity ethnicity_of(Origin origin);
// The ethnicity of a child of parents of two origins.
Ethnicity mixed_ethnicity(Origin a, Origin b);

enum class PlaceKind : std::uint8_t {
  kTakeaway,
  kTaxiFirm,
  kHotel,
  kPark,
  kSchool,
  kPrivateAddress,
  kShop,
  kOther,
};
std::string_view place_kind_code(PlaceKind kind);  // "takeaway", "taxi_firm"...

struct Street {
  std::string name;  // "Moor Road"
  int district = 1;  // Postcode district: NF<district>.
  int sector = 0;    // Postcode sector digit.
};

struct Address {
  std::string line;      // "14 Moor Road" or "Flat 2, 31 Moor Road"
  std::string postcode;  // "NF3 2AB"
  std::uint32_t street = 0;
};

struct Person {
  std::uint32_t id = 0;  // Index into World::people; the truth id is "P" + 7 digits.
  std::uint32_t household = 0;
  std::string given;
  std::string middle;
  std::string family;
  Sex sex = Sex::kMale;
  Origin origin = Origin::kBritish;
  Ethnicity ethnicity = Ethnicity::kWhiteBritish;
  core::Date dob = core::Date::from_days({});
  std::uint32_t address = 0;
  std::int32_t previous_address = -1;  // A former address some agencies still hold.
  std::string mobile;                  // National significant number "7700900123", empty if none.
  std::string email;
  std::string nhs_number;
  std::string upn;           // Unique pupil number, for children of school age.
  std::string pnc_id;        // Police National Computer id, for adults with a police record.
  std::int32_t school = -1;  // Place index.
  bool looked_after = false;
  bool learning_disability = false;
};

enum class HouseholdKind : std::uint8_t {
  kCoupleWithChildren,
  kLoneParent,
  kCouple,
  kSingle,
  kMultiGeneration,
  kChildrensHome,
};

struct Household {
  HouseholdKind kind = HouseholdKind::kSingle;
  std::uint32_t address = 0;
  std::vector<std::uint32_t> adults;
  std::vector<std::uint32_t> children;
  std::uint32_t concern_weight = 0;  // Relative chance of ordinary concerns (heavy-tailed).
};

struct Place {
  PlaceKind kind = PlaceKind::kOther;
  std::string name;
  std::uint32_t address = 0;
  bool secondary_school = false;
  std::vector<std::uint32_t> staff;  // Owners, workers, drivers (person ids).
};

struct Vehicle {
  std::string registration;  // Canonical display form: "YX65 KLM", "A123 BCD", "ABC 123D".
  std::string make;
  std::string model;
  std::string colour;
  std::int32_t keeper = -1;
  bool private_hire = false;
};

struct WorldOptions {
  std::uint64_t seed = 1;
  std::uint32_t people = 20000;
  core::Date end = core::Date::from_days({});  // The last day of the simulated period.
};

struct World {
  core::Date end = core::Date::from_days({});
  std::vector<Street> streets;
  std::vector<Address> addresses;
  std::vector<Household> households;
  std::vector<Person> people;
  std::vector<Place> places;
  std::vector<Vehicle> vehicles;
  std::vector<std::vector<std::uint32_t>> vehicles_of;  // Per person: vehicles they keep.

  // Age in whole years on `on`.
  int age(const Person& p, core::Date on) const;
  std::string truth_id(std::uint32_t person) const;  // "P0000042"
  std::vector<std::uint32_t> places_of(PlaceKind kind) const;
};

// Builds the town. Deterministic in options.seed.
World build_world(const WorldOptions& options);

// Helpers shared with the agencies' recording step.
int age_on(core::Date dob, core::Date on);
std::string ascii_fold(std::string_view utf8);  // "Wiśniewski" -> "Wisniewski"
std::string lower_ascii(std::string_view text);

}  // namespace sg::synth
