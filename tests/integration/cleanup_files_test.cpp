// haul-cleanup on real files: retention archives exactly the dates older
// than N days (relative to --date), the archives hold the originals byte for
// byte (read back with libarchive here), originals go only after a verified
// archive, a damaged or unwritable archive keeps them, expired archives go,
// stale temporaries go and fresh ones stay, abandoned runs are closed and
// their locks released, --dry-run changes nothing, and a second run has
// nothing left to do.

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <map>

#include "run/instance_lock.hpp"
#include "run/run_ledger.hpp"
#include "support/cleanup_workspace.hpp"
#include "support/json_doc.hpp"
#include "support/validate_workspace.hpp"
#include "util/clock.hpp"
#include "util/process_liveness.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;


// The tree without what any run of a stage writes for itself: its log lines
// and its own lock file.
std::map<std::string, std::string> data_snapshot(const CleanupWorkspace& ws) {
  auto tree = ws.snapshot();
  for (auto it = tree.begin(); it != tree.end();) {
    const bool own = it->first.rfind("logs", 0) == 0 || it->first.rfind("state/locks/cleanup.", 0) == 0 ||
                     it->first == "state/locks" || it->first == "state";
    it = own ? tree.erase(it) : std::next(it);
  }
  return tree;
}

std::string date_files(const CleanupWorkspace& ws, const std::string& area, const std::string& day) {
  ws.add(area + "/" + day + "/vehicles/src_001.json", "[{\"make\":\"Ford\",\"day\":\"" + day + "\"}]\n");
  ws.add(area + "/" + day + "/vehicles/meta.json", "{\"src\":{\"status\":\"ok\"}}\n");
  return area + "/" + day + "/vehicles/src_001.json";
}

constexpr const char* kRawOnly =
    R"({"retention":{"raw_days":10,"processed_days":null,"failed_days":null,"archive_days":365}})";

TEST(CleanupFiles, RetentionArchivesOnlyDatesOlderThanTheLimit) {
  CleanupWorkspace ws;
  ws.write_config(kRawOnly);
  // --date 2026-03-31, raw_days 10: 03-20 is 11 days old (due), 03-21 is 10 (kept).
  for (const char* day : {"2026-03-01", "2026-03-20", "2026-03-21", "2026-03-31"}) {
    date_files(ws, "raw", day);
  }
  date_files(ws, "processed", "2026-03-01");  // processed keeps forever here
  ws.add("raw/not-a-date/x.json", "{}\n");
  std::map<std::string, std::string> before;
  for (const char* day : {"2026-03-01", "2026-03-20"}) {
    for (const char* file : {"src_001.json", "meta.json"}) {
      const std::string name = std::string("raw/") + day + "/vehicles/" + file;
      before[name] = read_file(ws.root() / name);
    }
  }

  ProcessResult r = ws.run({"--json"});
  ASSERT_TRUE(ExitedWith(r, 0));
  JsonDoc summary(r.out);
  EXPECT_EQ(summary.str("/partitions/0/type"), "all");
  EXPECT_EQ(summary.uint64("/partitions/0/details/actions/archive/count"), 4u);

  for (const char* day : {"2026-03-01", "2026-03-20"}) {
    EXPECT_FALSE(fs::exists(ws.root() / "raw" / day)) << day;
    auto members = archive_members(ws.root() / "archive" / (std::string(day) + ".tar.gz"));
    ASSERT_EQ(members.size(), 2u) << day;
    for (const char* file : {"src_001.json", "meta.json"}) {
      const std::string name = std::string("raw/") + day + "/vehicles/" + file;
      EXPECT_EQ(members[name], before[name]) << name;
    }
  }
  for (const char* day : {"2026-03-21", "2026-03-31"}) {
    EXPECT_TRUE(fs::exists(ws.root() / "raw" / day / "vehicles/src_001.json")) << day;
    EXPECT_FALSE(fs::exists(ws.root() / "archive" / (std::string(day) + ".tar.gz"))) << day;
  }
  EXPECT_TRUE(fs::exists(ws.root() / "processed/2026-03-01/vehicles/src_001.json"));
  EXPECT_TRUE(fs::exists(ws.root() / "raw/not-a-date/x.json"));
  EXPECT_TRUE(fs::exists(ws.root() / "raw"));  // only the date directories go
  EXPECT_TRUE(hidden_files_under(ws.root() / "archive").empty());

  // The report, and the ledger entry every stage leaves.
  JsonDoc report(read_file(ws.root() / "state/cleanup/2026-03-31.json"));
  EXPECT_EQ(report.uint64("/details/actions/archive/count"), 4u);
  EXPECT_EQ(report.str("/details/actions/archive/subjects/0"), "raw/2026-03-01/vehicles/meta.json");
  auto ledger = read_jsonl(ws.root() / "state/runs.jsonl");
  ASSERT_EQ(ledger.size(), 2u);
  EXPECT_EQ(ledger[1]->str("/stage"), "cleanup");
  EXPECT_EQ(ledger[1]->str("/status"), "completed");
  EXPECT_EQ(ledger[1]->uint64("/counts/out"), 4u);

  // Nothing is left to do the second time.
  r = ws.run({"--json"});
  ASSERT_TRUE(ExitedWith(r, 0));
  JsonDoc again(r.out);
  EXPECT_EQ(again.size("/partitions/0/details/actions"), 0u) << r.out;
}

