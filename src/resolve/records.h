// The records being resolved, held column-wise: each record's id and source file, and for
// each comparator an interned, normalised value with what comparisons need precomputed
// (phonetic keys, name groups, address tokens, postcode units). Values are shared, so a
// surname held by 10,000 records is normalised and stored once.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "resolve/names.h"
#include "resolve/schema.h"

namespace sg::resolve {

// One distinct normalised value of a comparator. What key_a, key_b and the list hold depends
// on the comparator's CompareKind:
//   kName      text: the name without spaces; key_a, key_b: Double Metaphone primary and
//              alternate (interned); list: nickname and variant groups.
//   kDate      text: "YYYY-MM-DD", "YYYY-MM", "YYYY" or "YYYY..YYYY"; key_a: year*10000 +
//              month*100 + day (0 for unknown parts); key_b: year_min*10000 + year_max.
//   kAddress   text: folded address; list: token ids (interned).
//   kPostcode  text: the postcode ("SW1A 1AA", or folded without spaces if not UK); key_a:
//              sector id, key_b: district id (0 when not a UK postcode).
//   kPhone     text: E.164 (or the digits); key_a: id of the last 7 digits.
//   kEmail     text: normalised address; key_a: id of the local part.
//   kVehicle   text: normalised registration; key_a: id of its confusable key.
//   others     text: folded text (identifiers also without spaces).
struct Value {
  std::string text;
  std::uint32_t key_a = 0;
  std::uint32_t key_b = 0;
  std::uint32_t list_begin = 0;
  std::uint32_t list_end = 0;
  std::uint32_t count = 0;  // Records that hold this value.
};

// The interned values of one comparator. Value id 0 is "missing". Move-only: the raw-text
// chains point into raw_ids.
struct ValueTable {
  // A cached raw text's value, and the next raw text cached for the same value.
  struct RawEntry {
    std::uint32_t id = 0;
    const std::string* next = nullptr;
  };

  ValueTable() = default;
  ValueTable(ValueTable&&) = default;
  ValueTable& operator=(ValueTable&&) = default;
  ValueTable(const ValueTable&) = delete;
  ValueTable& operator=(const ValueTable&) = delete;

  std::vector<Value> values{Value{}};
  std::vector<std::uint32_t> lists;
  std::vector<std::string> keys{std::string()};  // Interned derived keys and tokens; 0 = none.
  std::vector<std::uint32_t> key_refs{0};        // Values that hold each key (keys[i]).
  std::unordered_map<std::string, std::uint32_t> key_ids;
  std::unordered_map<std::string, std::uint32_t> value_ids;  // By normalised text.
  std::unordered_map<std::string, RawEntry> raw_ids;         // Cache: raw text -> value id.
  // Per value id, the first of the raw texts cached for it (chained by RawEntry::next), so
  // the raw texts of a value can be dropped without reading the whole cache. Id 0 chains
  // the raw texts that normalised to nothing.
  std::vector<const std::string*> raw_first{nullptr};
  std::uint64_t present = 0;   // Records with a value.
  std::uint64_t unparsed = 0;  // Non-empty raw values that could not be read (e.g. bad dates).

  // The id of `key` (0 for ""), counting one more value that holds it.
  std::uint32_t intern_key(std::string_view key);
  std::span<const std::uint32_t> list(const Value& v) const {
    return {lists.data() + v.list_begin, v.list_end - v.list_begin};
  }
};

// Where a record came from, for error messages and --link-only.
struct RecordSource {
  std::uint16_t file = 0;
  std::uint32_t line = 0;
};

class RecordStore {
 public:
  // Reads every input. Errors name the file and line: unreadable file, missing id column,
  // empty or duplicate id (naming where it was first seen), ragged row, invalid UTF-8; and a
  // --field column that no input has.
  static core::Result<RecordStore> load(const std::vector<std::string>& paths,
                                        const std::string& id_column,
                                        const std::vector<FieldMapping>& fields,
                                        const NameTables& names = NameTables::builtin());
  // As load(), from CSV texts named by `names_of_sources` (tests, fuzzing).
  static core::Result<RecordStore> load_texts(const std::vector<std::string>& texts,
                                              const std::vector<std::string>& source_names,
                                              const std::string& id_column,
                                              const std::vector<FieldMapping>& fields,
                                              const NameTables& names = NameTables::builtin());
  // An empty store with the comparators for `fields` (for adding records one by one).
  static core::Result<RecordStore> create(const std::vector<FieldMapping>& fields,
                                          const NameTables& names = NameTables::builtin());

