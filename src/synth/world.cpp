#include "synth/world.h"

#include <algorithm>
#include <cstdio>
#include <unordered_set>

namespace sg::synth {
namespace {

constexpr std::string_view kEthnicityCodes[kEthnicityCount] = {
    "white_british",
    "white_irish",
    "white_gypsy_irish_traveller",
    "white_roma",
    "white_other",
    "mixed_white_black_caribbean",
    "mixed_white_black_african",
    "mixed_white_asian",
    "mixed_other",
    "asian_indian",
    "asian_pakistani",
    "asian_bangladeshi",
    "asian_chinese",
    "asian_other",
    "black_african",
    "black_caribbean",
    "black_other",
    "other_arab",
    "other_any",
};

// Share of each origin per thousand households, loosely modelled on a northern English town in
// the 2021 census. Network membership is drawn from the whole adult population in proportion,
// so no group is over-represented among offenders by construction.
constexpr std::uint32_t kOriginWeights[kOriginCount] = {790, 5, 5, 80, 8,  15, 12, 6,
                                                        8,   6, 8, 4,  25, 12, 5,  11};

// Postcode inward-unit letters: never C, I, K, M, O or V.
constexpr std::string_view kUnitLetters = "ABDEFGHJLNPQRSTUWXYZ";

bool is_south_asian(Origin o) { return o == Origin::kPakistani || o == Origin::kBangladeshi; }
bool has_large_families(Origin o) {
  return is_south_asian(o) || o == Origin::kRoma || o == Origin::kSomali || o == Origin::kTraveller;
}

// Feminine forms of Polish, Latvian and Slovak surnames.
std::string feminine_family(Origin origin, const std::string& family) {
  auto ends = [&](std::string_view suffix) {
    return family.size() >= suffix.size() &&
           family.compare(family.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  auto swap_end = [&](std::size_t n, std::string_view with) {
    return family.substr(0, family.size() - n) + std::string(with);
  };
  switch (origin) {
    case Origin::kPolish:
      if (ends("ski")) return swap_end(1, "a");
      if (ends("cki")) return swap_end(1, "a");
      return family;
    case Origin::kLatvian:
      if (ends("iņš")) return swap_end(2, "a");  // "š" is two bytes.
      if (ends("ovs")) return swap_end(1, "a");
      if (ends("ons")) return swap_end(1, "e");
      if (ends("is")) return swap_end(2, "e");
      if (ends("s")) return swap_end(1, "a");
      return family;
    case Origin::kRoma:
      if (ends("ý")) return swap_end(2, "á");
      if (ends("a") || ends("i") || ends("y")) return family;
      return family + "ová";
    default:
      return family;
  }
}

class Builder {
 public:
  explicit Builder(const WorldOptions& options)
      : options_(options),
        rng_(Rng::stream(options.seed, "world")),
        lex_(Lexicon::get()),
        origin_index_(kOriginWeights) {
    world_.end = options.end;
  }

  World build() {
    make_streets();
    make_places();
    // Children's homes: a few small units for looked-after children.
    int homes = std::max<int>(1, static_cast<int>(options_.people / 8000));
    for (int i = 0; i < homes; ++i) make_childrens_home(i);
    while (world_.people.size() < options_.people) make_household();
    assign_schools_and_ids();
    assign_staff();
    make_vehicles();
    return std::move(world_);
  }

 private:
  // --- Streets, addresses and postcodes ------------------------------------------------------

  void make_streets() {
    districts_ = std::clamp<int>(static_cast<int>(options_.people / 3000) + 3, 3, 99);
    std::size_t count = std::max<std::size_t>(30, options_.people / 110);
    const auto& stems = lex_.street_stems();
    for (std::size_t i = 0; i < count; ++i) {
      Street s;
      s.name = rng_.pick(stems) + " " + lex_.street_types().sample(rng_);
      s.district = 1 + static_cast<int>(rng_.below(districts_));
      s.sector = static_cast<int>(rng_.below(10));
      world_.streets.push_back(std::move(s));
    }
    street_next_number_.assign(count, 1);
    street_unit_.assign(count, -1);
    street_unit_fill_.assign(count, 0);
    sector_units_.assign(100 * 10, 0);
  }

  std::string unit_code(int index) {
    int n = static_cast<int>(kUnitLetters.size());
    std::string code;
    code += kUnitLetters[(index / n) % n];
    code += kUnitLetters[index % n];
    return code;
  }

  // A new address on a random street. `flat` makes "Flat N, ..." addresses.
  std::uint32_t new_address(bool allow_flat = true) {
    auto street = static_cast<std::uint32_t>(rng_.below(world_.streets.size()));
    const Street& s = world_.streets[street];
    // A postcode unit covers about 15 addresses along one street.
    if (street_unit_[street] < 0 || street_unit_fill_[street] >= 15) {
      int& units = sector_units_[s.district * 10 + s.sector];
      street_unit_[street] = units++;
      street_unit_fill_[street] = 0;
    }
    ++street_unit_fill_[street];
    Address a;
    a.street = street;
    int number = street_next_number_[street]++;
    if (allow_flat && rng_.chance(0.12)) {
      a.line =
          "Flat " + std::to_string(rng_.range(1, 8)) + ", " + std::to_string(number) + " " + s.name;
    } else {
      a.line = std::to_string(number) + " " + s.name;
    }
    a.postcode = "NF" + std::to_string(s.district) + " " + std::to_string(s.sector) +
                 unit_code(street_unit_[street]);
    world_.addresses.push_back(std::move(a));
    return static_cast<std::uint32_t>(world_.addresses.size() - 1);
  }

  // --- Places -------------------------------------------------------------------------------

  void add_places(PlaceKind kind, std::string_view lex_kind, std::size_t count) {
    auto prefixes = lex_.place_prefixes(lex_kind);
    auto suffixes = lex_.place_suffixes(lex_kind);
    for (std::size_t i = 0; i < count; ++i) {
      Place p;
      p.kind = kind;
      p.address = new_address(false);
      p.name = rng_.pick(prefixes) + " " + rng_.pick(suffixes);
      if (!used_place_names_.insert(p.name).second) {
        // Two places with one name: locals tell them apart by street.
        const auto& street = world_.streets[world_.addresses[p.address].street].name;
        p.name += " (" + street + ")";
      }
      p.secondary_school = lex_kind == "school_secondary";
      world_.places.push_back(std::move(p));
    }
  }

  void make_places() {
    auto n = static_cast<std::size_t>(options_.people);
    add_places(PlaceKind::kTakeaway, "takeaway", std::max<std::size_t>(6, n / 400));
    add_places(PlaceKind::kTaxiFirm, "taxi_firm", std::max<std::size_t>(3, n / 3000));
    add_places(PlaceKind::kHotel, "hotel", std::max<std::size_t>(2, n / 5000));
    add_places(PlaceKind::kShop, "shop", std::max<std::size_t>(6, n / 300));
    add_places(PlaceKind::kPark, "park", std::max<std::size_t>(2, n / 2500));
    add_places(PlaceKind::kSchool, "school_primary", std::max<std::size_t>(2, n / 1600));
    add_places(PlaceKind::kSchool, "school_secondary", std::max<std::size_t>(1, n / 7000));
  }

  // --- People and households ----------------------------------------------------------------

  int adult_age() {
    // Adults 18+ roughly as in England: 20% 18-29, 25% 30-44, 32% 45-64, 17% 65-79, 6% 80+.
    double u = rng_.uniform();
    if (u < 0.20) return rng_.range(18, 29);
    if (u < 0.45) return rng_.range(30, 44);
    if (u < 0.77) return rng_.range(45, 64);
    if (u < 0.94) return rng_.range(65, 79);
    return rng_.range(80, 95);
  }

  core::Date dob_for_age(int age) {
    // Born between exactly age+1 years and age years before the end date.
    core::Date latest = years_before(world_.end, age);
    return latest.plus_days(-static_cast<int>(rng_.below(365)));
  }

  static core::Date years_before(core::Date d, int years) {
    int y = d.year() - years;
    unsigned m = d.month(), day = d.day();
    if (m == 2 && day == 29) day = 28;
    return core::Date::from_ymd(y, m, day).value();
  }

  Origin sample_origin() { return static_cast<Origin>(origin_index_.sample(rng_)); }

  std::uint32_t make_person(Origin origin, Sex sex, int age, const std::string& family,
                            std::uint32_t household, std::uint32_t address) {
    Person p;
    p.id = static_cast<std::uint32_t>(world_.people.size());
    p.household = household;
    p.sex = sex;
    p.origin = origin;
    p.ethnicity = ethnicity_of(origin);
    p.dob = dob_for_age(age);
    p.address = address;
    const auto& pool = lex_.given(origin, sex);
    p.given = pool.sample(rng_);
    if (sex == Sex::kMale && is_south_asian(origin) && rng_.chance(0.25)) {
      // "Mohammed Imran Khan", known day to day as Imran: agencies disagree on the given name.
      p.middle = p.given == "Mohammed" || p.given == "Muhammad" ? pool.sample(rng_) : p.given;
      p.given = rng_.chance(0.6) ? "Mohammed" : "Muhammad";
      if (p.middle == p.given) p.middle = "Imran";
    } else if (rng_.chance(origin == Origin::kBritish ? 0.45 : 0.2)) {
      p.middle = pool.sample(rng_);
      if (p.middle == p.given) p.middle.clear();
    }
    p.family = sex == Sex::kFemale ? feminine_family(origin, family) : family;
    if (age >= 11 || (age >= 8 && rng_.chance(0.3))) {
      if (age < 11 || rng_.chance(age < 18 ? 0.88 : 0.93)) p.mobile = new_mobile();
    }
    if (age >= 13 && rng_.chance(age < 18 ? 0.35 : 0.7)) p.email = make_email(p, age);
    if (age >= 18 && rng_.chance(sex == Sex::kMale ? 0.09 : 0.03)) p.pnc_id = new_pnc(age);
    if (rng_.chance(0.1)) {
      p.previous_address = static_cast<std::int32_t>(new_address());
    }
    if (age < 18 && rng_.chance(0.03)) p.learning_disability = true;
    world_.people.push_back(std::move(p));
    return world_.people.back().id;
  }

  std::string new_mobile() {
    static constexpr char kSecond[] = {'3', '4', '5', '7', '8', '9'};
    while (true) {
      std::string m = "7";
      m += rng_.pick(kSecond);
      for (int i = 0; i < 8; ++i) m += static_cast<char>('0' + rng_.below(10));
      // Ofcom's drama range 07700 900000-900999 is kept for the networks' burner phones.
      if (m.compare(0, 7, "7700900") == 0) continue;
      if (mobiles_.insert(m).second) return m;
    }
  }

  std::string make_email(const Person& p, int age) {
    static constexpr std::string_view kDomains[] = {"example.com", "example.org", "example.net",
                                                    "mail.example", "inbox.example"};
    std::string given = lower_ascii(ascii_fold(p.given));
    std::string family = lower_ascii(ascii_fold(p.family));
    std::erase_if(family, [](char c) { return c == '\'' || c == ' '; });
    std::string local;
    switch (rng_.below(4)) {
      case 0:
        local = given + "." + family;
        break;
      case 1:
        local = given + family + std::to_string(rng_.range(1, 99));
        break;
      case 2:
        local = given.substr(0, 1) + family + std::to_string(world_.end.year() - age);
        break;
      default:
        local = given + "_" + std::to_string(rng_.range(100, 999));
        break;
    }
    return local + "@" + std::string(rng_.pick(kDomains));
  }

  std::string new_pnc(int age) {
    // PNC ids: two-digit year of first record, a serial and a check letter.
    static constexpr std::string_view kCheck = "ZABCDEFGHJKLMNPQRTUVWXY";
    int first_year = world_.end.year() - rng_.range(0, std::max(0, age - 17));
    long serial = (++pnc_serial_ * 7919) % 9000000 + 1000000;
    long value = (first_year % 100) * 10000000L + serial;
    char buf[24];
    std::snprintf(buf, sizeof buf, "%02d/%07ld%c", first_year % 100, serial,
                  kCheck[static_cast<std::size_t>(value % 23)]);
    return buf;
  }

  std::uint32_t new_household(HouseholdKind kind, std::uint32_t address) {
    Household h;
    h.kind = kind;
    h.address = address;
    // Most families never meet children's services; a few meet them often.
    double u = rng_.uniform();
    h.concern_weight = u < 0.75 ? 1 : (u < 0.95 ? 20 : 160);
    world_.households.push_back(std::move(h));
    return static_cast<std::uint32_t>(world_.households.size() - 1);
  }

  void make_childrens_home(int index) {
    auto address = new_address(false);
    auto hh = new_household(HouseholdKind::kChildrensHome, address);
    world_.households[hh].concern_weight = 200;
    // The home is also a place: children go missing from it.
    Place p;
    p.kind = PlaceKind::kOther;
    p.name = std::string(index % 2 ? "Beech House" : "Holme Lodge") + " Children's Home";
    if (index >= 2) p.name += " " + std::to_string(index / 2 + 1);
    p.address = address;
    world_.places.push_back(std::move(p));
    int n = rng_.range(4, 6);
    for (int i = 0; i < n; ++i) {
      Origin o = sample_origin();
      Sex sex = rng_.chance(0.5) ? Sex::kFemale : Sex::kMale;
      auto id = make_person(o, sex, rng_.range(12, 17), lex_.family(o).sample(rng_), hh, address);
      world_.people[id].looked_after = true;
      world_.households[hh].children.push_back(id);
    }
  }

  void make_household() {
    Origin origin = sample_origin();
    double u = rng_.uniform();
    // About 28% of households have dependent children, as in England (ONS 2021).
    double multigen = is_south_asian(origin) ? 0.15 : 0.03;
    HouseholdKind kind;
    if (u < multigen)
      kind = HouseholdKind::kMultiGeneration;
    else if (u < multigen + 0.165)
      kind = HouseholdKind::kCoupleWithChildren;
    else if (u < multigen + 0.23)
      kind = HouseholdKind::kLoneParent;
    else if (u < multigen + 0.56)
      kind = HouseholdKind::kCouple;
    else
      kind = HouseholdKind::kSingle;

    auto address = new_address();
    auto hh = new_household(kind, address);
    std::string family = lex_.family(origin).sample(rng_);
    auto add_adult = [&](Origin o, Sex sex, int age, const std::string& fam) {
      auto id = make_person(o, sex, age, fam, hh, address);
      world_.households[hh].adults.push_back(id);
      return id;
    };

    if (kind == HouseholdKind::kSingle) {
      add_adult(origin, rng_.chance(0.5) ? Sex::kMale : Sex::kFemale, adult_age(), family);
      return;
    }
    if (kind == HouseholdKind::kCouple) {
      int age = adult_age();
      add_adult(origin, Sex::kMale, std::max(18, age + rng_.range(-1, 5)), family);
      add_adult(origin, Sex::kFemale, age, wife_family(origin, family));
      return;
    }

    // Households with children.
    int kids = 1;
    double k = rng_.uniform() - (has_large_families(origin) ? 0.25 : 0.0);
    if (k > 0.60)
      kids = 1;
    else if (k > 0.23)
      kids = 2;
    else if (k > 0.08)
      kids = 3;
    else if (k > 0.02)
      kids = 4;
    else
      kids = rng_.range(5, 7);
    int oldest = rng_.range(0, 17);
    int mother_age = oldest + rng_.range(19, 36);

    Origin partner_origin = origin;
    if (kind != HouseholdKind::kLoneParent && rng_.chance(0.07)) partner_origin = sample_origin();
    if (kind == HouseholdKind::kMultiGeneration) {
      int gran_age = std::min(95, mother_age + rng_.range(20, 30));
      add_adult(origin, Sex::kMale, std::min(95, gran_age + rng_.range(0, 5)), family);
      add_adult(origin, Sex::kFemale, gran_age, wife_family(origin, family));
    }
    std::string child_family = family;
    if (kind == HouseholdKind::kLoneParent) {
      if (rng_.chance(0.9)) {
        add_adult(origin, Sex::kFemale, mother_age, family);
        // Often the children carry their absent father's surname.
        if (rng_.chance(0.35)) child_family = lex_.family(origin).sample(rng_);
      } else {
        add_adult(origin, Sex::kMale, mother_age + rng_.range(0, 5), family);
      }
    } else {
      std::string father_family = kind == HouseholdKind::kMultiGeneration
                                      ? family
                                      : lex_.family(partner_origin).sample(rng_);
      if (partner_origin == origin) father_family = family;
      add_adult(partner_origin, Sex::kMale, std::max(18, mother_age + rng_.range(-2, 6)),
                father_family);
      add_adult(origin, Sex::kFemale, mother_age, wife_family(origin, father_family));
      child_family = father_family;
    }
    int age = oldest;
    for (int i = 0; i < kids && age >= 0; ++i) {
      Origin child_origin = rng_.chance(0.5) ? origin : partner_origin;
      Sex sex = rng_.chance(0.51) ? Sex::kMale : Sex::kFemale;
      auto id = make_person(child_origin, sex, age, child_family, hh, address);
      if (partner_origin != origin) {
        world_.people[id].ethnicity = mixed_ethnicity(origin, partner_origin);
      }
      world_.households[hh].children.push_back(id);
      age -= rng_.range(1, 4);
    }
  }

  std::string wife_family(Origin origin, const std::string& husband_family) {
    double keep = is_south_asian(origin) ? 0.4 : 0.2;
    if (rng_.chance(keep)) {
      if (is_south_asian(origin) && rng_.chance(0.5)) return rng_.chance(0.5) ? "Bibi" : "Begum";
      return lex_.family(origin).sample(rng_);
    }
    return husband_family;
  }

  // --- Schools, identifiers, staff, vehicles ------------------------------------------------

  void assign_schools_and_ids() {
    std::vector<std::uint32_t> primaries, secondaries;
    for (std::uint32_t i = 0; i < world_.places.size(); ++i) {
      if (world_.places[i].kind != PlaceKind::kSchool) continue;
      (world_.places[i].secondary_school ? secondaries : primaries).push_back(i);
    }
    std::vector<int> upn_serial(world_.places.size() * 32, 0);
    std::uint64_t nhs_cursor = 0;
    for (auto& p : world_.people) {
      p.nhs_number = next_nhs_number(nhs_cursor);
      int age = age_on(p.dob, world_.end);
      if (age < 4 || age > 17) continue;
      if (age >= 16 && rng_.chance(0.4)) continue;  // Left for college or work.
      // Children mostly attend a school in their own postcode district.
      const auto& list = age <= 10 ? primaries : secondaries;
      int district = world_.streets[world_.addresses[p.address].street].district;
      std::uint32_t school = list[(district * 7 + rng_.below(2)) % list.size()];
      if (rng_.chance(0.2)) school = rng_.pick(list);
      p.school = static_cast<std::int32_t>(school);
      int start_year = p.dob.year() + 4;
      int& serial = upn_serial[school * 32 + (start_year % 32)];
      p.upn = make_upn(2000 + static_cast<int>(school), start_year % 100, serial++);
    }
  }

  // NHS numbers in the 999 range reserved for testing, with a valid modulus-11 check digit,
  // unique per person. A bijective scramble of a counter spreads them over the range.
  std::string next_nhs_number(std::uint64_t& cursor) {
    const bool big = options_.people > 850000;
    const std::uint64_t space = big ? 10000000 : 1000000;
    while (true) {
      std::uint64_t k = cursor++;
      std::uint64_t body = (k * 7919 + 104729) % space;
      std::string digits = (big ? "99" : "999") + zero_pad(body, big ? 7 : 6);
      int sum = 0;
      for (int i = 0; i < 9; ++i) sum += (digits[i] - '0') * (10 - i);
      int check = 11 - sum % 11;
      if (check == 11) check = 0;
      if (check == 10) continue;
      return digits + static_cast<char>('0' + check);
    }
  }

  static std::string zero_pad(std::uint64_t v, int width) {
    std::string s = std::to_string(v);
    if (static_cast<int>(s.size()) < width) s.insert(0, width - s.size(), '0');
    return s;
  }

  // DfE unique pupil number: check letter, LA number, establishment, year, serial.
  std::string make_upn(int establishment, int year, int serial) {
    std::string digits =
        "999" + zero_pad(establishment % 10000, 4) + zero_pad(year, 2) + zero_pad(serial % 1000, 3);
    int sum = 0;
    for (int i = 0; i < 12; ++i) sum += (digits[i] - '0') * (i + 2);
    static constexpr std::string_view kLetters = "ABCDEFGHJKLMNPQRTUVWXYZ";
    return kLetters[sum % 23] + digits;
  }

  void assign_staff() {
    // Staff are adults of working age, drawn from the whole population.
    std::vector<std::uint32_t> men, women;
    for (const auto& p : world_.people) {
      int age = age_on(p.dob, world_.end);
      if (age < 19 || age > 64) continue;
      (p.sex == Sex::kMale ? men : women).push_back(p.id);
    }
    for (auto& place : world_.places) {
      int n = 0;
      double male_share = 0.6;
      switch (place.kind) {
        case PlaceKind::kTakeaway:
          n = rng_.range(2, 5);
          male_share = 0.8;
          break;
        case PlaceKind::kTaxiFirm:
          n = rng_.range(8, 25);
          male_share = 0.95;
          break;
        case PlaceKind::kHotel:
          n = rng_.range(3, 8);
          male_share = 0.5;
          break;
        case PlaceKind::kShop:
          n = rng_.range(1, 3);
          break;
        case PlaceKind::kSchool:
          n = place.secondary_school ? rng_.range(30, 60) : rng_.range(10, 20);
          male_share = 0.3;
          break;
        default:
          break;
      }
      for (int i = 0; i < n; ++i) {
        const auto& pool = rng_.chance(male_share) ? men : women;
        if (!pool.empty()) place.staff.push_back(rng_.pick(pool));
      }
    }
  }

  void make_vehicles() {
    world_.vehicles_of.assign(world_.people.size(), {});
    const auto& models = lex_.vehicle_models();
    std::vector<std::uint32_t> hire_models;
    for (std::uint32_t i = 0; i < models.size(); ++i) {
      if (models[i].private_hire) hire_models.push_back(i);
    }
    auto add = [&](std::uint32_t keeper, std::uint32_t model, bool hire) {
      Vehicle v;
      v.registration = new_registration(hire);
      v.make = models[model].make;
      v.model = models[model].model;
      v.colour = hire && rng_.chance(0.6) ? (rng_.chance(0.5) ? "Silver" : "Black")
                                          : lex_.colours().sample(rng_);
      v.keeper = static_cast<std::int32_t>(keeper);
      v.private_hire = hire;
      world_.vehicles.push_back(std::move(v));
      world_.vehicles_of[keeper].push_back(static_cast<std::uint32_t>(world_.vehicles.size() - 1));
    };
    for (const auto& place : world_.places) {
      if (place.kind != PlaceKind::kTaxiFirm) continue;
      for (auto driver : place.staff) {
        if (world_.vehicles_of[driver].empty()) add(driver, rng_.pick(hire_models), true);
      }
    }
    for (const auto& p : world_.people) {
      int age = age_on(p.dob, world_.end);
      if (age < 18 || age > 85 || !world_.vehicles_of[p.id].empty()) continue;
      if (!rng_.chance(0.45)) continue;
      add(p.id, static_cast<std::uint32_t>(lex_.vehicle_weights().sample(rng_)), false);
    }
  }

  // UK registrations: current (2001-) "YX65 KLM"; prefix (1983-2001) "R123 ABC"; suffix
  // (1963-1983) "ABC 123T". Letters I and Q never appear in the random part.
  std::string new_registration(bool recent) {
    static constexpr std::string_view kLetters = "ABCDEFGHJKLMNOPRSTUVWXYZ";
    static constexpr std::string_view kRegion = "ABCDEFGHKLMNOPRSVWY";
    static constexpr std::string_view kPrefixYears = "ABCDEFGHJKLMNPRSTVWXY";  // 1983-2001.
    auto letter = [&](std::string_view set) { return set[rng_.below(set.size())]; };
    while (true) {
      std::string reg;
      double u = rng_.uniform();
      int age = recent ? rng_.range(0, 8) : static_cast<int>(rng_.uniform() * rng_.uniform() * 26);
      if (u < 0.01 && !recent) {
        reg = {letter(kLetters), letter(kLetters), letter(kLetters), ' '};
        reg += std::to_string(rng_.range(1, 999));
        reg += letter("ABCDEFGHJKLMNPRSTVWXY");
      } else if (world_.end.year() - age < 2002) {
        reg = letter(kPrefixYears);
        reg += std::to_string(rng_.range(1, 999)) + " ";
        reg += {letter(kLetters), letter(kLetters), letter(kRegion)};
      } else {
        int year = world_.end.year() - age;
        bool september = rng_.chance(0.5) && !(year == world_.end.year() && world_.end.month() < 9);
        int age_id = (year % 100) + (september ? 50 : 0);
        reg = rng_.chance(0.5) ? 'Y' : letter(kRegion);
        reg += letter(kLetters);
        reg += zero_pad(age_id, 2) + " ";
        reg += {letter(kLetters), letter(kLetters), letter(kLetters)};
      }
      if (registrations_.insert(reg).second) return reg;
    }
  }

  WorldOptions options_;
  Rng rng_;
  const Lexicon& lex_;
  WeightedIndex origin_index_;
  World world_;
  int districts_ = 3;
  std::vector<int> street_next_number_, street_unit_, street_unit_fill_, sector_units_;
  std::unordered_set<std::string> used_place_names_, mobiles_, registrations_;
  long pnc_serial_ = 0;
};

}  // namespace

std::string_view ethnicity_code(Ethnicity e) { return kEthnicityCodes[static_cast<int>(e)]; }

Ethnicity ethnicity_of(Origin origin) {
  switch (origin) {
    case Origin::kBritish:
      return Ethnicity::kWhiteBritish;
    case Origin::kIrish:
      return Ethnicity::kWhiteIrish;
    case Origin::kTraveller:
      return Ethnicity::kWhiteGypsyIrishTraveller;
    case Origin::kPakistani:
      return Ethnicity::kAsianPakistani;
    case Origin::kBangladeshi:
      return Ethnicity::kAsianBangladeshi;
    case Origin::kIndian:
      return Ethnicity::kAsianIndian;
    case Origin::kArab:
      return Ethnicity::kOtherArab;
    case Origin::kSomali:
      return Ethnicity::kBlackAfrican;
    case Origin::kCaribbean:
      return Ethnicity::kBlackCaribbean;
    case Origin::kChinese:
      return Ethnicity::kAsianChinese;
    case Origin::kNigerian:
      return Ethnicity::kBlackAfrican;
    case Origin::kGhanaian:
      return Ethnicity::kBlackAfrican;
    case Origin::kPolish:
      return Ethnicity::kWhiteOther;
    case Origin::kRomanian:
      return Ethnicity::kWhiteOther;
    case Origin::kLatvian:
      return Ethnicity::kWhiteOther;
    case Origin::kRoma:
      return Ethnicity::kWhiteRoma;
  }
  return Ethnicity::kOtherAny;
}

Ethnicity mixed_ethnicity(Origin a, Origin b) {
  Ethnicity ea = ethnicity_of(a), eb = ethnicity_of(b);
  if (ea == eb) return ea;
  auto white = [](Ethnicity e) { return e <= Ethnicity::kWhiteOther; };
  auto asian = [](Ethnicity e) {
    return e >= Ethnicity::kAsianIndian && e <= Ethnicity::kAsianOther;
  };
  if (white(ea) && white(eb)) return Ethnicity::kWhiteOther;
  Ethnicity w = white(ea) ? ea : eb, o = white(ea) ? eb : ea;
  if (!white(w)) return Ethnicity::kMixedOther;
  if (o == Ethnicity::kBlackCaribbean) return Ethnicity::kMixedWhiteBlackCaribbean;
  if (o == Ethnicity::kBlackAfrican) return Ethnicity::kMixedWhiteBlackAfrican;
  if (asian(o)) return Ethnicity::kMixedWhiteAsian;
  return Ethnicity::kMixedOther;
}

std::string_view place_kind_code(PlaceKind kind) {
  switch (kind) {
    case PlaceKind::kTakeaway:
      return "takeaway";
    case PlaceKind::kTaxiFirm:
      return "taxi_firm";
    case PlaceKind::kHotel:
      return "hotel";
    case PlaceKind::kPark:
      return "park";
    case PlaceKind::kSchool:
      return "school";
    case PlaceKind::kPrivateAddress:
      return "private_address";
    case PlaceKind::kShop:
      return "shop";
    case PlaceKind::kOther:
      return "other";
  }
  return "other";
}

int age_on(core::Date dob, core::Date on) {
  int age = on.year() - dob.year();
  if (on.month() < dob.month() || (on.month() == dob.month() && on.day() < dob.day())) --age;
  return age;
}

int World::age(const Person& p, core::Date on) const { return age_on(p.dob, on); }

std::string World::truth_id(std::uint32_t person) const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "P%07u", person);
  return buf;
}

std::vector<std::uint32_t> World::places_of(PlaceKind kind) const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < places.size(); ++i) {
    if (places[i].kind == kind) out.push_back(i);
  }
  return out;
}

