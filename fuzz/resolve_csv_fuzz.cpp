// Fuzzes the resolution CSV reader and record loading: any bytes must give records or a clear
// error, never a crash; and every record read has exactly as many fields as the header.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "resolve/csv.h"
#include "resolve/records.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto reader = sg::resolve::CsvReader::from_text(text, "fuzz.csv");
  if (!reader.ok()) return 0;
  const std::size_t columns = reader->header().size();
  std::vector<std::string_view> fields;
  while (true) {
    auto more = reader->next(fields);
    if (!more.ok() || !*more) break;
    if (fields.size() != columns) std::abort();
    for (auto f : fields) {
      if (!sg::resolve::is_valid_utf8(f)) std::abort();
    }
  }
  // Load the same text as records: the first column is the id and the others rotate through
  // the field kinds, so every normaliser sees fuzzed values.
  using sg::resolve::FieldKind;
  static const FieldKind kKinds[] = {FieldKind::kFullName,
                                     FieldKind::kDateOfBirth,
                                     FieldKind::kAddress,
                                     FieldKind::kPostcode,
                                     FieldKind::kPhone,
                                     FieldKind::kEmail,
                                     FieldKind::kVehicleRegistration,
                                     FieldKind::kSex,
                                     FieldKind::kIdentifier,
                                     FieldKind::kGivenName,
                                     FieldKind::kFamilyName,
                                     FieldKind::kLocality};
  const auto& header = reader->header();
  if (header.empty() || header[0].empty()) return 0;
  std::vector<sg::resolve::FieldMapping> mappings;
  for (std::size_t i = 1; i < header.size() && i <= 12; ++i) {
    if (header[i].empty()) continue;
    mappings.push_back({kKinds[(i - 1) % 12], header[i]});
  }
  auto store = sg::resolve::RecordStore::load_texts({text}, {"fuzz.csv"}, header[0], mappings);
  (void)store.ok();
  return 0;
}