TEST(CleanupFiles, LaterAreasMergeIntoTheDatesArchive) {
  CleanupWorkspace ws;
  ws.write_config(kRawOnly);
  const std::string raw = date_files(ws, "raw", "2026-03-01");
  const std::string processed = date_files(ws, "processed", "2026-03-01");
  const std::string processed_bytes = read_file(ws.root() / processed);
  ASSERT_TRUE(ExitedWith(ws.run(), 0));
  ASSERT_EQ(archive_members(ws.root() / "archive/2026-03-01.tar.gz").size(), 2u);

  ws.write_config(R"({"retention":{"raw_days":10,"processed_days":20}})");
  ASSERT_TRUE(ExitedWith(ws.run(), 0));
  auto members = archive_members(ws.root() / "archive/2026-03-01.tar.gz");
  EXPECT_EQ(members.size(), 4u);
  EXPECT_EQ(members.count(raw), 1u);
  EXPECT_EQ(members[processed], processed_bytes);
  EXPECT_FALSE(fs::exists(ws.root() / "processed/2026-03-01"));
}

TEST(CleanupFiles, ADamagedArchiveKeepsTheOriginalsAndNamesTheFile) {
  CleanupWorkspace ws;
  ws.write_config(kRawOnly);
  const std::string raw = date_files(ws, "raw", "2026-03-01");
  date_files(ws, "raw", "2026-03-02");
  const fs::path damaged = ws.add("archive/2026-03-01.tar.gz", "this is not a gzip stream");

  ProcessResult r = ws.run();
  EXPECT_TRUE(ExitedWith(r, 73));
  EXPECT_NE(r.err.find(damaged.string()), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(ws.root() / raw));
  EXPECT_EQ(read_file(damaged), "this is not a gzip stream");
  EXPECT_TRUE(hidden_files_under(ws.root() / "archive").empty());
  // The other date went on regardless.
  EXPECT_FALSE(fs::exists(ws.root() / "raw/2026-03-02"));
  EXPECT_EQ(archive_members(ws.root() / "archive/2026-03-02.tar.gz").size(), 2u);
  auto ledger = read_jsonl(ws.root() / "state/runs.jsonl");
  EXPECT_EQ(ledger.back()->str("/status"), "failed");
}

