#include "resolve/records.h"

#include <algorithm>

#include "resolve/contact.h"
#include "resolve/csv.h"
#include "resolve/dates.h"
#include "resolve/phonetic.h"
#include "resolve/text.h"

namespace sg::resolve {
namespace {

// A raw value after normalisation, before interning.
struct Normalised {
  std::string text;
  std::string key_a, key_b;            // Interned as keys.
  std::uint32_t num_a = 0, num_b = 0;  // Stored as they are (dates).
  std::vector<std::string> tokens;     // Interned as keys into the list (addresses).
  std::vector<std::uint32_t> groups;   // Stored into the list (names).
  bool unparsed = false;
};

// Overwrites a forgotten text before its memory goes back to the allocator.
void forget_text(std::string& s) {
  std::fill(s.begin(), s.end(), '\0');
  std::string().swap(s);
}

std::string without_spaces(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ') out += c;
  }
  return out;
}

std::string name_part(const Comparator& c, std::string_view raw, bool from_full_name,
                      const NameTables& names) {
  if (from_full_name) {
    ParsedName parsed = parse_full_name(raw, names);
    return c.kind == FieldKind::kGivenName ? parsed.given : without_spaces(parsed.family);
  }
  std::string folded = normalise_name(raw, names);
  if (c.kind == FieldKind::kGivenName) {
    auto tokens = split_tokens(folded);
    return tokens.empty() ? std::string() : std::string(tokens[0]);
  }
  return without_spaces(folded);
}

void normalise(const Comparator& c, std::string_view raw, bool from_full_name,
               const NameTables& names, Normalised& out) {
  switch (c.compare) {
    case CompareKind::kName: {
      out.text = name_part(c, raw, from_full_name, names);
      if (out.text.empty()) return;
      PhoneticKeys keys = double_metaphone(out.text);
      out.key_a = keys.primary;
      out.key_b = keys.alternate;
      auto groups = names.groups(out.text);
      out.groups.assign(groups.begin(), groups.end());
      return;
    }
    case CompareKind::kDate: {
      auto date = parse_birth_date(raw);
      if (!date.ok()) {
        out.unparsed = true;
        return;
      }
      out.text = date->to_string();
      out.num_a = static_cast<std::uint32_t>(date->year * 10000 + date->month * 100 + date->day);
      out.num_b = static_cast<std::uint32_t>(date->year_min * 10000 + date->year_max);
      return;
    }
    case CompareKind::kExact: {
      std::string f = fold(raw);
      if (c.kind == FieldKind::kSex) {
        if (f == "m" || f == "male" || f == "man" || f == "boy") f = "m";
        if (f == "f" || f == "female" || f == "woman" || f == "girl") f = "f";
      }
      out.text = f;
      return;
    }
    case CompareKind::kAddress: {
      out.text = fold(raw);
      for (auto t : split_tokens(out.text)) out.tokens.emplace_back(t);
      return;
    }
    case CompareKind::kPlace:
    case CompareKind::kAttribute:
      out.text = fold(raw);
      return;
    case CompareKind::kIdentifier:
      out.text = without_spaces(fold(raw));
      return;
    case CompareKind::kPostcode: {
      if (auto pc = parse_uk_postcode(raw); pc.ok()) {
        out.text = pc->postcode;
        out.key_a = pc->sector;
        out.key_b = pc->district;
      } else {
        out.text = without_spaces(fold(raw));
      }
      return;
    }
    case CompareKind::kPhone: {
      if (auto p = normalise_phone(raw); p.ok()) {
        out.text = *p;
      } else {
        std::string d = digits_only(raw);
        if (d.size() < 6) {
          out.unparsed = true;
          return;
        }
        out.text = d;
      }
      out.key_a = out.text.substr(out.text.size() >= 7 ? out.text.size() - 7 : 0);
      return;
    }
    case CompareKind::kEmail: {
      auto e = normalise_email(raw);
      if (!e.ok()) {
        out.unparsed = true;
        return;
      }
      out.text = *e;
      out.key_a = out.text.substr(0, out.text.find('@'));
      return;
    }
    case CompareKind::kVehicle: {
      auto v = normalise_vehicle_registration(raw);
      out.text = v.ok() ? *v : without_spaces(fold(raw));
      for (char& ch : out.text) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
      if (!out.text.empty()) out.key_a = registration_confusable_key(out.text);
      return;
    }
  }
}

}  // namespace

