#include "synth/concern.h"

#include <cstdio>

#include "core/log.h"

namespace sg::synth {
namespace {

std::string ref_text(const Ref& r) {
  switch (r.kind) {
    case RefKind::kPerson:
      return "p" + std::to_string(r.index + 1);
    case RefKind::kVehicle:
      return "v" + std::to_string(r.index + 1);
    case RefKind::kPhone:
      return "t" + std::to_string(r.index + 1);
    case RefKind::kAccount:
      return "a" + std::to_string(r.index + 1);
    case RefKind::kLocation:
      return "l" + std::to_string(r.index + 1);
  }
  return {};
}

const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                         "July",    "August",   "September", "October", "November", "December"};

// Dates in prose as practitioners write them: "14/03/2024" or "14 March 2024".
std::string prose_date(core::Date d, Rng& rng) {
  if (rng.chance(0.5)) return format_date_uk(d);
  return std::to_string(d.day()) + " " + kMonths[d.month() - 1] + " " + std::to_string(d.year());
}

// How the narrative names a recorded person.
std::string called(const PersonRecord& r, std::string_view fallback) {
  if (!r.given_name.empty()) {
    return r.family_name.empty() ? r.given_name : r.given_name + " " + r.family_name;
  }
  if (!r.full_name.empty()) return r.full_name;
  if (!r.nickname.empty()) return "a male known as '" + r.nickname + "'";
  return std::string(fallback);
}

std::string first_name(const PersonRecord& r) {
  if (!r.given_name.empty()) return r.given_name;
  if (!r.full_name.empty()) {
    auto comma = r.full_name.find(", ");
    if (comma != std::string::npos) return r.full_name.substr(comma + 2);
    return r.full_name.substr(0, r.full_name.find(' '));
  }
  if (!r.nickname.empty()) return r.nickname;
  return "the young person";
}

class NarrativeBuilder {
 public:
  NarrativeBuilder(const Incident& inc, const Concern& c, const World& w, Rng& rng)
      : inc_(inc), c_(c), w_(w), rng_(rng) {}

