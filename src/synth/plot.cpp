#include "synth/plot.h"

#include <algorithm>
#include <cstdio>
#include <optional>

namespace sg::synth {
namespace {

constexpr std::string_view kAgencyCodes[kAgencyCount] = {"NFP",  "NCS", "NHS-NF",
                                                         "NFED", "NYP", "PUBLIC"};

using core::Date;

Ref person_ref(int i) { return {RefKind::kPerson, i}; }
Ref vehicle_ref(int i) { return {RefKind::kVehicle, i}; }
Ref phone_ref(int i) { return {RefKind::kPhone, i}; }
Ref account_ref(int i) { return {RefKind::kAccount, i}; }
Ref location_ref(int i) { return {RefKind::kLocation, i}; }

// Builds one incident. Children must all be added before any other person, so that person
// refs (children first) stay stable.
class IncidentBuilder {
 public:
  IncidentBuilder(std::string_view type, std::string_view category, Agency agency,
                  Channel channel) {
    inc_.type = type;
    inc_.category = category;
    inc_.agency = agency;
    inc_.channel = channel;
  }
  int child(std::uint32_t person) {
    SG_ASSERT(inc_.persons.empty());
    for (std::size_t i = 0; i < inc_.children.size(); ++i) {
      if (inc_.children[i] == person) return static_cast<int>(i);
    }
    inc_.children.push_back(person);
    return static_cast<int>(inc_.children.size() - 1);
  }
  int person(std::uint32_t person, Role role, Knowledge knowledge,
             std::string_view relationship = {}) {
    for (std::size_t i = 0; i < inc_.children.size(); ++i) {
      if (inc_.children[i] == person) return static_cast<int>(i);
    }
    for (std::size_t i = 0; i < inc_.persons.size(); ++i) {
      if (inc_.persons[i].person == person) {
        return static_cast<int>(inc_.children.size() + i);
      }
    }
    inc_.persons.push_back({person, role, knowledge, relationship});
    return static_cast<int>(inc_.children.size() + inc_.persons.size() - 1);
  }
  int vehicle(std::uint32_t v) { return add_unique(inc_.vehicles, v); }
  int phone(const std::string& nsn) { return add_unique(inc_.phones, nsn); }
  int account(const OnlineAccount& a) {
    for (std::size_t i = 0; i < inc_.accounts.size(); ++i) {
      if (inc_.accounts[i].handle == a.handle) return static_cast<int>(i);
    }
    inc_.accounts.push_back(a);
    return static_cast<int>(inc_.accounts.size() - 1);
  }
  int place(const World& w, std::uint32_t place) {
    for (std::size_t i = 0; i < inc_.locations.size(); ++i) {
      if (inc_.locations[i].place == static_cast<std::int32_t>(place)) return static_cast<int>(i);
    }
    inc_.locations.push_back(
        {static_cast<std::int32_t>(place), w.places[place].address, w.places[place].kind});
    return static_cast<int>(inc_.locations.size() - 1);
  }
  int address(std::uint32_t address) {
    for (std::size_t i = 0; i < inc_.locations.size(); ++i) {
      if (inc_.locations[i].place < 0 && inc_.locations[i].address == address) {
        return static_cast<int>(i);
      }
    }
    inc_.locations.push_back({-1, address, PlaceKind::kPrivateAddress});
    return static_cast<int>(inc_.locations.size() - 1);
  }
  void link(std::string_view type, Ref from, Ref to, std::string_view confidence = "probable") {
    inc_.links.push_back({type, from, to, confidence});
  }
  void indicator(std::string_view code, int child = 0) {
    for (std::size_t i = 0; i < inc_.indicators.size(); ++i) {
      if (inc_.indicators[i] == code && inc_.indicator_child[i] == child) return;
    }
    inc_.indicators.push_back(code);
    inc_.indicator_child.push_back(child);
  }
  void event(std::string_view kind, Date date, int child = 0, int location = -1) {
    inc_.events.push_back({kind, date, child, location});
  }
  Incident& get() { return inc_; }

 private:
  template <typename T>
  static int add_unique(std::vector<T>& list, const T& value) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (list[i] == value) return static_cast<int>(i);
    }
    list.push_back(value);
    return static_cast<int>(list.size() - 1);
  }
  Incident inc_;
};

class Plotter {
 public:
  Plotter(World& world, const PlotOptions& options)
      : w_(world), options_(options), rng_(Rng::stream(options.seed, "plot")), end_(world.end) {
    plot_.start = end_.plus_days(-static_cast<int>(options.years * 365.25));
    start_ = plot_.start;
    plot_.nicknames.assign(w_.people.size(), {});
    victim_.assign(w_.people.size(), false);
    in_network_.assign(w_.people.size(), false);
  }

  Plot run() {
    pick_professionals();
    for (int n = 0; n < options_.networks; ++n) plant_network(n);
    ordinary_concerns();
    auto& incidents = plot_.incidents;
    std::stable_sort(incidents.begin(), incidents.end(), [](const Incident& a, const Incident& b) {
      return a.received_at != b.received_at ? a.received_at < b.received_at : a.seq < b.seq;
    });
    return std::move(plot_);
  }

 private:
  int age(std::uint32_t p, Date on) const { return age_on(w_.people[p].dob, on); }

  Date random_date(Date from, Date to) {
    int span = static_cast<int>((to.days() - from.days()).count());
    if (span <= 0) return from;
    return from.plus_days(static_cast<int>(rng_.below(static_cast<std::uint64_t>(span) + 1)));
  }

  // A random adult matching the predicate, by rejection sampling over the whole population.
  template <typename Pred>
  std::optional<std::uint32_t> find_person(Pred pred, int tries = 20000) {
    for (int i = 0; i < tries; ++i) {
      auto p = static_cast<std::uint32_t>(rng_.below(w_.people.size()));
      if (pred(w_.people[p])) return p;
    }
    return std::nullopt;
  }

  void pick_professionals() {
    // A handful of named practitioners per agency, drawn from working-age adults.
    for (int a = 0; a < kAgencyCount - 1; ++a) {
      int n = std::clamp<int>(static_cast<int>(w_.people.size() / 1500), 6, 200);
      for (int i = 0; i < n; ++i) {
        auto p = find_person([&](const Person& x) {
          int age = age_on(x.dob, end_);
          return age >= 24 && age <= 60;
        });
        if (p) plot_.professionals[a].push_back(*p);
      }
    }
  }

