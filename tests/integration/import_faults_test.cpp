// haul-import when the database goes away under it (import_restart_test has
// the server restarted mid-import): its connection terminated by an
// administrator (pg_terminate_backend) is retried and the import completes
// with every record once; a server that stays down ends the run with 69
// after the bounded retries, the records not loaded in retry_queue.jsonl and
// the rows already there untouched; once the server is back the rerun loads
// everything, nothing twice. And import's own files under a file-size limit:
// a retry queue that cannot be written is 73 naming it, the previous one
// stays, and the rerun loads everything.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "support/exit_codes.hpp"
#include "support/import_workspace.hpp"
#include "support/json_doc.hpp"
#include "support/kill_series.hpp"
#include "support/private_cluster.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"
#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace {

#ifdef HAUL_TEST_SANITIZED
constexpr int kRecords = 6000;
#else
constexpr int kRecords = 20000;
#endif

std::vector<std::string> records(int count, int price = 20000) {
  std::vector<std::string> lines;
  lines.reserve(count);
  for (int i = 1; i <= count; ++i) lines.push_back(vehicle_record(i, price));
  return lines;
}

std::uint64_t detail(const ProcessResult& result, const char* name) {
  return JsonDoc(result.out).uint64(std::string("/partitions/0/details/") + name).value_or(999999);
}

TEST(ImportFaults, TheImportersConnectionTerminatedMidImportLosesAndDoublesNothing) {
  HAUL_SKIP_WITHOUT_DATABASE();
  TestDatabase db;
  ImportWorkspace ws(db.conninfo());
  ws.write_input(records(kRecords));
  ASSERT_TRUE(ExitedWith(ws.run({"--migrate-only"}), 0));

  BackgroundProcess import(ws.command({"--chunk-size", "200", "--retry-base-ms", "50",
                                       "--retry-cap-ms", "200", "--retry-attempts", "8", "--json"}));
  ASSERT_NE(db.wait_for_rows("vehicles"), "0");
  const std::string terminated = db.scalar(
      "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid()) t");
  ProcessResult result = import.wait();
  ASSERT_TRUE(ExitedWith(result, 0));
  ASSERT_NE(terminated, "0") << "the import had no connection left to terminate";
  EXPECT_GE(detail(result, "retries"), 1u) << result.err;
  EXPECT_NE(result.err.find("reconnected"), std::string::npos) << result.err;
  EXPECT_EQ(db.scalar("SELECT count(*) FROM vehicles"), std::to_string(kRecords));
  EXPECT_EQ(db.scalar("SELECT count(DISTINCT stock_number) FROM vehicles"), std::to_string(kRecords));
  EXPECT_EQ(detail(result, "inserted") + detail(result, "unchanged"),
            static_cast<std::uint64_t>(kRecords));
  EXPECT_EQ(detail(result, "queued_for_retry"), 0u);
  EXPECT_EQ(read_file(ws.retry_queue()), "");
}

