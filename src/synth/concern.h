// A concern as the recording agency wrote it down: the incident seen through that agency's
// records, with refs, typed links, indicator codes and a narrative. Serialised as one NDJSON
// line and as rows of the flattened CSV (docs/import-formats.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "synth/plot.h"
#include "synth/records.h"

namespace sg::synth {

struct ConcernPerson {
  std::string ref;  // "p1", "p2"... unique within the concern.
  Role role = Role::kChild;
  std::string relationship;
  std::uint32_t record = 0;  // Registry index.
  PersonRecord rec;
};

struct ConcernVehicle {
  std::string ref, registration, make, model, colour;
  std::uint32_t vehicle = 0;
};

struct ConcernPhone {
  std::string ref, number, nsn;
};

struct ConcernAccount {
  std::string ref, platform, handle;
};

struct ConcernLocation {
  std::string ref, kind, name, address, postcode;
};

struct ConcernLink {
  std::string type, from, to, date, confidence;
};

struct ConcernIndicator {
  std::string code, child, observed_on;
};

struct ConcernEvent {
  std::string kind, date, child, location;
};

struct Concern {
  std::string id;
  std::string_view source_agency;
  std::string_view channel;
  std::string received_at;  // RFC 3339, UTC.
  std::string category;
  std::string narrative;
  std::vector<ConcernPerson> children;
  std::vector<ConcernPerson> persons;
  std::vector<ConcernVehicle> vehicles;
  std::vector<ConcernPhone> phones;
  std::vector<ConcernAccount> accounts;
  std::vector<ConcernLocation> locations;
  std::vector<ConcernEvent> events;
  std::vector<ConcernLink> links;
  std::vector<ConcernIndicator> indicators;
};

// Turns an incident into the concern its agency records. Creates or reuses person records in
// `registry`. Deterministic in (seed, incident.seq).
Concern record_concern(const Incident& incident, const World& world, const Plot& plot,
                       RecordRegistry& registry, std::uint64_t seed, std::string id);

// Appends the concern as one JSON object and a newline.
void append_ndjson(const Concern& concern, std::string& out);
// The flattened CSV: its header line, and the concern's rows.
std::string_view concerns_csv_header();
void append_csv_rows(const Concern& concern, std::string& out);
// RFC 4180 field quoting.
void append_csv_field(std::string& out, std::string_view value);

}  // namespace sg::synth