  std::string_view street_name_for(std::uint32_t p) {
    auto& nick = plot_.nicknames[p];
    if (nick.empty()) {
      const auto& given = w_.people[p].given;
      auto known = Lexicon::get().nicknames(given);
      if (!known.empty() && rng_.chance(0.6)) {
        nick = rng_.pick(known);
      } else if (given.size() >= 3 &&
                 std::string_view("aeiou").find(given[1]) != std::string_view::npos) {
        nick = given.substr(0, 2) + "z";  // Darren -> Daz, Karim -> Kaz.
      } else {
        static constexpr std::string_view kStreet[] = {"Bash",  "Biggie", "Chez",   "Dee",  "Jay",
                                                       "Kane",  "Kay",    "Lucky",  "Milo", "Nas",
                                                       "Rocky", "Shorty", "Smiley", "T",    "Zed"};
        nick = std::string(rng_.pick(kStreet));
      }
    }
    return nick;
  }

  // --- Networks ------------------------------------------------------------------------------

  void plant_network(int index) {
    Network n;
    n.id = static_cast<std::uint32_t>(index + 1);
    int span = static_cast<int>((end_.days() - start_.days()).count());
    n.active_from = start_.plus_days(static_cast<int>(rng_.below(std::max(30, span - 540))));

    auto adult_man = [&](int lo, int hi) {
      return find_person([&](const Person& p) {
        int a = age_on(p.dob, n.active_from);
        return p.sex == Sex::kMale && a >= lo && a <= hi && !in_network_[p.id];
      });
    };
    auto join = [&](std::vector<std::uint32_t>& list, std::uint32_t p) {
      list.push_back(p);
      in_network_[p] = true;
      street_name_for(p);
    };

    // Places: a takeaway at the centre, a taxi firm, sometimes a hotel, party addresses.
    auto takeaways = w_.places_of(PlaceKind::kTakeaway);
    auto taxis = w_.places_of(PlaceKind::kTaxiFirm);
    auto hotels = w_.places_of(PlaceKind::kHotel);
    auto parks = w_.places_of(PlaceKind::kPark);
    std::uint32_t takeaway = rng_.pick(takeaways);
    n.places.push_back(takeaway);
    if (rng_.chance(0.5)) n.places.push_back(rng_.pick(takeaways));
    std::uint32_t taxi = rng_.pick(taxis);
    n.places.push_back(taxi);
    if (rng_.chance(0.7)) n.places.push_back(rng_.pick(hotels));
    n.places.push_back(rng_.pick(parks));

    int organisers = rng_.range(1, 2);
    for (int i = 0; i < organisers; ++i) {
      // One organiser works at the takeaway when it has staff to draw on.
      const auto& staff = w_.places[takeaway].staff;
      std::optional<std::uint32_t> p;
      if (i == 0 && !staff.empty()) {
        auto s = rng_.pick(staff);
        if (!in_network_[s] && w_.people[s].sex == Sex::kMale) p = s;
      }
      if (!p) p = adult_man(25, 50);
      if (p) join(n.organisers, *p);
    }
    int associates = rng_.range(3, 8);
    for (int i = 0; i < associates; ++i) {
      if (auto p = adult_man(18, 40)) join(n.associates, *p);
    }
    int drivers = rng_.range(1, 3);
    for (int i = 0; i < drivers; ++i) {
      std::optional<std::uint32_t> p;
      for (auto s : w_.places[taxi].staff) {
        if (!in_network_[s] && !w_.vehicles_of[s].empty()) {
          p = s;
          break;
        }
      }
      if (!p) p = adult_man(21, 60);
      if (p) join(n.drivers, *p);
    }
    // Everyone in a network gets a police record sooner or later.
    auto all_members = n.organisers;
    all_members.insert(all_members.end(), n.associates.begin(), n.associates.end());
    all_members.insert(all_members.end(), n.drivers.begin(), n.drivers.end());
    for (auto m : all_members) {
      for (auto v : w_.vehicles_of[m]) n.vehicles.push_back(v);
    }
    // Party addresses: the homes of one or two associates or organisers.
    int parties = rng_.range(1, 2);
    for (int i = 0; i < parties && !all_members.empty(); ++i) {
      auto host = rng_.pick(all_members);
      Place party;
      party.kind = PlaceKind::kPrivateAddress;
      party.address = w_.people[host].address;
      party.staff.push_back(host);
      w_.places.push_back(std::move(party));
      n.places.push_back(static_cast<std::uint32_t>(w_.places.size() - 1));
    }
    // Burner phones in Ofcom's drama range, and a few online accounts.
    for (auto m : all_members) {
      if (m != all_members.front() && !rng_.chance(0.5)) continue;
      int phones = rng_.range(1, 2);
      for (int i = 0; i < phones; ++i) {
        // Ofcom's drama range first (07700 900100-900999), then a fictional 077009 block.
        int k = burner_++;
        n.phones.push_back(k < 900 ? "7700900" + std::to_string(100 + k)
                                   : "77009" + std::to_string(10000 + k));
        n.phone_users.push_back(m);
      }
    }
    static constexpr std::string_view kPlatforms[] = {"snapchat", "instagram", "tiktok", "whatsapp",
                                                      "facebook"};
    for (auto m : all_members) {
      if (!rng_.chance(0.4)) continue;
      std::string handle = lower_ascii(ascii_fold(std::string(street_name_for(m))));
      std::erase_if(handle, [](char c) { return c == ' ' || c == '\''; });
      handle += rng_.chance(0.5) ? "_" + std::to_string(rng_.range(1, 99))
                                 : "x" + std::to_string(rng_.range(10, 999));
      n.accounts.push_back({std::string(rng_.pick(kPlatforms)), handle, m});
    }

    // Victims: children of 12-16 when groomed; the already vulnerable are picked more often.
    int victims = rng_.range(4, 12);
    for (int i = 0; i < victims; ++i) {
      Date groomed =
          random_date(n.active_from, std::min(end_.plus_days(-60), n.active_from.plus_days(400)));
      auto p = find_person(
          [&](const Person& x) {
            int a = age_on(x.dob, groomed);
            if (a < 12 || a > 16 || victim_[x.id] || in_network_[x.id]) return false;
            if (x.sex == Sex::kMale && !rng_.chance(0.15)) return false;
            double weight = 0.15;
            if (x.looked_after)
              weight = 1.0;
            else if (x.learning_disability)
              weight = 0.6;
            else if (w_.households[x.household].concern_weight > 1)
              weight = 0.4;
            return rng_.chance(weight);
          },
          200000);
      if (!p) continue;
      victim_[*p] = true;
      n.victims.push_back(*p);
      victim_timeline(n, *p, groomed);
    }
    plot_.networks.push_back(std::move(n));
    for (auto m : all_members) {
      if (w_.people[m].pnc_id.empty() && rng_.chance(0.7)) {
        w_.people[m].pnc_id = make_pnc(m);
      }
    }
  }

