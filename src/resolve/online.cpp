// The online matcher: inverted blocking indexes over one growing RecordStore, incremental
// links and local re-clustering (see online.h).
#include "resolve/online.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_set>

#include "resolve/compare.h"

namespace sg::resolve {
namespace {

constexpr float kForced = std::numeric_limits<float>::infinity();

FieldParameters parameters(const Comparator& c) {
  FieldParameters f;
  f.name = c.name;
  f.kind = c.compare;
  // Hand-set from what the batch EM learns on FEBRL and the synthetic town: agreement on a
  // name or date is strong evidence, disagreement moderately strong against; location fields
  // are household evidence and count once (FieldParameters::location).
  switch (c.compare) {
    case CompareKind::kName:
      if (c.kind == FieldKind::kFamilyName) {
        f.m = {0.03, 0.04, 0.10, 0.83};
        f.u = {0.93, 0.065, 0.0016, 0.0017};
      } else {
        f.m = {0.03, 0.04, 0.08, 0.85};
        f.u = {0.94, 0.02, 0.0035, 0.0066};
      }
      break;
    case CompareKind::kDate:
      f.m = {0.03, 0.04, 0.08, 0.85};
      f.u = {0.94, 0.03, 0.0025, 0.0005};
      break;
    case CompareKind::kExact:
      f.m = {0.02, 0.98};
      f.u = {0.5, 0.5};
      break;
    case CompareKind::kAddress:
    case CompareKind::kPostcode:
    case CompareKind::kPlace:
      f.m = {0.35, 0.05, 0.10, 0.50};
      f.u = {0.97, 0.02, 0.005, 0.001};
      f.location = true;
      break;
    case CompareKind::kPhone:
    case CompareKind::kEmail:
    case CompareKind::kVehicle:
      f.m = {0.45, 0.05, 0.50};
      f.u = {0.9999, 0.00005, 0.00005};
      break;
    case CompareKind::kIdentifier:
      f.m = {0.05, 0.05, 0.90};
      f.u = {0.99999, 0.000005, 0.000005};
      break;
    case CompareKind::kAttribute:
      f.m = {0.2, 0.1, 0.7};
      f.u = {0.9, 0.05, 0.05};
      break;
  }
  return f;
}

// The least weight whose probability (Model::probability) reaches p, less a bit for rounding:
// a pair whose weight is below it cannot reach p, so its names need not be compared.
double weight_floor(double p) {
  if (p <= 0) return -std::numeric_limits<double>::infinity();
  // Above 1 - 1e-9 the ratio below loses precision; such a weight is at least 29.9 bits.
  if (p >= 1 - 1e-9) return 28;
  return std::log2(p / (1 - p)) - 1;
}

// Union-find over a component, with member lists for the linkage check.
struct Groups {
  std::unordered_map<std::uint32_t, std::uint32_t> parent;
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> members;
  std::uint32_t find(std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
};

}  // namespace

const std::vector<FieldMapping>& person_fields() {
  static const std::vector<FieldMapping> fields = {
      {FieldKind::kGivenName, "given_name"},
      {FieldKind::kFamilyName, "family_name"},
      {FieldKind::kFullName, "full_name"},
      {FieldKind::kDateOfBirth, "date_of_birth"},
      {FieldKind::kSex, "sex"},
      {FieldKind::kAddress, "address"},
      {FieldKind::kPostcode, "postcode"},
      {FieldKind::kPhone, "phone"},
      {FieldKind::kEmail, "email"},
      {FieldKind::kIdentifier, "nhs_number"},
      {FieldKind::kIdentifier, "pnc_id"},
      {FieldKind::kIdentifier, "upn"},
  };
  return fields;
}

Model default_person_model(const std::vector<Comparator>& comparators) {
  std::vector<FieldParameters> fields;
  for (const auto& c : comparators) fields.push_back(parameters(c));
  return Model(std::move(fields), 1e-4);
}

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kSame:
      return "same";
    case Verdict::kDifferent:
      return "different";
    case Verdict::kUnsure:
      return "unsure";
  }
  return "unsure";
}