  std::string build() {
    const auto& child = w_.people[inc_.children.front()];
    core::Date date = inc_.events.front().date;
    std::string name = first_name(c_.children.front().rec);
    int age = age_on(child.dob, date);
    bool girl = child.sex == Sex::kFemale;
    std::string she = girl ? "she" : "he", her = girl ? "her" : "his", She = girl ? "She" : "He";
    std::string when = prose_date(date, rng_);
    std::string t;
    std::string_view type = inc_.type;
    std::string others = other_children();

    if (type == "unexplained_gifts") {
      t = reporter() + " reports that " + name + " (" + std::to_string(age) +
          ") has come home with new clothes, expensive trainers and cash that " + she +
          " cannot account for. " + She + " says a friend bought them. ";
      t += suspect_sentence("There is mention of an older male called ");
    } else if (type == "new_phone") {
      t = name + " has been seen with a second mobile phone since around " + when + ". " + She +
          " is secretive about it and becomes angry when asked. ";
      t += phone_sentence("A number saved as 'bae' rings late at night: ");
    } else if (type == "older_boyfriend") {
      t = name + " (" + std::to_string(age) +
          ") has talked about a new boyfriend who is 'older' and " + "'has a car'. ";
      t += suspect_sentence("Friends say he is known as ");
      t += phone_sentence("He contacts her on ");
      t += vehicle_sentence("He has been seen collecting " + her + " in ");
      t += place_sentence("He is said to hang around ");
    } else if (type == "late_nights") {
      t = reporter() + " is worried that " + name +
          " has been coming home after midnight several " + "times a week and will not say where " +
          she + " has been. ";
      t += place_sentence("Staff believe " + she + " has been spending time at ");
    } else if (type == "behaviour_change") {
      t = "Marked change in " + name + "'s behaviour over recent weeks: withdrawn in class, " +
          "tired, falling out with long-standing friends and with family. ";
    } else if (type == "school_absence") {
      t = name + "'s attendance has fallen sharply this term, with several unauthorised " +
          "absences, most recently on " + when + ". ";
      t += vehicle_sentence("Staff saw " + her + " getting into ", " outside school at lunchtime");
    } else if (type == "online_contact") {
      t = reporter() + " found messages on " + name + "'s phone from an adult " +
          "asking to meet and to keep it secret. ";
      if (!c_.accounts.empty()) {
        t += "The account is " + c_.accounts.front().platform + " user '" +
             c_.accounts.front().handle + "'. ";
      }
    } else if (type == "missing_episode" || type == "missing_repeat" || type == "missing") {
      t = name + others + " reported missing from " + location_words(0) + " on " + when + " by " +
          reporter() + ". ";
      if (type == "missing_repeat") {
        t += "This is the latest of several missing episodes; " + she +
             " is now staying out overnight. ";
      }
      if (c_.locations.size() > 1) {
        t += "Located the following day at " + location_words(1) + ". ";
      } else {
        t += "Returned home of " + her + " own accord the next morning and would not say where " +
             she + " had been. ";
      }
      t += vehicle_sentence("A member of the public saw " + her + " get out of ");
    } else if (type == "seen_in_car" || type == "public_sighting") {
      if (inc_.agency == Agency::kPublic) {
        t = "I want to report something without giving my name. ";
        t += "Young girls, about " + std::to_string(age) + " or younger, are going in and out of " +
             location_words(0) + " late at night with older men. ";
      } else {
        t = "Patrol saw " + name + others + " (" + std::to_string(age) + ") at " +
            location_words(0) + " at around 23:00. ";
      }
      t += vehicle_sentence("They got into ", ", which drove off towards the town centre");
    } else if (type == "substance_use" || type == "supplied_substances") {
      t = name + " (" + std::to_string(age) + ") attended A&E on " + when +
          " heavily intoxicated. ";
      if (type == "supplied_substances") {
        t += She + " said the alcohol and cannabis were given to " + (girl ? "her" : "him") +
             " by older males at a 'party'. ";
        t += suspect_sentence("One is called ");
        t += place_sentence("The party was at ");
      }
    } else if (type == "sexual_health") {
      t = name + " (" + std::to_string(age) + ") attended the sexual health clinic on " + when +
          ". Age and circumstances raise safeguarding concerns. ";
      t += suspect_sentence("The partner was described as older, named as ");
    } else if (type == "found_at_address") {
      t = "Officers attended " + location_words(0) + " on " + when +
          " following a call and found " + name + others + " inside with adult males. ";
      t += persons_sentence();
      t += vehicle_sentence("Parked outside was ");
    } else if (type == "exclusion") {
      t = name + " has been excluded following an incident on " + when +
          ". Staff have concerns about who " + she + " is associating with outside school. ";
    } else if (type == "injury") {
      t = name + " (" + std::to_string(age) + ") presented with bruising to the arms on " + when +
          " and gave an account that does not fit the injuries. ";
      t += suspect_sentence("Mentioned a boyfriend called ");
    } else if (type == "controlling_adult") {
      t = name + " describes a relationship with an older male who tells " +
          (girl ? "her" : "him") + " where to go and checks " + her + " phone. ";
      t += suspect_sentence("He is known as ");
      t += phone_sentence("He calls from ");
    } else if (type == "disclosure") {
      t = "In a planned session on " + when + ", " + name +
          " disclosed that she has been taken to addresses and made to have sex with adult men. ";
      if (!girl) t.replace(t.find(" she has"), 8, " he has");
      t += persons_sentence();
      t += place_sentence("Named places include ");
      t += vehicle_sentence(She + " was driven there in ");
      t += phone_sentence("Arrangements were made on ");
    } else if (type == "neglect") {
      t = reporter() + " raises concerns of neglect for " + name + others +
          ": arriving hungry, unwashed and in unsuitable clothes. Home conditions reported as "
          "poor. ";
    } else if (type == "domestic_abuse") {
      t = "Domestic incident at " + location_words(0) + " on " + when + ". " + name + others +
          " present in the house during a verbal and physical argument between adults. ";
      t += persons_sentence();
    } else if (type == "school_attendance") {
      t = name + "'s attendance has fallen below 80% this term. Letters home have had no reply. ";
    } else if (type == "mental_health") {
      t = name + " (" + std::to_string(age) + ") reports low mood, poor sleep and anxiety. " +
          "Referred for assessment; family aware. ";
    } else if (type == "self_harm") {
      t = name + " disclosed self-harm (cutting) to " + reporter() + " on " + when +
          ". Wounds superficial; first aid given; parents informed. ";
    } else if (type == "online_bullying") {
      t = name + " is being sent abusive messages by other pupils through social media. ";
      if (!c_.accounts.empty()) {
        t += "One account is " + c_.accounts.front().platform + " '" + c_.accounts.front().handle +
             "'. ";
      }
    } else if (type == "physical_abuse") {
      t = name + " (" + std::to_string(age) + ") has a mark on the face and said a parent hit " +
          (girl ? "her" : "him") + ". ";
    } else if (type == "parental_substance_misuse") {
      t = "Concerns that a parent is misusing alcohol and drugs while caring for " + name + others +
          ". Neighbours report shouting late at night. ";
    } else if (type == "youth_violence") {
      t = name + " (" + std::to_string(age) + ") involved in a fight at " + location_words(0) +
          " on " + when + ". ";
    } else if (type == "peer_relationship") {
      t = name + " (" + std::to_string(age) +
          ") is in a relationship with a young person aged 18-20. ";
      t += suspect_sentence("Named as ");
    } else if (type == "child_working") {
      t = "A young teenager is working late evenings at " + location_words(0) +
          ", sometimes past midnight on school nights. ";
    } else if (type == "homelessness") {
      t = "Family including " + name + others + " placed in emergency accommodation at " +
          location_words(0) + " after eviction. ";
    } else if (type == "intoxicated_in_taxi") {
      t = "Taxi driver called police on " + when + " about a drunk teenager, " + name +
          ", picked up on the ring road. ";
      t += vehicle_sentence("The taxi was ");
    }
    while (!t.empty() && t.back() == ' ') t.pop_back();
    if (!t.empty() && t[0] >= 'a' && t[0] <= 'z') t[0] = static_cast<char>(t[0] - 'a' + 'A');
    if (rng_.chance(0.3)) t += closing();
    return t;
  }