  std::string make_pnc(std::uint32_t person) {
    // Same shape as the world's PNC ids: "YY/NNNNNNNL".
    static constexpr std::string_view kCheck = "ZABCDEFGHJKLMNPQRTUVWXY";
    long serial = (person * 104729L + 7) % 9000000 + 1000000;
    int year = start_.year() % 100;
    char buf[24];
    std::snprintf(buf, sizeof buf, "%02d/%07ld%c", year, serial,
                  kCheck[static_cast<std::size_t>((year * 10000000L + serial) % 23)]);
    return buf;
  }

  // The escalation of one child's exploitation, as the agencies come to see it.
  void victim_timeline(const Network& n, std::uint32_t child, Date groomed) {
    int months = rng_.range(6, 30);
    Date s2 = groomed.plus_days(months * 30 / 4);
    Date s3 = groomed.plus_days(months * 30 * 6 / 10);
    Date stop = std::min(end_, groomed.plus_days(months * 30));
    auto members = n.organisers;
    members.insert(members.end(), n.associates.begin(), n.associates.end());
    std::uint32_t boyfriend = rng_.pick(members);
    auto circle = circle_of(n, child, boyfriend);
    struct Step {
      Date date;
      int stage;
    };
    std::vector<Step> steps;
    auto add_steps = [&](int stage, Date from, Date to, int lo, int hi) {
      if (from > stop) return;
      to = std::min(to, stop);
      int count = rng_.range(lo, hi);
      for (int i = 0; i < count; ++i) steps.push_back({random_date(from, to), stage});
    };
    add_steps(1, groomed, s2.plus_days(-1), 2, 3);
    add_steps(2, s2, s3.plus_days(-1), 3, 5);
    add_steps(3, s3, stop, 3, 6);
    std::sort(steps.begin(), steps.end(),
              [](const Step& a, const Step& b) { return a.date < b.date; });
    for (const auto& step : steps) {
      network_incident(n, child, boyfriend, circle, step.date, step.stage);
    }
  }

  // The men a child is passed to: the organisers, who arrange every contact and introduce
  // each child to the others; the man who groomed her ("boyfriend"); and one to three of the
  // associates. Each associate abuses only some of the network's children, so the organisers
  // are linked to most victims and to every associate, the associates to a few victims each:
  // the core and periphery Cockbain, Brayley & Laycock (2011) found in Operation Retriever's
  // offender-victim network, and the organisers' "passing around" that the Office of the
  // Children's Commissioner's inquiry (2012) and the Oxfordshire review (Bedford 2015)
  // describe. Drawn from a stream of its own, so the rest of the plot is unchanged.
  std::vector<std::uint32_t> circle_of(const Network& n, std::uint32_t child,
                                       std::uint32_t boyfriend) {
    auto rng = Rng::stream(options_.seed, "circle", child);
    std::vector<std::uint32_t> circle = n.organisers;
    if (std::find(circle.begin(), circle.end(), boyfriend) == circle.end()) {
      circle.push_back(boyfriend);
    }
    std::vector<std::uint32_t> others;
    for (auto a : n.associates) {
      if (a != boyfriend) others.push_back(a);
    }
    int take = std::min(rng.range(2, 4), static_cast<int>(others.size()));
    for (int i = 0; i < take; ++i) {
      auto k = i + static_cast<int>(rng.below(others.size() - static_cast<std::size_t>(i)));
      std::swap(others[static_cast<std::size_t>(i)], others[static_cast<std::size_t>(k)]);
      circle.push_back(others[static_cast<std::size_t>(i)]);
    }
    return circle;
  }

  Channel phone_or(Channel other, double p_phone = 0.5) {
    return rng_.chance(p_phone) ? Channel::kPhone : other;
  }

  std::uint32_t parent_of(std::uint32_t child) {
    const auto& hh = w_.households[w_.people[child].household];
    if (hh.adults.empty()) return professional(Agency::kChildrensServices);
    return hh.adults[rng_.below(hh.adults.size())];
  }
  std::string_view parent_word(std::uint32_t parent) {
    if (w_.households[w_.people[parent].household].kind == HouseholdKind::kChildrensHome) {
      return "carer";
    }
    return w_.people[parent].sex == Sex::kFemale ? "mother" : "father";
  }
  std::uint32_t professional(Agency a) {
    const auto& list = plot_.professionals[static_cast<int>(a)];
    return list[rng_.below(list.size())];
  }
  bool in_care(std::uint32_t child) {
    return w_.households[w_.people[child].household].kind == HouseholdKind::kChildrensHome;
  }

  // The child's home as a location: a children's home is a named place, else an address.
  int home_location(IncidentBuilder& b, std::uint32_t child) {
    std::uint32_t address = w_.people[child].address;
    if (in_care(child)) {
      for (std::uint32_t i = 0; i < w_.places.size(); ++i) {
        if (w_.places[i].kind == PlaceKind::kOther && w_.places[i].address == address) {
          return b.place(w_, i);
        }
      }
    }
    return b.address(address);
  }

  // The reporter or carer of a child for a call about them.
  void add_carer_reporter(IncidentBuilder& b, std::uint32_t child) {
    if (in_care(child)) {
      b.person(professional(Agency::kChildrensServices), Role::kReporter, Knowledge::kIdentified,
               "residential worker");
    } else {
      auto parent = parent_of(child);
      b.person(parent, Role::kReporter, Knowledge::kIdentified, parent_word(parent));
    }
  }

  void standing_vulnerabilities(IncidentBuilder& b, std::uint32_t child) {
    if (w_.people[child].looked_after && rng_.chance(0.6)) b.indicator("V_LOOKED_AFTER");
    if (w_.people[child].learning_disability && rng_.chance(0.6)) {
      b.indicator("V_LEARNING_DISABILITY");
    }
  }

  Knowledge suspect_knowledge(Agency agency) {
    double u = rng_.uniform();
    if (agency == Agency::kPolice) return u < 0.5 ? Knowledge::kIdentified : Knowledge::kNickname;
    if (agency == Agency::kPublic) return u < 0.5 ? Knowledge::kDescribed : Knowledge::kNickname;
    return u < 0.1 ? Knowledge::kIdentified
                   : (u < 0.8 ? Knowledge::kNickname : Knowledge::kDescribed);
  }

  int member_phone(IncidentBuilder& b, const Network& n, std::uint32_t member) {
    for (std::size_t i = 0; i < n.phones.size(); ++i) {
      if (n.phone_users[i] == member) return b.phone(n.phones[i]);
    }
    if (!w_.people[member].mobile.empty()) return b.phone(w_.people[member].mobile);
    return -1;
  }