core::Result<Verdict> parse_verdict(std::string_view text, std::string_view field) {
  for (auto v : {Verdict::kSame, Verdict::kDifferent, Verdict::kUnsure}) {
    if (verdict_name(v) == text) return v;
  }
  return core::invalid_argument("must be one of same, different, unsure", std::string(field));
}

OnlineMatcher::OnlineMatcher(OnlineOptions options)
    : options_(options),
      store_(RecordStore::create(person_fields()).value()),
      model_(default_person_model(store_.comparators())),
      rules_(default_blocking_rules(store_.comparators())),
      index_(rules_.size()) {}

std::uint64_t OnlineMatcher::pair_key(std::uint32_t a, std::uint32_t b) {
  if (a > b) std::swap(a, b);
  return (static_cast<std::uint64_t>(a) << 32) | b;
}

core::Result<std::uint32_t> OnlineMatcher::append(const PersonRecord& p) {
  // The order of person_fields(): full_name feeds the name comparators through `full_name`.
  std::vector<std::string_view> raw;
  for (const auto& c : store_.comparators()) {
    const std::string& column = c.columns.empty() ? c.name : c.columns.front();
    if (column == "given_name")
      raw.push_back(p.given_name);
    else if (column == "family_name")
      raw.push_back(p.family_name);
    else if (column == "date_of_birth")
      raw.push_back(p.date_of_birth);
    else if (column == "sex")
      raw.push_back(p.sex);
    else if (column == "address")
      raw.push_back(p.address);
    else if (column == "postcode")
      raw.push_back(p.postcode);
    else if (column == "phone")
      raw.push_back(p.phone);
    else if (column == "email")
      raw.push_back(p.email);
    else if (column == "nhs_number")
      raw.push_back(p.nhs_number);
    else if (column == "pnc_id")
      raw.push_back(p.pnc_id);
    else if (column == "upn")
      raw.push_back(p.upn);
    else
      raw.emplace_back();
  }
  return store_.add(p.id, RecordSource{}, raw, p.full_name);
}

void OnlineMatcher::index_record(std::uint32_t r) {
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    std::uint64_t key = blocking_key(store_, rules_[i], r);
    if (key != 0) index_[i][key].push_back(r);
  }
}

