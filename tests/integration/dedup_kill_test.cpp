// haul-dedup under SIGKILL at random moments of a run over a large
// validated.jsonl with repeats and relistings: after every kill each output
// is absent or byte-identical to an uninterrupted run's, the report (written
// last) never vouches for missing outputs, and a plain rerun recovers the
// same bytes and sweeps the temporaries.
// HAUL_KILL_TEST_RECORDS, HAUL_KILL_TEST_KILLS and HAUL_KILL_TEST_SEED
// override the sizes.

#include <gtest/gtest.h>
#include <signal.h>

#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>

#include "support/kill_series.hpp"
#include "support/temp_dir.hpp"
#include "support/validate_workspace.hpp"
#include "util/sha256.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;

#ifdef HAUL_TEST_SANITIZED
constexpr std::size_t kDedupKillRecords = 15'000;
#else
constexpr std::size_t kDedupKillRecords = 60'000;
#endif

// Canonical vehicle lines: a third repeat an earlier car verbatim, a sixth
// relist one with a typo and a price change.
std::string dedup_kill_input(std::size_t records, std::uint32_t seed) {
  std::mt19937 random(seed);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(random); };
  static const char* const kMakes[] = {"Toyota", "Honda", "Ford", "BMW", "Lexus", "Kia"};
  std::string text;
  for (std::size_t i = 0; i < records; ++i) {
    const int kind = pick(6);
    const std::size_t car = kind < 2 && i > 0 ? static_cast<std::size_t>(pick(static_cast<int>(i))) : i;
    const std::string model = "Model " + std::to_string(car % 97) + (kind == 2 ? "z" : "");
    const int price = 5000 + static_cast<int>(car * 7919 % 90000) + (kind == 2 ? 150 : 0);
    text += std::string("{\"make\":\"") + kMakes[car % 6] + "\",\"model\":\"" + model +
            "\",\"year\":" + std::to_string(1990 + car % 30) + ",\"price\":" + std::to_string(price) +
            ",\"mileage\":" + std::to_string(car * 31 % 250000) +
            ",\"sourceName\":\"Demo\",\"sourceUrl\":\"https://d.example/inventory/" +
            std::to_string(100000 + car) + "\",\"_meta\":{\"source\":\"demo-dealer\",\"raw_index\":" +
            std::to_string(i) + "}}\n";
  }
  return text;
}

// Output file name -> SHA-256 of its bytes, nullopt when absent.
using Outputs = std::map<std::string, std::optional<std::string>>;

TEST(DedupKill, KilledRunsLeaveCompleteOutputsOrNoneAndARerunRecovers) {
  const std::size_t records = env_number("HAUL_KILL_TEST_RECORDS", kDedupKillRecords);
  const int kills = static_cast<int>(env_number("HAUL_KILL_TEST_KILLS", 20));
  const auto seed = static_cast<std::uint32_t>(env_number("HAUL_KILL_TEST_SEED", 20261123));
  std::cout << "[ kill test ] " << records << " records, " << kills << " kills, seed " << seed << "\n";
  ValidateWorkspace ws;
  write_file(ws.validated(), dedup_kill_input(records, seed));
  const fs::path report = ws.processed_dir() / "dedup_report.json";
  const std::vector<fs::path> records_files = {ws.processed_dir() / "deduped.jsonl",
                                               ws.failed_dir() / "duplicates.jsonl",
                                               ws.failed_dir() / "dedup_errors.jsonl"};
  Sha256 sha256;
  auto snapshot = [&] {
    Outputs outputs;
    for (const fs::path& path : records_files) {
      outputs[path.filename().string()] =
          fs::exists(path) ? std::optional(sha256.hex(read_file(path))) : std::nullopt;
    }
    return outputs;
  };

  auto reference_run = ws.run_tool("haul-dedup", {"-q"});
  ASSERT_TRUE(ExitedWith(reference_run, 0));
  const Outputs reference = snapshot();
  for (const auto& [name, hash] : reference) ASSERT_TRUE(hash) << name << " missing";
  auto forced_run = ws.run_tool("haul-dedup", {"-q", "--force"});
  ASSERT_TRUE(ExitedWith(forced_run, 0));
  ASSERT_EQ(snapshot(), reference) << "a forced rerun changed the outputs";
  const auto duration = (reference_run.elapsed + forced_run.elapsed) / 2;
  std::cout << "[ kill test ] uninterrupted run: " << duration.count() << " s\n";

  const KillSeries series = run_kill_series(
      ws.command_for("haul-dedup", {"--force", "-q"}), duration, kills, seed,
      [&] {
        for (const fs::path& path : records_files) fs::remove(path);
        fs::remove(report);
      },
      [&](int, const ProcessResult& result, const std::string& where) {
        SCOPED_TRACE(where);
        EXPECT_FALSE(result.timed_out);
        const Outputs after = snapshot();
        int present = 0;
        for (const auto& [name, hash] : after) {
          if (!hash) continue;
          ++present;
          EXPECT_EQ(*hash, *reference.at(name)) << name << " is torn or different";
        }
        if (fs::exists(report) || result.term_signal != SIGKILL) {
          EXPECT_EQ(present, 3) << "the report vouches for outputs that are missing";
        }
        if (result.term_signal != SIGKILL) {
          EXPECT_TRUE(ExitedWith(result, 0));
        }
        return !HasFailure();
      });
  if (HasFailure()) return;
  std::cout << "[ kill test ] " << series.killed << " of " << kills << " runs killed mid-way\n";
  EXPECT_GE(series.killed, kills / 4);

  ASSERT_TRUE(ExitedWith(ws.run_tool("haul-dedup", {"-q"}), 0));
  EXPECT_EQ(snapshot(), reference);
  EXPECT_EQ(hidden_files_under(ws.processed_dir()), std::vector<fs::path>{});
  EXPECT_EQ(hidden_files_under(ws.failed_dir()), std::vector<fs::path>{});
}

}  // namespace
}  // namespace haul::testing