 private:
  std::string reporter() {
    for (const auto& p : c_.persons) {
      if (p.role == Role::kReporter || p.role == Role::kProfessional) {
        if (!p.relationship.empty()) return "the " + p.relationship;
      }
    }
    return inc_.agency == Agency::kPublic ? "a member of the public" : "staff";
  }
  std::string other_children() {
    if (c_.children.size() < 2) return "";
    std::string s;
    for (std::size_t i = 1; i < c_.children.size(); ++i) {
      s += (i + 1 == c_.children.size() ? " and " : ", ") + first_name(c_.children[i].rec);
    }
    return s;
  }
  std::string location_words(std::size_t i) {
    if (i >= c_.locations.size()) return "home";
    const auto& l = c_.locations[i];
    std::string s;
    if (!l.name.empty())
      s = "the " + l.name + (l.address.empty() ? "" : " on " + street(l.address));
    else
      s = l.address.empty() ? "an address" : l.address;
    if (!l.postcode.empty() && rng_.chance(0.4)) s += ", " + l.postcode;
    return s;
  }
  static std::string street(const std::string& line) {
    auto sp = line.find(' ');
    return sp == std::string::npos ? line : line.substr(sp + 1);
  }
  std::string suspect_sentence(const std::string& lead) {
    for (const auto& p : c_.persons) {
      if (p.role != Role::kSuspect && p.role != Role::kAssociate) continue;
      const auto& r = p.rec;
      std::string who;
      if (!r.nickname.empty())
        who = "'" + r.nickname + "'";
      else if (!r.given_name.empty() || !r.full_name.empty())
        who = called(r, "");
      else
        who = "an older male";
      if (!r.approx_age.empty()) who += ", about " + r.approx_age;
      return lead + who + ". ";
    }
    return "";
  }
  std::string persons_sentence() {
    std::string s;
    int n = 0;
    for (const auto& p : c_.persons) {
      if (p.role != Role::kSuspect && p.role != Role::kAssociate) continue;
      std::string who = called(p.rec, "an unnamed male");
      if (!p.rec.date_of_birth.empty())
        who += " (DOB " + p.rec.date_of_birth + ")";
      else if (!p.rec.approx_age.empty())
        who += " (about " + p.rec.approx_age + ")";
      s += (n++ ? ", " : "Adults present or named: ") + who;
    }
    return n ? s + ". " : "";
  }
  std::string phone_sentence(const std::string& lead) {
    if (c_.phones.empty()) return "";
    return lead + c_.phones.front().number + ". ";
  }
  std::string vehicle_sentence(const std::string& lead, const std::string& tail = "") {
    if (c_.vehicles.empty()) return "";
    const auto& v = c_.vehicles.front();
    std::string s = lead + "a ";
    if (!v.colour.empty()) s += lower_ascii(v.colour) + " ";
    s += v.make.empty() ? "car" : v.make + (v.model.empty() ? "" : " " + v.model);
    if (!v.registration.empty()) {
      s += rng_.chance(0.5) ? ", reg " + v.registration : " (" + v.registration + ")";
    }
    return s + tail + ". ";
  }
  std::string place_sentence(const std::string& lead) {
    for (std::size_t i = 0; i < c_.locations.size(); ++i) {
      if (c_.locations[i].kind != "school") return lead + location_words(i) + ". ";
    }
    return "";
  }
  std::string closing() {
    static constexpr std::string_view kClosing[] = {
        " Parents/carers informed.",       " Referred to MASH for information sharing.",
        " Advice given; will monitor.",    " Request for checks with partner agencies.",
        " Strategy discussion requested.", " No further information at this time."};
    return std::string(rng_.pick(kClosing));
  }

