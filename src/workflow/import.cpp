#include "workflow/import.h"

#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include "resolve/csv.h"

namespace sg::workflow {
namespace {

using nlohmann::json;

// Where each part of each concern came from, so an error's JSON path maps back to a line.
struct Origins {
  std::vector<std::size_t> concern_line;                      // By item index.
  std::vector<std::map<std::string, std::size_t>> part_line;  // "children/0" -> line.
};

core::Error located(const std::string& source, std::size_t line, const std::string& field,
                    const std::string& message) {
  std::string where = source + ":" + std::to_string(line);
  return core::invalid_argument(message, field.empty() ? where : where + ": " + field);
}

// Turns "items/12/children/0/date_of_birth" into "file:line: date_of_birth" (CSV) or
// "file:line: children/0/date_of_birth" (NDJSON).
core::Error relocate(const core::Error& error, const Origins& origins, const std::string& source,
                     bool csv) {
  if (error.code != core::Code::kInvalidArgument || !error.field.starts_with("items/")) {
    return error;
  }
  std::string rest = error.field.substr(6);
  auto slash = rest.find('/');
  std::size_t item = std::stoul(rest.substr(0, slash));
  std::string field = slash == std::string::npos ? "" : rest.substr(slash + 1);
  if (item >= origins.concern_line.size()) return error;
  std::size_t line = origins.concern_line[item];
  if (csv) {
    // "children/0/date_of_birth": the line of that child's row, the column's own name.
    auto second = field.find('/', field.find('/') + 1);
    std::string part = field.substr(0, second);
    if (auto it = origins.part_line[item].find(part); it != origins.part_line[item].end()) {
      line = it->second;
      field = second == std::string::npos ? "" : field.substr(second + 1);
      if (field.starts_with("identifiers/")) field = field.substr(12);
    }
    // Map the JSON names back to the CSV columns they came from.
    static const std::map<std::string, std::string> kColumn = {
        {"child", "child_ref"}, {"location", "location_ref"}, {"from", "from_ref"},
        {"to", "to_ref"},       {"observed_on", "date"},      {"number", "phone"}};
    if (auto it = kColumn.find(field); it != kColumn.end()) field = it->second;
  }
  return located(source, line, field, error.message);
}

// NDJSON, one document per non-blank line.
class NdjsonSource {
 public:
  NdjsonSource(std::string text, std::string source, Origins& origins, std::size_t& lines)
      : text_(std::move(text)), source_(std::move(source)), origins_(origins), lines_(lines) {}

  core::Result<std::optional<json>> next() {
    while (start_ < text_.size()) {
      auto end = text_.find('\n', start_);
      if (end == std::string::npos) end = text_.size();
      std::string_view row(text_.data() + start_, end - start_);
      ++line_;
      start_ = end + 1;
      if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
      if (row.find_first_not_of(" \t") == std::string_view::npos) continue;
      ++lines_;
      auto doc = json::parse(row, nullptr, false);
      if (doc.is_discarded()) return located(source_, line_, "", "is not valid JSON");
      if (!doc.is_object()) return located(source_, line_, "", "must be a JSON object");
      origins_.concern_line.push_back(line_);
      origins_.part_line.emplace_back();
      return std::optional<json>(std::move(doc));
    }
    return std::optional<json>();
  }

 private:
  std::string text_;
  std::string source_;
  Origins& origins_;
  std::size_t& lines_;
  std::size_t start_ = 0, line_ = 0;
};

// The flattened CSV: a concern row, then the rows of its parts, each concern's rows together.
// A concern's document is complete at the next concern row or at the end of the file.
class CsvSource {
 public:
  static core::Result<CsvSource> open(std::string text, const std::string& source, Origins& origins,
                                      std::size_t& lines) {
    auto reader = SG_TRY(resolve::CsvReader::from_text(std::move(text), source));
    static const char* kRequired[] = {"concern_id", "row_type"};
    for (const char* name : kRequired) {
      if (reader.column(name) < 0) return located(source, 1, name, "the header lacks this column");
    }
    return CsvSource(std::move(reader), source, origins, lines);
  }

  core::Result<std::optional<json>> next() {
    static const std::map<std::string, const char*> kArrays = {
        {"event", "events"},       {"child", "children"}, {"person", "persons"},
        {"vehicle", "vehicles"},   {"phone", "phones"},   {"online_account", "online_accounts"},
        {"location", "locations"}, {"link", "links"},     {"indicator", "indicators"}};
    while (SG_TRY(reader_.next(fields_))) {
      ++lines_;
      std::size_t line = reader_.line();
      std::string id(cell("concern_id"));
      std::string type(cell("row_type"));
      if (id.empty()) return located(source_, line, "concern_id", "is required");
      if (type == "concern") {
        if (seen_ids_.contains(id)) {
          return located(source_, line, "concern_id", "appears in two separate blocks");
        }
        seen_ids_.insert(id);
        current_id_ = id;
        json doc = {{"id", id}};
        put(doc, "source_agency", "source_agency");
        put(doc, "channel", "channel");
        put(doc, "received_at", "received_at");
        put(doc, "category", "category");
        put(doc, "narrative", "narrative");
        for (const auto& [row, key] : kArrays) doc[key] = json::array();
        origins_.concern_line.push_back(line);
        origins_.part_line.emplace_back();
        auto done = std::move(current_);
        current_ = std::move(doc);
        if (done) return done;
        continue;
      }
      if (id != current_id_ || !current_) {
        return located(source_, line, "concern_id",
                       "does not follow its concern row (rows of a concern must be consecutive)");
      }
      auto array = kArrays.find(type);
      if (array == kArrays.end()) {
        return located(source_, line, "row_type", "is not a known row type");
      }
      json item = SG_TRY(part(type, line));
      auto& list = (*current_)[array->second];
      origins_.part_line.back()[std::string(array->second) + "/" + std::to_string(list.size())] =
          line;
      list.push_back(std::move(item));
    }
    return std::exchange(current_, std::nullopt);
  }

