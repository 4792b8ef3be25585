#include "domain/concern.h"

#include <algorithm>
#include <set>

#include "core/ascii.h"
#include "domain/access_types.h"
#include "domain/record.h"

namespace sg::domain {
namespace {

using nlohmann::json;

bool one_of(const std::vector<std::string_view>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string joined(const std::vector<std::string_view>& list) {
  std::string out;
  for (auto v : list) out += (out.empty() ? "" : ", ") + std::string(v);
  return out;
}

// Reads the concern one field at a time, naming each by its path.
class Reader {
 public:
  Reader(const ConcernLimits& limits, core::Timestamp now) : limits_(limits), now_(now) {}

  core::Result<std::string> text(const json& obj, const char* key, const std::string& path,
                                 bool required, std::size_t max = 0) {
    std::string field = path.empty() ? key : path + "/" + key;
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      if (required) return core::invalid_argument("is required", field);
      return std::string();
    }
    if (!it->is_string()) return core::invalid_argument("must be a string", field);
    const auto& s = it->get_ref<const std::string&>();
    if (s.size() > (max ? max : limits_.max_field_bytes)) {
      return core::invalid_argument(
          "is too long (at most " + std::to_string(max ? max : limits_.max_field_bytes) + " bytes)",
          field);
    }
    if (!s.empty()) {
      // Narratives may hold line breaks; other fields may not hold control characters.
      if (max == limits_.max_narrative_bytes) {
        std::string flat = s;
        for (auto& c : flat) {
          if (c == '\n' || c == '\r' || c == '\t') c = ' ';
        }
        SG_TRY(validate_display_text(flat, field, max));
      } else {
        SG_TRY(validate_display_text(s, field, max ? max : limits_.max_field_bytes));
      }
    }
    return s;
  }

  core::Result<std::string> choice(const json& obj, const char* key, const std::string& path,
                                   const std::vector<std::string_view>& allowed, bool required) {
    auto value = SG_TRY(text(obj, key, path, required));
    if (value.empty()) return value;
    if (!one_of(allowed, value)) {
      return core::invalid_argument("must be one of " + joined(allowed),
                                    path.empty() ? key : path + "/" + key);
    }
    return value;
  }

  core::Result<core::Date> date(const json& obj, const char* key, const std::string& path,
                                bool required, std::optional<core::Date>* out_optional = nullptr) {
    std::string field = path.empty() ? key : path + "/" + key;
    auto value = SG_TRY(text(obj, key, path, required));
    if (value.empty()) {
      if (out_optional) *out_optional = std::nullopt;
      return core::Date();
    }
    auto d = SG_TRY(core::Date::parse_iso(value, field));
    if (d > core::utc_date(now_)) return core::invalid_argument("is in the future", field);
    if (out_optional) *out_optional = d;
    return d;
  }

  core::Result<const json*> array(const json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return static_cast<const json*>(nullptr);
    if (!it->is_array()) return core::invalid_argument("must be an array", key);
    if (it->size() > limits_.max_items) {
      return core::invalid_argument(
          "has too many items (at most " + std::to_string(limits_.max_items) + ")", key);
    }
    return &*it;
  }

  const ConcernLimits& limits() const { return limits_; }
  core::Timestamp now() const { return now_; }

 private:
  const ConcernLimits& limits_;
  core::Timestamp now_;
};

core::Result<RecordedPerson> read_person(Reader& r, const json& node, const std::string& path,
                                         bool child) {
  if (!node.is_object()) return core::invalid_argument("must be an object", path);
  RecordedPerson p;
  p.ref = SG_TRY(r.text(node, "ref", path, true, 32));
  if (child) {
    p.role = "child";
  } else {
    p.role =
        SG_TRY(r.choice(node, "role", path,
                        {"suspect", "associate", "relative", "reporter", "professional"}, true));
  }
  SG_TRY(r.text(node, "relationship", path, false));
  p.record_id = SG_TRY(r.text(node, "record_id", path, false, 64));
  p.given_name = SG_TRY(r.text(node, "given_name", path, false, 100));
  p.family_name = SG_TRY(r.text(node, "family_name", path, false, 100));
  p.full_name = SG_TRY(r.text(node, "full_name", path, false, 200));
  p.nickname = SG_TRY(r.text(node, "nickname", path, false, 100));
  p.date_of_birth = SG_TRY(r.text(node, "date_of_birth", path, false, 10));
  if (!p.date_of_birth.empty()) {
    // A date of birth after today is kept as recorded: it is almost always day and month
    // swapped, and entity resolution compares swapped dates. Impossible dates are refused.
    p.full_date_of_birth = SG_TRY(parse_partial_date(p.date_of_birth, path + "/date_of_birth"));
  }
  if (auto it = node.find("approx_age"); it != node.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<long long>() < 0 || it->get<long long>() > 120) {
      return core::invalid_argument("must be a whole number of years from 0 to 120",
                                    path + "/approx_age");
    }
    p.approx_age = it->get<int>();
  }
  SG_TRY(r.date(node, "age_recorded_on", path, false));
  p.sex = SG_TRY(r.text(node, "sex", path, false, 16));
  if (!p.sex.empty()) {
    // Agencies write sex in their own way (M, F, Male, female, U): accept those spellings.
    static const std::vector<std::string_view> kSex = {"m",      "f",       "u",    "male",
                                                       "female", "unknown", "other"};
    if (!one_of(kSex, core::to_lower(p.sex))) {
      return core::invalid_argument("must be one of M, F, U, male, female, unknown, other",
                                    path + "/sex");
    }
  }
  p.ethnicity = SG_TRY(r.choice(node, "ethnicity", path, ons_ethnicity_codes(), false));
  p.address = SG_TRY(r.text(node, "address", path, false));
  p.postcode = SG_TRY(r.text(node, "postcode", path, false, 16));
  p.phone = SG_TRY(r.text(node, "phone", path, false, 32));
  p.email = SG_TRY(r.text(node, "email", path, false, 254));
  if (auto it = node.find("identifiers"); it != node.end() && !it->is_null()) {
    if (!it->is_object()) return core::invalid_argument("must be an object", path + "/identifiers");
    std::string ipath = path + "/identifiers";
    for (const auto& [key, value] : it->items()) {
      if (key != "nhs_number" && key != "pnc_id" && key != "upn") {
        return core::invalid_argument("unknown identifier (nhs_number, pnc_id or upn)",
                                      ipath + "/" + key);
      }
      (void)value;
    }
    p.nhs_number = SG_TRY(r.text(*it, "nhs_number", ipath, false, 16));
    p.pnc_id = SG_TRY(r.text(*it, "pnc_id", ipath, false, 24));
    p.upn = SG_TRY(r.text(*it, "upn", ipath, false, 16));
  }
  if (p.given_name.empty() && p.family_name.empty() && p.full_name.empty() && p.nickname.empty() &&
      !p.approx_age && p.sex.empty()) {
    return core::invalid_argument(
        "a person needs at least one of given_name, family_name, full_name, nickname, "
        "approx_age or sex",
        path);
  }
  return p;
}

std::string normalised(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '\'' || c == '.') continue;
    out += core::ascii_lower(c);
  }
  return out;
}

}  // namespace

