// Bulk import of historical concerns (docs/import-formats.md): NDJSON, or the flattened
// CSV. A file is imported whole or not at all; every error names the line and the field.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "core/result.h"
#include "workflow/casework.h"

namespace sg::workflow {

struct ImportReport {
  std::size_t lines = 0;     // Data lines read (NDJSON lines, or CSV rows after the header).
  std::size_t concerns = 0;  // Concerns recorded.
  std::size_t cases_opened = 0;
  std::size_t alerts = 0;
};

enum class ImportFormat { kNdjson, kCsv };

// Progress: called now and then with (bytes read, total bytes), from the thread that reads.
using ImportProgress = std::function<void(std::size_t, std::size_t)>;

// Reads `path` (format from its extension: .ndjson/.jsonl or .csv) and records every concern
// in one transaction, reading and validating on a second thread while the first writes. Errors are
// InvalidArgument with `field` set to "<file>:<line>: <field>" so a person can go straight to the
// cell; nothing is written when any line is wrong.
core::Result<ImportReport> import_file(Casework& casework, const Actor& actor,
                                       const std::string& path,
                                       const ImportProgress& progress = nullptr);

// As import_file, for text already in memory.
core::Result<ImportReport> import_text(Casework& casework, const Actor& actor, std::string text,
                                       ImportFormat format, const std::string& source_name,
                                       const ImportProgress& progress = nullptr);

}  // namespace sg::workflow
