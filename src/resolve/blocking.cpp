#include "resolve/blocking.h"

#include <algorithm>
#include <array>
#include <unordered_set>
#include <utility>

namespace sg::resolve {
namespace {

constexpr std::array<std::pair<std::string_view, BlockKey>, 9> kKeys = {{
    {"exact", BlockKey::kExact},
    {"phonetic", BlockKey::kPhonetic},
    {"prefix2", BlockKey::kPrefix2},
    {"year", BlockKey::kYear},
    {"month_day", BlockKey::kMonthDay},
    {"sector", BlockKey::kSector},
    {"district", BlockKey::kDistrict},
    {"confusable", BlockKey::kConfusable},
    {"first_token", BlockKey::kFirstToken},
}};

std::string_view key_name(BlockKey key) {
  for (const auto& [name, k] : kKeys) {
    if (k == key) return name;
  }
  return "exact";
}

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  // A 64-bit mix (splitmix64 finaliser) of the running hash and the next term.
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBull;
  h ^= h >> 31;
  return h;
}

std::uint64_t hash_text(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a.
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h | 1;
}

// The term's value for record r; 0 when missing.
std::uint64_t term_value(const RecordStore& store, const BlockTerm& term, std::uint32_t r) {
  std::uint32_t id = store.value_id(term.comparator, r);
  if (id == 0) return 0;
  const Value& v = store.table(term.comparator).values[id];
  const CompareKind kind = store.comparators()[term.comparator].compare;
  switch (term.key) {
    case BlockKey::kExact:
      return id;
    case BlockKey::kPhonetic:
      return kind == CompareKind::kName ? v.key_a : id;
    case BlockKey::kPrefix2:
      return v.text.size() >= 2 ? hash_text(std::string_view(v.text).substr(0, 2)) : 0;
    case BlockKey::kYear:
      if (kind != CompareKind::kDate) return id;
      return v.key_a / 10000;
    case BlockKey::kMonthDay:
      if (kind != CompareKind::kDate) return id;
      return v.key_a % 10000 >= 101 && v.key_a % 100 != 0 ? v.key_a % 10000 : 0;
    case BlockKey::kSector:
      return kind == CompareKind::kPostcode && v.key_a != 0 ? (std::uint64_t{1} << 40) | v.key_a
                                                            : id;
    case BlockKey::kDistrict:
      return kind == CompareKind::kPostcode && v.key_b != 0 ? (std::uint64_t{1} << 41) | v.key_b
                                                            : id;
    case BlockKey::kConfusable:
      return v.key_a != 0 ? v.key_a : id;
    case BlockKey::kFirstToken: {
      if (kind == CompareKind::kAddress && v.list_end > v.list_begin) {
        return store.table(term.comparator).lists[v.list_begin];
      }
      auto space = v.text.find(' ');
      return hash_text(std::string_view(v.text).substr(0, space));
    }
  }
  return 0;
}

}  // namespace

std::uint64_t blocking_key(const RecordStore& store, const BlockingRule& rule, std::uint32_t r) {
  std::uint64_t h = 0x51ED27A1u;
  if (rule.any_order) {
    // The values alone (not which field they came from), in sorted order.
    std::uint64_t values[kMaxComparators];
    std::size_t n = 0;
    for (const auto& term : rule.terms) {
      std::uint64_t v = term_value(store, term, r);
      if (v == 0) return 0;
      // Phonetic keys are interned per comparator; use their text so fields can be compared.
      const auto& comparator = store.comparators()[term.comparator];
      if (term.key == BlockKey::kPhonetic && comparator.compare == CompareKind::kName) {
        v = hash_text(store.table(term.comparator).keys[v]);
      }
      if (n < kMaxComparators) values[n++] = v;
    }
    std::sort(values, values + n);
    for (std::size_t i = 0; i < n; ++i) h = mix(h, values[i]);
    return h == 0 ? 1 : h;
  }
  for (const auto& term : rule.terms) {
    std::uint64_t v = term_value(store, term, r);
    if (v == 0) return 0;
    h = mix(h, v ^ (static_cast<std::uint64_t>(term.key) << 56) ^ (term.comparator << 48));
  }
  return h == 0 ? 1 : h;
}

