#include "synth/records.h"

#include <algorithm>
#include <cstdio>

namespace sg::synth {
namespace {

constexpr std::string_view kNoiseCodes[kNoiseCount] = {
    "name_typo",           "phonetic_spelling",    "nickname",
    "transliteration",     "diacritics_dropped",   "initial_only",
    "full_name_only",      "middle_name_as_given", "name_order_swapped",
    "family_name_missing", "dob_missing",          "dob_day_month_swapped",
    "dob_year_wrong",      "dob_day_wrong",        "dob_partial",
    "approximate_age",     "sex_missing",          "ethnicity_missing",
    "ethnicity_different", "address_missing",      "address_stale",
    "address_reformatted", "postcode_missing",     "postcode_reformatted",
    "postcode_typo",       "phone_missing",        "phone_typo",
    "identifier_typo",     "duplicate_record",
};

enum class DobFormat : std::uint8_t { kIso, kUk, kCompact };
enum class SexStyle : std::uint8_t { kLetter, kTitle, kLower };

// How carefully, and in what shape, each agency records people. The rates are the stated
// ranges of docs/synthetic-world.md; tests check the generated shares against them.
struct Profile {
  double typo, phonetic, nickname, variant, keep_diacritics, initial_only, full_name_only,
      middle_as_given, order_swapped, family_missing;
  double dob_missing, dob_swap, dob_year, dob_day, dob_partial, approx_when_missing;
  DobFormat dob_format;
  SexStyle sex_style;
  double sex_missing, ethnicity_missing, ethnicity_wrong;
  double address_missing, address_stale, address_format, postcode_missing, postcode_format,
      postcode_typo;
  double phone_missing, phone_typo, email_missing;
  double nhs, upn, id_typo, upper_family, reuse;
};

constexpr Profile kProfiles[kAgencyCount] = {
    // Police: fast entry, often from what a person says at the roadside.
    {0.05,
     0.05,
     0.05,
     0.10,
     0.10,
     0.03,
     0.25,
     0.30,
     0.05,
     0.01,
     0.06,
     0.03,
     0.02,
     0.02,
     0.01,
     0.70,
     DobFormat::kUk,
     SexStyle::kLetter,
     0.02,
     0.20,
     0.12,
     0.08,
     0.12,
     0.40,
     0.10,
     0.20,
     0.02,
     0.35,
     0.02,
     0.80,
     0.05,
     0.00,
     0.01,
     0.40,
     0.85},
    // Children's services.
    {0.03,
     0.03,
     0.03,
     0.06,
     0.20,
     0.01,
     0.00,
     0.20,
     0.02,
     0.01,
     0.02,
     0.03,
     0.01,
     0.02,
     0.01,
     0.80,
     DobFormat::kCompact,
     SexStyle::kLower,
     0.01,
     0.10,
     0.05,
     0.03,
     0.10,
     0.30,
     0.05,
     0.10,
     0.02,
     0.30,
     0.02,
     0.60,
     0.60,
     0.40,
     0.01,
     0.00,
     0.90},
    // Health: the GP register, the most careful.
    {0.015,
     0.01,
     0.00,
     0.03,
     0.50,
     0.00,
     0.00,
     0.10,
     0.00,
     0.00,
     0.003,
     0.01,
     0.005,
     0.005,
     0.00,
     0.50,
     DobFormat::kIso,
     SexStyle::kTitle,
     0.005,
     0.25,
     0.03,
     0.01,
     0.08,
     0.10,
     0.01,
     0.05,
     0.01,
     0.20,
     0.01,
     0.50,
     0.97,
     0.00,
     0.005,
     0.00,
     0.97},
    // Schools.
    {0.02,
     0.02,
     0.04,
     0.04,
     0.30,
     0.00,
     0.00,
     0.15,
     0.00,
     0.00,
     0.005,
     0.02,
     0.003,
     0.005,
     0.00,
     0.50,
     DobFormat::kUk,
     SexStyle::kLetter,
     0.00,
     0.08,
     0.03,
     0.01,
     0.05,
     0.20,
     0.01,
     0.10,
     0.01,
     0.10,
     0.02,
     0.40,
     0.15,
     0.98,
     0.01,
     0.00,
     0.97},
    // Youth project: first names, nicknames and what young people choose to say.
    {0.08,
     0.10,
     0.30,
     0.10,
     0.05,
     0.05,
     0.50,
     0.30,
     0.05,
     0.15,
     0.50,
     0.04,
     0.04,
     0.03,
     0.05,
     0.90,
     DobFormat::kUk,
     SexStyle::kLetter,
     0.05,
     0.50,
     0.15,
     0.50,
     0.10,
     0.60,
     0.60,
     0.40,
     0.04,
     0.30,
     0.04,
     0.70,
     0.00,
     0.00,
     0.00,
     0.00,
     0.70},
    // Members of the public, usually anonymous.
    {0.10,
     0.15,
     0.40,
     0.15,
     0.00,
     0.10,
     0.80,
     0.30,
     0.05,
     0.60,
     0.95,
     0.00,
     0.00,
     0.00,
     0.00,
     0.90,
     DobFormat::kUk,
     SexStyle::kLetter,
     0.10,
     0.90,
     0.10,
     0.80,
     0.00,
     0.50,
     0.90,
     0.50,
     0.00,
     0.70,
     0.05,
     0.95,
     0.00,
     0.00,
     0.00,
     0.00,
     0.00},
};

std::string pad(std::uint64_t v, int width) {
  std::string s = std::to_string(v);
  if (static_cast<int>(s.size()) < width) s.insert(0, width - s.size(), '0');
  return s;
}

std::string format_dob(core::Date d, DobFormat f) {
  char buf[16];
  switch (f) {
    case DobFormat::kIso:
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", d.year(), d.month(), d.day());
      break;
    case DobFormat::kUk:
      std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", d.day(), d.month(), d.year());
      break;
    case DobFormat::kCompact:
      std::snprintf(buf, sizeof buf, "%04d%02u%02u", d.year(), d.month(), d.day());
      break;
  }
  return buf;
}

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// One keyboard slip: a substituted, dropped, doubled or swapped letter (never the first).
std::string typo(std::string s, Rng& rng) {
  std::vector<std::size_t> positions;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (is_ascii_letter(s[i])) positions.push_back(i);
  }
  if (positions.empty()) return s;
  std::size_t i = rng.pick(positions);
  switch (rng.below(4)) {
    case 0:
      s[i] = static_cast<char>('a' + rng.below(26));
      break;
    case 1:
      s.erase(i, 1);
      break;
    case 2:
      s.insert(i, 1, s[i]);
      break;
    default:
      if (i + 1 < s.size() && is_ascii_letter(s[i + 1]))
        std::swap(s[i], s[i + 1]);
      else
        s.erase(i, 1);
      break;
  }
  return s;
}

// A spelling as heard: "Catherine" -> "Katherine", "Kelly" -> "Kellie", "Stephen" -> "Stefen".
std::string phonetic(const std::string& s, Rng& rng) {
  static constexpr std::pair<std::string_view, std::string_view> kRules[] = {
      {"ph", "f"},  {"ck", "k"}, {"ie", "y"}, {"ee", "ea"}, {"ou", "ow"}, {"ai", "ay"},
      {"z", "s"},   {"s", "z"},  {"tt", "t"}, {"ll", "l"},  {"nn", "n"},  {"mm", "m"},
      {"ss", "s"},  {"ey", "y"}, {"ah", "a"}, {"th", "t"},  {"ei", "ie"}, {"oo", "u"},
      {"Ch", "Sh"}, {"C", "K"},  {"K", "C"},  {"y", "ie"},  {"i", "y"},   {"ae", "a"},
  };
  std::vector<std::pair<std::size_t, int>> options;
  for (int r = 0; r < static_cast<int>(std::size(kRules)); ++r) {
    auto pos = s.find(kRules[r].first);
    if (pos != std::string::npos) options.push_back({pos, r});
  }
  if (options.empty()) return s;
  auto [pos, r] = rng.pick(options);
  std::string out = s;
  out.replace(pos, kRules[r].first.size(), kRules[r].second);
  return out;
}

bool has_non_ascii(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

std::string upper_ascii(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

std::string reformat_address(std::string line, Rng& rng) {
  static constexpr std::pair<std::string_view, std::string_view> kAbbrev[] = {
      {"Road", "Rd"},      {"Street", "St"},     {"Avenue", "Ave"}, {"Lane", "Ln"},
      {"Close", "Cl"},     {"Crescent", "Cres"}, {"Drive", "Dr"},   {"Terrace", "Terr"},
      {"Gardens", "Gdns"}, {"Court", "Ct"}};
  switch (rng.below(4)) {
    case 0:
      for (const auto& [from, to] : kAbbrev) {
        auto pos = line.rfind(from);
        if (pos != std::string::npos && pos + from.size() == line.size()) {
          line.replace(pos, from.size(), to);
          break;
        }
      }
      return line;
    case 1:
      return line + ", Northfield";
    case 2:
      return lower_ascii(line);
    default: {
      // "14 Moor Road" -> "14, Moor Road"
      auto space = line.find(' ');
      if (space != std::string::npos && std::isdigit(static_cast<unsigned char>(line[0]))) {
        line.insert(space, ",");
      }
      return upper_ascii(line);
    }
  }
}

std::string reformat_postcode(const std::string& pc, Rng& rng) {
  std::string compact = pc;
  std::erase(compact, ' ');
  switch (rng.below(3)) {
    case 0:
      return compact;
    case 1:
      return lower_ascii(pc);
    default:
      return lower_ascii(compact);
  }
}

std::string postcode_typo(std::string pc, Rng& rng) {
  static constexpr std::string_view kUnit = "ABDEFGHJLNPQRSTUWXYZ";
  if (pc.size() < 3) return pc;
  std::size_t i = pc.size() - 1 - rng.below(2);
  char c = kUnit[rng.below(kUnit.size())];
  if (c == pc[i]) c = c == 'A' ? 'B' : 'A';
  pc[i] = c;
  return pc;
}

std::string digit_swap(std::string s, Rng& rng) {
  std::vector<std::size_t> pairs;
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(s[i])) &&
        std::isdigit(static_cast<unsigned char>(s[i + 1])) && s[i] != s[i + 1]) {
      pairs.push_back(i);
    }
  }
  if (pairs.empty()) return s;
  auto i = rng.pick(pairs);
  std::swap(s[i], s[i + 1]);
  return s;
}

