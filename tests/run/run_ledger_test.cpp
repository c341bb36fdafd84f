#include "run/run_ledger.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "support/temp_dir.hpp"

namespace haul::run {
namespace {

using haul::testing::read_file;
using haul::testing::TempDir;

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

}  // namespace
}  // namespace haul::run