std::uint32_t ValueTable::intern_key(std::string_view key) {
  if (key.empty()) return 0;
  auto [it, inserted] =
      key_ids.try_emplace(std::string(key), static_cast<std::uint32_t>(keys.size()));
  if (inserted) {
    keys.emplace_back(key);
    key_refs.push_back(0);
  }
  ++key_refs[it->second];
  return it->second;
}

std::string normalised_text(const Comparator& c, std::string_view raw, const NameTables& names) {
  Normalised n;
  normalise(c, raw, false, names, n);
  return n.text;
}

core::Result<RecordStore> RecordStore::create(const std::vector<FieldMapping>& fields,
                                              const NameTables& names) {
  RecordStore store;
  store.names_ = &names;
  store.comparators_ = SG_TRY(derive_comparators(fields));
  store.tables_.resize(store.comparators_.size());
  store.values_.resize(store.comparators_.size());
  return store;
}

std::uint32_t RecordStore::intern(std::size_t k, std::string_view raw, bool from_full_name) {
  ValueTable& t = tables_[k];
  // Full-name values are cached under a marker so they never collide with a direct value.
  std::string cache_key;
  cache_key.reserve(raw.size() + 1);
  if (from_full_name) cache_key += '\x01';
  cache_key += raw;
  if (auto it = t.raw_ids.find(cache_key); it != t.raw_ids.end()) {
    if (it->second.id == 0) ++t.unparsed;
    return it->second.id;
  }
  Normalised n;
  normalise(comparators_[k], raw, from_full_name, *names_, n);
  std::uint32_t id = 0;
  if (!n.text.empty()) {
    auto [it, inserted] =
        t.value_ids.try_emplace(n.text, static_cast<std::uint32_t>(t.values.size()));
    id = it->second;
    if (inserted) {
      Value v;
      v.text = n.text;
      if (comparators_[k].compare == CompareKind::kDate) {
        v.key_a = n.num_a;
        v.key_b = n.num_b;
      } else {
        v.key_a = t.intern_key(n.key_a);
        v.key_b = t.intern_key(n.key_b);
      }
      v.list_begin = static_cast<std::uint32_t>(t.lists.size());
      for (const auto& tok : n.tokens) t.lists.push_back(t.intern_key(tok));
      for (auto g : n.groups) t.lists.push_back(g);
      v.list_end = static_cast<std::uint32_t>(t.lists.size());
      t.values.push_back(std::move(v));
      t.raw_first.push_back(nullptr);
    }
  } else if (n.unparsed) {
    ++t.unparsed;
  }
  auto cached = t.raw_ids.emplace(std::move(cache_key), ValueTable::RawEntry{id, t.raw_first[id]});
  t.raw_first[id] = &cached.first->first;
  return id;
}

core::Result<std::uint32_t> RecordStore::add(std::string_view id, RecordSource source,
                                             const std::vector<std::string_view>& raw,
                                             std::string_view full_name) {
  if (id.empty()) return core::invalid_argument("empty record id");
  auto [it, inserted] =
      by_id_.try_emplace(std::string(id), static_cast<std::uint32_t>(ids_.size()));
  if (!inserted) return core::already_exists("duplicate record id '" + std::string(id) + "'");
  for (std::size_t k = 0; k < comparators_.size(); ++k) {
    std::string_view r = k < raw.size() ? raw[k] : std::string_view();
    bool from_full = false;
    if (r.empty() && comparators_[k].from_full_name && !full_name.empty()) {
      r = full_name;
      from_full = true;
    }
    std::uint32_t v = r.empty() ? 0 : intern(k, r, from_full);
    values_[k].push_back(v);
    if (v != 0) {
      ++tables_[k].values[v].count;
      ++tables_[k].present;
    }
  }
  ids_.emplace_back(id);
  sources_.push_back(source);
  return it->second;
}