  const Incident& inc_;
  const Concern& c_;
  const World& w_;
  Rng& rng_;
};

void json_string(std::string& out, std::string_view s) {
  out += '"';
  out += core::json_escape(s);
  out += '"';
}

// Writes "key":"value" (with a leading comma unless first); skips empty values.
struct JsonObject {
  std::string& out;
  bool first = true;
  explicit JsonObject(std::string& o) : out(o) { out += '{'; }
  void key(std::string_view k) {
    if (!first) out += ',';
    first = false;
    json_string(out, k);
    out += ':';
  }
  void str(std::string_view k, std::string_view v) {
    if (v.empty()) return;
    key(k);
    json_string(out, v);
  }
  void raw(std::string_view k, std::string_view v) {
    key(k);
    out += v;
  }
  void close() { out += '}'; }
};

template <typename T, typename F>
void json_array(JsonObject& obj, std::string_view key, const std::vector<T>& items, F each) {
  obj.key(key);
  obj.out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) obj.out += ',';
    JsonObject item(obj.out);
    each(item, items[i]);
    item.close();
  }
  obj.out += ']';
}

void person_json(JsonObject& o, const ConcernPerson& p, bool child) {
  o.str("ref", p.ref);
  if (!child) o.str("role", role_code(p.role));
  o.str("relationship", p.relationship);
  const auto& r = p.rec;
  o.str("record_id", r.record_id);
  o.str("given_name", r.given_name);
  o.str("family_name", r.family_name);
  o.str("full_name", r.full_name);
  o.str("nickname", r.nickname);
  o.str("date_of_birth", r.date_of_birth);
  if (!r.approx_age.empty()) {
    o.raw("approx_age", r.approx_age);
    o.str("age_recorded_on", r.age_recorded_on);
  }
  o.str("sex", r.sex);
  o.str("ethnicity", r.ethnicity);
  o.str("address", r.address);
  o.str("postcode", r.postcode);
  o.str("phone", r.phone);
  o.str("email", r.email);
  if (!r.nhs_number.empty() || !r.pnc_id.empty() || !r.upn.empty()) {
    o.key("identifiers");
    JsonObject ids(o.out);
    ids.str("nhs_number", r.nhs_number);
    ids.str("pnc_id", r.pnc_id);
    ids.str("upn", r.upn);
    ids.close();
  }
}

