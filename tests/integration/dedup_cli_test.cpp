// haul-dedup run as cron would run it, on validated.jsonl files written by
// the test: exact repeats, relistings, aggregator copies, different cars that
// share make/model/year, broken lines, and the file contract (conservation,
// deterministic output, skip when up to date).

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/json_doc.hpp"
#include "support/temp_dir.hpp"
#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;

class DedupCli : public ::testing::Test {
 protected:
  ValidateWorkspace ws;

  void write_input(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    write_file(ws.validated(), text);
  }
  fs::path survivors() const { return ws.processed_dir() / "deduped.jsonl"; }
  fs::path duplicates() const { return ws.failed_dir() / "duplicates.jsonl"; }
  fs::path errors() const { return ws.failed_dir() / "dedup_errors.jsonl"; }
  fs::path report() const { return ws.processed_dir() / "dedup_report.json"; }
  ProcessResult dedup(std::vector<std::string> args = {}) const {
    return ws.run_tool("haul-dedup", args);
  }
};

// A canonical vehicle line as haul-validate writes it.
std::string vehicle(const std::string& fields, const std::string& source, int index) {
  return "{" + fields + R"(,"_meta":{"source":")" + source +
         R"(","type":"vehicles","raw_file":"raw/2026-11-23/vehicles/)" + source +
         R"(_001.json","raw_index":)" + std::to_string(index) + "}}";
}

std::set<std::string> field_values(const fs::path& path, const std::string& pointer) {
  std::set<std::string> out;
  for (const auto& line : read_lines(path)) out.insert(JsonDoc(line).str(pointer).value_or("?"));
  return out;
}