Ethnicity confused_ethnicity(Ethnicity e, Rng& rng) {
  using E = Ethnicity;
  switch (e) {
    case E::kWhiteBritish:
      return rng.chance(0.5) ? E::kWhiteOther : E::kWhiteIrish;
    case E::kWhiteOther:
    case E::kWhiteRoma:
    case E::kWhiteIrish:
    case E::kWhiteGypsyIrishTraveller:
      return rng.chance(0.6) ? E::kWhiteBritish : E::kWhiteOther;
    case E::kAsianPakistani:
      return rng.chance(0.5) ? E::kAsianOther : E::kAsianBangladeshi;
    case E::kAsianBangladeshi:
    case E::kAsianIndian:
      return rng.chance(0.5) ? E::kAsianOther : E::kAsianPakistani;
    case E::kMixedWhiteBlackCaribbean:
      return rng.chance(0.5) ? E::kBlackCaribbean : E::kMixedOther;
    case E::kMixedWhiteBlackAfrican:
      return rng.chance(0.5) ? E::kBlackAfrican : E::kMixedOther;
    case E::kMixedWhiteAsian:
      return rng.chance(0.5) ? E::kAsianOther : E::kMixedOther;
    case E::kOtherArab:
      return rng.chance(0.5) ? E::kOtherAny : E::kAsianOther;
    case E::kBlackAfrican:
      return rng.chance(0.5) ? E::kBlackOther : E::kBlackCaribbean;
    case E::kBlackCaribbean:
      return rng.chance(0.5) ? E::kBlackOther : E::kMixedWhiteBlackCaribbean;
    default:
      return E::kOtherAny;
  }
}

