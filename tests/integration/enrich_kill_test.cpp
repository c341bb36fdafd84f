// haul-enrich under SIGKILL at random moments of a run over a large
// deduped.jsonl (market data, deals, image URLs to rewrite, a few broken
// lines): after every kill each output is absent or byte-identical to an
// uninterrupted run's, the report (written last) never vouches for missing
// outputs, and a plain rerun recovers the same bytes and sweeps the
// temporaries. HAUL_KILL_TEST_RECORDS, HAUL_KILL_TEST_KILLS and
// HAUL_KILL_TEST_SEED override the sizes.

#include <gtest/gtest.h>
#include <signal.h>

#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>

#include "support/enrich_workspace.hpp"
#include "support/kill_series.hpp"
#include "support/temp_dir.hpp"
#include "util/sha256.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;

#ifdef HAUL_TEST_SANITIZED
constexpr std::size_t kEnrichKillRecords = 15'000;
#else
constexpr std::size_t kEnrichKillRecords = 60'000;
#endif

std::string enrich_kill_input(std::size_t records, std::uint32_t seed) {
  std::mt19937 random(seed);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(random); };
  static const char* const kMakes[] = {"Toyota", "Honda", "Ford", "Chevrolet", "Porsche", "Kia"};
  std::string text;
  for (std::size_t i = 0; i < records; ++i) {
    if (pick(1000) == 0) {
      text += "{\"make\": broken\n";
      continue;
    }
    std::string extra = "\"mileage\":" + std::to_string(pick(250000));
    if (pick(3) == 0) {
      extra += ",\"imageUrl\":\"HTTPS://Img.Example.com/" + std::to_string(i) + ".jpg#f\"";
    }
    text += car(kMakes[pick(6)], "Model " + std::to_string(pick(40)), 1950 + pick(70),
                2000 + pick(60000), extra) +
            "\n";
  }
  return text;
}

using Outputs = std::map<std::string, std::optional<std::string>>;

TEST(EnrichKill, KilledRunsLeaveCompleteOutputsOrNoneAndARerunRecovers) {
  const std::size_t records = env_number("HAUL_KILL_TEST_RECORDS", kEnrichKillRecords);
  const int kills = static_cast<int>(env_number("HAUL_KILL_TEST_KILLS", 16));
  const auto seed = static_cast<std::uint32_t>(env_number("HAUL_KILL_TEST_SEED", 20261123));
  std::cout << "[ kill test ] " << records << " records, " << kills << " kills, seed " << seed
            << "\n";
  EnrichWorkspace ws;
  write_file(ws.input(), enrich_kill_input(records, seed));
  const fs::path report = ws.report();
  const std::vector<fs::path> files = {ws.enriched(), ws.errors(), ws.deals()};
  Sha256 sha256;
  auto snapshot = [&] {
    Outputs outputs;
    for (const fs::path& path : files) {
      outputs[path.filename().string()] =
          fs::exists(path) ? std::optional(sha256.hex(read_file(path))) : std::nullopt;
    }
    return outputs;
  };

  auto reference_run = ws.run({"-q"});
  ASSERT_TRUE(ExitedWith(reference_run, 0));
  const Outputs reference = snapshot();
  for (const auto& [name, hash] : reference) ASSERT_TRUE(hash) << name << " missing";
  ASSERT_FALSE(read_file(ws.errors()).empty());
  auto forced_run = ws.run({"-q", "--force"});
  ASSERT_TRUE(ExitedWith(forced_run, 0));
  ASSERT_EQ(snapshot(), reference) << "a forced rerun changed the outputs";
  const auto duration = (reference_run.elapsed + forced_run.elapsed) / 2;
  std::cout << "[ kill test ] uninterrupted run: " << duration.count() << " s\n";

  const KillSeries series = run_kill_series(
      ws.command({"--force", "-q"}), duration, kills, seed,
      [&] {
        for (const fs::path& path : files) fs::remove(path);
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

  ASSERT_TRUE(ExitedWith(ws.run({"-q"}), 0));
  EXPECT_EQ(snapshot(), reference);
  EXPECT_TRUE(fs::exists(report));
  EXPECT_EQ(hidden_files_under(ws.processed_dir()), std::vector<fs::path>{});
  EXPECT_EQ(hidden_files_under(ws.failed_dir()), std::vector<fs::path>{});
}

}  // namespace
}  // namespace haul::testing
