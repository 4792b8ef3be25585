#include "core/csv_writer.h"

#include <cstdio>

namespace sg::core {

std::string csv_text_cell(std::string_view text) {
  bool formula = !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' ||
                                   text[0] == '@' || text[0] == '\t' || text[0] == '\r');
  bool quote = formula || text.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) return std::string(text);
  std::string out = "\"";
  if (formula) out += '\'';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

CsvWriter::CsvWriter(const std::vector<std::string>& columns) {
  for (const auto& c : columns) text(c);
  end_row();
}

void CsvWriter::separator() {
  if (row_started_) out_ += ',';
  row_started_ = true;
}

CsvWriter& CsvWriter::text(std::string_view value) {
  separator();
  out_ += csv_text_cell(value);
  return *this;
}

CsvWriter& CsvWriter::number(std::int64_t value) {
  separator();
  out_ += std::to_string(value);
  return *this;
}

CsvWriter& CsvWriter::number(double value, int decimals) {
  separator();
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  out_ += buffer;
  return *this;
}

CsvWriter& CsvWriter::empty() {
  separator();
  return *this;
}

void CsvWriter::end_row() {
  out_ += "\r\n";
  row_started_ = false;
}

}  // namespace sg::core
