// haul-cleanup under SIGKILL at seeded moments while it archives seven weeks
// of dated directories, deletes an expired archive and sweeps a stale
// temporary: after every kill a plain rerun leaves the tree an undisturbed
// run leaves. So no original is lost (each is in place or in its date's
// archive, with its bytes), none is archived twice, no directory or
// temporary is left behind, and the killed run's lock does not block the
// rerun. HAUL_KILL_TEST_CLEANUP_KILLS and HAUL_KILL_TEST_SEED override.

#include <gtest/gtest.h>
#include <signal.h>

#include <fmt/format.h>

#include <iostream>
#include <map>
#include <random>
#include <string>

#include "support/cleanup_workspace.hpp"
#include "support/kill_series.hpp"
#include "support/validate_workspace.hpp"
#include "util/sha256.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

#ifdef HAUL_TEST_SANITIZED
constexpr int kDefaultKills = 4;
#else
constexpr int kDefaultKills = 12;
#endif
constexpr int kDays = 49;  // 2026-02-11 .. 2026-03-31

constexpr const char* kRetention =
    R"({"retention":{"raw_days":10,"processed_days":20,"failed_days":30,"archive_days":365},)"
    R"("temp_files":{"max_age_hours":24}})";

std::string day_name(int day) {
  // Day 0 is 2026-03-31, the run's date; day 48 is 2026-02-11.
  static const int kMonthDays[] = {31, 28, 31};
  int month = 3, dom = 31 - day;
  while (dom < 1) dom += kMonthDays[--month - 1];
  return fmt::format("2026-{:02d}-{:02d}", month, dom);
}

// A listing file of a few hundred kB: enough work that kills land mid-archive.
std::string listings(const std::string& day, const std::string& area, std::uint32_t salt) {
  std::mt19937 random(salt);
  std::string text = "[";
  for (int i = 0; i < 600; ++i) {
    if (i) text += ",\n";
    text += fmt::format(
        R"({{"make":"Ford","model":"Model {}","price":{},"day":"{}","area":"{}","vin":"{:016x}"}})",
        random() % 97, 5000 + random() % 90000, day, area, random());
  }
  return text + "]\n";
}

void plant(const CleanupWorkspace& ws) {
  for (const char* top : {"raw", "processed", "failed", "archive", "state", "logs"}) {
    fs::remove_all(ws.root() / top);
  }
  std::uint32_t salt = 1;
  for (int day = 0; day < kDays; ++day) {
    const std::string date = day_name(day);
    for (const char* area : {"raw", "processed", "failed"}) {
      ws.add(fmt::format("{}/{}/vehicles/dealer_001.json", area, date), listings(date, area, salt++));
      ws.add(fmt::format("{}/{}/vehicles/meta.json", area, date), "{\"dealer\":{\"status\":\"ok\"}}\n");
    }
  }
  ws.add("archive/2025-01-01.tar.gz", "expired");
  const fs::path stale = ws.add("raw/2026-03-30/vehicles/.dealer_002.json.tmp-999999-1", "torn");
  CleanupWorkspace::age(stale, 48h);
}

// The data tree without what each run writes for itself (logs, state/):
// directories, each file's digest, and each archive's members' digests.
std::map<std::string, std::string> data_tree(const CleanupWorkspace& ws) {
  Sha256 sha256;
  std::map<std::string, std::string> tree;
  for (const auto& entry : fs::recursive_directory_iterator(ws.root())) {
    const std::string name = fs::relative(entry.path(), ws.root()).string();
    if (name.rfind("logs", 0) == 0 || name.rfind("state", 0) == 0) continue;
    if (entry.is_directory()) {
      tree[name] = "directory";
    } else if (name.rfind("archive/", 0) == 0 && name.size() > 7 &&
               name.compare(name.size() - 7, 7, ".tar.gz") == 0 && name != "archive/2025-01-01.tar.gz") {
      for (const auto& [member, bytes] : archive_members(entry.path())) {
        tree[name + " : " + member] = sha256.hex(bytes);
      }
    } else {
      tree[name] = sha256.hex(read_file(entry.path()));
    }
  }
  return tree;
}

TEST(CleanupKill, EveryKilledRunEndsAfterARerunLikeAnUndisturbedRun) {
  const int kills = static_cast<int>(env_number("HAUL_KILL_TEST_CLEANUP_KILLS", kDefaultKills));
  const auto seed = static_cast<std::uint32_t>(env_number("HAUL_KILL_TEST_SEED", 8));
  CleanupWorkspace ws;
  ws.write_config(kRetention);

  plant(ws);
  const auto planted = data_tree(ws);
  ProcessResult undisturbed = ws.run({"-q"});
  ASSERT_TRUE(ExitedWith(undisturbed, 0));
  const auto reference = data_tree(ws);
  // The run did each kind of work: archived (and removed) old dates, deleted
  // the expired archive, swept the stale temporary.
  ASSERT_EQ(reference.count("raw/" + day_name(11)), 0u);
  ASSERT_EQ(reference.count("archive/" + day_name(40) + ".tar.gz : failed/" + day_name(40) +
                            "/vehicles/dealer_001.json"),
            1u);
  ASSERT_EQ(reference.count("archive/2025-01-01.tar.gz"), 0u);
  ASSERT_EQ(reference.count("raw/2026-03-30/vehicles/.dealer_002.json.tmp-999999-1"), 0u);
  ASSERT_NE(planted, reference);
  std::cout << "[ kill test ] cleanup, " << kills << " kills, seed " << seed
            << ", undisturbed run " << undisturbed.elapsed.count() << " s\n";

  const KillSeries series = run_kill_series(
      ws.command({"-q"}), undisturbed.elapsed, kills, seed, [&] { plant(ws); },
      [&](int, const ProcessResult& killed, const std::string& where) {
        SCOPED_TRACE(where);
        EXPECT_FALSE(killed.timed_out);
        if (killed.term_signal != SIGKILL) {
          EXPECT_TRUE(ExitedWith(killed, 0));
        }
        ProcessResult rerun = ws.run({"-q"});
        EXPECT_TRUE(ExitedWith(rerun, 0));
        EXPECT_EQ(data_tree(ws), reference);
        EXPECT_EQ(hidden_files_under(ws.root() / "archive"), std::vector<fs::path>{});
        return !HasFailure();
      });
  if (HasFailure()) return;
  std::cout << "[ kill test ] " << series.killed << " of " << kills << " runs killed mid-way\n";
  EXPECT_GE(series.killed, kills / 2);
}

}  // namespace
}  // namespace haul::testing
