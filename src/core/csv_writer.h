// Writes RFC 4180 CSV for Safeguard's exports. Every text cell that a spreadsheet would run as
// a formula (one starting with = + - @, a tab or a carriage return) is neutralised with a
// leading apostrophe (OWASP "CSV injection"), so an export opened in Excel never executes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sg::core {

// One RFC 4180 field: quoted when it holds a comma, quote, line break or leading/trailing
// space, quotes doubled; a formula-like text is prefixed with an apostrophe (and quoted).
std::string csv_text_cell(std::string_view text);

// Builds a CSV document row by row: CRLF line ends, a header row first.
// Not thread-safe; one writer per document.
class CsvWriter {
 public:
  // Starts the document with its header row (the column names, neutralised like any text).
  explicit CsvWriter(const std::vector<std::string>& columns);

  // Appends a text cell (neutralised) / a number written by the program (never neutralised:
  // "-3" is a number here, not a formula) / an empty cell to the current row.
  CsvWriter& text(std::string_view value);
  CsvWriter& number(std::int64_t value);
  CsvWriter& number(double value, int decimals);
  CsvWriter& empty();
  // Ends the current row.
  void end_row();

  // The document so far (complete rows only).
  const std::string& str() const { return out_; }

 private:
  void separator();
  std::string out_;
  bool row_started_ = false;
};

}  // namespace sg::core
