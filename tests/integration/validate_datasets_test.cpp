// haul-validate on the two real scraped datasets in ../shared/datasets
// (Kijiji Toronto, a JSON array; Autolist US, NDJSON), with the repository's
// configuration. The expectations are computed here from the datasets
// themselves, with simdjson, not copied from a previous run, so the test
// checks the stage against the data rather than against itself.
//
// Skipped when ../shared (or $HAUL_SHARED_DIR) is not there.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/json_doc.hpp"
#include "support/temp_dir.hpp"
#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kKijijiRecords = 3145;
constexpr std::uint64_t kAutolistRecords = 4019;
// The vehicles schema's price_out_of_range rule.
constexpr double kMinPrice = 1000, kMaxPrice = 10000000;


// "$25,998" -> 25998, "18990" -> 18990; nullopt for anything else.
std::optional<double> scraped_price(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c == '$' || c == ',') continue;
    if ((c < '0' || c > '9') && c != '.') return std::nullopt;
    digits += c;
  }
  if (digits.empty()) return std::nullopt;
  return std::strtod(digits.c_str(), nullptr);
}

// What the test knows about the raw datasets, from reading them itself.
struct DatasetFacts {
  std::uint64_t kijiji_records = 0;
  std::uint64_t kijiji_zero_prices = 0;
  std::uint64_t kijiji_prices_out_of_range = 0;  // zero included
  std::vector<std::string> autolist_prices;      // by raw index, as scraped
};

DatasetFacts read_datasets(const fs::path& kijiji, const fs::path& autolist) {
  DatasetFacts facts;
  simdjson::dom::parser parser;
  for (simdjson::dom::element record : parser.load(kijiji.string()).get_array()) {
    ++facts.kijiji_records;
    std::string_view price;
    if (record["list_price"].get(price)) continue;
    if (price == "0") ++facts.kijiji_zero_prices;
    auto value = scraped_price(price);
    if (value && (*value < kMinPrice || *value > kMaxPrice)) ++facts.kijiji_prices_out_of_range;
  }
  for (const std::string& line : read_lines(autolist)) {
    if (line.empty()) continue;
    JsonDoc record(line);
    facts.autolist_prices.push_back(record.str("/price").value_or(""));
  }
  return facts;
}

TEST(ValidateDatasets, KijijiAndAutolistAreConservedWithTheirKnownMess) {
  const fs::path kijiji = shared_datasets_dir() / "kijiji_gta_2019.json";
  const fs::path autolist = shared_datasets_dir() / "autolist_us_2019.jsonl";
  if (!fs::exists(kijiji) || !fs::exists(autolist)) {
    GTEST_SKIP() << "skipped: ../shared not present";
  }
  const DatasetFacts facts = read_datasets(kijiji, autolist);
  ASSERT_EQ(facts.kijiji_records, kKijijiRecords);
  ASSERT_EQ(facts.autolist_prices.size(), kAutolistRecords);

  ValidateWorkspace ws;
  ws.add_raw("kijiji-gta_001.json", read_file(kijiji));
  ws.add_raw("autolist-us_001.jsonl", read_file(autolist));
  auto result = ws.run({"--json"});
  ASSERT_TRUE(ExitedWith(result, 0));

  // Conservation, from the report and by counting output lines.
  JsonDoc report(read_file(ws.report()));
  const std::uint64_t in = report.uint64("/records_in").value_or(0);
  const std::uint64_t valid = report.uint64("/valid").value_or(0);
  const std::uint64_t rejected = report.uint64("/rejected").value_or(0);
  EXPECT_EQ(in, kKijijiRecords + kAutolistRecords);
  EXPECT_EQ(valid + rejected, in);
  auto valid_lines = read_jsonl(ws.validated());
  auto failed_lines = read_jsonl(ws.errors());
  EXPECT_EQ(valid_lines.size(), valid);
  EXPECT_EQ(failed_lines.size(), rejected);
  EXPECT_EQ(report.uint64("/files_rejected"), 0u);

  // Kijiji's zero (and other sub-$1000) prices are rejected by the price
  // rule, each exactly once.
  std::map<std::string, std::map<std::string, std::uint64_t>> codes_by_source;
  std::uint64_t zero_price_rejections = 0;
  for (const auto& line : failed_lines) {
    std::string source = line->str("/_meta/source").value_or("?");
    for (simdjson::dom::element error : simdjson::dom::array(*line->at("/errors"))) {
      std::string code{std::string_view(error["code"])};
      ++codes_by_source[source][code];
      if (source == "kijiji-gta" && code == "price_out_of_range" &&
          line->str("/record/list_price") == "0") {
        ++zero_price_rejections;
      }
    }
  }
  EXPECT_EQ(zero_price_rejections, facts.kijiji_zero_prices);
  EXPECT_EQ(codes_by_source["kijiji-gta"]["price_out_of_range"], facts.kijiji_prices_out_of_range);

  // Autolist's "$25,998" prices come out as numbers, the scraped value's.
  std::uint64_t autolist_valid = 0;
  for (const auto& line : valid_lines) {
    if (line->str("/_meta/source") != "autolist-us") continue;
    ++autolist_valid;
    auto index = line->uint64("/_meta/raw_index").value_or(~0ull);
    ASSERT_LT(index, facts.autolist_prices.size());
    const std::string& scraped = facts.autolist_prices[index];
    auto price = line->number("/price");
    ASSERT_TRUE(price) << "autolist record " << index << ": price " << scraped
                       << " is not a number in validated.jsonl";
    EXPECT_EQ(price, scraped_price(scraped)) << "autolist record " << index;
  }
  EXPECT_GT(autolist_valid, 0u);
  // The first Autolist listing, for the record.
  EXPECT_EQ(facts.autolist_prices[0], "$25,998");
  for (const auto& line : valid_lines) {
    if (line->str("/_meta/raw_file") == "raw/2026-11-23/vehicles/autolist-us_001.jsonl" &&
        line->uint64("/_meta/raw_index") == 0u) {
      EXPECT_EQ(line->int64("/price"), 25998);
      EXPECT_EQ(line->int64("/mileage"), 44190);
    }
  }
  // Kijiji's "null" and empty VINs are gone, not passed on as text.
  for (const auto& line : valid_lines) {
    auto vin = line->str("/vin");
    EXPECT_TRUE(!vin || (*vin != "null" && !vin->empty())) << *vin;
  }

  // The figures, for the lead to quote.
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> by_source;  // valid, rejected
  for (const auto& line : valid_lines) ++by_source[line->str("/_meta/source").value_or("?")].first;
  for (const auto& line : failed_lines) {
    ++by_source[line->str("/_meta/source").value_or("?")].second;
  }
  std::cout << "[ datasets ] in " << in << ", valid " << valid << ", rejected " << rejected
            << "; kijiji prices \"0\": " << facts.kijiji_zero_prices
            << ", below 1000 or above 10000000 (zero included): "
            << facts.kijiji_prices_out_of_range << "\n";
  for (const auto& [source, counts] : by_source) {
    std::vector<std::pair<std::string, std::uint64_t>> top(codes_by_source[source].begin(),
                                                           codes_by_source[source].end());
    std::sort(top.begin(), top.end(),
              [](const auto& a, const auto& b) { return a.second > b.second; });
    std::cout << "[ datasets ] " << source << ": valid " << counts.first << ", rejected "
              << counts.second << "; errors:";
    for (const auto& [code, count] : top) std::cout << " " << code << "=" << count;
    if (top.empty()) std::cout << " none";
    std::cout << "\n";
  }
}

}  // namespace
}  // namespace haul::testing