TEST_F(DedupCli, CollapsesRepeatsRelistingsAndAggregatorCopiesButNotLookalikes) {
  const std::string dealer = "demo-dealer", aggregator = "autolist-us";
  write_input({
      // 0: a dealer's Mustang; 1: the same line scraped twice (case and spacing differ).
      vehicle(R"("make":"Ford","model":"Mustang GT","year":1967,"price":45000,"mileage":80200,"locationCity":"Austin","stockNumber":"A-1","sourceName":"Demo Dealer","sourceUrl":"https://dealer.example.com/inventory/55001")", dealer, 0),
      vehicle(R"("make":"FORD","model":"mustang  gt","year":1967,"price":45000,"mileage":80200,"locationCity":"Austin","stockNumber":"A-1","sourceName":"Demo Dealer","sourceUrl":"https://dealer.example.com/inventory/55001")", dealer, 1),
      // 2: another 1967 Mustang GT in the same city: different price and mileage.
      vehicle(R"("make":"Ford","model":"Mustang GT","year":1967,"price":61000,"mileage":30500,"locationCity":"Austin","stockNumber":"A-2","sourceName":"Demo Dealer","sourceUrl":"https://dealer.example.com/inventory/55002")", dealer, 2),
      // 3: the aggregator's copy of 0: a typo in the model, price 1% up, its own URL.
      vehicle(R"("make":"Ford","model":"Mustnag GT","year":1967,"price":45450,"mileage":80200,"locationCity":"Austin","sourceName":"Autolist","sourceUrl":"https://www.autolist.example/listing/98765")", aggregator, 0),
      // 4, 5: two Corollas without stock numbers, different VINs, same price and mileage.
      vehicle(R"("make":"Toyota","model":"Corolla","year":2015,"price":12000,"mileage":90000,"vin":"2T1BURHE0FC123456","sourceName":"Demo Dealer","sourceUrl":"https://dealer.example.com/inventory/55003")", dealer, 3),
      vehicle(R"("make":"Toyota","model":"Corolla","year":2015,"price":12000,"mileage":90000,"vin":"2T1BURHE0FC654321","sourceName":"Demo Dealer","sourceUrl":"https://dealer.example.com/inventory/55004")", dealer, 4),
      // 6: the aggregator's copy of 5, found by its VIN although the price moved 8%.
      vehicle(R"("make":"Toyota","model":"Corolla LE","year":2015,"price":12960,"vin":"2T1BURHE0FC654321","sourceName":"Autolist","sourceUrl":"https://www.autolist.example/listing/11111")", aggregator, 1),
      // 7: no VIN, matches both Corollas equally: may join one of them, never both.
      vehicle(R"("make":"Toyota","model":"Corolla","year":2015,"price":12000,"mileage":90000,"sourceName":"Autolist","sourceUrl":"https://www.autolist.example/listing/22222")", aggregator, 2),
  });
  auto result = dedup({"--json"});
  ASSERT_TRUE(ExitedWith(result, 0));

  auto kept = read_lines(survivors());
  auto removed = read_lines(duplicates());
  EXPECT_EQ(kept.size() + removed.size(), 8u);  // conservation
  EXPECT_TRUE(read_lines(errors()).empty());
  // Survivors: the dealer's Mustang (0), the other Mustang (2), both Corollas (4, 5).
  EXPECT_EQ(kept.size(), 4u);
  std::set<std::string> kept_stock = field_values(survivors(), "/stockNumber");
  EXPECT_TRUE(kept_stock.count("A-1") && kept_stock.count("A-2"));
  EXPECT_EQ(field_values(survivors(), "/vin"),
            (std::set<std::string>{"2T1BURHE0FC123456", "2T1BURHE0FC654321", "?"}));

  std::map<std::string, std::string> rule_by_url;
  for (const auto& line : removed) {
    JsonDoc doc(line);
    rule_by_url[*doc.str("/record/sourceUrl")] = *doc.str("/rule");
    ASSERT_TRUE(doc.uint64("/cluster").has_value());
    ASSERT_TRUE(doc.str("/survivor/raw_file").has_value());
    ASSERT_TRUE(doc.number("/score").has_value());
    EXPECT_EQ(doc.str("/record/data_hash")->size(), 64u);
    if (*doc.str("/record/sourceName") == "Autolist") {
      EXPECT_EQ(doc.boolean("/cross_source"), true);
      EXPECT_EQ(doc.str("/survivor/source"), "demo-dealer");  // dealer over aggregator
    }
  }
  EXPECT_EQ(rule_by_url.at("https://dealer.example.com/inventory/55001"), "exact");
  EXPECT_EQ(rule_by_url.at("https://www.autolist.example/listing/98765"), "similar");
  EXPECT_EQ(rule_by_url.at("https://www.autolist.example/listing/11111"), "vin");
  EXPECT_EQ(rule_by_url.at("https://www.autolist.example/listing/22222"), "similar");

  JsonDoc summary(read_file(report()));
  EXPECT_EQ(summary.uint64("/records_in"), 8u);
  EXPECT_EQ(summary.uint64("/survivors"), 4u);
  EXPECT_EQ(summary.uint64("/exact_duplicates"), 1u);
  EXPECT_EQ(summary.uint64("/near_duplicates_by_rule/similar"), 2u);
  EXPECT_EQ(summary.uint64("/near_duplicates_by_rule/vin"), 1u);
  EXPECT_EQ(summary.uint64("/cross_source_duplicates"), 3u);
  EXPECT_GE(summary.uint64("/edges_refused_by_vin_conflict").value_or(0), 1u);
  // {0, 1, 3}, {5, 6} and 7 with one of the Corollas.
  EXPECT_EQ(summary.uint64("/clusters"), 3u);
  EXPECT_EQ(summary.uint64("/cluster_sizes/3"), 1u);
  EXPECT_EQ(summary.uint64("/largest_cluster/size"), 3u);
  EXPECT_GT(*summary.uint64("/pairs_compared"), 0u);
  EXPECT_LT(*summary.number("/reduction_ratio"), 1.0);
  EXPECT_NE(result.err.find("8 in, 4 kept, 4 duplicates"), std::string::npos) << result.err;
}

TEST_F(DedupCli, EveryRecordCarriesTheOriginalPipelinesDataHash) {
  write_input({vehicle(R"("make":"Ford","model":"Mustang","year":1967,"stockNumber":"A-100","sourceName":"Demo Dealer","sourceUrl":"https://d.example/x")", "demo-dealer", 0)});
  ASSERT_TRUE(ExitedWith(dedup(), 0));
  auto kept = read_lines(survivors());
  ASSERT_EQ(kept.size(), 1u);
  JsonDoc doc(kept[0]);
  // generateVehicleHash of the same record, computed with Node.js.
  EXPECT_EQ(doc.str("/data_hash"), "b2fda6a1735efe9aeebace79530d93ac99e8c82a4533ff6dca3010f70a29edcd");
  EXPECT_EQ(doc.str("/listing_key")->size(), 64u);
  EXPECT_EQ(doc.str("/content_hash")->size(), 64u);
  EXPECT_EQ(doc.str("/_meta/source"), "demo-dealer");  // the record is otherwise as it came
  EXPECT_EQ(doc.int64("/year"), 1967);
}

TEST_F(DedupCli, BrokenLinesAreRejectedWithTheirLineAndNothingIsLost) {
  std::string huge(2 << 20, 'x');
  write_file(ws.validated(),
             vehicle(R"("make":"Ford","model":"A","year":1930,"sourceName":"S","sourceUrl":"https://d.example/1")", "s", 0) + "\n" +
                 "{\"make\": \"Ford\", \"model\": \n" +           // torn line
                 "[1, 2, 3]\n" +                                 // not an object
                 "{\"make\":\"\xFF\xFE\",\"model\":\"bad\"}\n" +  // invalid UTF-8
                 "{\"description\":\"" + huge + "\"}\n" +        // over --max-record-bytes
                 vehicle(R"("make":"Ford","model":"B","year":1931,"sourceName":"S","sourceUrl":"https://d.example/2")", "s", 5) + "\n");
  auto result = dedup({"--max-record-bytes", "1048576"});
  ASSERT_TRUE(ExitedWith(result, 0));
  EXPECT_EQ(read_lines(survivors()).size(), 2u);
  auto rejected = read_lines(errors());
  ASSERT_EQ(rejected.size(), 4u);
  std::vector<std::string> codes;
  for (const auto& line : rejected) {
    JsonDoc doc(line);
    codes.push_back(doc.str("/error/code").value_or(""));
    EXPECT_TRUE(doc.uint64("/line").has_value());
    EXPECT_FALSE(doc.str("/error/message").value_or("").empty());
  }
  EXPECT_EQ(codes, (std::vector<std::string>{"invalid_json", "not_an_object", "invalid_json", "too_large"}));
  EXPECT_EQ(JsonDoc(read_lines(errors())[0]).uint64("/line"), 2u);
  JsonDoc summary(read_file(report()));
  EXPECT_EQ(summary.uint64("/records_in"), 6u);
  EXPECT_EQ(summary.uint64("/rejected"), 4u);
}

TEST_F(DedupCli, EmptyInputGivesEmptyOutputsAndMissingInputExits66) {
  ASSERT_TRUE(ExitedWith(dedup({"--type", "vehicles"}), 66));
  write_input({});
  ASSERT_TRUE(ExitedWith(dedup(), 0));
  EXPECT_TRUE(fs::exists(survivors()));
  EXPECT_TRUE(read_lines(survivors()).empty());
  EXPECT_EQ(JsonDoc(read_file(report())).uint64("/records_in"), 0u);
}

TEST_F(DedupCli, OutputIsByteIdenticalOnRerunAndSkippedWhenUpToDate) {
  std::vector<std::string> lines;
  for (int i = 0; i < 9000; ++i) {
    const int car = i % 3600;  // repeats and relistings of 3600 cars, several batches
    lines.push_back(vehicle("\"make\":\"Make" + std::to_string(car % 7) + "\",\"model\":\"Model " +
                                std::to_string(car) + (i % 5 == 0 ? "x" : "") + "\",\"year\":" +
                                std::to_string(1960 + car % 9) + ",\"price\":" +
                                std::to_string(10000 + car * 97 + (i % 3)) + ",\"mileage\":" +
                                std::to_string(50000 + car * 13) +
                                ",\"sourceName\":\"S\",\"sourceUrl\":\"https://d.example/" +
                                std::to_string(i) + "\"",
                            i % 2 ? "demo-dealer" : "autolist-us", i));
  }
  write_input(lines);
  ASSERT_TRUE(ExitedWith(dedup(), 0));
  const std::string first_kept = read_file(survivors()), first_removed = read_file(duplicates());
  EXPECT_FALSE(read_lines(duplicates()).empty());

  auto skipped = dedup();
  ASSERT_TRUE(ExitedWith(skipped, 0));
  EXPECT_NE(skipped.err.find("up to date"), std::string::npos) << skipped.err;

  for (const char* threads : {"1", "3"}) {
    ASSERT_TRUE(ExitedWith(dedup({"--force", "--threads", threads}), 0));
    EXPECT_EQ(read_file(survivors()), first_kept) << threads << " threads";
    EXPECT_EQ(read_file(duplicates()), first_removed) << threads << " threads";
  }
  EXPECT_TRUE(hidden_files_under(ws.root() / "processed").empty());
}

TEST_F(DedupCli, DryRunWritesNothing) {
  write_input({vehicle(R"("make":"Ford","model":"A","year":1930,"sourceName":"S","sourceUrl":"https://d.example/1")", "s", 0)});
  auto result = dedup({"--dry-run"});
  ASSERT_TRUE(ExitedWith(result, 0));
  EXPECT_FALSE(fs::exists(survivors()));
  EXPECT_FALSE(fs::exists(report()));
  EXPECT_NE(result.err.find("1 in, 1 kept"), std::string::npos) << result.err;
}

TEST_F(DedupCli, ABadConfigExits78NamingTheKey) {
  TempDir config;
  fs::copy(repo_config_dir(), config.path(), fs::copy_options::recursive);
  write_file(config / "dedup.json", R"({"vehicles": {"near": {"threshold": "high"}}})");
  ws.config_dir = config.path();
  write_input({});
  auto result = dedup();
  ASSERT_TRUE(ExitedWith(result, 78));
  EXPECT_NE(result.err.find("vehicles.near.threshold"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace haul::testing
