#include "io/record_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace haul::io {
namespace {

using haul::testing::TempDir;
using haul::testing::write_file;

struct ReadResult {
  std::vector<RawRecord> records;  // bytes copied into texts
  std::vector<std::string> texts;
  FileFormat format = FileFormat::kEmpty;
  std::optional<FileError> error;
};

ReadResult read_all(std::string_view contents, RecordReader::Options options = {}) {
  TempDir dir;
  write_file(dir / "input.json", contents);
  std::unique_ptr<RecordReader> reader;
  EXPECT_TRUE(RecordReader::open(dir / "input.json", options, reader).is_ok());
  ReadResult result;
  RawRecord record;
  while (reader->next(record)) {
    result.texts.emplace_back(record.bytes);
    result.records.push_back(record);
  }
  result.format = reader->format();
  result.error = reader->file_error();
  return result;
}

TEST(RecordReader, ReadsNdjsonLinesWithOffsetsAndLineNumbers) {
  auto result = read_all("{\"a\":1}\n\n{\"b\":2}\r\n{\"c\":3}");
  EXPECT_EQ(result.format, FileFormat::kNdjson);
  ASSERT_EQ(result.texts, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"}));
  EXPECT_EQ(result.records[1].offset, 9u);
  EXPECT_EQ(result.records[1].line, 3u);
  EXPECT_EQ(result.records[2].index, 2u);
  EXPECT_EQ(result.records[2].line, 4u);
  EXPECT_FALSE(result.error);
}

TEST(RecordReader, ReadsArrayElementsIncludingNestedAndTrickyStrings) {
  auto result = read_all(" [ {\"a\":\"x]}\\\"\"} ,\n{\"b\":[1,{\"c\":2}]},  3, \"s\" ,null]\n");
  EXPECT_EQ(result.format, FileFormat::kArray);
  ASSERT_EQ(result.texts, (std::vector<std::string>{"{\"a\":\"x]}\\\"\"}", "{\"b\":[1,{\"c\":2}]}",
                                                    "3", "\"s\"", "null"}));
  EXPECT_EQ(result.records[1].line, 2u);
  EXPECT_FALSE(result.error);
}

TEST(RecordReader, EmptyFilesAndEmptyArraysHaveNoRecords) {
  for (std::string_view text : {"", "  \n\t", "[]", " [ ] \n", "\xEF\xBB\xBF[]"}) {
    auto result = read_all(text);
    EXPECT_TRUE(result.texts.empty()) << text;
    EXPECT_FALSE(result.error) << text;
  }
}

TEST(RecordReader, RejectsFilesThatAreNotJsonWithTheOffset) {
  auto result = read_all("\n  <html>oops</html>");
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->code, "not_json");
  EXPECT_EQ(result.error->offset, 3u);
}

TEST(RecordReader, TruncatedArrayIsABrokenFile) {
  auto result = read_all("[{\"a\":1},{\"b\":");
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->code, "truncated");
  EXPECT_EQ(result.texts.size(), 1u);  // the caller withdraws it
  auto unclosed = read_all("[{\"a\":1}");
  ASSERT_TRUE(unclosed.error);
  EXPECT_EQ(unclosed.error->code, "truncated");
}

TEST(RecordReader, MalformedArraySeparatorsAreReported) {
  auto missing_comma = read_all("[{\"a\":1} {\"b\":2}]");
  ASSERT_TRUE(missing_comma.error);
  EXPECT_EQ(missing_comma.error->code, "malformed_array");
  EXPECT_EQ(missing_comma.error->offset, 9u);
  auto trailing = read_all("[{\"a\":1},]");
  ASSERT_TRUE(trailing.error);
  EXPECT_EQ(trailing.error->code, "malformed_array");
  auto garbage_after = read_all("[{\"a\":1}] x");
  ASSERT_TRUE(garbage_after.error);
}

// Found by tests/fuzz/record_reader_fuzz: a comma or '}' where a record should
// be was scanned as an empty record, so "[1,,2]" read as three records.
TEST(RecordReader, CommaWhereARecordShouldBeIsMalformed) {
  auto leading = read_all("[,{\"a\":1}]");
  EXPECT_TRUE(leading.records.empty());
  ASSERT_TRUE(leading.error);
  EXPECT_EQ(leading.error->code, "malformed_array");
  EXPECT_EQ(leading.error->offset, 1u);
  auto doubled = read_all("[1, ,2]");
  EXPECT_EQ(doubled.texts, (std::vector<std::string>{"1"}));
  ASSERT_TRUE(doubled.error);
  EXPECT_EQ(doubled.error->code, "malformed_array");
  EXPECT_EQ(doubled.error->offset, 4u);
  auto brace = read_all("[1, }]");
  EXPECT_EQ(brace.texts, (std::vector<std::string>{"1"}));
  ASSERT_TRUE(brace.error);
  EXPECT_EQ(brace.error->code, "malformed_array");
  EXPECT_EQ(brace.error->offset, 4u);
}