 private:
  CsvSource(resolve::CsvReader reader, std::string source, Origins& origins, std::size_t& lines)
      : reader_(std::move(reader)), source_(std::move(source)), origins_(origins), lines_(lines) {}

  std::string_view cell(std::string_view name) const {
    int i = reader_.column(name);
    return i < 0 ? std::string_view() : fields_[static_cast<std::size_t>(i)];
  }
  void put(json& obj, const char* key, std::string_view column) const {
    auto v = cell(column);
    if (!v.empty()) obj[key] = std::string(v);
  }

  // One part of a concern (a child, an event...) from its row.
  core::Result<json> part(const std::string& type, std::size_t line) const {
    json item = json::object();
    if (type == "event") {
      put(item, "kind", "kind");
      put(item, "date", "date");
      put(item, "child", "child_ref");
      put(item, "location", "location_ref");
    } else if (type == "child" || type == "person") {
      put(item, "ref", "ref");
      if (type == "person") put(item, "role", "role");
      for (const char* key : {"relationship", "record_id", "given_name", "family_name", "full_name",
                              "nickname", "date_of_birth", "age_recorded_on", "sex", "ethnicity",
                              "address", "postcode", "phone", "email"}) {
        put(item, key, key);
      }
      if (auto age = cell("approx_age"); !age.empty()) {
        int value = 0;
        for (char c : age) {
          if (c < '0' || c > '9' || value > 1000) {
            return located(source_, line, "approx_age", "must be a whole number of years");
          }
          value = value * 10 + (c - '0');
        }
        item["approx_age"] = value;
      }
      json ids = json::object();
      put(ids, "nhs_number", "nhs_number");
      put(ids, "pnc_id", "pnc_id");
      put(ids, "upn", "upn");
      if (!ids.empty()) item["identifiers"] = ids;
    } else if (type == "vehicle") {
      for (const char* key : {"ref", "registration", "make", "model", "colour"})
        put(item, key, key);
    } else if (type == "phone") {
      put(item, "ref", "ref");
      put(item, "number", "phone");
    } else if (type == "online_account") {
      for (const char* key : {"ref", "platform", "handle"}) put(item, key, key);
    } else if (type == "location") {
      for (const char* key : {"ref", "kind", "name", "address", "postcode"}) put(item, key, key);
    } else if (type == "link") {
      put(item, "type", "type");
      put(item, "from", "from_ref");
      put(item, "to", "to_ref");
      put(item, "date", "date");
      put(item, "confidence", "confidence");
    } else if (type == "indicator") {
      put(item, "code", "code");
      put(item, "child", "child_ref");
      put(item, "observed_on", "date");
    }
    return item;
  }

  resolve::CsvReader reader_;
  std::string source_;
  Origins& origins_;
  std::size_t& lines_;
  std::vector<std::string_view> fields_;
  std::set<std::string> seen_ids_;
  std::string current_id_;
  std::optional<json> current_;  // The concern being read, until its last row.
};

}  // namespace

core::Result<ImportReport> import_text(Casework& casework, const Actor& actor, std::string text,
                                       ImportFormat format, const std::string& source_name,
                                       const ImportProgress& progress) {
  ImportReport report;
  Origins origins;
  const std::size_t total = text.size();
  // The documents are read on the import's second thread, one at a time, as it validates.
  std::optional<CsvSource> csv;
  std::optional<NdjsonSource> ndjson;
  if (format == ImportFormat::kCsv) {
    csv.emplace(SG_TRY(CsvSource::open(std::move(text), source_name, origins, report.lines)));
  } else {
    ndjson.emplace(std::move(text), source_name, origins, report.lines);
  }
  auto next = [&]() -> core::Result<std::optional<json>> {
    auto doc = csv ? csv->next() : ndjson->next();
    if (progress && doc.ok() && !*doc) progress(total / 2, total);
    return doc;
  };
  auto results = casework.import_stream(actor, next, source_name);
  if (!results.ok()) {
    return relocate(results.error(), origins, source_name, format == ImportFormat::kCsv);
  }
  for (const auto& r : *results) {
    ++report.concerns;
    report.cases_opened += r.new_case_ids.size();
    report.alerts += r.alert_ids.size();
  }
  if (progress) progress(total, total);
  return report;
}

core::Result<ImportReport> import_file(Casework& casework, const Actor& actor,
                                       const std::string& path, const ImportProgress& progress) {
  ImportFormat format;
  if (path.ends_with(".csv")) {
    format = ImportFormat::kCsv;
  } else if (path.ends_with(".ndjson") || path.ends_with(".jsonl")) {
    format = ImportFormat::kNdjson;
  } else {
    return core::invalid_argument("the file must end in .ndjson, .jsonl or .csv", "PATH");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::not_found("cannot read the import file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  auto name = path.substr(path.find_last_of('/') + 1);
  return import_text(casework, actor, buffer.str(), format, name, progress);
}

}  // namespace sg::workflow