std::string_view sex_text(Sex sex, SexStyle style) {
  bool m = sex == Sex::kMale;
  switch (style) {
    case SexStyle::kLetter:
      return m ? "M" : "F";
    case SexStyle::kTitle:
      return m ? "Male" : "Female";
    case SexStyle::kLower:
      return m ? "male" : "female";
  }
  return "";
}

void set(std::uint32_t& bits, Noise n) { bits |= 1u << static_cast<int>(n); }

}  // namespace

std::string_view noise_code(Noise noise) { return kNoiseCodes[static_cast<int>(noise)]; }

std::string format_date_uk(core::Date d) { return format_dob(d, DobFormat::kUk); }

std::string format_phone(std::string_view nsn, Rng& rng) {
  if (nsn.size() != 10) return "0" + std::string(nsn);
  std::string a(nsn.substr(0, 4)), b(nsn.substr(4));
  switch (rng.below(11)) {
    case 0:
    case 1:
      return "0" + a + " " + b;
    case 2:
      return "0" + std::string(nsn);
    case 3:
      return "+44 " + a + " " + b;
    case 4:
      return "+44" + std::string(nsn);
    case 5:
      return "0044 " + a + " " + b;
    case 6:
      return "0" + a + "-" + b.substr(0, 3) + "-" + b.substr(3);
    case 7:
      return "(0" + a + ") " + b;
    case 8:
      return "+44 (0)" + a + " " + b;
    case 9:
      return "0" + std::string(nsn.substr(0, 3)) + " " + std::string(nsn.substr(3, 3)) + " " +
             std::string(nsn.substr(6));
    default:
      return std::string(nsn);  // The leading zero dropped, as a spreadsheet does.
  }
}

