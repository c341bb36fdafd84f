// haul-validate then haul-dedup on the real Kijiji dataset in
// ../shared/datasets: its 2,050 verbatim repeats collapse to one record each,
// and listings that share make, model and year but not the VIN stay apart.
// The expectations come from the raw file itself, read here with simdjson.
//
// Skipped when ../shared (or $HAUL_SHARED_DIR) is not there.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/json_doc.hpp"
#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;

TEST(DedupDatasets, KijijiRepeatsCollapseAndDifferentVinsStayApart) {
  const fs::path kijiji = shared_datasets_dir() / "kijiji_gta_2019.json";
  if (!fs::exists(kijiji)) GTEST_SKIP() << "skipped: ../shared not present";

  // Raw index -> its record's exact text; groups of verbatim repeats.
  simdjson::dom::parser parser;
  std::map<std::string, std::vector<std::int64_t>> indexes_by_text;
  std::int64_t index = 0;
  for (simdjson::dom::element record : parser.load(kijiji.string()).get_array()) {
    indexes_by_text[simdjson::minify(record)].push_back(index++);
  }
  ASSERT_EQ(index, 3145);
  ASSERT_EQ(index - static_cast<std::int64_t>(indexes_by_text.size()), 2050);

  ValidateWorkspace ws;
  ws.add_raw("kijiji-gta_001.json", read_file(kijiji));
  ASSERT_TRUE(ExitedWith(ws.run({"-q"}), 0));
  ASSERT_TRUE(ExitedWith(ws.run_tool("haul-dedup", {"-q"}), 0));

  auto raw_indexes = [](const fs::path& path, const char* pointer) {
    std::vector<std::int64_t> out;
    for (const auto& line : read_lines(path)) out.push_back(JsonDoc(line).int64(pointer).value_or(-1));
    return out;
  };
  const auto valid = raw_indexes(ws.validated(), "/_meta/raw_index");
  const auto kept = raw_indexes(ws.processed_dir() / "deduped.jsonl", "/_meta/raw_index");
  const auto removed = raw_indexes(ws.failed_dir() / "duplicates.jsonl", "/record/_meta/raw_index");
  EXPECT_EQ(kept.size() + removed.size(), valid.size());  // conservation

  // Each group of verbatim repeats that passed validation keeps exactly one.
  const std::set<std::int64_t> valid_set(valid.begin(), valid.end());
  const std::set<std::int64_t> kept_set(kept.begin(), kept.end());
  std::uint64_t repeats_removed = 0;
  for (const auto& [text, group] : indexes_by_text) {
    std::uint64_t in_valid = 0, in_kept = 0;
    for (auto i : group) {
      in_valid += valid_set.count(i);
      in_kept += kept_set.count(i);
    }
    if (in_valid == 0) continue;
    EXPECT_LE(in_kept, 1u) << "repeats of raw record " << group[0] << " survived twice";
    repeats_removed += in_valid - 1;
  }
  EXPECT_GT(repeats_removed, 1000u);
  JsonDoc report(read_file(ws.processed_dir() / "dedup_report.json"));
  EXPECT_GE(report.uint64("/exact_repeats").value_or(0), repeats_removed);
  EXPECT_GE(report.uint64("/duplicates").value_or(0), repeats_removed);

  // No removed record has a VIN other than its survivor's; and no two
  // survivors share a VIN.
  std::vector<std::string> vin_by_position;
  for (const auto& line : read_lines(ws.validated())) {
    vin_by_position.push_back(JsonDoc(line).str("/vin").value_or(""));
  }
  std::uint64_t removed_with_vin = 0;
  for (const auto& line : read_lines(ws.failed_dir() / "duplicates.jsonl")) {
    JsonDoc doc(line);
    const std::string vin = doc.str("/record/vin").value_or("");
    const std::string survivor_vin = vin_by_position.at(*doc.uint64("/cluster"));
    if (vin.empty() || survivor_vin.empty()) continue;
    ++removed_with_vin;
    EXPECT_EQ(vin, survivor_vin) << line;
  }
  EXPECT_GT(removed_with_vin, 0u);
  std::map<std::string, int> survivors_by_vin;
  for (const auto& line : read_lines(ws.processed_dir() / "deduped.jsonl")) {
    if (auto vin = JsonDoc(line).str("/vin")) ++survivors_by_vin[*vin];
  }
  for (const auto& [vin, count] : survivors_by_vin) EXPECT_EQ(count, 1) << vin;
  // Same make/model/year with different VINs: many such groups exist and all survive.
  EXPECT_GT(survivors_by_vin.size(), 300u);
}

}  // namespace
}  // namespace haul::testing