std::vector<std::uint32_t> OnlineMatcher::candidates(std::uint32_t r) const {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    std::uint64_t key = blocking_key(store_, rules_[i], r);
    if (key == 0) continue;
    auto it = index_[i].find(key);
    if (it == index_[i].end()) continue;
    const auto& block = it->second;
    // The newest records first: a very common key (a town and a birth year) is read only
    // up to max_block, as batch blocking caps its blocks.
    std::size_t n = std::min(block.size(), options_.max_block);
    for (std::size_t j = 0; j < n; ++j) {
      std::uint32_t c = block[block.size() - 1 - j];
      if (c != r) out.push_back(c);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double OnlineMatcher::probability(std::uint32_t a, std::uint32_t b) const {
  return Model::probability(model_.weight(store_, a, b));
}

void OnlineMatcher::link_if_close(std::uint32_t a, std::uint32_t b) {
  // Below both thresholds a pair is neither linked nor queued, so only pairs that can reach
  // one are weighed in full.
  const double lowest = std::min(options_.review_threshold, options_.link_threshold);
  if (auto w = model_.weight_at_least(store_, a, b, weight_floor(lowest))) {
    link(a, b, *w);
  }
}

void OnlineMatcher::link(std::uint32_t a, std::uint32_t b, double weight) {
  double p = Model::probability(weight);
  if (p >= options_.link_threshold) {
    links_[a].push_back({b, static_cast<float>(weight)});
    links_[b].push_back({a, static_cast<float>(weight)});
  } else if (p >= options_.review_threshold) {
    // In order of the earlier record, as add() finds them; forget() may weigh a pair late.
    auto& queue = possible_[std::max(a, b)];
    const Edge edge{std::min(a, b), static_cast<float>(weight)};
    queue.insert(std::ranges::upper_bound(queue, edge.other, {}, &Edge::other), edge);
  }
}

core::Status OnlineMatcher::load(const std::vector<PersonRecord>& records) {
  std::lock_guard lock(mutex_);
  for (const auto& p : records) {
    auto r = SG_TRY(append(p));
    agency_.push_back(p.agency_id);
    links_.emplace_back();
    possible_.emplace_back();
    same_.emplace_back();
    entity_.push_back(r);
    members_[r] = {r};
    index_record(r);
  }
  if (store_.live() >= options_.min_training_records) {
    BlockingOptions blocking;
    Candidates cands = generate_candidates(store_, rules_, blocking);
    std::unordered_map<Pattern, std::uint64_t> counts;
    std::uint8_t levels[kMaxComparators];
    const std::size_t nk = store_.comparators().size();
    for (const auto& cp : cands.pairs) {
      compare_record_pair(store_, cp.a, cp.b, levels);
      ++counts[pack_levels(levels, nk)];
    }
    model_ = Model::train(store_, counts, TrainingOptions{});
    trained_ = true;
  }
  rebuild_links();
  return core::ok_status();
}

bool OnlineMatcher::retrain() {
  {
    std::lock_guard lock(mutex_);
    if (store_.live() < options_.min_training_records) return trained_;
  }
  auto st = load({});
  std::lock_guard lock(mutex_);
  return st.ok() && trained_;
}

void OnlineMatcher::rebuild_links() {
  const std::size_t n = store_.size();
  for (std::uint32_t r = 0; r < n; ++r) {
    links_[r].clear();
    possible_[r].clear();
  }
  // Each record against the earlier ones it blocks with, as if they had arrived in order.
  // A forgotten record has no blocking keys, so it has no candidates and is no candidate.
  for (std::uint32_t r = 0; r < n; ++r) {
    for (std::uint32_t c : candidates(r)) {
      if (c < r) link_if_close(c, r);
    }
  }
  rebuilt_below_ = static_cast<std::uint32_t>(n);
  std::vector<bool> done(n, false);
  for (std::uint32_t r = 0; r < n; ++r) {
    if (done[r] || store_.erased(r)) continue;
    recluster(r);
    for (std::uint32_t m : members_[entity_[r]]) done[m] = true;
    done[r] = true;
  }
}

core::Result<std::string> OnlineMatcher::add(const PersonRecord& record) {
  std::lock_guard lock(mutex_);
  auto r = SG_TRY(append(record));
  agency_.push_back(record.agency_id);
  links_.emplace_back();
  possible_.emplace_back();
  same_.emplace_back();
  entity_.push_back(r);
  members_[r] = {r};
  for (std::uint32_t c : candidates(r)) link_if_close(c, r);
  index_record(r);
  recluster(r);
  return store_.id(entity_[r]);
}

std::vector<OnlineMatch> OnlineMatcher::match(const PersonRecord& query, double min_probability,
                                              std::size_t limit) {
  std::lock_guard lock(mutex_);
  PersonRecord q = query;
  const std::int64_t self = store_.find(q.id);
  // The query is scored as a temporary record under an id no record can have.
  q.id = "\x01query";
  auto added = append(q);
  if (!added.ok()) return {};
  const std::uint32_t r = *added;
  std::vector<std::pair<double, std::uint32_t>> scored;
  const double floor = weight_floor(min_probability);
  for (std::uint32_t c : candidates(r)) {
    if (static_cast<std::int64_t>(c) == self) continue;
    auto w = model_.weight_at_least(store_, r, c, floor);
    if (w && Model::probability(*w) >= min_probability) scored.emplace_back(*w, c);
  }
  std::sort(scored.begin(), scored.end(), [&](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : store_.id(x.second) < store_.id(y.second);
  });
  if (scored.size() > limit) scored.resize(limit);
  std::vector<OnlineMatch> out;
  for (const auto& [w, c] : scored) {
    OnlineMatch m;
    m.record_id = store_.id(c);
    m.entity_id = store_.id(entity_[c]);
    m.agency_id = agency_[c];
    m.weight = w;
    m.probability = Model::probability(w);
    m.explanation = explain_pair(model_, store_, r, c);
    m.explanation.record_l = query.id.empty() ? "query" : query.id;
    out.push_back(std::move(m));
  }
  store_.remove_last();
  return out;
}

std::optional<std::string> OnlineMatcher::entity_of(std::string_view record_id) const {
  std::shared_lock lock(mutex_);
  auto r = store_.find(record_id);
  if (r < 0) return std::nullopt;
  return store_.id(entity_[static_cast<std::uint32_t>(r)]);
}

core::Result<std::uint32_t> OnlineMatcher::require(std::string_view id,
                                                   std::string_view field) const {
  auto r = store_.find(id);
  if (r < 0) {
    core::Error e = core::not_found("no such person record");
    e.field = std::string(field);
    return e;
  }
  return static_cast<std::uint32_t>(r);
}

core::Result<EntityView> OnlineMatcher::entity(std::string_view id) const {
  std::shared_lock lock(mutex_);
  auto r = SG_TRY(require(id, "entity_id"));
  EntityView view;
  view.entity_id = store_.id(entity_[r]);
  for (std::uint32_t m : members_.at(entity_[r])) view.record_ids.push_back(store_.id(m));
  std::sort(view.record_ids.begin(), view.record_ids.end());
  return view;
}

core::Result<Explanation> OnlineMatcher::explain(std::string_view id_l,
                                                 std::string_view id_r) const {
  std::shared_lock lock(mutex_);
  auto a = SG_TRY(require(id_l, "record_l"));
  auto b = SG_TRY(require(id_r, "record_r"));
  return explain_pair(model_, store_, a, b);
}

std::vector<OnlineMatcher::Candidate> OnlineMatcher::review_candidates_of(
    std::string_view record_id) const {
  std::shared_lock lock(mutex_);
  std::vector<Candidate> out;
  auto r = store_.find(record_id);
  if (r < 0) return out;
  for (const auto& e : possible_[static_cast<std::uint32_t>(r)]) {
    out.push_back({store_.id(e.other), std::string(record_id), Model::probability(e.weight)});
  }
  return out;
}

core::Status OnlineMatcher::decide(std::string_view id_l, std::string_view id_r, Verdict verdict) {
  std::lock_guard lock(mutex_);
  auto a = SG_TRY(require(id_l, "record_l"));
  auto b = SG_TRY(require(id_r, "record_r"));
  if (a == b) return core::invalid_argument("a record cannot be paired with itself", "record_r");
  auto key = pair_key(a, b);
  auto old = decisions_.find(key);
  if (old != decisions_.end() && old->second == Verdict::kSame) {
    std::erase(same_[a], b);
    std::erase(same_[b], a);
  }
  decisions_[key] = verdict;
  if (verdict == Verdict::kSame) {
    same_[a].push_back(b);
    same_[b].push_back(a);
  }
  recluster(a);
  recluster(b);
  return core::ok_status();
}

core::Status OnlineMatcher::undo(std::string_view id_l, std::string_view id_r) {
  std::lock_guard lock(mutex_);
  auto a = SG_TRY(require(id_l, "record_l"));
  auto b = SG_TRY(require(id_r, "record_r"));
  auto it = decisions_.find(pair_key(a, b));
  if (it == decisions_.end()) return core::ok_status();
  if (it->second == Verdict::kSame) {
    std::erase(same_[a], b);
    std::erase(same_[b], a);
  }
  decisions_.erase(it);
  recluster(a);
  recluster(b);
  return core::ok_status();
}

void OnlineMatcher::recluster(std::uint32_t seed) {
  // The component: records reachable by strong links or "same" decisions.
  std::vector<std::uint32_t> nodes = {seed};
  std::unordered_set<std::uint32_t> seen = {seed};
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    std::uint32_t x = nodes[i];
    auto visit = [&](std::uint32_t y) {
      if (seen.insert(y).second) nodes.push_back(y);
    };
    for (const auto& e : links_[x]) visit(e.other);
    for (std::uint32_t y : same_[x]) visit(y);
  }
  // Edges: "same" decisions first, then links strongest first (ties by record ids).
  struct WeightedPair {
    float weight;
    std::uint32_t a, b;
  };
  std::vector<WeightedPair> edges;
  for (std::uint32_t x : nodes) {
    for (const auto& e : links_[x]) {
      if (x < e.other) edges.push_back({e.weight, x, e.other});
    }
    for (std::uint32_t y : same_[x]) {
      if (x < y) edges.push_back({kForced, x, y});
    }
  }
  std::sort(edges.begin(), edges.end(), [&](const WeightedPair& p, const WeightedPair& q) {
    if (p.weight != q.weight) return p.weight > q.weight;
    return std::tie(store_.id(p.a), store_.id(p.b)) < std::tie(store_.id(q.a), store_.id(q.b));
  });
  Groups g;
  for (std::uint32_t x : nodes) {
    g.parent[x] = x;
    g.members[x] = {x};
  }
  auto forbidden = [&](const std::vector<std::uint32_t>& left,
                       const std::vector<std::uint32_t>& right) {
    if (decisions_.empty()) return false;
    for (std::uint32_t x : left) {
      for (std::uint32_t y : right) {
        auto it = decisions_.find(pair_key(x, y));
        if (it != decisions_.end() && it->second == Verdict::kDifferent) return true;
      }
    }
    return false;
  };
  std::unordered_set<std::uint32_t> forced;  // Roots of groups holding a "same" decision.
  for (const auto& e : edges) {
    std::uint32_t ra = g.find(e.a), rb = g.find(e.b);
    if (ra == rb) continue;
    auto& left = g.members[ra];
    auto& right = g.members[rb];
    // "different" forbids the merge however it would come about; "same" forces it otherwise.
    if (forbidden(left, right)) continue;
    // A group an analyst joined is not re-tested against chaining: its members are vouched
    // for, and the link itself is model evidence at or above the threshold.
    bool vouched = e.weight == kForced || forced.contains(ra) || forced.contains(rb);
    if (!vouched && left.size() + right.size() > 2) {
      // Average linkage over the cross pairs (bounded), as in batch clustering.
      double sum = 0;
      std::size_t n = 0;
      for (std::uint32_t x : left) {
        for (std::uint32_t y : right) {
          if (n >= options_.max_linkage_pairs) break;
          sum += probability(x, y);
          ++n;
        }
      }
      if (n == 0 || sum / static_cast<double>(n) < options_.linkage) continue;
    }
    if (left.size() < right.size()) std::swap(ra, rb);
    if (vouched) forced.insert(ra);
    auto& big = g.members[ra];
    auto& small = g.members[rb];
    big.insert(big.end(), small.begin(), small.end());
    g.members.erase(rb);
    g.parent[rb] = ra;
  }
  // Entity ids: the smallest record id of each group. Members of the old entities that are
  // no longer reachable (a "same" decision withdrawn) are re-clustered on their own.
  std::vector<std::uint32_t> left_behind;
  for (std::uint32_t x : nodes) {
    auto it = members_.find(entity_[x]);
    if (it == members_.end()) continue;
    for (std::uint32_t y : it->second) {
      if (!seen.contains(y)) left_behind.push_back(y);
    }
    members_.erase(it);
  }
  for (auto& [root, group] : g.members) {
    std::uint32_t name = *std::min_element(
        group.begin(), group.end(),
        [&](std::uint32_t x, std::uint32_t y) { return store_.id(x) < store_.id(y); });
    for (std::uint32_t x : group) entity_[x] = name;
    members_[name] = group;
  }
  for (std::uint32_t y : left_behind) {
    if (!members_.contains(entity_[y]) ||
        std::find(members_[entity_[y]].begin(), members_[entity_[y]].end(), y) ==
            members_[entity_[y]].end()) {
      entity_[y] = y;
      members_[y] = {y};
      recluster(y);
    }
  }
}

std::size_t OnlineMatcher::forget(const std::vector<std::string>& record_ids) {
  std::lock_guard lock(mutex_);
  std::size_t forgotten = 0;
  for (const auto& id : record_ids) {
    const std::int64_t r = store_.find(id);
    if (r < 0) continue;
    forget_record(static_cast<std::uint32_t>(r));
    ++forgotten;
  }
  return forgotten;
}

bool OnlineMatcher::weighed(std::uint32_t a, std::uint32_t b) const {
  auto to = [](std::uint32_t x) { return [x](const Edge& e) { return e.other == x; }; };
  return std::ranges::any_of(links_[a], to(b)) ||
         std::ranges::any_of(possible_[std::max(a, b)], to(std::min(a, b)));
}

void OnlineMatcher::pairs_uncovered_by(
    std::uint32_t r, std::vector<std::pair<std::uint32_t, std::uint32_t>>& out) const {
  const std::size_t cap = options_.max_block;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const std::uint64_t key = blocking_key(store_, rules_[i], r);
    if (key == 0) continue;
    // Postings are pushed as records are added, so a block is in record order.
    const auto& block = index_[i].at(key);
    const std::size_t q =
        static_cast<std::size_t>(std::lower_bound(block.begin(), block.end(), r) - block.begin());
    // Records linked by rebuild_links were compared with the records among the block's newest
    // `cap` then (the first `rebuilt` of the block): without r, the one just older joins them.
    const std::size_t rebuilt = static_cast<std::size_t>(
        std::lower_bound(block.begin(), block.end(), rebuilt_below_) - block.begin());
    if (q < rebuilt && rebuilt > cap && q >= rebuilt - cap) {
      const std::uint32_t joins = block[rebuilt - cap - 1];
      for (std::size_t p = rebuilt - cap; p < rebuilt; ++p) {
        if (p != q) out.emplace_back(joins, block[p]);
      }
    }
    // A record added later was compared with the `cap` records before it in the block; with r
    // among them, the one before those takes r's place.
    for (std::size_t p = std::max(q + 1, rebuilt); p < block.size() && p <= q + cap; ++p) {
      if (p >= cap + 1) out.emplace_back(block[p - cap - 1], block[p]);
    }
  }
}