  std::optional<std::uint32_t> place_of_kind(const Network& n, PlaceKind kind) {
    std::vector<std::uint32_t> matches;
    for (auto p : n.places) {
      if (w_.places[p].kind == kind) matches.push_back(p);
    }
    if (matches.empty()) return std::nullopt;
    return rng_.pick(matches);
  }

  std::uint32_t party_or_hotel(const Network& n) {
    auto kind = rng_.chance(0.35) ? PlaceKind::kHotel : PlaceKind::kPrivateAddress;
    if (auto p = place_of_kind(n, kind)) return *p;
    if (auto p = place_of_kind(n, PlaceKind::kPrivateAddress)) return *p;
    return n.places.front();
  }

  // A driver and his car, seen with the child.
  void car_sighting(IncidentBuilder& b, const Network& n, int child_ref, Agency agency,
                    int location = -1) {
    if (n.drivers.empty() && n.vehicles.empty()) return;
    std::uint32_t driver = n.drivers.empty() ? rng_.pick(n.organisers) : rng_.pick(n.drivers);
    int v = -1;
    if (!w_.vehicles_of[driver].empty())
      v = b.vehicle(rng_.pick(w_.vehicles_of[driver]));
    else if (!n.vehicles.empty())
      v = b.vehicle(rng_.pick(n.vehicles));
    int d = b.person(driver, Role::kSuspect, suspect_knowledge(agency));
    if (v >= 0) {
      b.link("child_seen_in_vehicle", person_ref(child_ref), vehicle_ref(v));
      b.link("person_drives_vehicle", person_ref(d), vehicle_ref(v), "possible");
      if (location >= 0) b.link("vehicle_seen_at_location", vehicle_ref(v), location_ref(location));
    }
    b.link("child_seen_with_person", person_ref(child_ref), person_ref(d), "possible");
  }