void RecordStore::remove_last() {
  for (std::size_t k = 0; k < comparators_.size(); ++k) {
    std::uint32_t v = values_[k].back();
    values_[k].pop_back();
    if (v != 0) {
      --tables_[k].values[v].count;
      --tables_[k].present;
    }
  }
  by_id_.erase(ids_.back());
  ids_.pop_back();
  sources_.pop_back();
}

void RecordStore::erase(std::uint32_t r) {
  for (std::size_t k = 0; k < comparators_.size(); ++k) {
    ValueTable& t = tables_[k];
    const std::uint32_t v = values_[k][r];
    values_[k][r] = 0;
    if (v != 0) {
      --t.values[v].count;
      --t.present;
    }
    // A value no record holds any more is the erased record's alone: forget its text and what
    // was derived from it (phonetic keys, address words, the end of a phone number). Values a
    // query left (count 0 before this erasure) are not the record's and stay.
    const bool released = v != 0 && t.values[v].count == 0;
    if (released) {
      Value& value = t.values[v];
      t.value_ids.erase(value.text);
      forget_text(value.text);
      auto release_key = [&](std::uint32_t key) {
        if (key == 0 || --t.key_refs[key] != 0) return;
        t.key_ids.erase(t.keys[key]);
        forget_text(t.keys[key]);
      };
      if (comparators_[k].compare != CompareKind::kDate) {
        release_key(value.key_a);
        release_key(value.key_b);
      }
      if (comparators_[k].compare == CompareKind::kAddress) {
        for (std::uint32_t token : t.list(value)) release_key(token);
      }
    }
    // The raw-text cache names no record, so raw texts that led to the released value, or
    // to nothing (an unreadable date), are dropped in case they were the erased record's.
    auto drop_raw_texts = [&](std::uint32_t id) {
      for (const std::string* raw = t.raw_first[id]; raw != nullptr;) {
        auto node = t.raw_ids.find(*raw);
        raw = node->second.next;
        t.raw_ids.erase(node);
      }
      t.raw_first[id] = nullptr;
    };
    if (released) drop_raw_texts(v);
    if (v == 0) drop_raw_texts(0);
  }
  by_id_.erase(ids_[r]);
  forget_text(ids_[r]);
  ++erased_;
}

std::int64_t RecordStore::find(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? -1 : static_cast<std::int64_t>(it->second);
}

core::Status RecordStore::load_one(CsvReader& reader, std::uint16_t file_index,
                                   std::vector<bool>& column_seen) {
  const std::string& name = reader.source_name();
  int id_col = reader.column(id_column_);
  if (id_col < 0) {
    return core::invalid_argument(name + ":1: no id column '" + id_column_ + "' in the header",
                                  "--id");
  }
  // For each comparator, the indices of its columns in this file (absent ones skipped).
  std::vector<std::vector<int>> cols(comparators_.size());
  std::vector<int> full_cols;
  std::size_t seen_index = 0;
  for (std::size_t k = 0; k < comparators_.size(); ++k) {
    for (const auto& col : comparators_[k].columns) {
      int idx = reader.column(col);
      if (idx >= 0) cols[k].push_back(idx);
    }
  }
  if (!comparators_.empty()) {
    for (const auto& col : comparators_[0].full_name_columns) {
      int idx = reader.column(col);
      if (idx >= 0) full_cols.push_back(idx);
    }
  }
  // Record which of the mapped columns this file has.
  for (const auto& c : comparators_) {
    for (const auto& col : c.columns) {
      if (reader.column(col) >= 0) column_seen[seen_index] = true;
      ++seen_index;
    }
    for (const auto& col : c.full_name_columns) {
      if (reader.column(col) >= 0) column_seen[seen_index] = true;
      ++seen_index;
    }
  }

  std::vector<std::string_view> fields;
  std::vector<std::string_view> raw(comparators_.size());
  std::vector<std::string> joined(comparators_.size());
  while (true) {
    bool more = SG_TRY(reader.next(fields));
    if (!more) break;
    std::string_view id = fields[id_col];
    std::string where = name + ":" + std::to_string(reader.line());
    if (id.empty()) return core::invalid_argument(where + ": empty id", "--id");
    for (std::size_t k = 0; k < comparators_.size(); ++k) {
      raw[k] = {};
      if (comparators_[k].compare == CompareKind::kAddress) {
        joined[k].clear();
        for (int idx : cols[k]) {
          if (fields[idx].empty()) continue;
          if (!joined[k].empty()) joined[k] += ' ';
          joined[k] += fields[idx];
        }
        raw[k] = joined[k];
      } else {
        for (int idx : cols[k]) {
          if (!fields[idx].empty()) {
            raw[k] = fields[idx];
            break;
          }
        }
      }
    }
    std::string_view full;
    for (int idx : full_cols) {
      if (!fields[idx].empty()) {
        full = fields[idx];
        break;
      }
    }
    auto added =
        add(id, RecordSource{file_index, static_cast<std::uint32_t>(reader.line())}, raw, full);
    if (!added.ok()) {
      if (added.error().code == core::Code::kAlreadyExists) {
        const RecordSource& first = sources_[by_id_.at(std::string(id))];
        return core::invalid_argument(where + ": duplicate id '" + std::string(id) +
                                          "' (first seen at " + source_names_[first.file] + ":" +
                                          std::to_string(first.line) + ")",
                                      "--id");
      }
      return core::invalid_argument(where + ": " + added.error().message, "--id");
    }
  }
  return core::ok_status();
}

