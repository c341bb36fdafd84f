// The atomic-output contract under the harshest interruption: SIGKILL at
// random moments of a real haul-validate run over tens of megabytes. After
// every kill each output file must be absent or exactly the complete output
// of an uninterrupted run, never a torn one; and a rerun must recover to the
// same bytes and sweep the killed runs' temporaries.
//
// Sizes scale down in sanitizer builds, which run several times slower.
// HAUL_KILL_TEST_RECORDS, HAUL_KILL_TEST_KILLS and HAUL_KILL_TEST_SEED
// override the defaults (e.g. to reproduce a failure with a reported seed).

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "support/kill_series.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/validate_workspace.hpp"
#include "util/sha256.hpp"


namespace haul::testing {
namespace {

namespace fs = std::filesystem;
using Seconds = std::chrono::duration<double>;

#ifdef HAUL_TEST_SANITIZED
constexpr std::size_t kValidateKillRecords = 60'000;
#else
constexpr std::size_t kValidateKillRecords = 150'000;
#endif
constexpr int kDefaultKills = 20;
constexpr std::uint32_t kDefaultSeed = 20261123;

// Deterministic listings in the two raw shapes: autolist-like NDJSON and a
// kijiji-like JSON array, about 370 bytes a record, one in ten rejected for
// one reason or another so both outputs grow throughout the run.
class ListingGenerator {
 public:
  explicit ListingGenerator(std::uint32_t seed) : random_(seed) {}

  std::string autolist_line(std::size_t i) {
    int kind = pick(10);
    if (kind == 0) return R"({"make": "Ford", "model": "Focus", "price": "$12,)";  // torn line
    std::string price = kind == 1 ? "$0" : "$" + thousands(1000 + pick(90000));
    std::string model = kind == 2 ? "" : "Model " + std::to_string(i % 977);
    return "{\"make\": \"" + make() + "\", \"mileage\": \"" + thousands(pick(300000)) +
           " Miles\", \"model\": \"" + model + "\", \"price\": \"" + price + "\", \"vin\": \"" +
           vin(i) + "\", \"year\": \"" + std::to_string(1995 + pick(30)) +
           "\", \"description\": \"" + description() + "\"}";
  }

  std::string kijiji_record(std::size_t i) {
    int kind = pick(10);
    std::string link = kind == 0 ? "" : "https://www.carproof.com/order?ref=kijiji&vin=" + vin(i);
    std::string price = kind == 1 ? "0" : std::to_string(1000 + pick(90000));
    return "{\"brand\": \"" + make() + "\", \"model\": \"M" + std::to_string(i % 501) +
           "\", \"model_year\": \"" + std::to_string(1995 + pick(30)) + "\", \"list_price\": \"" +
           price + "\", \"mileage\": \"" + std::to_string(pick(300000)) +
           "\", \"carfax_link\": \"" + link + "\", \"vin_number\": \"" +
           (kind == 2 ? std::string("null") : vin(i)) + "\", \"dealer_address\": \"" +
           description() + "\"}";
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(random_); }
  std::string make() {
    static const char* const kMakes[] = {"Toyota", "Honda", "Ford", "BMW", "Lexus", "Kia"};
    return kMakes[pick(6)];
  }
  static std::string thousands(int n) {
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
      out += digits[i];
    }
    return out;
  }
  static std::string vin(std::size_t i) {
    std::string serial = std::to_string(100000 + i % 900000);
    return "2T2BK1BA9FC" + serial;
  }
  std::string description() {
    static const std::string kWords =
        "one owner, service records, winter tires, no accidents, certified, clean title, ";
    std::string text;
    int words = 3 + pick(6);
    for (int w = 0; w < words; ++w) text += kWords.substr(pick(6) * 13, 13 + pick(30));
    return text;
  }

  std::mt19937 random_;
};

// Output file name -> SHA-256 of its bytes, nullopt when absent.
using Outputs = std::map<std::string, std::optional<std::string>>;

class ValidateKill : public ::testing::Test {
 protected:
  std::vector<fs::path> output_files() const { return {ws.validated(), ws.errors(), ws.report()}; }

  Outputs snapshot() {
    Outputs outputs;
    for (const fs::path& path : output_files()) {
      outputs[path.filename().string()] =
          fs::exists(path) ? std::optional(sha256.hex(read_file(path))) : std::nullopt;
    }
    return outputs;
  }