  void network_incident(const Network& n, std::uint32_t child, std::uint32_t boyfriend,
                        const std::vector<std::uint32_t>& circle, Date date, int stage) {
    static constexpr std::string_view kStage1[] = {
        "unexplained_gifts", "new_phone",      "older_boyfriend", "late_nights",
        "behaviour_change",  "school_absence", "online_contact"};
    static constexpr std::string_view kStage2[] = {
        "missing_episode", "missing_episode", "seen_in_car",     "substance_use",
        "sexual_health",   "school_absence",  "public_sighting", "older_boyfriend"};
    static constexpr std::string_view kStage3[] = {
        "missing_repeat",      "missing_repeat", "found_at_address", "found_at_address",
        "supplied_substances", "exclusion",      "injury",           "controlling_adult",
        "disclosure",          "public_sighting"};
    std::string_view type = stage == 1   ? rng_.pick(kStage1)
                            : stage == 2 ? rng_.pick(kStage2)
                                         : rng_.pick(kStage3);
    if (type == "disclosure" && !rng_.chance(0.5)) type = "missing_repeat";
    if (type == "school_absence" && w_.people[child].school < 0) type = "late_nights";

    Agency agency = Agency::kPolice;
    Channel channel = Channel::kPhone;
    std::string_view category = "child_sexual_exploitation";
    auto pick_agency = [&](std::initializer_list<std::pair<Agency, Channel>> options) {
      auto it = options.begin() + rng_.below(options.size());
      agency = it->first;
      channel = it->second;
    };
    if (type == "unexplained_gifts" || type == "new_phone" || type == "behaviour_change") {
      pick_agency({{Agency::kSchools, Channel::kEmail},
                   {Agency::kSchools, Channel::kOnlineForm},
                   {Agency::kYouthProject, Channel::kInPerson},
                   {Agency::kChildrensServices, Channel::kPhone}});
      category = rng_.chance(0.5) ? "child_sexual_exploitation" : "behaviour";
    } else if (type == "older_boyfriend" || type == "online_contact") {
      pick_agency({{Agency::kSchools, Channel::kOnlineForm},
                   {Agency::kYouthProject, Channel::kInPerson},
                   {Agency::kHealth, Channel::kEmail},
                   {Agency::kChildrensServices, Channel::kPhone}});
      category = type == "online_contact" ? "online_safety" : "child_sexual_exploitation";
    } else if (type == "late_nights") {
      pick_agency({{Agency::kChildrensServices, Channel::kPhone},
                   {Agency::kYouthProject, Channel::kInPerson}});
      category = "behaviour";
    } else if (type == "school_absence" || type == "exclusion") {
      pick_agency({{Agency::kSchools, Channel::kEmail}, {Agency::kSchools, Channel::kOnlineForm}});
      category = "school_attendance";
    } else if (type == "missing_episode" || type == "missing_repeat") {
      pick_agency({{Agency::kPolice, Channel::kPhone},
                   {Agency::kPolice, Channel::kPhone},
                   {Agency::kPolice, Channel::kPhone},
                   {Agency::kYouthProject, Channel::kEmail}});
      category = "missing";
    } else if (type == "seen_in_car" || type == "public_sighting") {
      pick_agency({{Agency::kPublic, Channel::kAnonymous},
                   {Agency::kPolice, Channel::kInPerson},
                   {Agency::kPublic, Channel::kAnonymous}});
    } else if (type == "substance_use" || type == "injury" || type == "supplied_substances") {
      pick_agency({{Agency::kHealth, Channel::kEmail},
                   {Agency::kHealth, Channel::kPhone},
                   {Agency::kPolice, Channel::kInPerson}});
      category = type == "injury" ? "physical_harm" : "substance_misuse";
    } else if (type == "sexual_health") {
      pick_agency({{Agency::kHealth, Channel::kLetter}, {Agency::kHealth, Channel::kEmail}});
    } else if (type == "found_at_address") {
      pick_agency({{Agency::kPolice, Channel::kPhone}, {Agency::kPolice, Channel::kInPerson}});
    } else if (type == "controlling_adult" || type == "disclosure") {
      pick_agency({{Agency::kYouthProject, Channel::kInPerson},
                   {Agency::kChildrensServices, Channel::kInPerson},
                   {Agency::kPolice, Channel::kInPerson},
                   {Agency::kSchools, Channel::kInPerson}});
    }

    IncidentBuilder b(type, category, agency, channel);
    b.get().network = static_cast<std::int32_t>(n.id - 1);
    b.get().stage = stage;
    int c = b.child(child);
    // Two children of one network are sometimes found together: a pattern worth seeing.
    if ((type == "missing_repeat" || type == "found_at_address" || type == "public_sighting") &&
        n.victims.size() > 1 && rng_.chance(0.35)) {
      std::uint32_t other = n.victims[rng_.below(n.victims.size())];
      if (other != child && age(other, date) < 18) b.child(other);
    }
    standing_vulnerabilities(b, child);
    bool public_report = agency == Agency::kPublic;
    auto boyfriend_ref = [&]() {
      int s = b.person(boyfriend, Role::kSuspect, suspect_knowledge(agency));
      b.link("child_associates_with_person", person_ref(c), person_ref(s));
      return s;
    };

    if (type == "unexplained_gifts") {
      add_carer_reporter(b, child);
      b.indicator("M_UNEXPLAINED_GIFTS");
      if (rng_.chance(0.5)) boyfriend_ref();
      b.event("incident", date);
    } else if (type == "new_phone") {
      add_carer_reporter(b, child);
      b.indicator("M_NEW_PHONE");
      if (rng_.chance(0.5)) {
        int s = boyfriend_ref();
        int ph = member_phone(b, n, boyfriend);
        if (ph >= 0) {
          b.link("child_contacted_by_phone", person_ref(c), phone_ref(ph));
          b.link("suspect_uses_phone", person_ref(s), phone_ref(ph), "possible");
        }
      }
      b.event("incident", date);
    } else if (type == "older_boyfriend") {
      if (agency != Agency::kYouthProject) add_carer_reporter(b, child);
      b.indicator("M_OLDER_ASSOCIATES");
      int s = boyfriend_ref();
      if (rng_.chance(0.5)) {
        int ph = member_phone(b, n, boyfriend);
        if (ph >= 0) b.link("suspect_uses_phone", person_ref(s), phone_ref(ph));
      }
      if (rng_.chance(0.4)) {
        int l = b.place(w_, n.places.front());
        b.link("person_frequents_place", person_ref(s), location_ref(l), "possible");
      }
      if (rng_.chance(0.3)) car_sighting(b, n, c, agency);
      b.event("incident", date);
    } else if (type == "late_nights") {
      add_carer_reporter(b, child);
      b.indicator("M_LATE_NIGHTS");
      int l = b.place(w_, rng_.pick(n.places));
      b.link("person_frequents_place", person_ref(c), location_ref(l), "possible");
      b.event("sighting", date, c, l);
    } else if (type == "behaviour_change") {
      add_carer_reporter(b, child);
      b.indicator("M_BEHAVIOUR_CHANGE");
      if (rng_.chance(0.4)) b.indicator("M_UNEXPLAINED_GIFTS");
      b.event("incident", date);
    } else if (type == "school_absence") {
      b.person(professional(Agency::kSchools), Role::kProfessional, Knowledge::kIdentified,
               "designated safeguarding lead");
      b.indicator("M_SCHOOL_ABSENCE");
      int school = b.place(w_, static_cast<std::uint32_t>(w_.people[child].school));
      if (rng_.chance(0.45)) {
        b.indicator("M_SEEN_IN_CARS");
        car_sighting(b, n, c, agency, school);
      }
      b.event("incident", date, c, school);
    } else if (type == "online_contact") {
      add_carer_reporter(b, child);
      b.indicator("M_ONLINE_CONTACT");
      std::vector<OnlineAccount> mine;
      for (const auto& a : n.accounts) mine.push_back(a);
      if (!mine.empty()) {
        const auto& acc = rng_.pick(mine);
        int a = b.account(acc);
        int s = b.person(acc.owner, Role::kSuspect, Knowledge::kNickname);
        b.link("child_contacted_by_account", person_ref(c), account_ref(a));
        b.link("person_uses_account", person_ref(s), account_ref(a), "possible");
      }
      b.event("incident", date);
    } else if (type == "missing_episode" || type == "missing_repeat") {
      if (agency == Agency::kPolice)
        add_carer_reporter(b, child);
      else
        b.person(professional(agency), Role::kProfessional, Knowledge::kIdentified, "youth worker");
      b.indicator(type == "missing_repeat" ? "S_MISSING_REPEAT" : "M_MISSING_EPISODE");
      int home = home_location(b, child);
      b.link("child_missing_from_address", person_ref(c), location_ref(home), "confirmed");
      b.event("missing_episode", date, c, home);
      for (int k = 1; k < static_cast<int>(b.get().children.size()); ++k) {
        b.event("missing_episode", date, k, -1);
        b.indicator(type == "missing_repeat" ? "S_MISSING_REPEAT" : "M_MISSING_EPISODE", k);
      }
      if (type == "missing_repeat" || rng_.chance(0.4)) {
        int found = b.place(w_, party_or_hotel(n));
        for (int k = 0; k < static_cast<int>(b.get().children.size()); ++k) {
          b.link("child_found_at_location", person_ref(k), location_ref(found));
        }
        if (type == "missing_repeat") b.indicator("S_FOUND_AT_ADULT_ADDRESS");
        if (rng_.chance(0.5)) car_sighting(b, n, c, agency, found);
        b.event("sighting", date.plus_days(1) <= end_ ? date.plus_days(1) : date, c, found);
      }
    } else if (type == "seen_in_car" || type == "public_sighting") {
      if (!public_report) {
        b.person(professional(agency), Role::kProfessional, Knowledge::kIdentified, "officer");
      }
      b.indicator("M_SEEN_IN_CARS");
      int l = b.place(w_, type == "public_sighting" ? n.places.front() : rng_.pick(n.places));
      car_sighting(b, n, c, agency, l);
      if (type == "public_sighting") {
        b.indicator("M_LATE_NIGHTS");
        int s = b.person(rng_.pick(n.organisers), Role::kSuspect,
                         public_report ? Knowledge::kDescribed : Knowledge::kNickname);
        b.link("person_frequents_place", person_ref(s), location_ref(l), "possible");
      }
      for (int k = 0; k < static_cast<int>(b.get().children.size()); ++k) {
        b.event("sighting", date, k, l);
      }
    } else if (type == "substance_use" || type == "supplied_substances") {
      b.person(professional(agency), Role::kProfessional, Knowledge::kIdentified,
               agency == Agency::kHealth ? "nurse" : "officer");
      b.indicator(type == "supplied_substances" ? "S_SUPPLIED_DRUGS_ALCOHOL" : "M_SUBSTANCE_USE");
      if (type == "supplied_substances") {
        boyfriend_ref();
        int l = b.place(w_, party_or_hotel(n));
        b.link("child_found_at_location", person_ref(c), location_ref(l), "possible");
      }
      b.event("incident", date);
    } else if (type == "sexual_health") {
      b.person(professional(agency), Role::kProfessional, Knowledge::kIdentified,
               "sexual health nurse");
      b.indicator("M_SEXUAL_HEALTH");
      if (rng_.chance(0.5)) boyfriend_ref();
      if (rng_.chance(0.15)) b.indicator("S_PREGNANCY");
      b.event("incident", date);
    } else if (type == "found_at_address") {
      b.person(professional(agency), Role::kProfessional, Knowledge::kIdentified, "officer");
      b.indicator("S_FOUND_AT_ADULT_ADDRESS");
      std::uint32_t where = party_or_hotel(n);
      int l = b.place(w_, where);
      for (int k = 0; k < static_cast<int>(b.get().children.size()); ++k) {
        b.link("child_found_at_location", person_ref(k), location_ref(l), "confirmed");
        b.event("sighting", date, k, l);
      }
      // Officers at the door identify the adults present: men of the child's circle.
      int present = rng_.range(1, 3);
      for (int i = 0; i < present; ++i) {
        auto m = rng_.pick(circle);
        int s = b.person(m, i == 0 ? Role::kSuspect : Role::kAssociate, Knowledge::kIdentified);
        b.link("child_seen_with_person", person_ref(c), person_ref(s), "confirmed");
        if (w_.places[where].kind == PlaceKind::kPrivateAddress &&
            std::find(w_.places[where].staff.begin(), w_.places[where].staff.end(), m) !=
                w_.places[where].staff.end()) {
          b.link("person_lives_at", person_ref(s), location_ref(l), "confirmed");
        }
      }
      if (rng_.chance(0.4)) car_sighting(b, n, c, agency, l);
    } else if (type == "exclusion") {
      b.person(professional(Agency::kSchools), Role::kProfessional, Knowledge::kIdentified,
               "head of year");
      b.indicator("S_EXCLUDED_OR_NEET");
      b.indicator("M_BEHAVIOUR_CHANGE");
      b.event("incident", date);
    } else if (type == "injury") {
      b.person(professional(agency), Role::kProfessional, Knowledge::kIdentified, "nurse");
      b.indicator("S_UNEXPLAINED_INJURY");
      if (rng_.chance(0.5)) boyfriend_ref();
      b.event("incident", date);
    } else if (type == "controlling_adult") {
      b.person(professional(agency), Role::kProfessional, Knowledge::kIdentified, "key worker");
      b.indicator("S_CONTROLLING_RELATIONSHIP");
      int s = boyfriend_ref();
      int ph = member_phone(b, n, boyfriend);
      if (ph >= 0) b.link("suspect_uses_phone", person_ref(s), phone_ref(ph));
      b.event("incident", date);
    } else if (type == "disclosure") {
      b.person(professional(agency), Role::kProfessional, Knowledge::kIdentified, "key worker");
      b.indicator("S_DISCLOSURE");
      b.indicator("S_SEXUAL_ASSAULT_REPORTED");
      int s = boyfriend_ref();
      int ph = member_phone(b, n, boyfriend);
      if (ph >= 0) b.link("suspect_uses_phone", person_ref(s), phone_ref(ph));
      // A disclosure names several men of the child's circle, places and cars.
      int named = rng_.range(1, 3);
      for (int i = 0; i < named; ++i) {
        int a = b.person(rng_.pick(circle), Role::kAssociate, suspect_knowledge(agency));
        b.link("child_associates_with_person", person_ref(c), person_ref(a));
      }
      int l = b.place(w_, party_or_hotel(n));
      b.link("child_found_at_location", person_ref(c), location_ref(l), "probable");
      int t = b.place(w_, n.places.front());
      b.link("person_frequents_place", person_ref(s), location_ref(t));
      car_sighting(b, n, c, agency, l);
      b.event("disclosure", date, c, l);
    }
    if (b.get().events.empty()) b.event("incident", date);
    finish(std::move(b.get()), date);
  }

