// What happens in Northfield over the simulated years: the planted exploitation networks and
// every incident some agency comes to hear of, ordinary or not. Incidents are the truth;
// records.h turns each into the concern an agency actually records.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "synth/world.h"

namespace sg::synth {

enum class Agency : std::uint8_t {
  kPolice,
  kChildrensServices,
  kHealth,
  kSchools,
  kYouthProject,
  kPublic,
};
inline constexpr int kAgencyCount = 6;
std::string_view agency_code(Agency agency);  // "NFP", "NCS", "NHS-NF", "NFED", "NYP", "PUBLIC"

enum class Channel : std::uint8_t { kPhone, kEmail, kInPerson, kOnlineForm, kAnonymous, kLetter };
std::string_view channel_code(Channel channel);

enum class Role : std::uint8_t {
  kChild,
  kSuspect,
  kAssociate,
  kRelative,
  kReporter,
  kProfessional
};
std::string_view role_code(Role role);

enum class NetworkRole : std::uint8_t { kOrganiser, kAssociate, kDriver, kVictim };
std::string_view network_role_code(NetworkRole role);

// How much the recording agency knows about a person it mentions.
enum class Knowledge : std::uint8_t {
  kIdentified,  // Name, date of birth and address, as the agency's own record holds them.
  kNickname,    // A street name ("Kaz"), an approximate age, perhaps a phone.
  kDescribed,   // Only sex and an approximate age.
};

struct OnlineAccount {
  std::string platform;  // "snapchat", "instagram", "tiktok", "whatsapp", "facebook"
  std::string handle;
  std::uint32_t owner = 0;
};

struct Network {
  std::uint32_t id = 0;  // 1-based; the truth id is "N" + 3 digits.
  std::vector<std::uint32_t> organisers, associates, drivers, victims;
  std::vector<std::uint32_t> places;    // Place indices: takeaways, taxi firm, hotel, parties.
  std::vector<std::uint32_t> vehicles;  // Vehicle indices.
  std::vector<std::string> phones;      // Burner phones, national numbers "7700900123".
  std::vector<std::uint32_t> phone_users;
  std::vector<OnlineAccount> accounts;
  core::Date active_from = core::Date::from_days({});
};

enum class RefKind : std::uint8_t { kPerson, kVehicle, kPhone, kAccount, kLocation };

struct Ref {
  RefKind kind = RefKind::kPerson;
  int index = 0;  // Position within the incident's list of that kind (persons: children first).
};

struct TrueLink {
  std::string_view type;  // e.g. "child_seen_in_vehicle"
  Ref from;
  Ref to;
  std::string_view confidence;  // "confirmed", "probable", "possible"
};

struct Mention {
  std::uint32_t person = 0;
  Role role = Role::kRelative;
  Knowledge knowledge = Knowledge::kIdentified;
  std::string_view relationship;  // For relatives and reporters: "mother", "teacher"...
};

struct IncidentLocation {
  std::int32_t place = -1;    // A place index, or
  std::uint32_t address = 0;  // an address when place < 0.
  PlaceKind kind = PlaceKind::kPrivateAddress;
};

struct IncidentEvent {
  std::string_view kind;  // "incident", "missing_episode", "sighting", "disclosure"...
  core::Date date = core::Date::from_days({});
  int child = 0;      // Index into Incident::children.
  int location = -1;  // Index into Incident::locations, or -1.
};

struct Incident {
  std::string_view type;      // What happened, e.g. "missing_episode", "neglect".
  std::string_view category;  // The concern category the agency records.
  Agency agency = Agency::kPolice;
  Channel channel = Channel::kPhone;
  core::Timestamp received_at;
  std::int32_t network = -1;  // Network index, or -1 for an ordinary concern.
  int stage = 0;              // 1-3 for exploitation, 0 otherwise.
  std::vector<std::uint32_t> children;
  std::vector<Mention> persons;
  std::vector<std::uint32_t> vehicles;
  std::vector<std::string> phones;
  std::vector<OnlineAccount> accounts;
  std::vector<IncidentLocation> locations;
  std::vector<IncidentEvent> events;
  std::vector<TrueLink> links;
  std::vector<std::string_view> indicators;  // Observed indicator codes (all about children[0]).
  std::vector<int> indicator_child;          // Per indicator: index into children.
  std::uint64_t seq = 0;                     // Generation order, the final tie-breaker.
};

struct PlotOptions {
  std::uint64_t seed = 1;
  int years = 5;
  int networks = 3;
  double concerns_per_person = 0.1375;  // Ordinary concerns per person over 5 years.
};

struct Plot {
  std::vector<Network> networks;
  std::vector<Incident> incidents;     // Sorted by received_at, then seq.
  std::vector<std::string> nicknames;  // Per person: their street name, if they have one.
  std::vector<std::uint32_t> professionals[kAgencyCount];
  core::Date start = core::Date::from_days({});
};

// Plants the networks and writes the incident history. Adds party-address places to `world`.
Plot make_plot(World& world, const PlotOptions& options);

}  // namespace sg::synth