  void write_inputs(std::size_t records, std::uint32_t seed) {
    ListingGenerator generator(seed);
    std::size_t ndjson_records = records * 2 / 3;
    std::string text;
    text.reserve(ndjson_records * 400);
    for (std::size_t i = 0; i < ndjson_records; ++i) text += generator.autolist_line(i) + "\n";
    ws.add_raw("autolist-us_001.jsonl", text);
    text = "[\n";
    for (std::size_t i = ndjson_records; i < records; ++i) {
      text += generator.kijiji_record(i);
      text += i + 1 < records ? ",\n" : "\n";
    }
    text += "]\n";
    ws.add_raw("kijiji-gta_001.json", text);
  }

  ValidateWorkspace ws;
  Sha256 sha256;
};

TEST_F(ValidateKill, KilledRunsLeaveCompleteOutputsOrNoneAndARerunRecovers) {
  const std::size_t records = env_number("HAUL_KILL_TEST_RECORDS", kValidateKillRecords);
  const int kills = static_cast<int>(env_number("HAUL_KILL_TEST_KILLS", kDefaultKills));
  const auto seed = static_cast<std::uint32_t>(env_number("HAUL_KILL_TEST_SEED", kDefaultSeed));
  std::cout << "[ kill test ] " << records << " records, " << kills << " kills, seed " << seed
            << "\n";
  write_inputs(records, seed);

  // The reference: an uninterrupted run. A forced second one must give the
  // same bytes; together they tell how long a run takes, so the kills can be
  // spread over all of it.
  auto reference_run = ws.run({"-q"});
  ASSERT_TRUE(ExitedWith(reference_run, 0));
  const Outputs reference = snapshot();
  for (const auto& [name, hash] : reference) ASSERT_TRUE(hash) << name << " missing";
  auto forced_run = ws.run({"-q", "--force"});
  ASSERT_TRUE(ExitedWith(forced_run, 0));
  ASSERT_EQ(snapshot(), reference) << "a forced rerun changed the outputs";
  const Seconds duration = (reference_run.elapsed + forced_run.elapsed) / 2;
  std::cout << "[ kill test ] uninterrupted run: " << duration.count() << " s, "
            << fs::file_size(ws.validated()) / 1000000 << " MB valid\n";

  int partial_sets_seen = 0;
  const KillSeries series = run_kill_series(
      ws.command({"--force", "-q"}), duration, kills, seed,
      // Start from no outputs, so "absent" and "complete" are both meaningful.
      [&] {
        for (const fs::path& path : output_files()) fs::remove(path);
      },
      [&](int, const ProcessResult& result, const std::string& where) {
        SCOPED_TRACE(where);
        EXPECT_FALSE(result.timed_out);
        if (result.term_signal != SIGKILL) {
          EXPECT_TRUE(ExitedWith(result, 0));  // finished before the kill
        }
        Outputs after = snapshot();
        int present = 0;
        for (const auto& [name, hash] : after) {
          if (!hash) continue;
          ++present;
          EXPECT_EQ(*hash, *reference.at(name)) << name << " is torn or different";
        }
        if (present > 0 && present < 3) ++partial_sets_seen;
        // The report is written last: it vouches for both record files.
        if (after["validate_report.json"]) {
          EXPECT_TRUE(after["validated.jsonl"]);
          EXPECT_TRUE(after["validation_errors.jsonl"]);
        }
        if (result.term_signal != SIGKILL) {
          EXPECT_EQ(present, 3);
        }
        return !HasFailure();  // one broken state tells the story; no need for twenty
      });
  if (HasFailure()) return;
  const int killed = series.killed;
  std::cout << "[ kill test ] " << killed << " of " << kills << " runs killed mid-way, "
            << partial_sets_seen << " left some outputs but not all\n";
  // Otherwise the test proved nothing about interruption (about 3 in 4 land
  // mid-run when runs take as long as the reference ones).
  EXPECT_GE(killed, kills / 4);

  // Recovery is what cron does next: a plain rerun. It redoes the work unless
  // the last run got as far as the report, and either way ends with the
  // reference bytes...
  auto rerun = ws.run({"-q"});
  ASSERT_TRUE(ExitedWith(rerun, 0));
  const Outputs recovered = snapshot();
  for (const auto& [name, hash] : reference) {
    EXPECT_EQ(recovered.at(name), hash) << name;
  }
  // ... and sweeps every temporary the killed runs left behind.
  EXPECT_EQ(hidden_files_under(ws.processed_dir()), std::vector<fs::path>{});
  EXPECT_EQ(hidden_files_under(ws.failed_dir()), std::vector<fs::path>{});
}

}  // namespace
}  // namespace haul::testing