constexpr std::string_view kCsvColumns[] = {
    "concern_id",  "row_type",  "source_agency", "channel",       "received_at", "category",
    "narrative",   "ref",       "role",          "relationship",  "record_id",   "given_name",
    "family_name", "full_name", "nickname",      "date_of_birth", "approx_age",  "age_recorded_on",
    "sex",         "ethnicity", "address",       "postcode",      "phone",       "email",
    "nhs_number",  "pnc_id",    "upn",           "registration",  "make",        "model",
    "colour",      "platform",  "handle",        "kind",          "name",        "type",
    "from_ref",    "to_ref",    "child_ref",     "location_ref",  "date",        "confidence",
    "code"};
constexpr int kCsvColumnCount = static_cast<int>(std::size(kCsvColumns));

int column(std::string_view name) {
  for (int i = 0; i < kCsvColumnCount; ++i) {
    if (kCsvColumns[i] == name) return i;
  }
  SG_ASSERT(false);
  return -1;
}

struct CsvRow {
  std::string_view cells[kCsvColumnCount];
  void set(std::string_view name, std::string_view value) { cells[column(name)] = value; }
  void write(std::string& out) const {
    for (int i = 0; i < kCsvColumnCount; ++i) {
      if (i) out += ',';
      append_csv_field(out, cells[i]);
    }
    out += "\r\n";
  }
};

void person_row(CsvRow& row, const ConcernPerson& p, bool child) {
  row.set("row_type", child ? "child" : "person");
  row.set("ref", p.ref);
  if (!child) row.set("role", role_code(p.role));
  row.set("relationship", p.relationship);
  const auto& r = p.rec;
  row.set("record_id", r.record_id);
  row.set("given_name", r.given_name);
  row.set("family_name", r.family_name);
  row.set("full_name", r.full_name);
  row.set("nickname", r.nickname);
  row.set("date_of_birth", r.date_of_birth);
  row.set("approx_age", r.approx_age);
  row.set("age_recorded_on", r.age_recorded_on);
  row.set("sex", r.sex);
  row.set("ethnicity", r.ethnicity);
  row.set("address", r.address);
  row.set("postcode", r.postcode);
  row.set("phone", r.phone);
  row.set("email", r.email);
  row.set("nhs_number", r.nhs_number);
  row.set("pnc_id", r.pnc_id);
  row.set("upn", r.upn);
}

}  // namespace

