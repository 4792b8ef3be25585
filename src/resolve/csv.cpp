#include "resolve/csv.h"

#include <fstream>
#include <iterator>
#include <sstream>

namespace sg::resolve {

bool is_valid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) {
      return false;  // Overlong encoding.
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

void append_csv_field(std::string& out, std::string_view value) {
  bool formula =
      !value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@');
  bool quote = formula || value.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!quote) {
    out += value;
    return;
  }
  out += '"';
  if (formula) out += '\'';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

core::Error CsvReader::error_at(std::size_t line, const std::string& what) const {
  return core::invalid_argument(source_ + ":" + std::to_string(line) + ": " + what, source_);
}

core::Result<CsvReader> CsvReader::open(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::not_found(path + ": cannot open the file for reading");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return core::invalid_argument(path + ": read error", path);
  return from_text(std::move(text), path);
}

core::Result<CsvReader> CsvReader::from_text(std::string text, std::string source_name) {
  CsvReader reader(std::move(text), std::move(source_name));
  // A UTF-8 byte order mark is not part of the first column's name.
  if (reader.text_.compare(0, 3, "\xEF\xBB\xBF") == 0) reader.pos_ = 3;
  std::vector<std::string_view> fields;
  auto got = reader.parse_row(fields);
  if (!got.ok()) return std::move(got).error();
  if (!*got) return reader.error_at(1, "the file is empty; a header row is required");
  for (auto f : fields) reader.header_.emplace_back(f);
  return reader;
}

int CsvReader::column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

core::Result<bool> CsvReader::next(std::vector<std::string_view>& fields) {
  auto got = parse_row(fields);
  if (!got.ok() || !*got) return got;
  if (fields.size() != header_.size()) {
    return error_at(record_line_, "the row has " + std::to_string(fields.size()) +
                                      " fields but the header has " +
                                      std::to_string(header_.size()));
  }
  return true;
}

core::Result<bool> CsvReader::parse_row(std::vector<std::string_view>& fields) {
  fields.clear();
  unescaped_.clear();
  const std::string& t = text_;
  const std::size_t n = t.size();
  // Skip blank lines (including lines of spaces only) between records.
  while (pos_ < n) {
    std::size_t p = pos_;
    while (p < n && (t[p] == ' ' || t[p] == '\t')) ++p;
    if (p < n && (t[p] == '\n' || t[p] == '\r')) {
      if (t[p] == '\r' && p + 1 < n && t[p + 1] == '\n') ++p;
      pos_ = p + 1;
      ++line_;
      continue;
    }
    if (p == n) pos_ = n;
    break;
  }
  if (pos_ >= n) return false;
  record_line_ = line_;
  // First pass over the row's fields; unescaped copies are kept in unescaped_, which must not
  // reallocate while views into it exist, so views are fixed up at the end.
  struct Span {
    std::size_t begin, end;
    int copy = -1;
  };
  std::vector<Span> spans;
  while (true) {
    std::size_t p = pos_;
    while (p < n && (t[p] == ' ' || t[p] == '\t')) ++p;
    Span span{p, p};
    if (p < n && t[p] == '"') {
      std::size_t quote_line = line_;
      ++p;
      std::size_t start = p;
      std::string copy;
      bool escaped = false;
      while (true) {
        if (p >= n) return error_at(quote_line, "a quoted field is not closed");
        char c = t[p];
        if (c == '"') {
          if (p + 1 < n && t[p + 1] == '"') {
            if (!escaped) copy.assign(t, start, p - start);
            escaped = true;
            copy += '"';
            p += 2;
            continue;
          }
          break;
        }
        if (c == '\n') ++line_;
        if (escaped) copy += c;
        ++p;
      }
      span = {start, p};
      if (escaped) {
        unescaped_.push_back(std::move(copy));
        span.copy = static_cast<int>(unescaped_.size() - 1);
      }
      ++p;  // Closing quote.
      while (p < n && (t[p] == ' ' || t[p] == '\t')) ++p;
      if (p < n && t[p] != ',' && t[p] != '\n' && t[p] != '\r') {
        return error_at(line_, "unexpected text after a closing quote");
      }
    } else {
      while (p < n && t[p] != ',' && t[p] != '\n' && t[p] != '\r') {
        if (t[p] == '"') return error_at(line_, "a quote inside an unquoted field");
        ++p;
      }
      std::size_t end = p;
      while (end > span.begin && (t[end - 1] == ' ' || t[end - 1] == '\t')) --end;
      span.end = end;
    }
    spans.push_back(span);
    if (p < n && t[p] == ',') {
      pos_ = p + 1;
      continue;
    }
    // End of record.
    if (p < n && t[p] == '\r') ++p;
    if (p < n && t[p] == '\n') ++p;
    pos_ = p;
    ++line_;
    break;
  }
  for (const auto& s : spans) {
    std::string_view v = s.copy >= 0 ? std::string_view(unescaped_[s.copy])
                                     : std::string_view(t).substr(s.begin, s.end - s.begin);
    if (!is_valid_utf8(v)) {
      return error_at(record_line_, "invalid UTF-8 in field " + std::to_string(fields.size() + 1));
    }
    fields.push_back(v);
  }
  return true;
}

}  // namespace sg::resolve
