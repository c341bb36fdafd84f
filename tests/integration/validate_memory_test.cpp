// Bounded memory: haul-validate streams its input, so its peak resident set
// stays a small constant however large the files are. Measured on the real
// executable (peak RSS from wait4) over inputs several times that bound.
//
// Skipped in sanitizer builds, whose shadow memory and quarantine make RSS
// figures meaningless; the normal build runs it in CI.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <string>

#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace {

constexpr std::size_t kMiB = 1024 * 1024;

// Writes about `bytes` of ~1 KiB vehicle records, as NDJSON or as one array.
void write_records(const std::filesystem::path& path, std::size_t bytes, bool array) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  std::string description(800, 'x');
  std::string record;
  std::size_t written = 0;
  if (array) out << "[\n";
  for (std::size_t i = 0; written < bytes; ++i) {
    record = "{\"make\":\"Ford\",\"model\":\"Mustang\",\"year\":1967,\"price\":\"$" +
             std::to_string(20000 + i % 50000) +
             "\",\"sourceName\":\"Dealer\",\"sourceUrl\":" + "\"https://dealer.invalid/car/" +
             std::to_string(i) + "\",\"description\":\"" + description + "\"}";
    if (array && i > 0) out << ",\n";
    out << record;
    if (!array) out << '\n';
    written += record.size() + 2;
  }
  if (array) out << "\n]\n";
}

TEST(ValidateMemory, PeakRssStaysBoundedOnLargeInputs) {
#ifdef HAUL_SANITIZED
  GTEST_SKIP() << "peak RSS is not meaningful under sanitizers";
#endif
  ValidateWorkspace workspace;
  write_records(workspace.raw_dir() / "big_001.jsonl", 192 * kMiB, false);
  write_records(workspace.raw_dir() / "big_002.json", 64 * kMiB, true);

  ProcessResult result = workspace.run({"--type", "vehicles", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // The tool reports its own peak (VmHWM): the rusage of a child spawned
  // from this test would include the test process's memory at exec time.
  simdjson::dom::parser parser;
  std::int64_t peak_kib = 0;
  ASSERT_FALSE(parser.parse(result.out)["peak_rss_kib"].get(peak_kib)) << result.out;
  std::cout << "[ memory   ] 256 MiB of input, peak RSS " << peak_kib / 1024 << " MiB\n";
  EXPECT_GT(peak_kib, 1024);
  EXPECT_LT(peak_kib, 96 * 1024) << "haul-validate held " << peak_kib / 1024
                                 << " MiB for 256 MiB of input";
  // Nothing was lost on the way: every record passed.
  auto size = std::filesystem::file_size(workspace.processed_dir() / "validated.jsonl");
  EXPECT_GT(size, 250 * kMiB);
}

}  // namespace
}  // namespace haul::testing
