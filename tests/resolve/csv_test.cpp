#include "resolve/csv.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace sg::resolve {
namespace {

std::vector<std::vector<std::string>> read_all(const std::string& text) {
  auto reader = CsvReader::from_text(text, "t.csv");
  EXPECT_TRUE(reader.ok()) << reader.error().message;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string_view> fields;
  while (true) {
    auto more = reader->next(fields);
    EXPECT_TRUE(more.ok()) << more.error().message;
    if (!more.ok() || !*more) break;
    rows.emplace_back(fields.begin(), fields.end());
  }
  return rows;
}

std::string first_error(const std::string& text) {
  auto reader = CsvReader::from_text(text, "in.csv");
  if (!reader.ok()) return reader.error().message;
  std::vector<std::string_view> fields;
  while (true) {
    auto more = reader->next(fields);
    if (!more.ok()) return more.error().message;
    if (!*more) return "";
  }
}

TEST(CsvReader, TrimsTheSpacesAfterSeparatorsAsFebrlWritesThem) {
  auto reader = CsvReader::from_text("rec_id, given_name\nr1, anna\n", "t.csv");
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->header(), (std::vector<std::string>{"rec_id", "given_name"}));
  EXPECT_EQ(reader->column("given_name"), 1);
  EXPECT_EQ(reader->column("missing"), -1);
  EXPECT_EQ(read_all("a, b\n x ,  y  \n"), (std::vector<std::vector<std::string>>{{"x", "y"}}));
}

TEST(CsvReader, ReadsQuotedFieldsWithCommasQuotesAndNewlines) {
  auto rows = read_all("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "x, y");
  EXPECT_EQ(rows[0][1], "say \"hi\"");
  EXPECT_EQ(rows[0][2], "two\nlines");
}

TEST(CsvReader, KeepsEmptyValuesAndSkipsBlankLinesAndCrlf) {
  auto rows = read_all("\xEF\xBB\xBFid,a,b\r\n1,,\r\n\r\n2, ,z\r\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "", ""}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2", "", "z"}));
}

TEST(CsvReader, ReportsARaggedRowWithFileAndLine) {
  std::string err = first_error("id,a\n1,x\n2,y,extra\n");
  EXPECT_NE(err.find("in.csv:3:"), std::string::npos) << err;
  EXPECT_NE(err.find("3 fields"), std::string::npos) << err;
  EXPECT_NE(first_error("id,a\n1\n").find("in.csv:2:"), std::string::npos);
}

TEST(CsvReader, ReportsInvalidUtf8WithFileAndLine) {
  std::string err = first_error("id,a\n1,ok\n2,bad\xC3\x28\n");
  EXPECT_NE(err.find("in.csv:3:"), std::string::npos) << err;
  EXPECT_NE(err.find("UTF-8"), std::string::npos) << err;
  EXPECT_NE(first_error("id,\xFF\n").find("in.csv:1:"), std::string::npos);
}

TEST(CsvReader, ReportsAnUnclosedQuoteAtTheLineItOpened) {
  std::string err = first_error("id,a\n1,\"open\n2,x\n");
  EXPECT_NE(err.find("in.csv:2:"), std::string::npos) << err;
  EXPECT_NE(err.find("not closed"), std::string::npos) << err;
  EXPECT_NE(first_error("id,a\n1,ab\"c\n").find("in.csv:2:"), std::string::npos);
}

TEST(CsvReader, RejectsAnEmptyFileAndAnUnreadableOne) {
  EXPECT_NE(first_error("").find("in.csv:1: the file is empty"), std::string::npos);
  auto missing = CsvReader::open("/nonexistent/dir/x.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::Code::kNotFound);
  EXPECT_NE(missing.error().message.find("/nonexistent/dir/x.csv"), std::string::npos);
}

TEST(CsvReader, OpensAFileFromDisk) {
  testing::TempDir dir;
  auto reader = CsvReader::open(dir.file("a.csv", "id\n1\n"));
  ASSERT_TRUE(reader.ok());
  std::vector<std::string_view> f;
  EXPECT_TRUE(*reader->next(f));
  EXPECT_EQ(f[0], "1");
}

TEST(Utf8, AcceptsWellFormedAndRejectsOverlongsAndSurrogates) {
  EXPECT_TRUE(is_valid_utf8("Müller Мария 😀"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // Overlong '/'.
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // Surrogate.
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // Above U+10FFFF.
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // Truncated.
}

TEST(CsvWriter, QuotesWhenNeededAndNeutralisesFormulas) {
  std::string out;
  append_csv_field(out, "plain");
  out += '|';
  append_csv_field(out, "a,b");
  out += '|';
  append_csv_field(out, "=cmd()");
  out += '|';
  append_csv_field(out, "q\"q");
  EXPECT_EQ(out, "plain|\"a,b\"|\"'=cmd()\"|\"q\"\"q\"");
}

}  // namespace
}  // namespace sg::resolve
