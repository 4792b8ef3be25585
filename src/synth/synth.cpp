#include "synth/synth.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <system_error>

#include "synth/concern.h"
#include "synth/plot.h"
#include "synth/world.h"

namespace sg::synth {
namespace {

// A buffered output file: one fwrite per megabyte, never per record.
class OutFile {
 public:
  static core::Result<std::unique_ptr<OutFile>> open(const std::filesystem::path& path) {
    FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) {
      return core::unavailable("cannot write " + path.filename().string() +
                               " in the output directory");
    }
    return std::unique_ptr<OutFile>(new OutFile(f, path.filename().string()));
  }
  ~OutFile() {
    if (file_ != nullptr) std::fclose(file_);
  }
  std::string& buffer() { return buffer_; }
  core::Status maybe_flush() {
    if (buffer_.size() < (1u << 20)) return {};
    return flush();
  }
  core::Status flush() {
    if (!buffer_.empty() &&
        std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      return core::unavailable("write failed for " + name_);
    }
    buffer_.clear();
    return {};
  }
  core::Status close() {
    SG_TRY(flush());
    int rc = std::fclose(file_);
    file_ = nullptr;
    if (rc != 0) return core::unavailable("close failed for " + name_);
    return {};
  }

 private:
  OutFile(FILE* f, std::string name) : file_(f), name_(std::move(name)) {
    buffer_.reserve(2u << 20);
  }
  FILE* file_;
  std::string name_;
  std::string buffer_;
};

void csv_line(std::string& out, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (auto f : fields) {
    if (!first) out += ',';
    first = false;
    append_csv_field(out, f);
  }
  out += "\r\n";
}

std::string pad(std::uint64_t v, int width) {
  std::string s = std::to_string(v);
  if (static_cast<int>(s.size()) < width) s.insert(0, width - s.size(), '0');
  return s;
}

std::string network_id(std::uint32_t n) { return "N" + pad(n, 3); }

}  // namespace

SynthOptions resolved(SynthOptions options) {
  if (options.networks < 0) {
    options.networks = std::max(1, static_cast<int>((options.people + 3333) / 6667));
  }
  return options;
}

core::Status validate(const SynthOptions& options) {
  if (options.people < 500 || options.people > 5'000'000) {
    return core::invalid_argument("people must be between 500 and 5000000", "--people");
  }
  if (options.years < 1 || options.years > 20) {
    return core::invalid_argument("years must be between 1 and 20", "--years");
  }
  if (options.networks < -1 || options.networks > 1000) {
    return core::invalid_argument("networks must be between 0 and 1000", "--networks");
  }
  if (options.networks > 0 &&
      static_cast<std::uint64_t>(options.networks) * 2000 > options.people) {
    return core::invalid_argument("too many networks for the town: at most one per 2000 people",
                                  "--networks");
  }
  if (options.end.year() - options.years < 1996 || options.end.year() > 2044) {
    return core::out_of_range("the simulated period must lie within 1996-2044", "--end-date");
  }
  return {};
}

