// Person names: honorifics, parsing into given, middle and family names, and the nickname
// and transliteration-variant tables shipped in data/names (embedded in the binary).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/result.h"

namespace sg::resolve {

// Nickname and variant groups. Two names are variants when some group holds both: Robert and
// Bob (a nickname row), or Mohammed and Muhammad (a transliteration row). Immutable after
// construction and so safe to share between threads.
class NameTables {
 public:
  // The tables built from data/names/*.csv, embedded at build time. Built once, on first use.
  static const NameTables& builtin();
  // Builds tables from CSV text: each line a group of names ("robert,rob,bob"); lines
  // starting with '#' and blank lines are ignored. `honorifics` lists one token per line.
  static core::Result<NameTables> parse(std::string_view nicknames, std::string_view variants,
                                        std::string_view honorifics);

  // The sorted group ids of a folded one-word name; empty when it is in no group.
  std::span<const std::uint32_t> groups(std::string_view name) const;
  // True when `a` and `b` (folded, one word each) are equal or share a group.
  bool are_variants(std::string_view a, std::string_view b) const;
  // True for titles and suffixes such as "mr", "dr", "rev", "jr", "iii".
  bool is_honorific(std::string_view token) const;

 private:
  core::Status add_groups(std::string_view csv, const char* source);
  std::unordered_map<std::string, std::vector<std::uint32_t>> groups_;
  std::unordered_set<std::string> honorifics_;
  std::uint32_t next_group_ = 0;
};

// A name split into parts, each folded (see text.h): lower-case ASCII words.
struct ParsedName {
  std::string given;   // First given name.
  std::string middle;  // Further given names, space-separated.
  std::string family;  // Family name, with particles ("van der berg", "al hassan").
};

// Folds a name and drops honorifics ("Dr. Ayesha KHAN" -> "ayesha khan").
std::string normalise_name(std::string_view raw, const NameTables& tables = NameTables::builtin());

// Splits a full name. "Khan, Ayesha Noor" is family-first because of the comma; otherwise
// the last word, with any particles before it (al, bin, de, van, von...), is the family name.
ParsedName parse_full_name(std::string_view raw, const NameTables& tables = NameTables::builtin());

// The data files compiled into the binary, by file name ("nicknames.csv"); empty if unknown.
std::string_view embedded_name_data(std::string_view name);

}  // namespace sg::resolve