TEST(CleanupFiles, AnArchiveThatCannotBeWrittenKeepsTheOriginals) {
  CleanupWorkspace ws;
  ws.write_config(kRawOnly);
  const std::string raw = date_files(ws, "raw", "2026-03-01");
  ws.add("archive", "a file where the archive directory should be");
  ProcessResult r = ws.run();
  EXPECT_TRUE(ExitedWith(r, 73));
  EXPECT_NE(r.err.find("archive"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(ws.root() / raw));
  EXPECT_TRUE(fs::exists(ws.root() / "raw/2026-03-01/vehicles/meta.json"));
}

TEST(CleanupFiles, ADateInUseIsLeftAlone) {
  CleanupWorkspace ws;
  ws.write_config(kRawOnly);
  const std::string raw = date_files(ws, "raw", "2026-03-01");
  std::unique_ptr<run::InstanceLock> lock;
  ASSERT_TRUE(run::InstanceLock::acquire(ws.root() / "state/locks", "validate", "2026-03-01",
                                         "vehicles", lock)
                  .is_ok());
  ProcessResult r = ws.run({"--json"});
  ASSERT_TRUE(ExitedWith(r, 0));
  EXPECT_TRUE(fs::exists(ws.root() / raw));
  EXPECT_FALSE(fs::exists(ws.root() / "archive/2026-03-01.tar.gz"));
  JsonDoc summary(r.out);
  EXPECT_EQ(summary.str("/partitions/0/details/kept/0/subject"), "2026-03-01");
}

TEST(CleanupFiles, ExpiredArchivesAreDeleted) {
  CleanupWorkspace ws;
  ws.write_config(R"({"retention":{"archive_days":365}})");
  // 2025-03-30 is 366 days before 2026-03-31, 2025-03-31 exactly 365.
  ws.add("archive/2025-03-30.tar.gz", "old");
  ws.add("archive/2025-03-31.tar.gz", "kept");
  ws.add("archive/notes.txt", "not an archive");
  ASSERT_TRUE(ExitedWith(ws.run(), 0));
  EXPECT_FALSE(fs::exists(ws.root() / "archive/2025-03-30.tar.gz"));
  EXPECT_TRUE(fs::exists(ws.root() / "archive/2025-03-31.tar.gz"));
  EXPECT_TRUE(fs::exists(ws.root() / "archive/notes.txt"));
}

TEST(CleanupFiles, StaleTemporariesGoAndFreshOnesStay) {
  CleanupWorkspace ws;
  ws.write_config(R"({"retention":{"raw_days":null},"temp_files":{"max_age_hours":24}})");
  const fs::path stale = ws.add("processed/2026-03-30/vehicles/.validated.jsonl.tmp-4000000-0", "x");
  const fs::path stale_deep = ws.add("state/http_cache/src/ab/.entry.tmp-4000001-3", "x");
  const fs::path fresh_dead = ws.add("processed/2026-03-30/vehicles/.deduped.jsonl.tmp-4000002-1", "x");
  const fs::path live = ws.add(
      "processed/2026-03-30/vehicles/.enriched.jsonl.tmp-" + std::to_string(::getpid()) + "-0", "x");
  const fs::path hidden = ws.add("raw/2026-03-30/vehicles/.keep", "not a temporary");
  CleanupWorkspace::age(stale, 25h);
  CleanupWorkspace::age(stale_deep, 48h);
  CleanupWorkspace::age(fresh_dead, 23h);
  CleanupWorkspace::age(hidden, 1000h);
  ASSERT_TRUE(ExitedWith(ws.run(), 0));
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_FALSE(fs::exists(stale_deep));
  EXPECT_TRUE(fs::exists(fresh_dead));
  EXPECT_TRUE(fs::exists(live));
  EXPECT_TRUE(fs::exists(hidden));
}

run::RunEntry running_entry(const std::string& run_id, long pid, const std::string& host,
                            const std::string& started_at) {
  run::RunEntry entry;
  entry.run_id = run_id;
  entry.stage = "dedup";
  entry.date = "2026-03-30";
  entry.type = "vehicles";
  entry.status = "running";
  entry.pid = pid;
  entry.host = host;
  entry.started_at = started_at;
  return entry;
}

std::string this_host() { return host_name(); }

TEST(CleanupFiles, RunsWhoseProcessIsGoneAreAbandonedAndTheirLocksReleased) {
  CleanupWorkspace ws;
  ws.write_config(R"({"runs":{"max_running_hours":24}})");
  const run::RunLedger ledger(ws.root() / "state/runs.jsonl");
  const fs::path locks = ws.root() / "state/locks";

  // A run whose process was killed, its lock file left behind.
  BackgroundProcess victim(Command{"/bin/sleep", {"60"}, {}, 2min});
  ASSERT_TRUE(ledger.append(running_entry("dead-run", victim.pid(), this_host(), utc_now())).is_ok());
  fs::create_directories(locks);
  write_file(run::InstanceLock::path_for(locks, "dedup", "2026-03-30", "vehicles"), "1\n");
  victim.kill(SIGKILL);
  victim.wait();

  // A live run holding its lock (this process), and one on another host
  // started two days ago.
  BackgroundProcess alive(Command{"/bin/sleep", {"60"}, {}, 2min});
  run::RunEntry live = running_entry("live-run", alive.pid(), this_host(), utc_now());
  live.type = "events";
  ASSERT_TRUE(ledger.append(live).is_ok());
  std::unique_ptr<run::InstanceLock> held;
  ASSERT_TRUE(run::InstanceLock::acquire(locks, "dedup", "2026-03-30", "events", held).is_ok());
  run::RunEntry far = running_entry(
      "old-run", 12345, "another-host",
      format_utc(std::chrono::system_clock::now() - 48h));
  far.type = "articles";
  ASSERT_TRUE(ledger.append(far).is_ok());
  // A finished run is none of cleanup's business.
  run::RunEntry done = running_entry("done-run", 1, this_host(), utc_now());
  ASSERT_TRUE(ledger.append(done).is_ok());
  done.status = "completed";
  done.ended_at = utc_now();
  ASSERT_TRUE(ledger.append(done).is_ok());

  ProcessResult r = ws.run({"--json"});
  ASSERT_TRUE(ExitedWith(r, 0));
  run::LedgerContents contents;
  ASSERT_TRUE(run::read_ledger(ws.root() / "state/runs.jsonl", contents).is_ok());
  std::map<std::string, run::RunEntry> latest;
  for (const run::RunEntry& entry : run::latest_by_run(contents.entries)) latest[entry.run_id] = entry;
  EXPECT_EQ(latest["dead-run"].status, "abandoned");
  EXPECT_NE(latest["dead-run"].error.find("is gone"), std::string::npos) << latest["dead-run"].error;
  EXPECT_FALSE(latest["dead-run"].ended_at.empty());
  EXPECT_EQ(latest["live-run"].status, "running");
  EXPECT_EQ(latest["old-run"].status, "abandoned");
  EXPECT_NE(latest["old-run"].error.find("more than 24 h"), std::string::npos);
  EXPECT_EQ(latest["done-run"].status, "completed");
  EXPECT_FALSE(fs::exists(run::InstanceLock::path_for(locks, "dedup", "2026-03-30", "vehicles")));
  EXPECT_TRUE(fs::exists(run::InstanceLock::path_for(locks, "dedup", "2026-03-30", "events")));
  EXPECT_TRUE(run::InstanceLock::held(run::InstanceLock::path_for(locks, "dedup", "2026-03-30", "events")));
  JsonDoc summary(r.out);
  EXPECT_EQ(summary.uint64("/partitions/0/details/actions/abandon_run/count"), 2u);
  EXPECT_EQ(summary.uint64("/partitions/0/details/actions/release_lock/count"), 1u);

  // Closed once: the second run finds nothing.
  const auto lines = read_lines(ws.root() / "state/runs.jsonl").size();
  r = ws.run({"--json"});
  ASSERT_TRUE(ExitedWith(r, 0));
  EXPECT_EQ(JsonDoc(r.out).uint64("/partitions/0/details/actions/abandon_run/count"), std::nullopt);
  EXPECT_EQ(read_lines(ws.root() / "state/runs.jsonl").size(), lines + 2);  // its own two
}

TEST(CleanupFiles, DryRunPrintsEveryActionAndChangesNothing) {
  CleanupWorkspace ws;
  ws.write_config(
      R"({"retention":{"raw_days":10,"processed_days":10,"failed_days":10,"archive_days":30}})");
  date_files(ws, "raw", "2026-03-01");
  date_files(ws, "processed", "2026-03-01");
  ws.add("failed/2026-03-02/vehicles/validation_errors.jsonl", "{\"errors\":[]}\n");
  date_files(ws, "raw", "2026-03-30");
  ws.add("archive/2026-01-01.tar.gz", "expired");
  const fs::path stale = ws.add("state/.runs.jsonl.tmp-4000000-0", "x");
  CleanupWorkspace::age(stale, 30h);
  BackgroundProcess victim(Command{"/bin/sleep", {"60"}, {}, 2min});
  const long gone_pid = victim.pid();
  victim.kill(SIGKILL);
  victim.wait();
  ASSERT_TRUE(run::RunLedger(ws.root() / "state/runs.jsonl")
                  .append(running_entry("dead-run", gone_pid, this_host(), utc_now()))
                  .is_ok());
  fs::create_directories(ws.root() / "state/locks");
  write_file(ws.root() / "state/locks/dedup.2026-03-30.vehicles.lock", "1\n");

  const auto before = data_snapshot(ws);
  ProcessResult r = ws.run({"--dry-run"});
  ASSERT_TRUE(ExitedWith(r, 0));
  EXPECT_EQ(data_snapshot(ws), before);
  for (const char* line : {
           "would archive raw/2026-03-01/vehicles/meta.json -> archive/2026-03-01.tar.gz",
           "would archive raw/2026-03-01/vehicles/src_001.json -> archive/2026-03-01.tar.gz",
           "would archive processed/2026-03-01/vehicles/src_001.json -> archive/2026-03-01.tar.gz",
           "would archive failed/2026-03-02/vehicles/validation_errors.jsonl -> archive/2026-03-02.tar.gz",
           "would delete_archive archive/2026-01-01.tar.gz",
           "would remove_temp state/.runs.jsonl.tmp-4000000-0",
           "would abandon_run dead-run",
           "would release_lock state/locks/dedup.2026-03-30.vehicles.lock",
       }) {
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
  }
  EXPECT_EQ(r.out.find("raw/2026-03-30"), std::string::npos) << r.out;

  // The real run does what the dry run said.
  ASSERT_TRUE(ExitedWith(ws.run(), 0));
  EXPECT_FALSE(fs::exists(ws.root() / "raw/2026-03-01"));
  EXPECT_EQ(archive_members(ws.root() / "archive/2026-03-01.tar.gz").size(), 4u);
  EXPECT_FALSE(fs::exists(ws.root() / "archive/2026-01-01.tar.gz"));
  EXPECT_FALSE(fs::exists(stale));
}

TEST(CleanupFiles, NoTypeOption) {
  CleanupWorkspace ws;
  EXPECT_TRUE(ExitedWith(ws.run({"--type", "vehicles"}), 64));
}

}  // namespace
}  // namespace haul::testing
