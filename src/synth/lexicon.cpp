#include "synth/lexicon.h"

#include <charconv>

#include "core/ascii.h"
#include "core/assert.h"
#include "synth/data.h"

namespace sg::synth {
namespace {

constexpr std::string_view kOriginNames[kOriginCount] = {
    "british", "irish",    "traveller", "pakistani", "bangladeshi", "indian",
    "arab",    "somali",   "caribbean", "chinese",   "nigerian",    "ghanaian",
    "polish",  "romanian", "latvian",   "roma"};

int origin_index(std::string_view name) {
  for (int i = 0; i < kOriginCount; ++i) {
    if (kOriginNames[i] == name) return i;
  }
  return -1;
}

// The data lines of an embedded file: comments (#) and blank lines skipped.
std::vector<std::string_view> data_lines(std::string_view file_name) {
  auto text = embedded_file(file_name);
  SG_ASSERT(text.ok());
  return core::text_lines(*text, true);
}

std::vector<std::string_view> split(std::string_view line, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    auto pos = line.find(sep, start);
    parts.push_back(line.substr(start, pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

std::uint32_t to_u32(std::string_view text) {
  std::uint32_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  SG_ASSERT(ec == std::errc() && ptr == text.data() + text.size());
  return value;
}

void add(NamePool& pool, std::string_view name, std::uint32_t weight) {
  pool.names.emplace_back(name);
  pool.weights.push_back(weight);
}

void finish(NamePool& pool) { pool.index = WeightedIndex(pool.weights); }

}  // namespace

std::string_view origin_name(Origin origin) { return kOriginNames[static_cast<int>(origin)]; }

const Lexicon& Lexicon::get() {
  static const Lexicon lexicon;
  return lexicon;
}

Lexicon::Lexicon() {
  auto given_lines = data_lines("given_names.csv");
  for (std::size_t i = 1; i < given_lines.size(); ++i) {  // Line 0 is the header.
    auto f = split(given_lines[i], ',');
    SG_ASSERT(f.size() == 4);
    int origin = origin_index(f[0]);
    SG_ASSERT(origin >= 0 && (f[1] == "m" || f[1] == "f"));
    add(given_[origin][f[1] == "m" ? 0 : 1], f[2], to_u32(f[3]));
  }
  auto family_lines = data_lines("family_names.csv");
  for (std::size_t i = 1; i < family_lines.size(); ++i) {
    auto f = split(family_lines[i], ',');
    SG_ASSERT(f.size() == 3);
    int origin = origin_index(f[0]);
    SG_ASSERT(origin >= 0);
    add(family_[origin], f[1], to_u32(f[2]));
  }
  for (int o = 0; o < kOriginCount; ++o) {
    SG_ASSERT(!family_[o].names.empty());
    finish(family_[o]);
    for (auto& pool : given_[o]) {
      SG_ASSERT(!pool.names.empty());
      finish(pool);
    }
  }

  auto nick_lines = data_lines("nicknames.csv");
  for (std::size_t i = 1; i < nick_lines.size(); ++i) {
    auto f = split(nick_lines[i], ',');
    SG_ASSERT(f.size() == 2);
    auto& list = nicknames_[std::string(f[0])];
    for (auto nick : split(f[1], '|')) list.emplace_back(nick);
  }
  for (auto line : data_lines("name_variants.csv")) {
    auto group = split(line, '|');
    for (auto name : group) {
      auto& list = variants_[std::string(name)];
      for (auto other : group) {
        if (other != name) list.emplace_back(other);
      }
    }
  }

  for (auto line : data_lines("street_names.txt")) street_stems_.emplace_back(line);
  for (auto line : data_lines("street_types.txt")) {
    auto f = split(line, ',');
    SG_ASSERT(f.size() == 2);
    add(street_types_, f[0], to_u32(f[1]));
  }
  finish(street_types_);

  auto place_lines = data_lines("places.csv");
  for (std::size_t i = 1; i < place_lines.size(); ++i) {
    auto f = split(place_lines[i], ',');
    SG_ASSERT(f.size() == 3 && (f[1] == "prefix" || f[1] == "suffix"));
    auto& target = f[1] == "prefix" ? place_prefixes_ : place_suffixes_;
    target[std::string(f[0])].emplace_back(f[2]);
  }

  auto vehicle_lines = data_lines("vehicles.csv");
  std::vector<std::uint32_t> weights;
  for (std::size_t i = 1; i < vehicle_lines.size(); ++i) {
    auto f = split(vehicle_lines[i], ',');
    SG_ASSERT(f.size() == 4);
    vehicle_models_.push_back({std::string(f[0]), std::string(f[1]), f[3] == "1"});
    weights.push_back(to_u32(f[2]));
  }
  vehicle_weights_ = WeightedIndex(weights);
  for (auto line : data_lines("colours.txt")) {
    auto f = split(line, ',');
    SG_ASSERT(f.size() == 2);
    add(colours_, f[0], to_u32(f[1]));
  }
  finish(colours_);
}

std::span<const std::string> Lexicon::nicknames(std::string_view name) const {
  auto it = nicknames_.find(name);
  if (it == nicknames_.end()) return {};
  return it->second;
}

std::span<const std::string> Lexicon::variants(std::string_view name) const {
  auto it = variants_.find(name);
  if (it == variants_.end()) return {};
  return it->second;
}

std::span<const std::string> Lexicon::place_prefixes(std::string_view kind) const {
  auto it = place_prefixes_.find(kind);
  SG_ASSERT(it != place_prefixes_.end());
  return it->second;
}

std::span<const std::string> Lexicon::place_suffixes(std::string_view kind) const {
  auto it = place_suffixes_.find(kind);
  SG_ASSERT(it != place_suffixes_.end());
  return it->second;
}

}  // namespace sg::synth