  // --- Ordinary concerns ---------------------------------------------------------------------

  struct Category {
    std::string_view name;
    std::uint32_t weight;
    int min_age, max_age;
  };
  static constexpr Category kCategories[] = {
      {"neglect", 200, 0, 17},
      {"domestic_abuse", 170, 0, 17},
      {"school_attendance", 140, 5, 16},
      {"mental_health", 110, 8, 17},
      {"online_bullying", 60, 9, 17},
      {"physical_abuse", 60, 0, 17},
      {"parental_substance_misuse", 70, 0, 17},
      {"missing", 50, 11, 17},
      {"self_harm", 50, 11, 17},
      {"youth_violence", 40, 12, 17},
      {"peer_relationship", 15, 15, 17},
      {"child_working", 10, 13, 17},
      {"homelessness", 10, 0, 17},
      {"intoxicated_in_taxi", 5, 13, 17},
  };

  void ordinary_concerns() {
    std::vector<std::uint32_t> family_index;
    std::vector<std::uint32_t> weights;
    for (std::uint32_t h = 0; h < w_.households.size(); ++h) {
      if (w_.households[h].children.empty()) continue;
      family_index.push_back(h);
      weights.push_back(w_.households[h].concern_weight);
    }
    if (family_index.empty()) return;
    WeightedIndex families(weights);
    std::vector<std::uint32_t> cat_weights;
    for (const auto& c : kCategories) cat_weights.push_back(c.weight);
    WeightedIndex categories(cat_weights);
    auto total = static_cast<std::size_t>(static_cast<double>(w_.people.size()) *
                                          options_.concerns_per_person * options_.years / 5.0);
    std::size_t made = 0;
    for (std::size_t attempt = 0; made < total && attempt < total * 20; ++attempt) {
      const auto& hh = w_.households[family_index[families.sample(rng_)]];
      std::uint32_t child = hh.children[rng_.below(hh.children.size())];
      const Category& cat = kCategories[categories.sample(rng_)];
      // The event falls while the child was of an age this kind of concern happens at.
      const Date dob = w_.people[child].dob;
      Date from = std::max(start_, dob.plus_days(cat.min_age * 366));
      Date to = std::min(end_, dob.plus_days((cat.max_age + 1) * 365 - 2));
      if (from > to) continue;
      Date date = random_date(from, to);
      if (ordinary_incident(cat.name, hh, child, date)) ++made;
      // Another agency often hears of the same thing within the week.
      if (rng_.chance(0.08)) {
        Date again = date.plus_days(rng_.range(1, 6));
        if (again <= end_ && ordinary_incident(cat.name, hh, child, again)) ++made;
      }
    }
  }