core::Result<BlockingRule> parse_blocking_rule(std::string_view text,
                                               const std::vector<Comparator>& comparators) {
  BlockingRule rule;
  rule.name = std::string(text);
  rule.any_order = text.find('|') != std::string_view::npos;
  if (rule.any_order && text.find('+') != std::string_view::npos) {
    return core::invalid_argument("a blocking rule joins its terms with '+' or '|', not both",
                                  "--block");
  }
  const char joiner = rule.any_order ? '|' : '+';
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t plus = text.find(joiner, start);
    if (plus == std::string_view::npos) plus = text.size();
    std::string_view term = text.substr(start, plus - start);
    start = plus + 1;
    std::size_t colon = term.rfind(':');
    if (colon == std::string_view::npos) {
      return core::invalid_argument("a blocking term must be COMPARATOR:KEY", "--block");
    }
    std::string_view comp = term.substr(0, colon);
    std::string_view key = term.substr(colon + 1);
    BlockTerm t{comparators.size(), BlockKey::kExact};
    for (std::size_t k = 0; k < comparators.size(); ++k) {
      if (comparators[k].name == comp) t.comparator = k;
    }
    if (t.comparator == comparators.size()) {
      return core::invalid_argument(
          "blocking rule names an unknown field '" + std::string(comp) + "'", "--block");
    }
    bool found = false;
    for (const auto& [name, k] : kKeys) {
      if (name == key) {
        t.key = k;
        found = true;
      }
    }
    if (!found) {
      return core::invalid_argument("unknown blocking key '" + std::string(key) + "'", "--block");
    }
    rule.terms.push_back(t);
  }
  if (rule.terms.empty()) return core::invalid_argument("empty blocking rule", "--block");
  return rule;
}

std::vector<BlockingRule> default_blocking_rules(const std::vector<Comparator>& comparators) {
  auto find = [&](std::string_view name) -> int {
    for (std::size_t k = 0; k < comparators.size(); ++k) {
      if (comparators[k].name == name) return static_cast<int>(k);
    }
    return -1;
  };
  std::vector<BlockingRule> rules;
  auto add = [&](std::vector<std::pair<int, BlockKey>> terms, bool any_order = false) {
    BlockingRule rule;
    rule.any_order = any_order;
    for (auto [k, key] : terms) {
      if (k < 0) return;
      rule.terms.push_back({static_cast<std::size_t>(k), key});
      if (!rule.name.empty()) rule.name += any_order ? '|' : '+';
      rule.name += comparators[k].name + ":" + std::string(key_name(key));
    }
    rules.push_back(std::move(rule));
  };
  for (std::size_t k = 0; k < comparators.size(); ++k) {
    if (comparators[k].compare == CompareKind::kIdentifier)
      add({{static_cast<int>(k), BlockKey::kExact}});
  }
  int given = find("given_name"), family = find("family_name"), dob = find("date_of_birth");
  int postcode = find("postcode"), locality = find("locality"), address = find("address");
  add({{find("phone"), BlockKey::kExact}});
  add({{find("email"), BlockKey::kExact}});
  add({{find("vehicle_registration"), BlockKey::kConfusable}});
  add({{dob, BlockKey::kExact}});
  add({{family, BlockKey::kPhonetic}, {dob, BlockKey::kYear}});
  add({{given, BlockKey::kPhonetic}, {family, BlockKey::kPhonetic}}, true);
  add({{given, BlockKey::kPhonetic}, {dob, BlockKey::kMonthDay}});
  int place = postcode >= 0 ? postcode : locality;
  add({{given, BlockKey::kPrefix2}, {place, BlockKey::kExact}});
  add({{family, BlockKey::kPhonetic}, {place, BlockKey::kExact}});
  add({{address, BlockKey::kFirstToken}, {place, BlockKey::kExact}});
  add({{place, BlockKey::kExact}, {dob, BlockKey::kYear}});
  if (postcode >= 0 && locality >= 0) {
    add({{given, BlockKey::kPrefix2}, {locality, BlockKey::kExact}});
    add({{locality, BlockKey::kExact}, {dob, BlockKey::kYear}});
  }
  return rules;
}

