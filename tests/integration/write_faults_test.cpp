// A file-size limit (ulimit -f, RLIMIT_FSIZE: what a full disk looks like
// to a writer, EFBIG instead of ENOSPC) hit while a stage writes its main
// output: the stage exits 73 naming the file, the previous outputs of the
// date stay byte for byte, no temporary is left, and the rerun without the
// limit writes what the undisturbed run wrote. Validate, dedup and enrich in
// turn, each over the previous stage's real output.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <string>

#include "support/kill_series.hpp"
#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;
constexpr int kCantCreate = 73;
#ifdef HAUL_TEST_SANITIZED
constexpr int kListings = 1500;
#else
constexpr int kListings = 4000;
#endif

std::string raw_listings() {
  std::string out = "[";
  for (int n = 0; n < kListings; ++n) {
    if (n) out += ",\n";
    out += fmt::format(
        R"({{"make":"Ford","model":"Mustang {}","year":"{}","price":"${}","mileage":"{} Miles","stockNumber":"S-{:05d}","vin":"1FA{:08d}X","sourceName":"Dealer","sourceUrl":"https://dealer.example/cars/{}","locationCity":"Toronto","locationState":"ON"}})",
        n % 50, 1965 + n % 30, 12000 + 13 * n, 1000 + n, n, n, n);
  }
  return out + "]\n";
}

std::map<std::string, std::string> outputs(const ValidateWorkspace& ws) {
  std::map<std::string, std::string> files;
  for (const char* top : {"processed", "failed"}) {
    if (!fs::exists(ws.root() / top)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(ws.root() / top)) {
      if (entry.is_regular_file()) {
        files[fs::relative(entry.path(), ws.root()).string()] = read_file(entry.path());
      }
    }
  }
  return files;
}

TEST(WriteFaults, AFileSizeLimitIs73NamingTheFileAndLeavesThePreviousOutputs) {
  ValidateWorkspace ws;
  ws.add_raw("dealer_001.json", raw_listings());
  const std::pair<const char*, const char*> stages[] = {
      {"haul-validate", "validated.jsonl"}, {"haul-dedup", "deduped.jsonl"},
      {"haul-enrich", "enriched.jsonl"}};
  for (const auto& stage : stages) {
    ASSERT_TRUE(ExitedWith(ws.run_tool(stage.first, {"-q"}), 0)) << stage.first;
  }
  for (const auto& stage : stages) {
    const std::string tool = stage.first, output = stage.second;
    const auto before = outputs(ws);
    const fs::path file = ws.processed_dir() / output;
    ASSERT_GT(fs::file_size(file), 256u * 1024) << "too small to reach the limit";

    // 256 blocks of 1 KiB: far below the output, far above a log line.
    Command limited = ws.command_for(tool, {"--force", "-q"});
    limited.args.insert(limited.args.begin(),
                        {"-c", "ulimit -f 256 && exec \"$0\" \"$@\"", limited.program.string()});
    limited.program = "/bin/bash";
    ProcessResult hit = run_process(limited);
    EXPECT_TRUE(ExitedWith(hit, kCantCreate)) << tool;
    EXPECT_NE(hit.err.find(file.string()), std::string::npos) << tool << " does not name " << file
                                                             << ":\n" << hit.err;
    EXPECT_NE(hit.err.find("File too large"), std::string::npos) << hit.err;
    EXPECT_EQ(outputs(ws), before) << tool << " changed the previous outputs";
    EXPECT_EQ(hidden_files_under(ws.root() / "processed"), std::vector<fs::path>{}) << tool;
    EXPECT_EQ(hidden_files_under(ws.root() / "failed"), std::vector<fs::path>{}) << tool;

    ProcessResult rerun = ws.run_tool(tool, {"--force", "-q"});
    EXPECT_TRUE(ExitedWith(rerun, 0)) << tool;
    const auto after = outputs(ws);
    for (const auto& [name, text] : before) {
      if (name.find("_report.json") != std::string::npos) continue;  // holds its run's timings
      auto at = after.find(name);
      EXPECT_TRUE(at != after.end() && at->second == text) << tool << ": " << name << " differs";
    }
  }
}

}  // namespace
}  // namespace haul::testing