  bool ordinary_incident(std::string_view category, const Household& hh, std::uint32_t child,
                         Date date) {
    Agency agency = Agency::kSchools;
    Channel channel = Channel::kEmail;
    auto pick = [&](std::initializer_list<std::pair<Agency, Channel>> options) {
      auto it = options.begin() + rng_.below(options.size());
      agency = it->first;
      channel = it->second;
    };
    using A = Agency;
    using C = Channel;
    if (category == "neglect") {
      pick({{A::kSchools, C::kEmail},
            {A::kSchools, C::kOnlineForm},
            {A::kHealth, C::kLetter},
            {A::kHealth, C::kEmail},
            {A::kPolice, C::kPhone},
            {A::kPublic, C::kAnonymous},
            {A::kChildrensServices, C::kPhone}});
    } else if (category == "domestic_abuse") {
      pick({{A::kPolice, C::kOnlineForm},
            {A::kPolice, C::kOnlineForm},
            {A::kPolice, C::kPhone},
            {A::kHealth, C::kEmail},
            {A::kSchools, C::kEmail}});
    } else if (category == "school_attendance") {
      pick({{A::kSchools, C::kEmail}, {A::kSchools, C::kOnlineForm}, {A::kSchools, C::kLetter}});
    } else if (category == "mental_health" || category == "self_harm") {
      pick({{A::kHealth, C::kEmail},
            {A::kHealth, C::kLetter},
            {A::kSchools, C::kOnlineForm},
            {A::kYouthProject, C::kInPerson}});
    } else if (category == "online_bullying") {
      pick({{A::kSchools, C::kOnlineForm},
            {A::kSchools, C::kEmail},
            {A::kPolice, C::kPhone},
            {A::kChildrensServices, C::kPhone}});
    } else if (category == "physical_abuse") {
      pick({{A::kSchools, C::kInPerson},
            {A::kSchools, C::kPhone},
            {A::kHealth, C::kPhone},
            {A::kPolice, C::kPhone}});
    } else if (category == "parental_substance_misuse") {
      pick({{A::kPolice, C::kOnlineForm},
            {A::kHealth, C::kEmail},
            {A::kSchools, C::kEmail},
            {A::kPublic, C::kAnonymous}});
    } else if (category == "missing") {
      pick({{A::kPolice, C::kPhone}, {A::kPolice, C::kPhone}, {A::kChildrensServices, C::kPhone}});
    } else if (category == "youth_violence") {
      pick({{A::kPolice, C::kInPerson}, {A::kPolice, C::kPhone}, {A::kSchools, C::kEmail}});
    } else if (category == "peer_relationship") {
      pick({{A::kSchools, C::kOnlineForm}, {A::kHealth, C::kLetter}});
    } else if (category == "child_working") {
      pick({{A::kPublic, C::kAnonymous}, {A::kSchools, C::kEmail}});
    } else if (category == "homelessness") {
      pick({{A::kChildrensServices, C::kPhone}, {A::kHealth, C::kEmail}});
    } else if (category == "intoxicated_in_taxi") {
      pick({{A::kPolice, C::kPhone}});
    }

    IncidentBuilder b(category, category, agency, channel);
    int c = b.child(child);
    // Concerns about a family often name the siblings too.
    if ((category == "neglect" || category == "domestic_abuse" ||
         category == "parental_substance_misuse" || category == "homelessness") &&
        hh.children.size() > 1 && rng_.chance(0.5)) {
      for (auto sib : hh.children) {
        if (w_.people[sib].dob <= date && age(sib, date) < 18) b.child(sib);
      }
    }
    standing_vulnerabilities(b, child);
    auto reporter_professional = [&](std::string_view what) {
      // Police, children's services and the youth project send their own staff.
      if (agency == Agency::kPolice) what = "officer";
      if (agency == Agency::kChildrensServices) what = "social worker";
      if (agency == Agency::kYouthProject) what = "youth worker";
      if (agency != Agency::kPublic) {
        b.person(professional(agency), Role::kProfessional, Knowledge::kIdentified, what);
      }
    };
    auto relatives = [&](Role role) {
      for (auto a : hh.adults) {
        if (rng_.chance(0.7)) b.person(a, role, Knowledge::kIdentified, parent_word(a));
      }
    };
    auto home = [&] { return home_location(b, child); };
    int location = -1;
    if (category == "neglect") {
      b.indicator("V_NEGLECT");
      if (rng_.chance(0.2)) b.indicator("V_PARENTAL_SUBSTANCE_MISUSE");
      reporter_professional(agency == Agency::kHealth ? "health visitor" : "teacher");
      relatives(Role::kRelative);
      location = home();
    } else if (category == "domestic_abuse") {
      b.indicator("V_DOMESTIC_ABUSE_AT_HOME");
      // The alleged perpetrator: usually a parent or a mother's new partner.
      std::uint32_t suspect;
      if (!hh.adults.empty() && rng_.chance(0.7)) {
        suspect = hh.adults.front();
      } else {
        auto p = find_person([&](const Person& x) {
          int a = age_on(x.dob, date);
          return x.sex == Sex::kMale && a >= 20 && a <= 55;
        });
        suspect = p ? *p : hh.adults.empty() ? professional(Agency::kPolice) : hh.adults.front();
      }
      int s = b.person(suspect, Role::kSuspect, Knowledge::kIdentified);
      relatives(Role::kRelative);
      location = home();
      b.link("person_lives_at", person_ref(s), location_ref(location), "probable");
      if (!w_.people[suspect].mobile.empty() && rng_.chance(0.3)) {
        int ph = b.phone(w_.people[suspect].mobile);
        b.link("suspect_uses_phone", person_ref(s), phone_ref(ph));
      }
      if (!w_.vehicles_of[suspect].empty() && rng_.chance(0.25)) {
        int v = b.vehicle(w_.vehicles_of[suspect].front());
        b.link("person_drives_vehicle", person_ref(s), vehicle_ref(v));
      }
      reporter_professional("officer");
    } else if (category == "school_attendance") {
      b.indicator("M_SCHOOL_ABSENCE");
      reporter_professional("attendance officer");
      relatives(Role::kRelative);
      if (w_.people[child].school >= 0) {
        location = b.place(w_, static_cast<std::uint32_t>(w_.people[child].school));
      }
    } else if (category == "mental_health") {
      b.indicator("V_MENTAL_HEALTH");
      if (rng_.chance(0.2)) b.indicator("M_SELF_HARM");
      reporter_professional(agency == Agency::kHealth ? "CAMHS clinician" : "teacher");
    } else if (category == "self_harm") {
      b.indicator("M_SELF_HARM");
      b.indicator("V_MENTAL_HEALTH");
      reporter_professional(agency == Agency::kHealth ? "nurse" : "teacher");
    } else if (category == "online_bullying") {
      b.indicator("V_ISOLATION");
      if (rng_.chance(0.15)) b.indicator("M_ONLINE_CONTACT");
      add_carer_reporter(b, child);
      static constexpr std::string_view kPlatforms[] = {"snapchat", "instagram", "tiktok"};
      if (rng_.chance(0.5)) {
        OnlineAccount a{std::string(rng_.pick(kPlatforms)),
                        "user" + std::to_string(rng_.range(1000, 99999)), child};
        int r = b.account(a);
        b.link("child_contacted_by_account", person_ref(c), account_ref(r), "possible");
      }
    } else if (category == "physical_abuse") {
      b.indicator("V_PRIOR_ABUSE");
      if (rng_.chance(0.3)) b.indicator("S_UNEXPLAINED_INJURY");
      reporter_professional(agency == Agency::kHealth ? "paediatrician" : "teacher");
      relatives(Role::kRelative);
      location = home();
    } else if (category == "parental_substance_misuse") {
      b.indicator("V_PARENTAL_SUBSTANCE_MISUSE");
      reporter_professional("officer");
      relatives(Role::kRelative);
      location = home();
    } else if (category == "missing") {
      b.indicator("M_MISSING_EPISODE");
      b.indicator("M_FAMILY_CONFLICT");
      add_carer_reporter(b, child);
      int from = home();
      b.link("child_missing_from_address", person_ref(c), location_ref(from), "confirmed");
      b.event("missing_episode", date, c, from);
      // Found at a friend's, a park or a relative's.
      if (rng_.chance(0.5)) {
        int park = b.place(w_, rng_.pick(w_.places_of(PlaceKind::kPark)));
        b.link("child_found_at_location", person_ref(c), location_ref(park), "confirmed");
      }
    } else if (category == "youth_violence") {
      b.indicator("M_BEHAVIOUR_CHANGE");
      if (rng_.chance(0.3)) b.indicator("M_SUBSTANCE_USE");
      reporter_professional("officer");
      location = b.place(
          w_, rng_.pick(w_.places_of(rng_.chance(0.5) ? PlaceKind::kPark : PlaceKind::kShop)));
    } else if (category == "peer_relationship") {
      b.indicator("M_OLDER_ASSOCIATES");
      if (rng_.chance(0.3)) b.indicator("M_SEXUAL_HEALTH");
      reporter_professional(agency == Agency::kHealth ? "school nurse" : "teacher");
      auto p = find_person([&](const Person& x) {
        int a = age_on(x.dob, date);
        return x.sex != w_.people[child].sex && a >= 18 && a <= 20;
      });
      if (p) {
        int s = b.person(*p, Role::kAssociate, Knowledge::kNickname);
        b.link("child_associates_with_person", person_ref(c), person_ref(s));
      }
    } else if (category == "child_working") {
      b.indicator("M_LATE_NIGHTS");
      location = b.place(w_, rng_.pick(w_.places_of(PlaceKind::kTakeaway)));
      b.link("person_frequents_place", person_ref(c), location_ref(location), "possible");
      reporter_professional("teacher");
    } else if (category == "homelessness") {
      b.indicator("V_UNSTABLE_HOUSING");
      relatives(Role::kRelative);
      reporter_professional("social worker");
      location = b.place(w_, rng_.pick(w_.places_of(PlaceKind::kHotel)));
    } else if (category == "intoxicated_in_taxi") {
      b.indicator("M_SUBSTANCE_USE");
      b.indicator("M_LATE_NIGHTS");
      auto taxis = w_.places_of(PlaceKind::kTaxiFirm);
      const auto& firm = w_.places[rng_.pick(taxis)];
      if (!firm.staff.empty()) {
        auto driver = rng_.pick(firm.staff);
        int d = b.person(driver, Role::kReporter, Knowledge::kIdentified, "taxi driver");
        if (!w_.vehicles_of[driver].empty()) {
          int v = b.vehicle(w_.vehicles_of[driver].front());
          b.link("person_drives_vehicle", person_ref(d), vehicle_ref(v), "confirmed");
          b.link("child_seen_in_vehicle", person_ref(c), vehicle_ref(v), "confirmed");
        }
      }
    }
    if (b.get().events.empty()) b.event("incident", date, c, location);
    return finish(std::move(b.get()), date);
  }