Concern record_concern(const Incident& inc, const World& w, const Plot& plot,
                       RecordRegistry& registry, std::uint64_t seed, std::string id) {
  Rng rng = Rng::stream(seed, "concern", inc.seq);
  Concern c;
  c.id = std::move(id);
  c.source_agency = agency_code(inc.agency);
  c.channel = channel_code(inc.channel);
  c.received_at = core::format_rfc3339(inc.received_at);
  // Whole seconds read as people enter them: "2024-03-14T10:22:05Z".
  if (auto dot = c.received_at.find('.'); dot != std::string::npos) {
    c.received_at = c.received_at.substr(0, dot) + "Z";
  }
  c.category = std::string(inc.category);
  core::Date on = core::utc_date(inc.received_at);
  int ref = 0;
  for (auto child : inc.children) {
    ConcernPerson p;
    p.ref = "p" + std::to_string(++ref);
    p.role = Role::kChild;
    Knowledge k = inc.agency == Agency::kPublic ? Knowledge::kNickname : Knowledge::kIdentified;
    p.record = registry.record_for(child, inc.agency, k, false, on, rng);
    registry.render(p.record, p.rec);
    c.children.push_back(std::move(p));
  }
  for (const auto& m : inc.persons) {
    ConcernPerson p;
    p.ref = "p" + std::to_string(++ref);
    p.role = m.role;
    p.relationship = std::string(m.relationship);
    bool professional = m.role == Role::kProfessional ||
                        (m.role == Role::kReporter && m.relationship == "residential worker");
    p.record = registry.record_for(m.person, inc.agency, m.knowledge, professional, on, rng);
    registry.render(p.record, p.rec);
    // Street names known in the network reach the records of those who only know the nickname.
    if (m.knowledge == Knowledge::kNickname && !plot.nicknames[m.person].empty() &&
        rng.chance(0.7)) {
      p.rec.nickname = plot.nicknames[m.person];
    }
    c.persons.push_back(std::move(p));
  }
  bool witness = inc.agency == Agency::kPublic || inc.channel == Channel::kInPerson;
  for (std::size_t i = 0; i < inc.vehicles.size(); ++i) {
    const Vehicle& v = w.vehicles[inc.vehicles[i]];
    ConcernVehicle cv;
    cv.ref = "v" + std::to_string(i + 1);
    cv.vehicle = inc.vehicles[i];
    cv.registration = format_registration(v.registration, rng, true, witness);
    if (!witness || rng.chance(0.7)) cv.make = v.make;
    if (!witness || rng.chance(0.4)) cv.model = v.model;
    cv.colour = v.colour;
    if (rng.chance(0.08))
      cv.colour = v.colour == "Silver" ? "Grey" : v.colour == "Grey" ? "Silver" : v.colour;
    c.vehicles.push_back(std::move(cv));
  }
  for (std::size_t i = 0; i < inc.phones.size(); ++i) {
    c.phones.push_back(
        {"t" + std::to_string(i + 1), format_phone(inc.phones[i], rng), inc.phones[i]});
  }
  for (std::size_t i = 0; i < inc.accounts.size(); ++i) {
    std::string handle = inc.accounts[i].handle;
    if (rng.chance(0.2)) handle = "@" + handle;
    c.accounts.push_back({"a" + std::to_string(i + 1), inc.accounts[i].platform, handle});
  }
  for (std::size_t i = 0; i < inc.locations.size(); ++i) {
    const auto& l = inc.locations[i];
    ConcernLocation cl;
    cl.ref = "l" + std::to_string(i + 1);
    cl.kind = std::string(place_kind_code(l.kind));
    if (l.place >= 0) cl.name = w.places[l.place].name;
    const Address& a = w.addresses[l.address];
    if (l.place < 0 || rng.chance(0.7)) cl.address = a.line;
    if (rng.chance(l.place < 0 ? 0.85 : 0.5)) cl.postcode = a.postcode;
    if (l.kind == PlaceKind::kPrivateAddress && cl.address.empty()) cl.address = a.line;
    c.locations.push_back(std::move(cl));
  }
  for (const auto& e : inc.events) {
    c.events.push_back({std::string(e.kind), e.date.iso(), "p" + std::to_string(e.child + 1),
                        e.location >= 0 ? "l" + std::to_string(e.location + 1) : std::string()});
  }
  std::string event_date = inc.events.empty() ? on.iso() : inc.events.front().date.iso();
  for (const auto& l : inc.links) {
    c.links.push_back({std::string(l.type), ref_text(l.from), ref_text(l.to), event_date,
                       std::string(l.confidence)});
  }
  for (std::size_t i = 0; i < inc.indicators.size(); ++i) {
    c.indicators.push_back({std::string(inc.indicators[i]),
                            "p" + std::to_string(inc.indicator_child[i] + 1), event_date});
  }
  c.narrative = NarrativeBuilder(inc, c, w, rng).build();
  return c;
}

