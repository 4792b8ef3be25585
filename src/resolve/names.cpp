#include "resolve/names.h"

#include <algorithm>

#include "resolve/text.h"

namespace sg::resolve {
namespace {

// Words that join the family name that follows them.
bool is_particle(std::string_view t) {
  static const std::unordered_set<std::string_view> kParticles = {
      "al", "el", "bin", "ibn", "bint", "abu", "de",  "da", "di",  "del", "della", "der", "den",
      "du", "la", "le",  "van", "von",  "ter", "ten", "st", "mac", "mc",  "o",     "ap"};
  return kParticles.count(t) > 0;
}

std::string join(const std::vector<std::string_view>& tokens, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (!out.empty()) out += ' ';
    out += tokens[i];
  }
  return out;
}

}  // namespace

const NameTables& NameTables::builtin() {
  static const NameTables tables = [] {
    auto parsed = parse(embedded_name_data("nicknames.csv"), embedded_name_data("variants.csv"),
                        embedded_name_data("honorifics.csv"));
    // The embedded files are checked by the tests; a broken build falls back to no tables.
    return parsed.ok() ? std::move(parsed).value() : NameTables();
  }();
  return tables;
}

core::Status NameTables::add_groups(std::string_view csv, const char* source) {
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < csv.size()) {
    std::size_t end = csv.find('\n', pos);
    if (end == std::string_view::npos) end = csv.size();
    std::string_view line = csv.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    std::uint32_t group = next_group_++;
    std::size_t start = 0;
    while (start <= line.size()) {
      std::size_t comma = line.find(',', start);
      if (comma == std::string_view::npos) comma = line.size();
      // Initials such as "k.c." fold to "k c"; names are compared without spaces.
      std::string name;
      for (char c : fold(line.substr(start, comma - start))) {
        if (c != ' ') name += c;
      }
      start = comma + 1;
      if (name.empty()) continue;
      if (name.size() > 64) {
        return core::invalid_argument(std::string(source) + ":" + std::to_string(line_no) +
                                      ": a name longer than 64 characters");
      }
      auto& list = groups_[name];
      if (list.empty() || list.back() != group) list.push_back(group);
    }
  }
  return core::ok_status();
}

core::Result<NameTables> NameTables::parse(std::string_view nicknames, std::string_view variants,
                                           std::string_view honorifics) {
  NameTables tables;
  SG_TRY(tables.add_groups(nicknames, "nicknames.csv"));
  SG_TRY(tables.add_groups(variants, "variants.csv"));
  for (auto& [name, list] : tables.groups_) std::sort(list.begin(), list.end());
  std::size_t pos = 0;
  while (pos < honorifics.size()) {
    std::size_t end = honorifics.find('\n', pos);
    if (end == std::string_view::npos) end = honorifics.size();
    std::string_view line = honorifics.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty() || line.front() == '#') continue;
    std::string token = fold(line);
    if (!token.empty()) tables.honorifics_.insert(token);
  }
  return tables;
}

std::span<const std::uint32_t> NameTables::groups(std::string_view name) const {
  auto it = groups_.find(std::string(name));
  if (it == groups_.end()) return {};
  return it->second;
}

bool NameTables::are_variants(std::string_view a, std::string_view b) const {
  if (a == b) return !a.empty();
  auto ga = groups(a);
  auto gb = groups(b);
  std::size_t i = 0, j = 0;
  while (i < ga.size() && j < gb.size()) {
    if (ga[i] == gb[j]) return true;
    if (ga[i] < gb[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return false;
}

bool NameTables::is_honorific(std::string_view token) const {
  return honorifics_.count(std::string(token)) > 0;
}

std::string normalise_name(std::string_view raw, const NameTables& tables) {
  std::string folded = fold(raw);
  auto tokens = split_tokens(folded);
  std::string out;
  for (auto t : tokens) {
    if (tables.is_honorific(t)) continue;
    if (!out.empty()) out += ' ';
    out += t;
  }
  // A name that is only a title ("Mr") keeps it rather than becoming empty.
  return out.empty() ? folded : out;
}

ParsedName parse_full_name(std::string_view raw, const NameTables& tables) {
  ParsedName name;
  std::size_t comma = raw.find(',');
  if (comma != std::string_view::npos) {
    name.family = normalise_name(raw.substr(0, comma), tables);
    std::string rest = normalise_name(raw.substr(comma + 1), tables);
    auto tokens = split_tokens(rest);
    if (!tokens.empty()) {
      name.given = std::string(tokens[0]);
      name.middle = join(tokens, 1, tokens.size());
    }
    return name;
  }
  std::string folded = normalise_name(raw, tables);
  auto tokens = split_tokens(folded);
  if (tokens.empty()) return name;
  if (tokens.size() == 1) {
    name.given = std::string(tokens[0]);
    return name;
  }
  std::size_t family_start = tokens.size() - 1;
  while (family_start > 1 && is_particle(tokens[family_start - 1])) --family_start;
  name.given = std::string(tokens[0]);
  name.middle = join(tokens, 1, family_start);
  name.family = join(tokens, family_start, tokens.size());
  return name;
}

}  // namespace sg::resolve
