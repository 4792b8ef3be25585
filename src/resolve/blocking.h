// Blocking: which pairs of records are compared at all. Each rule puts records that share a
// key (for example the same phonetic family name and birth year) into one block; the
// candidate pairs are the union over rules, each pair counted once, under the first rule that
// produced it. Blocks larger than a cap are skipped and reported, so one very common key
// cannot make the work quadratic.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "resolve/records.h"

namespace sg::resolve {

// What part of a comparator's value a rule term uses.
enum class BlockKey {
  kExact,       // The whole normalised value.
  kPhonetic,    // Names: the Double Metaphone primary key.
  kPrefix2,     // The first two characters.
  kYear,        // Dates: the year.
  kMonthDay,    // Dates: month and day.
  kSector,      // Postcodes: the sector (UK), else the whole postcode.
  kDistrict,    // Postcodes: the district (UK), else the whole postcode.
  kConfusable,  // Vehicles: the misreading-tolerant key; phones, e-mails: key_a.
  kFirstToken,  // Addresses: the first word (often the house number).
};

struct BlockTerm {
  std::size_t comparator;
  BlockKey key;
};

struct BlockingRule {
  std::string name;  // "family_name:phonetic+date_of_birth:year".
  std::vector<BlockTerm> terms;
  // The terms' values form a set rather than a sequence, so "Snell Sophie" and "Sophie Snell"
  // share a block under given_name:phonetic+family_name:phonetic.
  bool any_order = false;
};

// Parses "COMPARATOR:KEY+COMPARATOR:KEY" against the store's comparators, e.g.
// "family_name:phonetic+date_of_birth:year" or "identifier:nhs:exact". KEY is one of exact,
// phonetic, prefix2, year, month_day, sector, district, confusable, first_token. Joining the
// terms with '|' instead of '+' makes them an unordered set ("given_name:phonetic|
// family_name:phonetic" also blocks names written the other way round).
core::Result<BlockingRule> parse_blocking_rule(std::string_view text,
                                               const std::vector<Comparator>& comparators);

// The default rules for the comparators present: exact identifiers, phones, e-mails and
// vehicles; exact date of birth; phonetic family name with birth year; phonetic given and
// family names in either order; phonetic given name with birth day and month; given-name
// prefix with postcode (or locality); phonetic family name with postcode (or locality); the
// first address word with postcode (or locality); postcode (or locality) with birth year.
// Rules whose fields are absent are left out.
std::vector<BlockingRule> default_blocking_rules(const std::vector<Comparator>& comparators);

struct CandidatePair {
  std::uint32_t a;  // a < b.
  std::uint32_t b;
};

struct RuleStats {
  std::string name;
  std::uint64_t pairs = 0;           // New pairs this rule added.
  std::uint64_t blocks = 0;          // Blocks of two or more records.
  std::uint64_t capped_blocks = 0;   // Blocks skipped: over the cap or the pair budget.
  std::uint64_t capped_records = 0;  // Records in those blocks.
};

struct BlockingOptions {
  std::size_t max_block_size = 500;
  // A rule may add at most this many pairs per record (the larger of this times the number of
  // records and 100,000). When its blocks would give more, its largest blocks are skipped and
  // reported: a rule that is too coarse for the data (a common name, a town) is tuned down
  // automatically instead of making the run quadratic.
  double max_pairs_per_record = 10;
  bool link_only = false;  // Pair only records from different source files.
};

// Candidate pairs in a deterministic order (by rule, then key, then record).
struct Candidates {
  std::vector<CandidatePair> pairs;
  std::vector<RuleStats> rules;
};
Candidates generate_candidates(const RecordStore& store, const std::vector<BlockingRule>& rules,
                               const BlockingOptions& options);

// The 64-bit key of record `r` under `rule`, or 0 when a term's value is missing.
std::uint64_t blocking_key(const RecordStore& store, const BlockingRule& rule, std::uint32_t r);

}  // namespace sg::resolve
