#include "io/record_cuts.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace haul::io {
namespace {

using haul::testing::TempDir;
using haul::testing::write_file;

// One record as a pass saw it, bytes copied.
struct Seen {
  std::uint64_t index, offset, line, size;
  bool too_large;
  std::string text;
  std::size_t block;  // which block, counted from 0
  bool operator==(const Seen&) const = default;
};

struct Passes {
  std::vector<Seen> first, second;
  Status second_status;
};

std::vector<Seen> seen_of(const RecordBlock& block, std::size_t number) {
  std::vector<Seen> seen;
  for (const RawRecord& raw : block.records) {
    seen.push_back(
        {raw.index, raw.offset, raw.line, raw.size, raw.too_large, std::string(raw.bytes), number});
  }
  return seen;
}

// Cuts `path` with for_each_block, then reads the kept cuts back; `between`
// runs in between (to change the file).
Passes two_passes(
    const std::filesystem::path& path, std::size_t max_record_bytes, std::size_t threads,
    const std::function<void()>& between = [] {}) {
  Passes passes;
  RecordCuts cuts;
  std::size_t blocks = 0;
  const Status first = for_each_block<RecordBlock>(
      path, max_record_bytes, threads, [](RecordBlock&, std::size_t) {},
      [&](RecordBlock& block) {
        for (Seen& s : seen_of(block, blocks++)) passes.first.push_back(std::move(s));
        cuts.keep(block);
      });
  EXPECT_TRUE(first.is_ok()) << first.message();
  EXPECT_EQ(cuts.blocks(), blocks);
  between();
  blocks = 0;
  passes.second_status = for_each_cut_block<RecordBlock>(
      path, cuts, threads,
      [](RecordBlock& block, std::size_t) {
        // Parsable in place: the padding simdjson needs follows every record.
        simdjson::dom::parser parser;
        for (const RawRecord& raw : block.records) {
          if (raw.too_large) continue;
          simdjson::dom::element root;
          EXPECT_EQ(parser.parse(raw.bytes.data(), raw.bytes.size(), false).get(root),
                    simdjson::SUCCESS)
              << raw.bytes;
        }
      },
      [&](RecordBlock& block) {
        for (Seen& s : seen_of(block, blocks++)) passes.second.push_back(std::move(s));
      });
  return passes;
}

// Several blocks of NDJSON with every case the reader treats specially: CRLF,
// blank and whitespace lines, a blank stretch longer than a read's gap, a
// line over the limit, a BOM.
std::string awkward_ndjson() {
  std::string text = "\xEF\xBB\xBF";
  for (int i = 0; i < 9000; ++i) {
    text += "{\"n\":" + std::to_string(i) + ",\"pad\":\"" + std::string(200 + i % 97, 'x') + "\"}";
    text += i % 7 == 0 ? "\r\n" : "\n";
    if (i % 501 == 0) text += "\n  \t \n";
    if (i == 4000) text += std::string(10000, ' ') + "\n";                      // a long blank line
    if (i == 6000) text += "{\"big\":\"" + std::string(5000, 'y') + "\"}\r\n";  // over 4096
  }
  return text;
}

TEST(RecordCuts, ReadsBackTheSameRecordsInTheSameBlocks) {
  TempDir dir;
  write_file(dir / "in.jsonl", awkward_ndjson());
  for (std::size_t threads : {1u, 3u}) {
    const Passes passes = two_passes(dir / "in.jsonl", 4096, threads);
    ASSERT_TRUE(passes.second_status.is_ok()) << passes.second_status.message();
    ASSERT_EQ(passes.first.size(), 9001u);
    EXPECT_GT(passes.first.back().block, 1u);  // several blocks
    EXPECT_EQ(passes.second, passes.first);
    std::size_t large = 0;
    for (const Seen& s : passes.second) large += s.too_large;
    EXPECT_EQ(large, 1u);
  }
}

TEST(RecordCuts, ReadsBackAnArrayFile) {
  TempDir dir;
  std::string text = "[\n";
  for (int i = 0; i < 6000; ++i) {
    if (i > 0) text += i % 3 ? " ,\n" : ",";
    text += "{\"n\":" + std::to_string(i) + ",\"s\":\"" + std::string(300, 'z') + "\"}";
  }
  text += "\n]\n";
  write_file(dir / "in.json", text);
  const Passes passes = two_passes(dir / "in.json", 1u << 20, 2);
  ASSERT_TRUE(passes.second_status.is_ok()) << passes.second_status.message();
  ASSERT_EQ(passes.first.size(), 6000u);
  EXPECT_EQ(passes.second, passes.first);
}

TEST(RecordCuts, AFileThatShrankInBetweenIsAnErrorNamingIt) {
  TempDir dir;
  const auto path = dir / "in.jsonl";
  write_file(path, awkward_ndjson());
  const Passes passes =
      two_passes(path, 4096, 2, [&] { std::filesystem::resize_file(path, 5000); });
  EXPECT_EQ(passes.second_status.code(), ExitCode::kTempFail);
  EXPECT_NE(passes.second_status.message().find(path.string()), std::string::npos)
      << passes.second_status.message();
  EXPECT_NE(passes.second_status.message().find("changed"), std::string::npos);
  // Nothing is consumed after the block that could not be read.
  for (std::size_t i = 0; i < passes.second.size(); ++i)
    EXPECT_EQ(passes.second[i], passes.first[i]);
  EXPECT_LT(passes.second.size(), passes.first.size());
}

TEST(RecordCuts, AMissingFileIsAnIoError) {
  TempDir dir;
  write_file(dir / "in.jsonl", "{}\n");
  const Passes passes =
      two_passes(dir / "in.jsonl", 4096, 1, [&] { std::filesystem::remove(dir / "in.jsonl"); });
  EXPECT_EQ(passes.second_status.code(), ExitCode::kIoError);
  EXPECT_NE(passes.second_status.message().find("cannot open " + (dir / "in.jsonl").string()),
            std::string::npos)
      << passes.second_status.message();
}

}  // namespace
}  // namespace haul::io