std::string format_registration(std::string_view canonical, Rng& rng, bool may_misread,
                                bool may_be_partial) {
  std::string reg(canonical);
  if (may_be_partial && rng.chance(0.25)) {
    // "YX65 K??": a witness caught part of it.
    auto space = reg.find(' ');
    std::size_t keep = space == std::string::npos ? 4 : space + 1 + rng.below(2);
    for (std::size_t i = keep; i < reg.size(); ++i) {
      if (reg[i] != ' ') reg[i] = '?';
    }
    return reg;
  }
  if (may_misread && rng.chance(0.12)) {
    // The usual misreadings: O/0, I/1, S/5, B/8, both ways.
    static constexpr std::pair<char, char> kPairs[] = {{'O', '0'}, {'0', 'O'}, {'I', '1'},
                                                       {'1', 'I'}, {'S', '5'}, {'5', 'S'},
                                                       {'B', '8'}, {'8', 'B'}};
    std::vector<std::pair<std::size_t, char>> options;
    for (std::size_t i = 0; i < reg.size(); ++i) {
      for (auto [from, to] : kPairs) {
        if (reg[i] == from) options.push_back({i, to});
      }
    }
    if (!options.empty()) {
      auto [i, to] = rng.pick(options);
      reg[i] = to;
    }
  }
  switch (rng.below(8)) {
    case 0:
    case 1:
      std::erase(reg, ' ');
      break;
    case 2:
      reg = lower_ascii(reg);
      break;
    case 3:
      if (reg.size() > 2 && reg[2] != ' ') reg.insert(2, " ");
      break;
    default:
      break;
  }
  return reg;
}

RecordRegistry::RecordRegistry(const World& world, std::uint64_t seed)
    : world_(world), seed_(seed) {
  for (auto& v : identified_) v.assign(world.people.size(), UINT32_MAX);
}

std::uint32_t RecordRegistry::create(std::uint32_t person, Agency agency, Knowledge knowledge,
                                     bool professional, bool duplicate, core::Date created) {
  RecordMeta m;
  m.person = person;
  m.agency = agency;
  m.knowledge = knowledge;
  m.professional = professional;
  m.duplicate = duplicate;
  m.created = created;
  m.number = ++next_number_[static_cast<int>(agency)];
  meta_.push_back(m);
  return static_cast<std::uint32_t>(meta_.size() - 1);
}

void RecordRegistry::register_baseline(core::Date as_of) {
  Rng rng = Rng::stream(seed_, "baseline");
  auto before = [&](int max_days) {
    return as_of.plus_days(-1 - static_cast<int>(rng.below(max_days)));
  };
  auto add = [&](std::uint32_t p, Agency a, core::Date created) {
    auto& slot = identified_[static_cast<int>(a)][p];
    if (slot == UINT32_MAX) slot = create(p, a, Knowledge::kIdentified, false, false, created);
  };
  const auto& people = world_.people;
  for (const auto& p : people) {
    if (rng.chance(0.97)) add(p.id, Agency::kHealth, std::max(p.dob, before(3650)));
  }
  for (const auto& p : people) {
    if (p.school < 0) continue;
    add(p.id, Agency::kSchools, std::max(p.dob.plus_days(4 * 365), before(1500)));
    // Schools hold their pupils' parents as contacts.
    for (auto a : world_.households[p.household].adults) {
      if (rng.chance(0.6)) add(a, Agency::kSchools, before(1500));
    }
  }
  for (const auto& p : people) {
    int age = age_on(p.dob, as_of);
    if (!p.pnc_id.empty() || (age >= 16 && rng.chance(0.03))) {
      add(p.id, Agency::kPolice, std::max(p.dob.plus_days(16 * 365), before(5000)));
    }
  }
  for (const auto& h : world_.households) {
    if (h.concern_weight < 20) continue;
    for (auto c : h.children) {
      if (rng.chance(0.8))
        add(c, Agency::kChildrensServices, std::max(people[c].dob, before(2000)));
    }
    for (auto a : h.adults) {
      if (rng.chance(0.6)) add(a, Agency::kChildrensServices, before(2000));
    }
  }
  for (const auto& p : people) {
    int age = age_on(p.dob, as_of);
    if (age >= 12 && age <= 17 && rng.chance(0.04)) add(p.id, Agency::kYouthProject, before(700));
  }
}