std::string RecordedPerson::identity_key() const {
  if (!nhs_number.empty()) return "nhs:" + normalised(nhs_number);
  if (!pnc_id.empty()) return "pnc:" + normalised(pnc_id);
  if (!upn.empty()) return "upn:" + normalised(upn);
  if (full_date_of_birth && !given_name.empty() && !family_name.empty()) {
    return "name:" + normalised(given_name) + "|" + normalised(family_name) + "|" +
           full_date_of_birth->iso();
  }
  return {};
}

const std::vector<std::string_view>& concern_channels() {
  static const std::vector<std::string_view> v = {"phone",     "email",  "in_person", "online_form",
                                                  "anonymous", "letter", "import"};
  return v;
}
const std::vector<std::string_view>& person_roles() {
  static const std::vector<std::string_view> v = {"child",    "suspect",  "associate",
                                                  "relative", "reporter", "professional"};
  return v;
}
const std::vector<std::string_view>& location_kinds() {
  static const std::vector<std::string_view> v = {"address",         "takeaway", "taxi_firm",
                                                  "hotel",           "park",     "school",
                                                  "private_address", "shop",     "other"};
  return v;
}
const std::vector<std::string_view>& event_kinds() {
  static const std::vector<std::string_view> v = {"incident", "missing_episode", "sighting",
                                                  "disclosure", "other"};
  return v;
}
const std::vector<std::string_view>& ons_ethnicity_codes() {
  // ONS 2021 Census ethnic groups for England and Wales (19 categories) and "not stated".
  static const std::vector<std::string_view> v = {"asian_bangladeshi",
                                                  "asian_chinese",
                                                  "asian_indian",
                                                  "asian_pakistani",
                                                  "asian_other",
                                                  "black_african",
                                                  "black_caribbean",
                                                  "black_other",
                                                  "mixed_white_asian",
                                                  "mixed_white_black_african",
                                                  "mixed_white_black_caribbean",
                                                  "mixed_other",
                                                  "white_british",
                                                  "white_irish",
                                                  "white_gypsy_irish_traveller",
                                                  "white_roma",
                                                  "white_other",
                                                  "other_arab",
                                                  "other_any",
                                                  "not_stated"};
  return v;
}