World build_world(const WorldOptions& options) { return Builder(options).build(); }

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string ascii_fold(std::string_view utf8) {
  // The Latin letters with diacritics that the name lists use, folded as a UK clerk would type
  // them on a keyboard without them.
  static constexpr std::pair<std::string_view, std::string_view> kFold[] = {
      {"ą", "a"}, {"ć", "c"}, {"ę", "e"}, {"ł", "l"},  {"ń", "n"}, {"ó", "o"}, {"ś", "s"},
      {"ź", "z"}, {"ż", "z"}, {"Ł", "L"}, {"Ś", "S"},  {"Ż", "Z"}, {"Ź", "Z"}, {"ă", "a"},
      {"â", "a"}, {"î", "i"}, {"ș", "s"}, {"ş", "s"},  {"ț", "t"}, {"ţ", "t"}, {"Ș", "S"},
      {"Ț", "T"}, {"ā", "a"}, {"ē", "e"}, {"ī", "i"},  {"ū", "u"}, {"ņ", "n"}, {"ļ", "l"},
      {"ķ", "k"}, {"ģ", "g"}, {"č", "c"}, {"š", "s"},  {"ž", "z"}, {"Č", "C"}, {"Š", "S"},
      {"Ž", "Z"}, {"á", "a"}, {"é", "e"}, {"í", "i"},  {"ý", "y"}, {"ú", "u"}, {"ů", "u"},
      {"ř", "r"}, {"ť", "t"}, {"ď", "d"}, {"ň", "n"},  {"ľ", "l"}, {"ĺ", "l"}, {"ä", "a"},
      {"ô", "o"}, {"ö", "o"}, {"ü", "u"}, {"ß", "ss"}, {"à", "a"}, {"è", "e"}, {"ç", "c"},
      {"ğ", "g"}, {"ı", "i"}, {"Ö", "O"}, {"Ü", "U"},  {"Á", "A"}, {"É", "E"}, {"Ó", "O"},
  };
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    std::string_view ch = utf8.substr(i, len);
    bool folded = false;
    for (const auto& [from, to] : kFold) {
      if (from == ch) {
        out += to;
        folded = true;
        break;
      }
    }
    if (!folded) out += ch;
    i += len;
  }
  return out;
}

}  // namespace sg::synth