std::uint32_t RecordRegistry::record_for(std::uint32_t person, Agency agency, Knowledge knowledge,
                                         bool professional, core::Date on, Rng& rng) {
  int a = static_cast<int>(agency);
  if (professional) {
    auto key = std::make_pair(a, person);
    auto it = professional_records_.find(key);
    if (it != professional_records_.end()) return it->second;
    auto r = create(person, agency, Knowledge::kIdentified, true, false, on);
    professional_records_[key] = r;
    return r;
  }
  if (agency == Agency::kPublic || knowledge == Knowledge::kDescribed) {
    return create(person, agency, knowledge, false, false, on);
  }
  if (knowledge == Knowledge::kNickname) {
    auto key = std::make_pair(a, person);
    auto it = nickname_records_.find(key);
    if (it != nickname_records_.end() && rng.chance(0.5)) return it->second;
    auto r = create(person, agency, knowledge, false, it != nickname_records_.end(), on);
    nickname_records_[key] = r;
    return r;
  }
  auto& slot = identified_[a][person];
  if (slot == UINT32_MAX) {
    slot = create(person, agency, knowledge, false, false, on);
    return slot;
  }
  // A busy agency misses its own record now and then and opens a second one.
  if (!rng.chance(kProfiles[a].reuse)) return create(person, agency, knowledge, false, true, on);
  return slot;
}