  // Adds one record. `raw` holds, for each comparator, its raw text (addresses already joined;
  // empty when missing) and `full_name` the raw full name, used for name comparators whose
  // own raw value is empty. Errors: AlreadyExists for a duplicate id, InvalidArgument for an
  // empty id.
  core::Result<std::uint32_t> add(std::string_view id, RecordSource source,
                                  const std::vector<std::string_view>& raw,
                                  std::string_view full_name = {});
  // Removes the record added last (the online matcher scores a query as a temporary record).
  // Its values stay interned with their counts restored, so the tables grow only by the
  // distinct values seen. REQUIRES: size() > 0.
  void remove_last();
  // Erases record `r` (retention, docs/retention.md): its id is forgotten (find() returns -1,
  // id() ""), every value it held counts one record fewer, and a value no held record has
  // any more is forgotten with its derived keys and tokens: its text is blanked and it can no
  // longer be found, so a later record with the same text gets a fresh value. Raw texts that
  // normalised to nothing are dropped from the cache (it cannot say whose they were). The
  // record's slot stays, empty, so other records keep their numbers. REQUIRES: r < size(),
  // not erased(r).
  void erase(std::uint32_t r);

  // Slots, erased ones included (records are numbered 0..size()-1 in the order added).
  std::size_t size() const { return ids_.size(); }
  // Records held: size() less those erased.
  std::size_t live() const { return ids_.size() - erased_; }
  bool erased(std::uint32_t r) const { return ids_[r].empty(); }  // Ids are never empty.
  const std::string& id(std::uint32_t r) const { return ids_[r]; }
  const RecordSource& source(std::uint32_t r) const { return sources_[r]; }
  const std::vector<std::string>& source_names() const { return source_names_; }
  // The record with this id, or -1.
  std::int64_t find(std::string_view id) const;

  const std::vector<Comparator>& comparators() const { return comparators_; }
  std::uint32_t value_id(std::size_t k, std::uint32_t r) const { return values_[k][r]; }
  const Value& value(std::size_t k, std::uint32_t r) const {
    return tables_[k].values[values_[k][r]];
  }
  const ValueTable& table(std::size_t k) const { return tables_[k]; }
  const NameTables& names() const { return *names_; }

 private:
  std::uint32_t intern(std::size_t k, std::string_view raw, bool from_full_name);
  core::Status load_one(class CsvReader& reader, std::uint16_t file_index,
                        std::vector<bool>& column_seen);

  const NameTables* names_ = nullptr;
  std::vector<Comparator> comparators_;
  std::vector<ValueTable> tables_;
  std::vector<std::vector<std::uint32_t>> values_;  // [comparator][record] -> value id.
  std::vector<std::string> ids_;
  std::vector<RecordSource> sources_;
  std::vector<std::string> source_names_;
  std::string id_column_;
  std::unordered_map<std::string, std::uint32_t> by_id_;
  std::size_t erased_ = 0;
};

// Normalises one raw value for comparator `c`: the text that is compared for equality, or ""
// when the value is missing or unreadable. Exposed for tests and the fuzzer.
std::string normalised_text(const Comparator& c, std::string_view raw,
                            const NameTables& names = NameTables::builtin());

}  // namespace sg::resolve
