#include "network/suspect_groups.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

#include "network/analytics.h"
#include "resolve/names.h"
#include "resolve/similarity.h"

namespace sg::network {
namespace {

// Two folded first names (given or nickname) that may be one name: equal, variants in the
// name tables (Robert/Bob, Mohammed/Muhammad), or one a misspelling of the other.
// Jaro-Winkler similarity at which two names are taken as one spelling agreeing with the
// other, and the lower one at which they are still not taken to contradict (a typo: "Sajid"
// and "Sajyd" score 0.91).
constexpr double kAgree = 0.92;
constexpr double kTolerate = 0.85;

bool first_names_agree(std::string_view a, std::string_view b, double threshold = kAgree) {
  if (a.size() < 2 || b.size() < 2) return false;
  if (a == b || resolve::NameTables::builtin().are_variants(a, b)) return true;
  return a.size() >= 4 && b.size() >= 4 && resolve::jaro_winkler(a, b) >= threshold;
}

bool family_names_agree(std::string_view a, std::string_view b, double threshold = kAgree) {
  if (a.size() < 2 || b.size() < 2) return false;
  return a == b || resolve::jaro_winkler(a, b) >= threshold;
}

// A given name is consistent with a description when it matches its given name or nickname,
// or is the initial of one of them.
bool given_fits(std::string_view given, const PersonDescription& d) {
  for (std::string_view other : {std::string_view(d.given), std::string_view(d.nickname)}) {
    if (other.empty()) continue;
    if (given.size() == 1 || other.size() == 1) {
      if (given.front() == other.front()) return true;
      continue;
    }
    if (first_names_agree(given, other, kTolerate)) return true;
  }
  return false;
}

// The kinds of context two suspect nodes can share, strongest first.
enum class Context { kPhone, kAccount, kVehicle, kHome, kChild, kBusyObject, kVenue };
constexpr std::array<std::string_view, 7> kContextReason = {
    "same phone",
    "same online account",
    "same vehicle",
    "same home",
    "same child",
    "same phone or account, linked to many suspects",
    "same takeaway, taxi firm, hotel or party address"};

std::optional<Context> context_of(std::string_view type, bool other_is_child, const Entity& other) {
  if (other_is_child) {
    if (type == "child_seen_with_person" || type == "child_associates_with_person") {
      return Context::kChild;
    }
    return std::nullopt;
  }
  if (type == "suspect_uses_phone" || type == "recorded_phone") return Context::kPhone;
  if (type == "person_uses_account") return Context::kAccount;
  if (type == "person_drives_vehicle") return Context::kVehicle;
  if (type == "person_lives_at" || type == "recorded_address") return Context::kHome;
  if (type == "person_frequents_place" && is_exploitation_venue(other)) return Context::kVenue;
  return std::nullopt;
}

struct Candidate {
  std::uint32_t u = 0, v = 0;
  double confidence = 0;
  std::vector<std::string> because;
};

}  // namespace

void hang(std::vector<SuspectGroup::Member>& members, std::uint32_t vertex, std::uint32_t parent,
          double confidence, std::vector<std::string> because) {
  // Walk from `vertex` to the old root, turning each link to point the other way.
  std::uint32_t next = vertex, from = parent;
  while (next != kNoVertex) {
    auto it = std::find_if(members.begin(), members.end(),
                           [&](const SuspectGroup::Member& m) { return m.vertex == next; });
    if (it == members.end()) return;
    auto up = it->joined_with;
    std::swap(it->joined_with, from);
    std::swap(it->confidence, confidence);
    std::swap(it->because, because);
    from = next;
    next = up;
  }
}

namespace {

bool names_conflict(const PersonDescription& a, const PersonDescription& b) {
  if (!a.family.empty() && !b.family.empty() &&
      !family_names_agree(a.family, b.family, kTolerate)) {
    // A one-letter family name (an initial) contradicts only a name with another initial.
    if (a.family.size() > 1 && b.family.size() > 1) return true;
    if (a.family.front() != b.family.front()) return true;
  }
  return !a.given.empty() && !b.given.empty() && !given_fits(a.given, b) && !given_fits(b.given, a);
}

PersonDescription swapped(const PersonDescription& d) {
  auto out = d;
  std::swap(out.given, out.family);
  out.order_uncertain = false;
  return out;
}

}  // namespace

bool descriptions_conflict(const PersonDescription& a, const PersonDescription& b) {
  if (a.sex != 0 && b.sex != 0 && a.sex != b.sex) return true;
  if (a.born_from != 0 && b.born_from != 0 &&
      (a.born_to < b.born_from || b.born_to < a.born_from)) {
    return true;
  }
  // A full name written without a comma may be family name first ("Brown Jacob"): it
  // contradicts only when neither reading fits.
  if (!names_conflict(a, b)) return false;
  if (a.order_uncertain && !names_conflict(swapped(a), b)) return false;
  if (b.order_uncertain && !names_conflict(a, swapped(b))) return false;
  return !(a.order_uncertain && b.order_uncertain && !names_conflict(swapped(a), swapped(b)));
}

bool descriptions_share_name(const PersonDescription& a, const PersonDescription& b) {
  auto as_read = [](const PersonDescription& x, const PersonDescription& y) {
    for (std::string_view p : {std::string_view(x.given), std::string_view(x.nickname)}) {
      for (std::string_view q : {std::string_view(y.given), std::string_view(y.nickname)}) {
        if (first_names_agree(p, q)) return true;
      }
    }
    return family_names_agree(x.family, y.family);
  };
  return as_read(a, b) || (a.order_uncertain && as_read(swapped(a), b)) ||
         (b.order_uncertain && as_read(a, swapped(b)));
}

SuspectGrouping group_possible_same_suspects(const GraphData& data, const Snapshot& snap,
                                             const Scope& scope) {
  const auto& vs = snap.vertices();
  SuspectGrouping out;
  out.group_of.assign(vs.size(), kNoVertex);
  std::vector<std::uint32_t> suspects;
  for (std::uint32_t v = 0; v < vs.size(); ++v) {
    if (vs[v].suspect) suspects.push_back(v);
  }
  // Context entity → the suspects linked to it, and by which kind of link. Only a suspect's
  // own side counts: evidence from concerns naming them as suspect or associate.
  std::map<std::uint32_t, std::map<std::uint32_t, std::set<Context>>> by_context;
  // A recorded home address, also when written without a postcode (no graph node then).
  std::map<std::string_view, std::set<std::uint32_t>> by_address;
  // Each suspect's concerns the scope admits (any role).
  std::unordered_map<std::uint32_t, std::set<std::string_view>> admitted_concerns;
  for (auto s : suspects) {
    const auto& person = data.entities[vs[s].entity];
    std::set<std::string_view> as_suspect;
    for (const auto& m : person.mentions) {
      if (!scope.admits(m)) continue;
      admitted_concerns[s].insert(m.concern_id);
      if (m.role == "suspect" || m.role == "associate") as_suspect.insert(m.concern_id);
    }
    for (const auto& d : person.descriptions) {
      if (!d.address.empty() && as_suspect.contains(d.concern_id)) by_address[d.address].insert(s);
    }
    for (const auto& n : snap.neighbours(s)) {
      const auto& link = data.links[snap.edges()[n.edge].link];
      bool child = vs[n.vertex].child;
      if (vs[n.vertex].kind == EntityKind::kPerson && !child) continue;
      for (const auto& ev : link.evidence) {
        if (!scope.admits(ev) || !as_suspect.contains(ev.concern_id)) continue;
        if (auto c = context_of(ev.type, child, data.entities[vs[n.vertex].entity])) {
          by_context[n.vertex][s].insert(*c);
        }
      }
    }
  }
  // Candidate pairs: suspects sharing a context entity, with every kind they share.
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::set<Context>> shared;
  for (const auto& [context, linked] : by_context) {
    if (linked.size() < 2 || linked.size() > kMaxSuspectsPerContext) continue;
    for (auto i = linked.begin(); i != linked.end(); ++i) {
      for (auto j = std::next(i); j != linked.end(); ++j) {
        for (auto c : i->second) {
          if (!j->second.contains(c)) continue;
          // A phone or account many suspects are linked to is not one person's: it counts
          // as shared context only, like a car.
          bool personal = c == Context::kPhone || c == Context::kAccount;
          if (personal && linked.size() > kMaxSharersOfPersonalObject) c = Context::kBusyObject;
          shared[{i->first, j->first}].insert(c);
        }
      }
    }
  }
  for (const auto& [address, living] : by_address) {
    if (living.size() < 2 || living.size() > kMaxSharersOfPersonalObject) continue;
    for (auto i = living.begin(); i != living.end(); ++i) {
      for (auto j = std::next(i); j != living.end(); ++j) shared[{*i, *j}].insert(Context::kHome);
    }
  }
  // Only what the scope admits may join or part two nodes: a concern the viewer may not see
  // (another agency's, or outside a reviewer's period) is neither a description nor a sign
  // that two men were named together.
  auto admitted = [&](std::uint32_t u, std::string_view concern_id) {
    return admitted_concerns[u].contains(concern_id);
  };
  auto conflict = [&](std::uint32_t u, std::uint32_t v) {
    const auto& a = data.entities[vs[u].entity];
    const auto& b = data.entities[vs[v].entity];
    for (auto concern : admitted_concerns[u]) {
      if (admitted(v, concern)) return true;
    }
    for (const auto& x : a.descriptions) {
      if (!admitted(u, x.concern_id)) continue;
      for (const auto& y : b.descriptions) {
        if (admitted(v, y.concern_id) && descriptions_conflict(x, y)) return true;
      }
    }
    return false;
  };
  auto share_name = [&](std::uint32_t u, std::uint32_t v) {
    for (const auto& x : data.entities[vs[u].entity].descriptions) {
      if (!admitted(u, x.concern_id)) continue;
      for (const auto& y : data.entities[vs[v].entity].descriptions) {
        if (admitted(v, y.concern_id) && descriptions_share_name(x, y)) return true;
      }
    }
    return false;
  };
  std::vector<Candidate> candidates;
  for (const auto& [pair, contexts] : shared) {
    auto [u, v] = pair;
    if (conflict(u, v)) continue;
    bool name = share_name(u, v);
    bool personal = contexts.contains(Context::kPhone) || contexts.contains(Context::kAccount);
    // A phone or an account is one person's. A car, a home, a child's older boyfriend or a
    // place they hang about are shared often enough that a name must agree too, unless two
    // of them do: the same car seen with the same child, or a man at the takeaway whose
    // recorded home is the named man's.
    std::size_t strong = 0;
    for (auto k : contexts) strong += k != Context::kVenue ? 1 : 0;
    bool venue = contexts.contains(Context::kVenue);
    double confidence = 0;
    if (personal) {
      confidence = name ? 0.95 : 0.9;
    } else if (name) {
      confidence = strong > 0 ? 0.85 : 0.75;
    } else if (strong >= 2 || (venue && contexts.contains(Context::kHome))) {
      confidence = 0.7;
    } else {
      continue;
    }
    Candidate c{u, v, confidence, {}};
    for (auto k : contexts) c.because.emplace_back(kContextReason[static_cast<int>(k)]);
    if (name) c.because.emplace_back("same name");
    candidates.push_back(std::move(c));
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     if (a.confidence != b.confidence) return a.confidence > b.confidence;
                     return a.because.size() > b.because.size();
                   });
  // Start with every suspect alone, then join groups while no pair across them conflicts.
  for (auto s : suspects) {
    out.group_of[s] = static_cast<std::uint32_t>(out.groups.size());
    out.groups.push_back({{{s, kNoVertex, 1.0, {}}}});
  }
  for (const auto& c : candidates) {
    auto gu = out.group_of[c.u], gv = out.group_of[c.v];
    if (gu == gv) continue;
    bool ok = true;
    for (const auto& x : out.groups[gu].members) {
      for (const auto& y : out.groups[gv].members) {
        if (conflict(x.vertex, y.vertex)) {
          ok = false;
          break;
        }
      }
      if (!ok) break;
    }
    if (!ok) continue;
    // The smaller group joins the larger; the member that made the link records why.
    auto [keep, join, joiner, anchor] =
        out.groups[gu].members.size() >= out.groups[gv].members.size()
            ? std::tuple(gu, gv, c.v, c.u)
            : std::tuple(gv, gu, c.u, c.v);
    // Each member names the member it was joined to, so a group is a tree of stated links.
    auto& joining = out.groups[join].members;
    hang(joining, joiner, anchor, c.confidence, c.because);
    for (auto& m : joining) {
      out.group_of[m.vertex] = keep;
      out.groups[keep].members.push_back(std::move(m));
    }
    out.groups[join].members.clear();
  }
  // Drop the emptied groups and renumber.
  std::vector<SuspectGroup> kept;
  for (auto& g : out.groups) {
    if (g.members.empty()) continue;
    for (const auto& m : g.members)
      out.group_of[m.vertex] = static_cast<std::uint32_t>(kept.size());
    kept.push_back(std::move(g));
  }
  out.groups = std::move(kept);
  return out;
}

}  // namespace sg::network