void RecordRegistry::render(std::uint32_t index, PersonRecord& out) const {
  const RecordMeta& m = meta_[index];
  const Person& p = world_.people[m.person];
  const Profile& pf = kProfiles[static_cast<int>(m.agency)];
  Rng rng = Rng::stream(seed_, "record", index);
  const Lexicon& lex = Lexicon::get();
  out = PersonRecord{};
  out.agency = agency_code(m.agency);
  out.record_id = std::string(out.agency) + "-" + pad(m.number, 7);
  std::uint32_t& noise = out.noise;
  if (m.duplicate) set(noise, Noise::kDuplicateRecord);

  if (m.professional) {
    out.given_name = p.given;
    out.family_name = p.family;
    if (rng.chance(0.03)) {
      out.family_name = typo(out.family_name, rng);
      set(noise, Noise::kNameTypo);
    }
    if (!has_non_ascii(p.given + p.family) || !rng.chance(0.3)) {
      out.given_name = ascii_fold(out.given_name);
      out.family_name = ascii_fold(out.family_name);
    }
    out.sex = sex_text(p.sex, pf.sex_style);
    if (!p.mobile.empty() && rng.chance(0.7)) out.phone = format_phone(p.mobile, rng);
    std::string agency_domain = lower_ascii(std::string(out.agency));
    std::erase(agency_domain, '-');
    std::string local = lower_ascii(ascii_fold(p.given)) + "." + lower_ascii(ascii_fold(p.family));
    std::erase_if(local, [](char c) { return c == ' ' || c == '\''; });
    out.email = local + "@" + agency_domain + ".northfield.example";
    return;
  }

  // --- Names ---------------------------------------------------------------------------------
  std::string given = p.given, middle = p.middle, family = p.family;
  if (m.knowledge == Knowledge::kDescribed) {
    set(noise, Noise::kFamilyNameMissing);
  } else {
    if (!middle.empty() && (given == "Mohammed" || given == "Muhammad") &&
        rng.chance(pf.middle_as_given)) {
      given = middle;  // Known by his second name.
      middle.clear();
      set(noise, Noise::kMiddleNameAsGiven);
    }
    if (rng.chance(pf.variant)) {
      auto v = lex.variants(given);
      auto fv = lex.variants(family);
      if (!v.empty() || !fv.empty()) {
        if (!v.empty()) given = rng.pick(v);
        if (!fv.empty() && (v.empty() || rng.chance(0.5))) family = rng.pick(fv);
        set(noise, Noise::kTransliteration);
      }
    }
    if (m.knowledge == Knowledge::kNickname || rng.chance(pf.nickname)) {
      auto nicks = lex.nicknames(given);
      if (!nicks.empty()) {
        // Known as: either written in place of the given name or beside it.
        std::string nick = rng.pick(nicks);
        if (m.knowledge == Knowledge::kIdentified && rng.chance(0.5))
          given = nick;
        else
          out.nickname = nick;
        set(noise, Noise::kNickname);
      }
    }
    if (rng.chance(pf.typo)) {
      if (rng.chance(0.5))
        given = typo(given, rng);
      else
        family = typo(family, rng);
      set(noise, Noise::kNameTypo);
    }
    if (rng.chance(pf.phonetic)) {
      std::string before = given + "|" + family;
      if (rng.chance(0.5))
        given = phonetic(given, rng);
      else
        family = phonetic(family, rng);
      if (before != given + "|" + family) set(noise, Noise::kPhoneticSpelling);
    }
    if (has_non_ascii(given + family + middle) && !rng.chance(pf.keep_diacritics)) {
      given = ascii_fold(given);
      family = ascii_fold(family);
      middle = ascii_fold(middle);
      set(noise, Noise::kDiacriticsDropped);
    }
    if (m.knowledge == Knowledge::kNickname) {
      // Known only as a street name, perhaps with a first name heard once.
      if (out.nickname.empty()) out.nickname = given;
      if (!rng.chance(0.3)) given.clear();
      if (!rng.chance(0.2)) {
        family.clear();
        set(noise, Noise::kFamilyNameMissing);
      }
    } else {
      if (rng.chance(pf.family_missing)) {
        family.clear();
        set(noise, Noise::kFamilyNameMissing);
      }
      if (!given.empty() && rng.chance(pf.initial_only)) {
        given = given.substr(0, 1);
        set(noise, Noise::kInitialOnly);
      }
    }
    if (pf.upper_family > 0 && rng.chance(pf.upper_family)) family = upper_ascii(family);
    if (rng.chance(pf.full_name_only) && !given.empty()) {
      std::string full;
      if (rng.chance(pf.order_swapped) && !family.empty()) {
        full = family + " " + given;
        set(noise, Noise::kNameOrderSwapped);
      } else if (m.agency == Agency::kPolice && !family.empty()) {
        full = upper_ascii(family) + ", " + given;
      } else {
        full = given;
        if (!middle.empty() && rng.chance(0.5)) full += " " + middle;
        if (!family.empty()) full += " " + family;
      }
      out.full_name = std::move(full);
      set(noise, Noise::kFullNameOnly);
    } else {
      out.given_name = given;
      out.family_name = family;
    }
  }

  // --- Date of birth or approximate age -------------------------------------------------------
  bool knows_dob = m.knowledge == Knowledge::kIdentified && !rng.chance(pf.dob_missing);
  if (knows_dob) {
    core::Date d = p.dob;
    unsigned day = d.day(), month = d.month();
    int year = d.year();
    if (day <= 12 && day != month && rng.chance(pf.dob_swap)) {
      std::swap(day, month);
      set(noise, Noise::kDobDayMonthSwapped);
    } else if (rng.chance(pf.dob_year)) {
      year += rng.chance(0.5) ? 1 : -1;
      set(noise, Noise::kDobYearWrong);
    } else if (rng.chance(pf.dob_day)) {
      day = day == 1 ? 2 : day - 1;
      set(noise, Noise::kDobDayWrong);
    }
    auto recorded = core::Date::from_ymd(year, month, day);
    if (!recorded.ok()) recorded = d;
    if (rng.chance(pf.dob_partial)) {
      out.date_of_birth = std::to_string(recorded->year());
      if (rng.chance(0.5)) out.date_of_birth += "-" + pad(recorded->month(), 2);
      set(noise, Noise::kDobPartial);
    } else {
      out.date_of_birth = format_dob(*recorded, pf.dob_format);
    }
  } else {
    set(noise, Noise::kDobMissing);
    if (m.knowledge != Knowledge::kIdentified || rng.chance(pf.approx_when_missing)) {
      int age = age_on(p.dob, m.created);
      if (rng.chance(0.45)) age += rng.chance(0.5) ? 1 : -1;
      if (rng.chance(0.15)) age += rng.chance(0.5) ? 3 : -3;  // "looked about 30"
      out.approx_age = std::to_string(std::max(0, age));
      out.age_recorded_on = m.created.iso();
      set(noise, Noise::kApproximateAge);
    }
  }

  // --- Sex and ethnicity -------------------------------------------------------------------
  if (rng.chance(pf.sex_missing))
    set(noise, Noise::kSexMissing);
  else
    out.sex = sex_text(p.sex, pf.sex_style);
  if (rng.chance(pf.ethnicity_missing)) {
    if (rng.chance(0.5)) out.ethnicity = "not_stated";
    set(noise, Noise::kEthnicityMissing);
  } else if (rng.chance(pf.ethnicity_wrong)) {
    out.ethnicity = ethnicity_code(confused_ethnicity(p.ethnicity, rng));
    set(noise, Noise::kEthnicityDifferent);
  } else {
    out.ethnicity = ethnicity_code(p.ethnicity);
  }
  if (m.knowledge != Knowledge::kIdentified) {
    // Those known only by sight: whatever ethnicity was written is an officer's guess.
    if (rng.chance(0.5)) out.ethnicity.clear();
  }

  // --- Address, postcode, phone, email --------------------------------------------------------
  bool knows_address =
      m.knowledge == Knowledge::kIdentified ? !rng.chance(pf.address_missing) : rng.chance(0.1);
  if (knows_address) {
    std::uint32_t a = p.address;
    if (p.previous_address >= 0 && rng.chance(pf.address_stale)) {
      a = static_cast<std::uint32_t>(p.previous_address);
      set(noise, Noise::kAddressStale);
    }
    const Address& addr = world_.addresses[a];
    out.address = addr.line;
    if (rng.chance(pf.address_format)) {
      out.address = reformat_address(out.address, rng);
      set(noise, Noise::kAddressReformatted);
    }
    if (rng.chance(pf.postcode_missing)) {
      set(noise, Noise::kPostcodeMissing);
    } else {
      out.postcode = addr.postcode;
      if (rng.chance(pf.postcode_typo)) {
        out.postcode = postcode_typo(out.postcode, rng);
        set(noise, Noise::kPostcodeTypo);
      }
      if (rng.chance(pf.postcode_format)) {
        out.postcode = reformat_postcode(out.postcode, rng);
        set(noise, Noise::kPostcodeReformatted);
      }
    }
  } else {
    set(noise, Noise::kAddressMissing);
    set(noise, Noise::kPostcodeMissing);
  }
  double phone_missing = m.knowledge == Knowledge::kIdentified ? pf.phone_missing : 0.6;
  if (p.mobile.empty() || rng.chance(phone_missing)) {
    set(noise, Noise::kPhoneMissing);
  } else {
    std::string nsn = p.mobile;
    if (rng.chance(pf.phone_typo)) {
      nsn = digit_swap(nsn, rng);
      set(noise, Noise::kPhoneTypo);
    }
    out.phone = format_phone(nsn, rng);
  }
  if (!p.email.empty() && m.knowledge == Knowledge::kIdentified && !rng.chance(pf.email_missing)) {
    out.email = rng.chance(0.1) ? upper_ascii(p.email.substr(0, 1)) + p.email.substr(1) : p.email;
  }

  // --- Identifiers -------------------------------------------------------------------------
  if (m.knowledge != Knowledge::kIdentified) return;
  if (rng.chance(pf.nhs)) {
    out.nhs_number = p.nhs_number;
    if (rng.chance(pf.id_typo)) {
      out.nhs_number = digit_swap(out.nhs_number, rng);
      set(noise, Noise::kIdentifierTypo);
    }
    if (m.agency == Agency::kHealth && rng.chance(0.5)) {
      out.nhs_number = out.nhs_number.substr(0, 3) + " " + out.nhs_number.substr(3, 3) + " " +
                       out.nhs_number.substr(6);
    }
  }
  if (!p.upn.empty() && rng.chance(pf.upn)) out.upn = p.upn;
  if (m.agency == Agency::kPolice && !p.pnc_id.empty()) out.pnc_id = p.pnc_id;
}

}  // namespace sg::synth