core::Result<std::optional<core::Date>> parse_partial_date(std::string_view text,
                                                           std::string_view field) {
  auto bad = [&] {
    return core::invalid_argument("expected YYYY-MM-DD, DD/MM/YYYY, YYYYMMDD, YYYY-MM or YYYY",
                                  std::string(field));
  };
  auto digits = [](std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  auto number = [](std::string_view s) {
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
  };
  auto full = [&](int y, int m, int d) -> core::Result<std::optional<core::Date>> {
    auto date = core::Date::from_ymd(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
    if (!date.ok()) return core::invalid_argument("is not a calendar date", std::string(field));
    return std::optional<core::Date>(*date);
  };
  if (text.size() == 4 && digits(text)) return std::optional<core::Date>();
  if (text.size() == 7 && digits(text.substr(0, 4)) && text[4] == '-' &&
      digits(text.substr(5, 2))) {
    int month = number(text.substr(5, 2));
    if (month < 1 || month > 12)
      return core::invalid_argument("has no such month", std::string(field));
    return std::optional<core::Date>();
  }
  if (text.size() == 8 && digits(text)) {
    return full(number(text.substr(0, 4)), number(text.substr(4, 2)), number(text.substr(6, 2)));
  }
  if (text.size() == 10 && text[2] == '/' && text[5] == '/' && digits(text.substr(0, 2)) &&
      digits(text.substr(3, 2)) && digits(text.substr(6, 4))) {
    return full(number(text.substr(6, 4)), number(text.substr(3, 2)), number(text.substr(0, 2)));
  }
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && digits(text.substr(0, 4)) &&
      digits(text.substr(5, 2)) && digits(text.substr(8, 2))) {
    return full(number(text.substr(0, 4)), number(text.substr(5, 2)), number(text.substr(8, 2)));
  }
  return bad();
}

core::Result<Concern> parse_concern(const json& doc, core::Timestamp now,
                                    const ConcernLimits& limits) {
  if (!doc.is_object()) return core::invalid_argument("a concern must be a JSON object", "body");
  static const std::set<std::string, std::less<>> kKnown = {
      "id",       "source_agency", "channel",    "received_at", "category",        "narrative",
      "children", "persons",       "vehicles",   "phones",      "online_accounts", "locations",
      "events",   "links",         "indicators", "marking"};
  for (const auto& [key, value] : doc.items()) {
    if (!kKnown.contains(key)) return core::invalid_argument("is not a concern field", key);
    (void)value;
  }
  Reader r(limits, now);
  Concern c;
  c.source_ref = SG_TRY(r.text(doc, "id", "", false, 64));
  c.source_agency = SG_TRY(r.text(doc, "source_agency", "", false, 16));
  if (!c.source_agency.empty()) SG_TRY(validate_agency_code(c.source_agency, "source_agency"));
  c.channel = SG_TRY(r.choice(doc, "channel", "", concern_channels(), true));
  auto received = SG_TRY(r.text(doc, "received_at", "", true, 40));
  c.received_at = SG_TRY(core::parse_rfc3339(received, "received_at"));
  if (c.received_at > now) return core::invalid_argument("is in the future", "received_at");
  c.category = SG_TRY(r.text(doc, "category", "", false, 48));
  auto marking = SG_TRY(r.text(doc, "marking", "", false, 24));
  if (!marking.empty()) c.marking = SG_TRY(parse_marking(marking, "marking"));
  c.narrative = SG_TRY(r.text(doc, "narrative", "", true, limits.max_narrative_bytes));

  std::set<std::string, std::less<>> refs, child_refs, location_refs;
  auto add_ref = [&](const std::string& ref, const std::string& path) -> core::Status {
    if (ref.empty()) return core::invalid_argument("is required", path + "/ref");
    if (!refs.insert(ref).second) {
      return core::invalid_argument("is used twice in this concern", path + "/ref");
    }
    return {};
  };

  if (auto* children = SG_TRY(r.array(doc, "children"))) {
    for (size_t i = 0; i < children->size(); ++i) {
      std::string path = "children/" + std::to_string(i);
      auto p = SG_TRY(read_person(r, (*children)[i], path, true));
      SG_TRY(add_ref(p.ref, path));
      child_refs.insert(p.ref);
      c.children.push_back(std::move(p));
    }
  }
  if (c.children.empty()) {
    return core::invalid_argument("a concern must name at least one child", "children");
  }
  if (auto* persons = SG_TRY(r.array(doc, "persons"))) {
    for (size_t i = 0; i < persons->size(); ++i) {
      std::string path = "persons/" + std::to_string(i);
      auto p = SG_TRY(read_person(r, (*persons)[i], path, false));
      SG_TRY(add_ref(p.ref, path));
      c.persons.push_back(std::move(p));
    }
  }
  if (auto* vehicles = SG_TRY(r.array(doc, "vehicles"))) {
    for (size_t i = 0; i < vehicles->size(); ++i) {
      std::string path = "vehicles/" + std::to_string(i);
      const auto& v = (*vehicles)[i];
      if (!v.is_object()) return core::invalid_argument("must be an object", path);
      SG_TRY(add_ref(SG_TRY(r.text(v, "ref", path, true, 32)), path));
      for (const char* key : {"registration", "make", "model", "colour"}) {
        SG_TRY(r.text(v, key, path, false, 64));
      }
    }
  }
  if (auto* phones = SG_TRY(r.array(doc, "phones"))) {
    for (size_t i = 0; i < phones->size(); ++i) {
      std::string path = "phones/" + std::to_string(i);
      const auto& v = (*phones)[i];
      if (!v.is_object()) return core::invalid_argument("must be an object", path);
      SG_TRY(add_ref(SG_TRY(r.text(v, "ref", path, true, 32)), path));
      SG_TRY(r.text(v, "number", path, true, 32));
    }
  }
  if (auto* accounts = SG_TRY(r.array(doc, "online_accounts"))) {
    for (size_t i = 0; i < accounts->size(); ++i) {
      std::string path = "online_accounts/" + std::to_string(i);
      const auto& v = (*accounts)[i];
      if (!v.is_object()) return core::invalid_argument("must be an object", path);
      SG_TRY(add_ref(SG_TRY(r.text(v, "ref", path, true, 32)), path));
      SG_TRY(r.text(v, "platform", path, true, 64));
      SG_TRY(r.text(v, "handle", path, true, 128));
    }
  }
  if (auto* locations = SG_TRY(r.array(doc, "locations"))) {
    for (size_t i = 0; i < locations->size(); ++i) {
      std::string path = "locations/" + std::to_string(i);
      const auto& v = (*locations)[i];
      if (!v.is_object()) return core::invalid_argument("must be an object", path);
      auto ref = SG_TRY(r.text(v, "ref", path, true, 32));
      SG_TRY(add_ref(ref, path));
      location_refs.insert(ref);
      SG_TRY(r.choice(v, "kind", path, location_kinds(), true));
      SG_TRY(r.text(v, "name", path, false, 200));
      SG_TRY(r.text(v, "address", path, false));
      SG_TRY(r.text(v, "postcode", path, false, 16));
    }
  }
  auto check_ref = [&](const std::string& ref, const std::set<std::string, std::less<>>& in,
                       const std::string& field, const char* what) -> core::Status {
    if (!ref.empty() && !in.contains(ref)) {
      return core::invalid_argument(std::string("does not name ") + what + " in this concern",
                                    field);
    }
    return {};
  };
  if (auto* events = SG_TRY(r.array(doc, "events"))) {
    for (size_t i = 0; i < events->size(); ++i) {
      std::string path = "events/" + std::to_string(i);
      const auto& v = (*events)[i];
      if (!v.is_object()) return core::invalid_argument("must be an object", path);
      ConcernEvent e;
      e.kind = SG_TRY(r.choice(v, "kind", path, event_kinds(), true));
      e.date = SG_TRY(r.date(v, "date", path, true));
      e.child = SG_TRY(r.text(v, "child", path, false, 32));
      SG_TRY(check_ref(e.child, child_refs, path + "/child", "a child"));
      e.location = SG_TRY(r.text(v, "location", path, false, 32));
      SG_TRY(check_ref(e.location, location_refs, path + "/location", "a location"));
      c.events.push_back(std::move(e));
    }
  }
  if (auto* links = SG_TRY(r.array(doc, "links"))) {
    for (size_t i = 0; i < links->size(); ++i) {
      std::string path = "links/" + std::to_string(i);
      const auto& v = (*links)[i];
      if (!v.is_object()) return core::invalid_argument("must be an object", path);
      auto type = SG_TRY(r.text(v, "type", path, true, 48));
      SG_TRY(validate_reason_code(type, path + "/type"));  // Same token shape: a_b_c.
      SG_TRY(check_ref(SG_TRY(r.text(v, "from", path, true, 32)), refs, path + "/from", "an item"));
      SG_TRY(check_ref(SG_TRY(r.text(v, "to", path, true, 32)), refs, path + "/to", "an item"));
      SG_TRY(r.date(v, "date", path, false));
      SG_TRY(r.choice(v, "confidence", path, {"confirmed", "probable", "possible"}, false));
    }
  }
  if (auto* indicators = SG_TRY(r.array(doc, "indicators"))) {
    for (size_t i = 0; i < indicators->size(); ++i) {
      std::string path = "indicators/" + std::to_string(i);
      const auto& v = (*indicators)[i];
      if (!v.is_object()) return core::invalid_argument("must be an object", path);
      ConcernIndicator ind;
      ind.code = SG_TRY(r.text(v, "code", path, true, 48));
      ind.child = SG_TRY(r.text(v, "child", path, false, 32));
      SG_TRY(check_ref(ind.child, child_refs, path + "/child", "a child"));
      ind.observed_on = SG_TRY(r.date(v, "observed_on", path, true));
      c.indicators.push_back(std::move(ind));
    }
  }
  c.document = doc;
  return c;
}

}  // namespace sg::domain
