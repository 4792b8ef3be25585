// The word lists the synthetic world is built from: names by origin, nicknames,
// transliteration variants, streets, business names, vehicles. Parsed once from the data files
// embedded at build time (data/synth, see data/synth/SOURCES.md).
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "synth/rng.h"

namespace sg::synth {

enum class Sex : std::uint8_t { kMale, kFemale };

// Where a family's naming conventions come from. Each maps to an ONS 2021 ethnic group
// (see ethnicity_of in world.h) and to a name pool in given_names.csv / family_names.csv.
enum class Origin : std::uint8_t {
  kBritish,
  kIrish,
  kTraveller,
  kPakistani,
  kBangladeshi,
  kIndian,
  kArab,
  kSomali,
  kCaribbean,
  kChinese,
  kNigerian,
  kGhanaian,
  kPolish,
  kRomanian,
  kLatvian,
  kRoma,
};
inline constexpr int kOriginCount = 16;
std::string_view origin_name(Origin origin);  // The data files' spelling, e.g. "pakistani".

// Names with frequency weights; sampling follows the weights.
struct NamePool {
  std::vector<std::string> names;
  std::vector<std::uint32_t> weights;
  WeightedIndex index;
  const std::string& sample(Rng& rng) const { return names[index.sample(rng)]; }
};

struct VehicleModel {
  std::string make;
  std::string model;
  bool private_hire = false;  // Commonly licensed as a private-hire car.
};

// Immutable after construction; safe to share between threads.
class Lexicon {
 public:
  // The lexicon built from the embedded data files, parsed on first use.
  static const Lexicon& get();

  const NamePool& given(Origin origin, Sex sex) const {
    return given_[static_cast<int>(origin)][static_cast<int>(sex)];
  }
  const NamePool& family(Origin origin) const { return family_[static_cast<int>(origin)]; }
  // Nicknames for `name` ("Robert" -> Bob, Rob...); empty when none are known.
  std::span<const std::string> nicknames(std::string_view name) const;
  // Other spellings of `name` ("Mohammed" -> Muhammad, Mohamed...); empty when none.
  std::span<const std::string> variants(std::string_view name) const;

  const std::vector<std::string>& street_stems() const { return street_stems_; }
  const NamePool& street_types() const { return street_types_; }
  // Name parts of a place kind ("takeaway", "school_primary"...): prefixes and suffixes.
  std::span<const std::string> place_prefixes(std::string_view kind) const;
  std::span<const std::string> place_suffixes(std::string_view kind) const;
  const std::vector<VehicleModel>& vehicle_models() const { return vehicle_models_; }
  const WeightedIndex& vehicle_weights() const { return vehicle_weights_; }
  const NamePool& colours() const { return colours_; }

 private:
  Lexicon();

  NamePool given_[kOriginCount][2];
  NamePool family_[kOriginCount];
  std::map<std::string, std::vector<std::string>, std::less<>> nicknames_;
  std::map<std::string, std::vector<std::string>, std::less<>> variants_;
  std::vector<std::string> street_stems_;
  NamePool street_types_;
  std::map<std::string, std::vector<std::string>, std::less<>> place_prefixes_;
  std::map<std::string, std::vector<std::string>, std::less<>> place_suffixes_;
  std::vector<VehicleModel> vehicle_models_;
  WeightedIndex vehicle_weights_;
  NamePool colours_;
};

}  // namespace sg::synth