void append_ndjson(const Concern& c, std::string& out) {
  JsonObject o(out);
  o.str("id", c.id);
  o.str("source_agency", c.source_agency);
  o.str("channel", c.channel);
  o.str("received_at", c.received_at);
  o.str("category", c.category);
  json_array(o, "events", c.events, [](JsonObject& e, const ConcernEvent& v) {
    e.str("kind", v.kind);
    e.str("date", v.date);
    e.str("child", v.child);
    e.str("location", v.location);
  });
  o.str("narrative", c.narrative);
  json_array(o, "children", c.children,
             [](JsonObject& e, const ConcernPerson& p) { person_json(e, p, true); });
  json_array(o, "persons", c.persons,
             [](JsonObject& e, const ConcernPerson& p) { person_json(e, p, false); });
  json_array(o, "vehicles", c.vehicles, [](JsonObject& e, const ConcernVehicle& v) {
    e.str("ref", v.ref);
    e.str("registration", v.registration);
    e.str("make", v.make);
    e.str("model", v.model);
    e.str("colour", v.colour);
  });
  json_array(o, "phones", c.phones, [](JsonObject& e, const ConcernPhone& v) {
    e.str("ref", v.ref);
    e.str("number", v.number);
  });
  json_array(o, "online_accounts", c.accounts, [](JsonObject& e, const ConcernAccount& v) {
    e.str("ref", v.ref);
    e.str("platform", v.platform);
    e.str("handle", v.handle);
  });
  json_array(o, "locations", c.locations, [](JsonObject& e, const ConcernLocation& v) {
    e.str("ref", v.ref);
    e.str("kind", v.kind);
    e.str("name", v.name);
    e.str("address", v.address);
    e.str("postcode", v.postcode);
  });
  json_array(o, "links", c.links, [](JsonObject& e, const ConcernLink& v) {
    e.str("type", v.type);
    e.str("from", v.from);
    e.str("to", v.to);
    e.str("date", v.date);
    e.str("confidence", v.confidence);
  });
  json_array(o, "indicators", c.indicators, [](JsonObject& e, const ConcernIndicator& v) {
    e.str("code", v.code);
    e.str("child", v.child);
    e.str("observed_on", v.observed_on);
  });
  o.close();
  out += '\n';
}

std::string_view concerns_csv_header() {
  static const std::string header = [] {
    std::string h;
    for (int i = 0; i < kCsvColumnCount; ++i) {
      if (i) h += ',';
      h += kCsvColumns[i];
    }
    return h + "\r\n";
  }();
  return header;
}

void append_csv_field(std::string& out, std::string_view value) {
  bool quote = value.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out += value;
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_csv_rows(const Concern& c, std::string& out) {
  auto base = [&](std::string_view row_type) {
    CsvRow row;
    row.set("concern_id", c.id);
    row.set("row_type", row_type);
    return row;
  };
  {
    CsvRow row = base("concern");
    row.set("source_agency", c.source_agency);
    row.set("channel", c.channel);
    row.set("received_at", c.received_at);
    row.set("category", c.category);
    row.set("narrative", c.narrative);
    row.write(out);
  }
  for (const auto& e : c.events) {
    CsvRow row = base("event");
    row.set("kind", e.kind);
    row.set("date", e.date);
    row.set("child_ref", e.child);
    row.set("location_ref", e.location);
    row.write(out);
  }
  for (const auto& p : c.children) {
    CsvRow row = base("child");
    person_row(row, p, true);
    row.write(out);
  }
  for (const auto& p : c.persons) {
    CsvRow row = base("person");
    person_row(row, p, false);
    row.write(out);
  }
  for (const auto& v : c.vehicles) {
    CsvRow row = base("vehicle");
    row.set("ref", v.ref);
    row.set("registration", v.registration);
    row.set("make", v.make);
    row.set("model", v.model);
    row.set("colour", v.colour);
    row.write(out);
  }
  for (const auto& v : c.phones) {
    CsvRow row = base("phone");
    row.set("ref", v.ref);
    row.set("phone", v.number);
    row.write(out);
  }
  for (const auto& v : c.accounts) {
    CsvRow row = base("online_account");
    row.set("ref", v.ref);
    row.set("platform", v.platform);
    row.set("handle", v.handle);
    row.write(out);
  }
  for (const auto& v : c.locations) {
    CsvRow row = base("location");
    row.set("ref", v.ref);
    row.set("kind", v.kind);
    row.set("name", v.name);
    row.set("address", v.address);
    row.set("postcode", v.postcode);
    row.write(out);
  }
  for (const auto& v : c.links) {
    CsvRow row = base("link");
    row.set("type", v.type);
    row.set("from_ref", v.from);
    row.set("to_ref", v.to);
    row.set("date", v.date);
    row.set("confidence", v.confidence);
    row.write(out);
  }
  for (const auto& v : c.indicators) {
    CsvRow row = base("indicator");
    row.set("code", v.code);
    row.set("child_ref", v.child);
    row.set("date", v.observed_on);
    row.write(out);
  }
}

}  // namespace sg::synth