core::Result<SynthSummary> generate(const SynthOptions& input,
                                    const std::filesystem::path& out_dir) {
  SG_TRY(validate(input));
  const SynthOptions options = resolved(input);
  std::error_code ec;
  std::filesystem::create_directories(out_dir / "truth", ec);
  if (ec) return core::unavailable("cannot create the output directory");

  World world = build_world({.seed = options.seed, .people = options.people, .end = options.end});
  Plot plot = make_plot(
      world, {.seed = options.seed, .years = options.years, .networks = options.networks});
  RecordRegistry registry(world, options.seed);
  registry.register_baseline(plot.start);

  SynthSummary summary;
  summary.people = world.people.size();
  summary.households = world.households.size();
  for (const auto& p : world.people) summary.children += age_on(p.dob, world.end) < 18 ? 1 : 0;
  summary.networks = plot.networks.size();

  // Concerns, in the order they were received.
  auto ndjson = SG_TRY(OutFile::open(out_dir / "concerns.ndjson"));
  auto csv = SG_TRY(OutFile::open(out_dir / "concerns.csv"));
  auto truth_concerns = SG_TRY(OutFile::open(out_dir / "truth" / "concerns.csv"));
  csv->buffer() += concerns_csv_header();
  csv_line(truth_concerns->buffer(),
           {"concern_id", "network_id", "stage", "incident_type", "child_person_ids"});
  std::map<std::pair<int, int>, std::uint32_t> serials;  // (agency, year) -> last serial.
  for (const auto& inc : plot.incidents) {
    int year = core::utc_date(inc.received_at).year();
    auto serial = ++serials[{static_cast<int>(inc.agency), year}];
    std::string id =
        std::string(agency_code(inc.agency)) + "-" + std::to_string(year) + "-" + pad(serial, 6);
    Concern c = record_concern(inc, world, plot, registry, options.seed, id);
    append_ndjson(c, ndjson->buffer());
    append_csv_rows(c, csv->buffer());
    std::string children;
    for (auto child : inc.children) {
      if (!children.empty()) children += ';';
      children += world.truth_id(child);
    }
    csv_line(truth_concerns->buffer(),
             {c.id, inc.network >= 0 ? network_id(inc.network + 1) : "",
              inc.stage > 0 ? std::to_string(inc.stage) : "", inc.type, children});
    ++summary.concerns;
    if (inc.network >= 0) ++summary.network_concerns;
    SG_TRY(ndjson->maybe_flush());
    SG_TRY(csv->maybe_flush());
    SG_TRY(truth_concerns->maybe_flush());
  }
  SG_TRY(ndjson->close());
  SG_TRY(csv->close());
  SG_TRY(truth_concerns->close());

  // Person records and the truth behind each.
  auto persons = SG_TRY(OutFile::open(out_dir / "persons.csv"));
  auto truth_persons = SG_TRY(OutFile::open(out_dir / "truth" / "persons.csv"));
  csv_line(persons->buffer(),
           {"record_id", "agency", "given_name", "family_name", "full_name", "nickname",
            "date_of_birth", "approx_age", "age_recorded_on", "sex", "ethnicity", "address",
            "postcode", "phone", "email", "nhs_number", "pnc_id", "upn"});
  csv_line(truth_persons->buffer(), {"record_id", "person_id", "agency", "errors"});
  PersonRecord r;
  std::string errors;
  for (std::uint32_t i = 0; i < registry.size(); ++i) {
    registry.render(i, r);
    csv_line(persons->buffer(),
             {r.record_id, r.agency, r.given_name, r.family_name, r.full_name, r.nickname,
              r.date_of_birth, r.approx_age, r.age_recorded_on, r.sex, r.ethnicity, r.address,
              r.postcode, r.phone, r.email, r.nhs_number, r.pnc_id, r.upn});
    errors.clear();
    for (int n = 0; n < kNoiseCount; ++n) {
      if (!(r.noise & (1u << n))) continue;
      ++summary.noise[n];
      if (!errors.empty()) errors += ';';
      errors += noise_code(static_cast<Noise>(n));
    }
    csv_line(truth_persons->buffer(),
             {r.record_id, world.truth_id(registry.meta(i).person), r.agency, errors});
    SG_TRY(persons->maybe_flush());
    SG_TRY(truth_persons->maybe_flush());
  }
  summary.person_records = registry.size();
  SG_TRY(persons->close());
  SG_TRY(truth_persons->close());

  // The true people.
  auto people = SG_TRY(OutFile::open(out_dir / "truth" / "people.csv"));
  csv_line(people->buffer(),
           {"person_id", "given_name", "middle_name", "family_name", "sex", "date_of_birth",
            "ethnicity", "origin", "address", "postcode", "mobile", "email", "nhs_number", "upn",
            "pnc_id", "household_id", "looked_after", "learning_disability"});
  for (const auto& p : world.people) {
    const Address& a = world.addresses[p.address];
    csv_line(
        people->buffer(),
        {world.truth_id(p.id), p.given, p.middle, p.family, p.sex == Sex::kMale ? "M" : "F",
         p.dob.iso(), ethnicity_code(p.ethnicity), origin_name(p.origin), a.line, a.postcode,
         p.mobile.empty() ? "" : "+44" + p.mobile, p.email, p.nhs_number, p.upn, p.pnc_id,
         "H" + pad(p.household, 7), p.looked_after ? "1" : "0", p.learning_disability ? "1" : "0"});
    SG_TRY(people->maybe_flush());
  }
  SG_TRY(people->close());

  // Networks: members with roles, and the places, vehicles, phones and accounts they use.
  auto networks = SG_TRY(OutFile::open(out_dir / "truth" / "networks.csv"));
  auto objects = SG_TRY(OutFile::open(out_dir / "truth" / "network_objects.csv"));
  csv_line(networks->buffer(), {"network_id", "person_id", "role"});
  csv_line(objects->buffer(), {"network_id", "object_kind", "object_id", "kind", "value", "address",
                               "postcode", "user_person_id"});
  for (const auto& n : plot.networks) {
    std::string nid = network_id(n.id);
    auto members = [&](const std::vector<std::uint32_t>& list, NetworkRole role) {
      for (auto p : list) {
        csv_line(networks->buffer(), {nid, world.truth_id(p), network_role_code(role)});
        if (role == NetworkRole::kVictim)
          ++summary.victims;
        else
          ++summary.network_members;
      }
    };
    members(n.organisers, NetworkRole::kOrganiser);
    members(n.associates, NetworkRole::kAssociate);
    members(n.drivers, NetworkRole::kDriver);
    members(n.victims, NetworkRole::kVictim);
    for (auto pl : n.places) {
      const Place& place = world.places[pl];
      const Address& a = world.addresses[place.address];
      csv_line(objects->buffer(), {nid, "place", "L" + pad(pl, 6), place_kind_code(place.kind),
                                   place.name, a.line, a.postcode, ""});
    }
    for (auto v : n.vehicles) {
      const Vehicle& veh = world.vehicles[v];
      std::string reg = veh.registration;
      std::erase(reg, ' ');
      csv_line(objects->buffer(),
               {nid, "vehicle", "V" + pad(v, 7), veh.make + " " + veh.model, reg, "", "",
                veh.keeper >= 0 ? world.truth_id(static_cast<std::uint32_t>(veh.keeper)) : ""});
    }
    for (std::size_t i = 0; i < n.phones.size(); ++i) {
      csv_line(objects->buffer(), {nid, "phone", "T" + n.phones[i], "mobile", "+44" + n.phones[i],
                                   "", "", world.truth_id(n.phone_users[i])});
    }
    for (const auto& acc : n.accounts) {
      csv_line(objects->buffer(), {nid, "online_account", acc.platform + ":" + acc.handle,
                                   acc.platform, acc.handle, "", "", world.truth_id(acc.owner)});
    }
  }
  SG_TRY(networks->close());
  SG_TRY(objects->close());

  // Every vehicle, for scoring plate matching.
  auto vehicles = SG_TRY(OutFile::open(out_dir / "truth" / "vehicles.csv"));
  csv_line(vehicles->buffer(), {"vehicle_id", "registration", "make", "model", "colour",
                                "keeper_person_id", "private_hire"});
  for (std::uint32_t v = 0; v < world.vehicles.size(); ++v) {
    const Vehicle& veh = world.vehicles[v];
    std::string reg = veh.registration;
    std::erase(reg, ' ');
    csv_line(vehicles->buffer(),
             {"V" + pad(v, 7), reg, veh.make, veh.model, veh.colour,
              veh.keeper >= 0 ? world.truth_id(static_cast<std::uint32_t>(veh.keeper)) : "",
              veh.private_hire ? "1" : "0"});
    SG_TRY(vehicles->maybe_flush());
  }
  SG_TRY(vehicles->close());
  return summary;
}

}  // namespace sg::synth