Candidates generate_candidates(const RecordStore& store, const std::vector<BlockingRule>& rules,
                               const BlockingOptions& options) {
  Candidates out;
  const std::uint32_t n = static_cast<std::uint32_t>(store.size());
  std::vector<std::vector<std::uint64_t>> keys(rules.size());
  std::vector<std::unordered_set<std::uint64_t>> capped(rules.size());
  std::vector<std::pair<std::uint64_t, std::uint32_t>> order;
  order.reserve(n);
  for (std::size_t r = 0; r < rules.size(); ++r) {
    RuleStats stats;
    stats.name = rules[r].name;
    keys[r].resize(n);
    order.clear();
    for (std::uint32_t i = 0; i < n; ++i) {
      std::uint64_t key = blocking_key(store, rules[r], i);
      keys[r][i] = key;
      if (key != 0) order.emplace_back(key, i);
    }
    std::sort(order.begin(), order.end());
    // The blocks of two or more, as [begin, end) ranges of `order`.
    std::vector<std::pair<std::size_t, std::size_t>> blocks;
    for (std::size_t begin = 0; begin < order.size();) {
      std::size_t end = begin + 1;
      while (end < order.size() && order[end].first == order[begin].first) ++end;
      if (end - begin >= 2) blocks.emplace_back(begin, end);
      begin = end;
    }
    stats.blocks = blocks.size();
    // Keep blocks smallest first while the rule's pair budget lasts; skip the rest.
    const double budget =
        std::max(1e5, options.max_pairs_per_record * static_cast<double>(store.live()));
    std::vector<std::size_t> by_size(blocks.size());
    for (std::size_t i = 0; i < blocks.size(); ++i) by_size[i] = i;
    std::stable_sort(by_size.begin(), by_size.end(), [&](std::size_t x, std::size_t y) {
      return blocks[x].second - blocks[x].first < blocks[y].second - blocks[y].first;
    });
    std::vector<char> skip(blocks.size(), 0);
    double planned = 0;
    for (std::size_t i : by_size) {
      double size = static_cast<double>(blocks[i].second - blocks[i].first);
      double pairs = size * (size - 1) / 2;
      if (size > static_cast<double>(options.max_block_size) || planned + pairs > budget) {
        skip[i] = 1;
      } else {
        planned += pairs;
      }
    }
    for (std::size_t bi = 0; bi < blocks.size(); ++bi) {
      auto [begin, end] = blocks[bi];
      if (skip[bi]) {
        ++stats.capped_blocks;
        stats.capped_records += end - begin;
        capped[r].insert(order[begin].first);
        continue;
      }
      for (std::size_t x = begin; x < end; ++x) {
        std::uint32_t a = order[x].second;
        for (std::size_t y = x + 1; y < end; ++y) {
          std::uint32_t b = order[y].second;
          if (options.link_only && store.source(a).file == store.source(b).file) continue;
          // Counted already if an earlier rule put both in one (uncapped) block.
          bool seen = false;
          for (std::size_t e = 0; e < r && !seen; ++e) {
            std::uint64_t ka = keys[e][a];
            seen = ka != 0 && ka == keys[e][b] && !capped[e].count(ka);
          }
          if (seen) continue;
          out.pairs.push_back({a, b});  // a < b: records are sorted by index within a key.
          ++stats.pairs;
        }
      }
    }
    out.rules.push_back(std::move(stats));
  }
  return out;
}

}  // namespace sg::resolve