// Found by tests/fuzz/record_reader_fuzz: a blank line longer than the
// record limit that spanned blocks became an oversized record, where one that
// fit a block was skipped.
TEST(RecordReader, LongBlankLinesAreSkippedWhateverTheBlockSize) {
  RecordReader::Options options;
  options.max_record_bytes = 16;
  options.block_bytes = 8;
  const std::string blank(100, ' ');
  auto result = read_all("{\"a\":1}\n" + blank + "\r\n{\"b\":2}\n" + blank, options);
  EXPECT_FALSE(result.error);
  EXPECT_EQ(result.texts, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[1].line, 3u);
}

// Found by tests/fuzz/record_reader_fuzz: an oversized CRLF line that spanned
// blocks counted its '\r' in its size; one that fit a block did not.
TEST(RecordReader, OversizedCrlfLinesHaveTheSameSizeWhateverTheBlockSize) {
  const std::string line = "{\"s\":\"" + std::string(40, 'x') + "\"}";
  for (std::size_t block : {8u, 4096u}) {
    RecordReader::Options options;
    options.max_record_bytes = 16;
    options.block_bytes = block;
    auto result = read_all(line + "\r\n" + line + "\r", options);
    ASSERT_EQ(result.records.size(), 2u) << block;
    for (const auto& r : result.records) {
      EXPECT_TRUE(r.too_large);
      EXPECT_EQ(r.size, line.size()) << block;
    }
  }
}

// Found by tests/fuzz/record_reader_fuzz: a line of exactly the limit ending
// in CRLF was too large when the block ended between its '\r' and '\n'.
TEST(RecordReader, CrlfLineOfExactlyTheLimitFitsWhateverTheBlockSize) {
  const std::string line = "{\"s\":\"" + std::string(10, 'x') + "\"}";  // 16 bytes
  for (std::size_t block = 4; block <= 32; ++block) {
    RecordReader::Options options;
    options.max_record_bytes = line.size();
    options.block_bytes = block;
    auto result = read_all(line + "\r\n" + line + "\r\n", options);
    ASSERT_EQ(result.records.size(), 2u) << block;
    for (const auto& r : result.records) {
      EXPECT_FALSE(r.too_large) << "block " << block;
      EXPECT_EQ(r.size, line.size()) << block;
    }
  }
}

// Found by tests/fuzz/record_reader_fuzz: the "not JSON" message formatted a
// non-UTF-8 first byte with fmt's {:?}, which aborts: a UTF-16 file crashed.
TEST(RecordReader, NonUtf8FirstByteIsReportedNotFatal) {
  auto result = read_all("\xFF\xFE[\x00");
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->code, "not_json");
  EXPECT_NE(result.error->message.find("byte 0xFF"), std::string::npos) << result.error->message;
  auto array = read_all("[1 \x80]");
  ASSERT_TRUE(array.error);
  EXPECT_EQ(array.error->code, "malformed_array");
}

TEST(RecordReader, TruncatedLastNdjsonLineIsJustARecord) {
  auto result = read_all("{\"a\":1}\n{\"b\":");
  EXPECT_FALSE(result.error);
  ASSERT_EQ(result.texts.size(), 2u);
  EXPECT_EQ(result.texts[1], "{\"b\":");
}

TEST(RecordReader, OversizedRecordsAreCountedNotBuffered) {
  RecordReader::Options options;
  options.max_record_bytes = 2048;
  options.block_bytes = 512;
  std::string big = "{\"s\":\"" + std::string(100000, 'x') + "\"}";
  for (bool array : {false, true}) {
    std::string text =
        array ? "[{\"a\":1}," + big + ",{\"b\":2}]" : "{\"a\":1}\n" + big + "\n{\"b\":2}\n";
    auto result = read_all(text, options);
    EXPECT_FALSE(result.error) << array;
    ASSERT_EQ(result.records.size(), 3u) << array;
    EXPECT_FALSE(result.records[0].too_large);
    EXPECT_TRUE(result.records[1].too_large);
    EXPECT_EQ(result.records[1].size, big.size()) << array;
    EXPECT_LE(result.texts[1].size(), 4096u);
    EXPECT_EQ(result.texts[2], "{\"b\":2}");
  }
}

TEST(RecordReader, RecordsSpanningManyBlocksAreReassembled) {
  RecordReader::Options options;
  options.block_bytes = 64;
  std::string ndjson, array = "[";
  std::vector<std::string> expected;
  for (int i = 0; i < 200; ++i) {
    std::string record =
        "{\"i\":" + std::to_string(i) + ",\"pad\":\"" + std::string(i % 150, 'p') + "\"}";
    expected.push_back(record);
    ndjson += record + "\n";
    array += (i ? "," : "") + record;
  }
  array += "]";
  EXPECT_EQ(read_all(ndjson, options).texts, expected);
  EXPECT_EQ(read_all(array, options).texts, expected);
}

}  // namespace
}  // namespace haul::io