  // Sets when the agency received it; drops incidents that would arrive after the end date.
  bool finish(Incident inc, Date event) {
    // An agency hears of a concern on or after the last event it describes.
    for (const auto& e : inc.events) event = std::max(event, e.date);
    int delay_days = 0;
    int minute = 0;
    switch (inc.channel) {
      case Channel::kPhone:
      case Channel::kInPerson:
        delay_days = rng_.chance(0.7) ? 0 : rng_.range(1, 3);
        minute = rng_.range(7 * 60, 22 * 60);
        break;
      case Channel::kEmail:
      case Channel::kOnlineForm:
        delay_days = rng_.range(0, 4);
        minute = rng_.range(8 * 60, 18 * 60);
        break;
      case Channel::kAnonymous:
        delay_days = rng_.range(0, 14);
        minute = static_cast<int>(rng_.below(24 * 60));
        break;
      case Channel::kLetter:
        delay_days = rng_.range(3, 20);
        minute = rng_.range(9 * 60, 17 * 60);
        break;
    }
    if (inc.agency == Agency::kPolice && rng_.chance(0.3)) {
      minute = static_cast<int>(rng_.below(24 * 60));
    }
    Date received = event.plus_days(delay_days);
    if (received > end_) return false;
    inc.received_at = core::Timestamp(received.days()) + std::chrono::minutes(minute) +
                      std::chrono::seconds(rng_.below(60));
    inc.seq = seq_++;
    plot_.incidents.push_back(std::move(inc));
    return true;
  }

  World& w_;
  PlotOptions options_;
  Rng rng_;
  Date end_;
  Date start_ = Date::from_days({});
  Plot plot_;
  std::vector<bool> victim_, in_network_;
  int burner_ = 0;
  std::uint64_t seq_ = 0;
};

}  // namespace

std::string_view agency_code(Agency agency) { return kAgencyCodes[static_cast<int>(agency)]; }

std::string_view channel_code(Channel channel) {
  static constexpr std::string_view kCodes[] = {"phone",       "email",     "in_person",
                                                "online_form", "anonymous", "letter"};
  return kCodes[static_cast<int>(channel)];
}

std::string_view role_code(Role role) {
  static constexpr std::string_view kCodes[] = {"child",    "suspect",  "associate",
                                                "relative", "reporter", "professional"};
  return kCodes[static_cast<int>(role)];
}

std::string_view network_role_code(NetworkRole role) {
  static constexpr std::string_view kCodes[] = {"organiser", "associate", "driver", "victim"};
  return kCodes[static_cast<int>(role)];
}

Plot make_plot(World& world, const PlotOptions& options) { return Plotter(world, options).run(); }

}  // namespace sg::synth