void OnlineMatcher::forget_record(std::uint32_t r) {
  // The records clustered with r's help: its component of strong links and "same" decisions.
  std::vector<std::uint32_t> seeds = {r};
  std::unordered_set<std::uint32_t> seen = {r};
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    auto visit = [&](std::uint32_t y) {
      if (seen.insert(y).second) seeds.push_back(y);
    };
    for (const auto& e : links_[seeds[i]]) visit(e.other);
    for (std::uint32_t y : same_[seeds[i]]) visit(y);
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> uncovered;
  pairs_uncovered_by(r, uncovered);
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const std::uint64_t key = blocking_key(store_, rules_[i], r);
    if (key == 0) continue;
    auto it = index_[i].find(key);
    std::erase(it->second, r);
    if (it->second.empty()) index_[i].erase(it);
  }
  for (const auto& e : links_[r]) {
    std::erase_if(links_[e.other], [r](const Edge& x) { return x.other == r; });
  }
  for (std::uint32_t y : same_[r]) std::erase(same_[y], r);
  // Review-band pairs are held by the later record of each pair.
  for (std::size_t x = r + 1; x < possible_.size(); ++x) {
    std::erase_if(possible_[x], [r](const Edge& e) { return e.other == r; });
  }
  std::vector<Edge>().swap(links_[r]);
  std::vector<Edge>().swap(possible_[r]);
  std::vector<std::uint32_t>().swap(same_[r]);
  std::erase_if(decisions_, [r](const auto& d) {
    return static_cast<std::uint32_t>(d.first >> 32) == r ||
           static_cast<std::uint32_t>(d.first) == r;
  });
  // r leaves its entity; the entity keeps its name until re-clustered below.
  if (auto m = members_.find(entity_[r]); m != members_.end()) {
    std::erase(m->second, r);
    if (m->second.empty()) members_.erase(m);
  }
  entity_[r] = r;
  std::string().swap(agency_[r]);
  store_.erase(r);
  for (const auto& [a, b] : uncovered) {
    if (store_.erased(a) || store_.erased(b) || weighed(a, b)) continue;
    link_if_close(a, b);
    seeds.push_back(a);
    seeds.push_back(b);
  }
  // Each component that held r, or gained a link, is clustered afresh, as add() and decide()
  // leave every component.
  std::unordered_set<std::uint32_t> done = {r};
  for (std::uint32_t x : seeds) {
    if (done.contains(x) || store_.erased(x)) continue;
    recluster(x);
    for (std::uint32_t m : members_[entity_[x]]) done.insert(m);
    done.insert(x);
  }
}

std::size_t OnlineMatcher::size() const {
  std::shared_lock lock(mutex_);
  return store_.live();
}

bool OnlineMatcher::trained() const {
  std::shared_lock lock(mutex_);
  return trained_;
}

}  // namespace sg::resolve
