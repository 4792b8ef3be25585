// A streaming RFC 4180 CSV reader for resolution inputs: a header row, then records.
// Fields may be quoted ("a ""b"""), may span lines when quoted, and may have surrounding
// spaces, which are trimmed (", value" reads as "value"). Every error names the file and line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sg::resolve {

class CsvReader {
 public:
  // Reads the whole file into memory and parses its header. Errors: NotFound or
  // InvalidArgument naming the file (unreadable, empty, no header, invalid UTF-8 in the header).
  static core::Result<CsvReader> open(const std::string& path);
  // Parses `text` as if it were the file `source_name` (used by tests and the fuzzer).
  static core::Result<CsvReader> from_text(std::string text, std::string source_name);

  const std::vector<std::string>& header() const { return header_; }
  // Index of the header column `name`, or -1.
  int column(std::string_view name) const;
  const std::string& source_name() const { return source_; }

  // Reads the next record into `fields`. Returns true for a record, false at end of input.
  // The views stay valid until the next call. Blank lines are skipped. Errors name the file
  // and line: a ragged row, an unterminated quote, a stray quote, or invalid UTF-8.
  core::Result<bool> next(std::vector<std::string_view>& fields);
  // The 1-based line on which the record last returned by next() starts.
  std::size_t line() const { return record_line_; }

 private:
  CsvReader(std::string text, std::string source)
      : text_(std::move(text)), source_(std::move(source)) {}
  core::Result<bool> parse_row(std::vector<std::string_view>& fields);
  core::Error error_at(std::size_t line, const std::string& what) const;

  std::string text_;
  std::string source_;
  std::vector<std::string> header_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t record_line_ = 0;
  std::vector<std::string> unescaped_;  // Backing store for fields that contained "".
};

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Writes one CSV field, quoting it when needed, and neutralising a leading = + - @ so that
// spreadsheet programs do not run it as a formula (DESIGN.md, data formats).
void append_csv_field(std::string& out, std::string_view value);

}  // namespace sg::resolve