namespace {

core::Status check_columns_seen(const std::vector<Comparator>& comparators,
                                const std::vector<bool>& seen) {
  std::size_t i = 0;
  for (const auto& c : comparators) {
    for (const auto& col : c.columns) {
      if (!seen[i++]) {
        return core::invalid_argument("no input has the column '" + col + "' (--field " +
                                          std::string(field_kind_name(c.kind)) + "=" + col + ")",
                                      "--field");
      }
    }
    for (const auto& col : c.full_name_columns) {
      if (!seen[i++]) {
        return core::invalid_argument(
            "no input has the column '" + col + "' (--field full_name=" + col + ")", "--field");
      }
    }
  }
  return core::ok_status();
}

std::size_t mapped_column_count(const std::vector<Comparator>& comparators) {
  std::size_t n = 0;
  for (const auto& c : comparators) n += c.columns.size() + c.full_name_columns.size();
  return n;
}

}  // namespace

core::Result<RecordStore> RecordStore::load(const std::vector<std::string>& paths,
                                            const std::string& id_column,
                                            const std::vector<FieldMapping>& fields,
                                            const NameTables& names) {
  if (paths.empty()) return core::invalid_argument("no input files", "INPUT");
  if (paths.size() > 65535) return core::invalid_argument("too many input files", "INPUT");
  RecordStore store = SG_TRY(create(fields, names));
  store.id_column_ = id_column;
  std::vector<bool> seen(mapped_column_count(store.comparators_), false);
  for (std::size_t f = 0; f < paths.size(); ++f) {
    store.source_names_.push_back(paths[f]);
    CsvReader reader = SG_TRY(CsvReader::open(paths[f]));
    SG_TRY(store.load_one(reader, static_cast<std::uint16_t>(f), seen));
  }
  SG_TRY(check_columns_seen(store.comparators_, seen));
  return store;
}

core::Result<RecordStore> RecordStore::load_texts(const std::vector<std::string>& texts,
                                                  const std::vector<std::string>& source_names,
                                                  const std::string& id_column,
                                                  const std::vector<FieldMapping>& fields,
                                                  const NameTables& names) {
  if (texts.empty() || texts.size() != source_names.size() || texts.size() > 65535) {
    return core::invalid_argument("no input files", "INPUT");
  }
  RecordStore store = SG_TRY(create(fields, names));
  store.id_column_ = id_column;
  std::vector<bool> seen(mapped_column_count(store.comparators_), false);
  for (std::size_t f = 0; f < texts.size(); ++f) {
    store.source_names_.push_back(source_names[f]);
    CsvReader reader = SG_TRY(CsvReader::from_text(texts[f], source_names[f]));
    SG_TRY(store.load_one(reader, static_cast<std::uint16_t>(f), seen));
  }
  SG_TRY(check_columns_seen(store.comparators_, seen));
  return store;
}

}  // namespace sg::resolve
