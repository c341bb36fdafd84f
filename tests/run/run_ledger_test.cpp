#include "run/run_ledger.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "support/temp_dir.hpp"

namespace haul::run {
namespace {

using haul::testing::read_file;
using haul::testing::TempDir;
using haul::testing::write_file;

RunEntry make_entry(std::string run_id, std::string status) {
  RunEntry entry;
  entry.run_id = std::move(run_id);
  entry.stage = "dedup";
  entry.date = "2026-02-03";
  entry.type = "vehicles";
  entry.status = std::move(status);
  entry.pid = 7;
  entry.host = "h";
  entry.started_at = "2026-02-03T01:00:00.000Z";
  return entry;
}

TEST(RunLedger, AppendsOneParseableLinePerEntry) {
  TempDir dir;
  RunLedger ledger(dir / "state" / "runs.jsonl");
  RunEntry entry;
  entry.run_id = "validate-1";
  entry.stage = "validate";
  entry.date = "2026-01-01";
  entry.type = "vehicles";
  entry.status = "running";
  entry.pid = 42;
  entry.host = "h";
  entry.started_at = "2026-01-01T00:00:00.000Z";
  ASSERT_TRUE(ledger.append(entry).is_ok());
  entry.status = "failed";
  entry.ended_at = "2026-01-01T00:00:01.000Z";
  entry.counts = {10, 7, 3};
  entry.exit_code = 73;
  entry.error = "disk \"full\"";
  ASSERT_TRUE(ledger.append(entry).is_ok());

  std::string text = read_file(ledger.path());
  simdjson::dom::parser parser;
  std::vector<std::string> statuses;
  for (auto doc : parser.parse_many(text)) {
    simdjson::dom::element line;
    ASSERT_FALSE(doc.get(line));
    EXPECT_EQ(std::string_view(line["run_id"]), "validate-1");
    statuses.emplace_back(std::string_view(line["status"]));
    if (statuses.size() == 2) {
      EXPECT_EQ(uint64_t(line["counts"]["rejected"]), 3u);
      EXPECT_EQ(int64_t(line["exit_code"]), 73);
      EXPECT_EQ(std::string_view(line["error"]), "disk \"full\"");
    } else {
      EXPECT_TRUE(line["ended_at"].error());
    }
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"running", "failed"}));
}

TEST(RunLedger, ReadsBackWhatWasAppended) {
  TempDir dir;
  RunLedger ledger(dir / "runs.jsonl");
  RunEntry running = make_entry("a", "running");
  ASSERT_TRUE(ledger.append(running).is_ok());
  RunEntry done = running;
  done.status = "completed";
  done.ended_at = "2026-02-03T01:00:02.500Z";
  done.duration_s = 2.5;
  done.counts = {100, 90, 10};
  done.skipped = true;
  done.exit_code = 65;
  done.error = "bad \"input\"";
  ASSERT_TRUE(ledger.append(done).is_ok());

  LedgerContents contents;
  ASSERT_TRUE(read_ledger(ledger.path(), contents).is_ok());
  ASSERT_EQ(contents.entries.size(), 2u);
  EXPECT_EQ(contents.malformed_lines, 0u);
  const RunEntry& read = contents.entries[1];
  EXPECT_EQ(read.run_id, "a");
  EXPECT_EQ(read.stage, "dedup");
  EXPECT_EQ(read.date, "2026-02-03");
  EXPECT_EQ(read.type, "vehicles");
  EXPECT_EQ(read.status, "completed");
  EXPECT_EQ(read.pid, 7);
  EXPECT_EQ(read.host, "h");
  EXPECT_EQ(read.started_at, "2026-02-03T01:00:00.000Z");
  EXPECT_EQ(read.ended_at, "2026-02-03T01:00:02.500Z");
  EXPECT_DOUBLE_EQ(read.duration_s, 2.5);
  EXPECT_EQ(read.counts.in, 100u);
  EXPECT_EQ(read.counts.out, 90u);
  EXPECT_EQ(read.counts.rejected, 10u);
  EXPECT_TRUE(read.skipped);
  EXPECT_EQ(read.exit_code, 65);
  EXPECT_EQ(read.error, "bad \"input\"");
  EXPECT_TRUE(contents.entries[0].ended_at.empty());
}

TEST(RunLedger, MissingFileIsAnEmptyLedger) {
  TempDir dir;
  LedgerContents contents;
  contents.malformed_lines = 3;
  ASSERT_TRUE(read_ledger(dir / "none.jsonl", contents).is_ok());
  EXPECT_TRUE(contents.entries.empty());
  EXPECT_EQ(contents.malformed_lines, 0u);
}

TEST(RunLedger, SkipsAndCountsLinesThatAreNotEntries) {
  TempDir dir;
  const auto path = dir / "runs.jsonl";
  write_file(path, to_json(make_entry("a", "running")) + "\n" +  // line 1
                       "\n" +                                      // blank: not counted
                       "{\"run_id\":\"b\",\"stage\":\"x\"}\n" +   // line 3: no date/status
                       "[1,2]\n" +                                 // line 4: not an object
                       to_json(make_entry("c", "running")) + "\n" +
                       R"({"run_id":"d","stage":"dedup","date":"2026-0)");  // torn last line
  LedgerContents contents;
  ASSERT_TRUE(read_ledger(path, contents).is_ok());
  ASSERT_EQ(contents.entries.size(), 2u);
  EXPECT_EQ(contents.entries[0].run_id, "a");
  EXPECT_EQ(contents.entries[1].run_id, "c");
  EXPECT_EQ(contents.malformed_lines, 3u);
  EXPECT_EQ(contents.first_malformed_line, 3u);
}

TEST(RunLedger, LatestByRunKeepsEachRunsLastStateInStartOrder) {
  std::vector<RunEntry> entries = {make_entry("a", "running"), make_entry("b", "running"),
                                   make_entry("a", "completed"), make_entry("c", "running"),
                                   make_entry("b", "abandoned")};
  std::vector<RunEntry> runs = latest_by_run(entries);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].run_id, "a");
  EXPECT_EQ(runs[0].status, "completed");
  EXPECT_EQ(runs[1].run_id, "b");
  EXPECT_EQ(runs[1].status, "abandoned");
  EXPECT_EQ(runs[2].run_id, "c");
  EXPECT_EQ(runs[2].status, "running");
}

}  // namespace
}  // namespace haul::run