TEST(ImportFaults, AServerThatStaysDownIs69AfterBoundedRetriesAndTheRerunLoadsEverythingOnce) {
  PrivateCluster cluster;
  if (!cluster.available()) GTEST_SKIP() << "skipped: " << cluster.why_unavailable();
  TestDatabase db(cluster.conninfo());
  ImportWorkspace ws(db.conninfo());
  ws.write_input(records(kRecords));
  ASSERT_TRUE(ExitedWith(ws.run({"--migrate-only"}), 0));

  // Three attempts a chunk, at most 0.2 s apart: the stop outlasts them.
  Command command = ws.command({"--chunk-size", "200", "--retry-base-ms", "100", "--retry-cap-ms",
                                "200", "--retry-attempts", "3", "--json"});
  BackgroundProcess import(command);
  ASSERT_NE(db.wait_for_rows("vehicles"), "0");
  ASSERT_TRUE(cluster.stop());
  ProcessResult down = import.wait();
  ASSERT_TRUE(ExitedWith(down, kUnavailable));
  EXPECT_LT(down.elapsed.count(), 30);
  EXPECT_NE(down.err.find("giving up after 3 attempts"), std::string::npos) << down.err;
  EXPECT_NE(down.err.find("retry_queue.jsonl"), std::string::npos) << down.err;
  const std::uint64_t queued = detail(down, "queued_for_retry");
  const std::uint64_t landed = detail(down, "inserted");
  EXPECT_GT(queued, 0u);
  EXPECT_GT(landed, 0u);
  // Conservation while down: every record landed or waits in the queue.
  EXPECT_EQ(landed + queued + detail(down, "unchanged"), static_cast<std::uint64_t>(kRecords))
      << down.out;
  const std::string queue = read_file(ws.retry_queue());
  EXPECT_EQ(static_cast<std::uint64_t>(std::count(queue.begin(), queue.end(), '\n')), queued);

  ASSERT_TRUE(cluster.start());
  // What landed before the stop is still there, once.
  EXPECT_EQ(db.scalar("SELECT count(*) FROM vehicles"), std::to_string(landed));
  ProcessResult rerun = run_process(ws.command({"--json"}));
  ASSERT_TRUE(ExitedWith(rerun, 0));
  EXPECT_EQ(db.scalar("SELECT count(*) FROM vehicles"), std::to_string(kRecords));
  EXPECT_EQ(db.scalar("SELECT count(DISTINCT stock_number) FROM vehicles"), std::to_string(kRecords));
  EXPECT_EQ(detail(rerun, "inserted"), static_cast<std::uint64_t>(kRecords) - landed);
  EXPECT_EQ(detail(rerun, "unchanged"), landed);
  EXPECT_EQ(read_file(ws.retry_queue()), "");
}

TEST(ImportFaults, AFileSizeLimitOnItsOwnFilesIs73AndLeavesThePreviousOnes) {
  HAUL_SKIP_WITHOUT_DATABASE();
  TestDatabase db;
  ImportWorkspace ws(db.conninfo());
  ASSERT_TRUE(ExitedWith(ws.run({"--migrate-only"}), kOk));
  TempDir nowhere;
  const std::string down = unreachable_conninfo(nowhere.path());

  // A first run against a server that is down queues a few records.
  ws.write_input(records(5));
  ws.set_conninfo(down);
  ASSERT_TRUE(ExitedWith(ws.run({"--retry-attempts", "1"}), kUnavailable));
  const std::string small_queue = read_file(ws.retry_queue());
  ASSERT_NE(small_queue, "");

  // All of them, under a 256 KiB limit: the queue (MBs) cannot be written.
  ws.write_input(records(kRecords));
  ProcessResult hit = run_process(with_file_size_limit(ws.command({"--retry-attempts", "1"}), 256));
  EXPECT_TRUE(ExitedWith(hit, kCantCreate));
  EXPECT_NE(hit.err.find(ws.retry_queue().string()), std::string::npos) << hit.err;
  EXPECT_NE(hit.err.find("File too large"), std::string::npos) << hit.err;
  EXPECT_EQ(read_file(ws.retry_queue()), small_queue) << "the previous queue was replaced";
  EXPECT_EQ(hidden_files_under(ws.failed_dir()), std::vector<std::filesystem::path>{});

  // With the server and without the limit, every record lands once.
  ws.set_conninfo(db.conninfo());
  ProcessResult rerun = run_process(ws.command({"--json"}));
  ASSERT_TRUE(ExitedWith(rerun, kOk));
  EXPECT_EQ(db.scalar("SELECT count(DISTINCT stock_number) FROM vehicles"), std::to_string(kRecords));
  EXPECT_EQ(db.scalar("SELECT count(*) FROM vehicles"), std::to_string(kRecords));
  EXPECT_EQ(read_file(ws.retry_queue()), "");
}

}  // namespace
}  // namespace haul::testing
