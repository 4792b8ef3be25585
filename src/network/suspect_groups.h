// "Possible same person" among suspects, for key players only. Suspects are often recorded
// without an identifier or a date of birth ("Jaz, about 30"), so one man is several person
// nodes, each with part of the evidence. Nodes that share a name and strong context (the same
// phone, car, account or home, or the same child's older boyfriend) are grouped so that his
// evidence is counted once, together. Nothing is merged: the graph, its communities and every
// record stay as they are, and each group lists its members with the confidence and reasons.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "network/graph.h"

namespace sg::network {

class Snapshot;

inline constexpr std::uint32_t kNoVertex = std::numeric_limits<std::uint32_t>::max();

// True when two descriptions cannot be one person: different given names (allowing
// nicknames, transliterations, initials and typos), different family names, birth years
// that cannot overlap, or different sexes. Missing fields never contradict.
bool descriptions_conflict(const PersonDescription& a, const PersonDescription& b);
// True when two descriptions share a name: a given name or nickname of one is a given name or
// nickname of the other (equal, or variants such as Mohammed/Muhammad), or the family names
// agree. Single letters do not count.
bool descriptions_share_name(const PersonDescription& a, const PersonDescription& b);

struct SuspectGroup {
  struct Member {
    std::uint32_t vertex = 0;  // Snapshot vertex.
    // The member whose shared context joined this one to the group (kNoVertex for the
    // group's first member), how sure that join is, and why ("same phone", "same name"...).
    std::uint32_t joined_with = kNoVertex;
    double confidence = 1.0;
    std::vector<std::string> because;
  };
  std::vector<Member> members;
};

// Makes `vertex` a child of `parent` in a group's tree of links (joined by `confidence` and
// `because`), turning the links on its way to the old root; with parent kNoVertex, makes
// `vertex` the root. Members not in `members` are ignored.
void hang(std::vector<SuspectGroup::Member>& members, std::uint32_t vertex, std::uint32_t parent,
          double confidence = 1.0, std::vector<std::string> because = {});

struct SuspectGrouping {
  std::vector<SuspectGroup> groups;     // Every suspect vertex is in exactly one group.
  std::vector<std::uint32_t> group_of;  // Snapshot vertex → group index; kNoVertex if none.
};

// Groups the suspect vertices of `snap` (suspects and associates) that are possibly one
// person. Two nodes join only when
//   - neither was named in a concern that names the other (two men in one concern are two
//     men), no description of one contradicts a description of the other, for every member
//     of the two groups (descriptions_conflict), and
//   - they share context that `scope` admits, from concerns naming them as suspect or
//     associate: the same phone or online account (one that at most
//     `kMaxSharersOfPersonalObject` suspects are linked to); or the same vehicle, home, child
//     (seen with or associating with both) or exploitation venue (takeaway, taxi firm, hotel,
//     party address they frequent) together with a shared name (descriptions_share_name).
// Context entities linked to more than `kMaxSuspectsPerContext` suspects are not evidence.
// Strongest reasons join first.
SuspectGrouping group_possible_same_suspects(const GraphData& data, const Snapshot& snap,
                                             const Scope& scope);

inline constexpr std::size_t kMaxSuspectsPerContext = 60;
inline constexpr std::size_t kMaxSharersOfPersonalObject = 12;

}  // namespace sg::network
