// haul-enrich run as cron would run it, on deduped.jsonl files written by the
// test: grades from the built-in and operator-written rules, market medians on
// a batch whose answers were worked out by hand, daily deals, image URLs, and
// the file contract (conservation, deterministic output, skip when up to
// date, dry run, fields it owns replaced rather than duplicated).

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "support/enrich_workspace.hpp"
#include "support/json_doc.hpp"
#include "support/temp_dir.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;

class EnrichCli : public ::testing::Test {
 protected:
  EnrichWorkspace ws;

  std::vector<std::string> enriched_lines() const { return read_lines(ws.enriched()); }
  JsonDoc enriched(std::size_t i) const {
    auto lines = enriched_lines();
    if (i >= lines.size()) throw std::runtime_error("no enriched line " + std::to_string(i));
    return JsonDoc(lines[i]);
  }
  JsonDoc report() const { return JsonDoc(read_file(ws.report())); }
};

// How often `key` appears as a top-level key of the JSON object `line`.
std::size_t top_level_keys(const std::string& line, std::string_view key) {
  JsonDoc doc(line);
  std::size_t n = 0;
  for (auto [k, v] : simdjson::dom::object(doc.root())) n += (k == key);
  return n;
}

TEST_F(EnrichCli, GradesWithTheBuiltInRules) {
  ws.write_input({car("Chevrolet", "Corvette", 1965, 60000),
                  car("Chevrolet", "Camaro", 1969, 40000), car("Ford", "F-100", 1956, 25000),
                  car("Toyota", "Camry", 2015, 15000), car("ford", "mustang", 2015, 20000)});
  ASSERT_TRUE(ExitedWith(ws.run(), 0));
  const char* expected[] = {"A+", "A", "A-", "B+", "B+"};
  ASSERT_EQ(enriched_lines().size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(enriched(i).str("/investmentGrade"), expected[i]) << i;
  }
  const JsonDoc r = report();
  EXPECT_EQ(r.uint64("/grades/A+"), 1u);
  EXPECT_EQ(r.uint64("/grades/B+"), 2u);
}

TEST_F(EnrichCli, ARuleAddedInConfigTakesEffectWithoutRecompiling) {
  ws.write_input({car("Ferrari", "250 GTO", 1962, 48000000), car("Ferrari", "Roma", 2021, 220000),
                  car("Toyota", "Camry", 2015, 15000), car("Buick", "Skylark", 1965, 9000)});
  ws.use_config(R"({"vehicles": {"grade": {"default": null, "rules": [
      {"grade": "S", "when": [{"field": "make", "equals_any": ["Ferrari"]},
                              {"field": "price", "at_least": 1000000}]},
      {"grade": "A+", "when": [{"fields": ["make", "model"], "contains_any": ["Ferrari"]}]},
      {"grade": "A-", "when": [{"field": "year", "between": [1950, 1970]}]}]}}})");
  ASSERT_TRUE(ExitedWith(ws.run(), 0));
  ASSERT_EQ(enriched_lines().size(), 4u);
  EXPECT_EQ(enriched(0).str("/investmentGrade"), "S");
  EXPECT_EQ(enriched(1).str("/investmentGrade"), "A+");
  // "default": null: no rule holds, no grade field at all.
  EXPECT_FALSE(enriched(2).has("/investmentGrade"));
  EXPECT_EQ(enriched(3).str("/investmentGrade"), "A-");
}

TEST_F(EnrichCli, EveryConfigErrorExits78NamingTheSetting) {
  ws.write_input({car("Ford", "F-100", 1956, 25000)});
  struct Case {
    const char* json;
    const char* names;
  } cases[] = {
      {R"({"vehicles": {"grade": {"rule": []}}})", "vehicles.grade.rule is not a known setting"},
      {R"({"vehicles": {"grade": {"rules": [{"grade": "A", "when": [
          {"field": "make", "equals_any": ["Ford"], "matches": "F"}]}]}}})",
       "vehicles.grade.rules[0].when[0]"},
      {R"({"vehicles": {"grade": {"rules": [{"grade": "A", "when": [
          {"field": "model", "matches": "[unclosed"}]}]}}})",
       "vehicles.grade.rules[0].when[0].matches"},
      {R"({"vehicles": {"grade": {"rules": [{"grade": "A", "when": [
          {"field": "year", "between": [1971, 1950]}]}]}}})",
       "vehicles.grade.rules[0].when[0].between"},
      {R"({"events": {"market": {}}})", "events.market is only for vehicles"},
  };
  for (const auto& c : cases) {
    ws.use_config(c.json);
    auto result = ws.run();
    EXPECT_TRUE(ExitedWith(result, 78)) << c.json;
    EXPECT_NE(result.err.find(c.names), std::string::npos) << result.err;
    EXPECT_FALSE(fs::exists(ws.enriched())) << c.json;
  }
}

// The hand-worked batch. Prices by year of the Civics (make/model spelled
// three ways, all one model): 2017 {12000}, 2018 {10000, 16000, 3000, -},
// 2019 {14000}, 2020 {30000}; window ±1, min_comparables 3.
std::vector<std::string> civic_batch() {
  return {
      // 0: 2017..2019 without itself {3000, 12000, 14000, 16000}: median 13000,
      //    -23.08% -> score clamp(50 + 57.7) = 100. Its image is on a private host.
      car("Honda", "Civic", 2018, 10000, R"("imageUrl":"http://127.0.0.1:8080/admin.jpg")"),
      // 1: 2016..2018 {3000, 10000, 16000}: median 10000, +20% -> score 0.
      car("Honda", "Civic", 2017, 12000, R"("imageUrl":"HTTPS://IMG.Example.COM:443/c/1.jpg#top")"),
      // 2: 2018..2020 {3000, 10000, 16000, 30000}: median 13000, +7.69% -> score 31.
      car("Honda", "Civic", 2019, 14000,
          R"("imageUrl":"https://dealer:hunter2-secret@img.example.com/c/2.jpg")"),
      // 3: {3000, 10000, 12000, 14000}: median 11000, +45.45% -> score 0.
      car("HONDA", "  civic ", 2018, 16000),
      // 4: 2019..2021 {14000}: one comparable, fewer than 3: no median.
      car("Honda", "Civic", 2020, 30000),
      // 5: {10000, 12000, 14000, 16000}: median 13000, -76.9%: below the
      //    60% limit, warned about and never a deal.
      car("honda", "CIVIC", 2018, 3000),
      // 6: no price: all five priced 2017..2019 listings, median 12000.
      car("Honda", "Civic", 2018, 0),
      // 7: alone in its model.
      car("Toyota", "Camry", 2015, 9000),
  };
}

TEST_F(EnrichCli, MarketMediansDealScoresAndDailyDealsOnAKnownBatch) {
  ws.write_input(civic_batch());
  auto result = ws.run({"--json"});
  ASSERT_TRUE(ExitedWith(result, 0));
  ASSERT_EQ(enriched_lines().size(), 8u);

  struct Expected {
    std::uint64_t comparables;
    std::optional<double> median, price_vs_market;
    std::optional<std::int64_t> score;
  } expected[] = {
      {4, 13000, -23.1, 100}, {3, 10000, 20.0, 0},    {4, 13000, 7.7, 31}, {4, 11000, 45.5, 0},
      {1, {}, {}, {}},        {4, 13000, -76.9, 100}, {5, 12000, {}, {}},  {0, {}, {}, {}},
  };
  for (std::size_t i = 0; i < 8; ++i) {
    SCOPED_TRACE("line " + std::to_string(i));
    const JsonDoc doc = enriched(i);
    EXPECT_EQ(doc.uint64("/market/comparables"), expected[i].comparables);
    EXPECT_EQ(doc.uint64("/market/batchComparables"), expected[i].comparables);
    EXPECT_EQ(doc.uint64("/market/databaseComparables"), 0u);
    EXPECT_EQ(doc.number("/market/median"), expected[i].median);
    EXPECT_EQ(doc.number("/market/priceVsMarket"), expected[i].price_vs_market);
    EXPECT_EQ(doc.int64("/market/dealScore"), expected[i].score);
  }
  // The listing far below the market is warned about.
  const JsonDoc far_below = enriched(5);
  ASSERT_EQ(far_below.size("/enrichWarnings"), 1u);
  EXPECT_EQ(far_below.str("/enrichWarnings/0/code"), "price_far_below_market");
  EXPECT_EQ(far_below.str("/enrichWarnings/0/field"), "price");

  // Deals: lowest price vs market first; line 5 excluded, line 4 has no median.
  const JsonDoc deals(read_file(ws.deals()));
  EXPECT_EQ(deals.str("/date"), "2026-11-23");
  ASSERT_EQ(deals.size("/deals"), 4u);
  const std::uint64_t order[] = {0, 2, 1, 3};
  for (std::size_t rank = 0; rank < 4; ++rank) {
    const std::string at = "/deals/" + std::to_string(rank);
    EXPECT_EQ(deals.int64(at + "/rank"), static_cast<std::int64_t>(rank + 1));
    EXPECT_EQ(deals.uint64(at + "/index"), order[rank]) << at;
  }
  EXPECT_EQ(deals.number("/deals/0/price"), 10000);
  EXPECT_EQ(deals.number("/deals/0/median"), 13000);
  EXPECT_EQ(deals.int64("/deals/0/dealScore"), 100);
  EXPECT_EQ(deals.str("/deals/0/make"), "Honda");
  // A refused image URL is not in the deal; a normalised one is.
  EXPECT_FALSE(deals.has("/deals/0/imageUrl"));
  EXPECT_FALSE(deals.has("/deals/1/imageUrl"));
  EXPECT_EQ(deals.str("/deals/2/imageUrl"), "https://img.example.com/c/1.jpg");

  const JsonDoc r = report();
  EXPECT_EQ(r.uint64("/market/listings"), 8u);
  EXPECT_EQ(r.uint64("/market/with_median"), 6u);
  EXPECT_EQ(r.uint64("/market/with_price_vs_market"), 5u);
  EXPECT_EQ(r.uint64("/market/top_deals"), 4u);
  EXPECT_EQ(r.str("/market/database"), "off");
  EXPECT_EQ(r.uint64("/market/database_queries"), 0u);
  EXPECT_EQ(r.uint64("/warnings_by_code/price_far_below_market"), 1u);
  EXPECT_EQ(r.uint64("/images/checked"), 3u);
  EXPECT_EQ(r.uint64("/images/normalised"), 1u);
  EXPECT_EQ(r.uint64("/images/refused"), 2u);
}

TEST_F(EnrichCli, MarketSettingsFromConfig) {
  ws.write_input(civic_batch());
  // Two deals only; any discount allowed; one comparable is enough.
  ws.use_config(R"({"vehicles": {"market": {"top_deals": 2, "max_discount_percent": 100,
      "min_comparables": 1, "score_per_percent": 1}}})");
  ASSERT_TRUE(ExitedWith(ws.run(), 0));
  EXPECT_EQ(enriched(4).number("/market/median"), 14000);  // now enough comparables
  EXPECT_EQ(enriched(4).number("/market/priceVsMarket"), 114.3);
  EXPECT_EQ(enriched(2).int64("/market/dealScore"), 42);  // 50 - 7.69
  EXPECT_FALSE(enriched(5).has("/enrichWarnings"));
  const JsonDoc deals(read_file(ws.deals()));
  ASSERT_EQ(deals.size("/deals"), 2u);
  EXPECT_EQ(deals.uint64("/deals/0/index"), 5u);  // -76.9%: allowed now, and the best
  EXPECT_EQ(deals.uint64("/deals/1/index"), 0u);

  ws.use_config(R"({"vehicles": {"market": {"enabled": false}}})");
  ASSERT_TRUE(ExitedWith(ws.run({"--force"}), 0));
  EXPECT_FALSE(enriched(0).has("/market"));
  EXPECT_EQ(enriched(0).str("/investmentGrade"), "B+");
}

TEST_F(EnrichCli, DealsTiedOnPriceVsMarketAreRankedByLine) {
  ws.write_input({car("Kia", "Rio", 2016, 12000), car("Kia", "Rio", 2016, 8000),
                  car("Kia", "Rio", 2016, 10000), car("Kia", "Rio", 2016, 8000),
                  car("Kia", "Rio", 2016, 10000)});
  ASSERT_TRUE(ExitedWith(ws.run(), 0));
  // Lines 1 and 3: {8000, 10000, 10000, 12000} -> median 10000, -20% each.
  const JsonDoc deals(read_file(ws.deals()));
  ASSERT_EQ(deals.size("/deals"), 5u);
  EXPECT_EQ(deals.uint64("/deals/0/index"), 1u);
  EXPECT_EQ(deals.uint64("/deals/1/index"), 3u);
  EXPECT_EQ(deals.number("/deals/0/priceVsMarket"), -20);
  EXPECT_EQ(deals.number("/deals/1/priceVsMarket"), -20);
  // Lines 2 and 4: median of {8000, 8000, 10000, 12000} = 9000, +11.1% each.
  EXPECT_EQ(deals.uint64("/deals/2/index"), 2u);
  EXPECT_EQ(deals.uint64("/deals/3/index"), 4u);
  EXPECT_EQ(deals.uint64("/deals/4/index"), 0u);
}

TEST_F(EnrichCli, RefusedImageUrlsMoveToWarningsAndPasswordsAppearNowhere) {
  ws.write_input(
      {car("Ford", "Focus", 2012, 8000,
           R"("imageUrl":"https://admin:hunter2-secret@img.example.com/f/1.jpg")"),
       car("Ford", "Focus", 2012, 8100, R"x("imageUrl":"javascript:alert(1)")x"),
       car("Ford", "Focus", 2012, 8200, R"("imageUrl":"  //cdn.example.com/f/3 b.jpg ")"),
       car("Ford", "Focus", 2012, 8300, R"("imageUrl":"https://cdn.example.com/f/4.jpg")")});
  auto result = ws.run({"--json"});
  ASSERT_TRUE(ExitedWith(result, 0));
  ASSERT_EQ(enriched_lines().size(), 4u);

  const JsonDoc first = enriched(0);
  EXPECT_FALSE(first.has("/imageUrl"));
  ASSERT_EQ(first.size("/enrichWarnings"), 1u);
  EXPECT_EQ(first.str("/enrichWarnings/0/code"), "image_url_credentials");
  EXPECT_EQ(first.str("/enrichWarnings/0/field"), "imageUrl");
  const std::string message = first.str("/enrichWarnings/0/message").value_or("");
  EXPECT_NE(message.find("https://img.example.com/f/1.jpg"), std::string::npos) << message;

  const JsonDoc second = enriched(1);
  EXPECT_FALSE(second.has("/imageUrl"));
  EXPECT_EQ(second.str("/enrichWarnings/0/code"), "image_url_bad_scheme");
  EXPECT_NE(second.str("/enrichWarnings/0/message").value_or("").find("javascript:alert(1)"),
            std::string::npos);

  EXPECT_EQ(enriched(2).str("/imageUrl"), "https://cdn.example.com/f/3%20b.jpg");
  EXPECT_FALSE(enriched(2).has("/enrichWarnings"));
  // An accepted URL already in canonical form: the line is the input plus the new fields.
  EXPECT_EQ(enriched(3).str("/imageUrl"), "https://cdn.example.com/f/4.jpg");
  EXPECT_EQ(enriched_lines()[3].rfind(
                car("Ford", "Focus", 2012, 8300, R"("imageUrl":"https://cdn.example.com/f/4.jpg")")
                    .substr(0, 60),
                0),
            0u);

  for (const fs::path& path : ws.vehicle_outputs()) {
    EXPECT_EQ(read_file(path).find("hunter2"), std::string::npos) << path;
  }
  EXPECT_EQ(result.out.find("hunter2"), std::string::npos);
  EXPECT_EQ(result.err.find("hunter2"), std::string::npos);
  EXPECT_EQ(read_file(ws.root() / "state" / "runs.jsonl").find("hunter2"), std::string::npos);
}

TEST_F(EnrichCli, ImageFieldsHoldingArraysAreCheckedUrlByUrl) {
  ws.use_config(R"({"vehicles": {"images": {"fields": ["imageUrl", "gallery"]}}})");
  ws.write_input({car("Ford", "Focus", 2012, 8000,
                      R"("gallery":["https://a.example/1.jpg","http://10.0.0.1/2.jpg",)"
                      R"("HTTP://B.EXAMPLE/3.jpg",7],"imageUrl":null)")});
  ASSERT_TRUE(ExitedWith(ws.run(), 0));
  const JsonDoc doc = enriched(0);
  ASSERT_EQ(doc.size("/gallery"), 3u);
  EXPECT_EQ(doc.str("/gallery/0"), "https://a.example/1.jpg");
  EXPECT_EQ(doc.str("/gallery/1"), "http://b.example/3.jpg");
  EXPECT_EQ(doc.int64("/gallery/2"), 7);
  EXPECT_EQ(doc.str("/enrichWarnings/0/code"), "image_url_private_host");
  EXPECT_EQ(doc.str("/enrichWarnings/0/field"), "gallery");
  EXPECT_TRUE(doc.has("/imageUrl"));  // null: left alone
}

TEST_F(EnrichCli, FieldsItOwnsAreReplacedNotDuplicated) {
  ws.write_input({
      car("Chevrolet", "Corvette", 1965, 60000,
          R"("investmentGrade":"Z","market":{"median":1},"enrichWarnings":[{"code":"old"}],"geo":{"lat":1})"),
      car("Chevrolet", "Corvette", 1965, 61000, R"("investmentGrade":"Z")"),
      car("Chevrolet", "Corvette", 1965, 62000),
      car("Chevrolet", "Corvette", 1966, 58000,
          R"("imageUrl":"ftp://x.example/a.jpg","enrichWarnings":"stale")"),
  });
  ASSERT_TRUE(ExitedWith(ws.run(), 0));
  const auto lines = enriched_lines();
  ASSERT_EQ(lines.size(), 4u);
  for (const std::string& line : lines) {
    EXPECT_EQ(top_level_keys(line, "investmentGrade"), 1u) << line;
    EXPECT_EQ(top_level_keys(line, "market"), 1u) << line;
    EXPECT_LE(top_level_keys(line, "enrichWarnings"), 1u) << line;
    EXPECT_EQ(line.find("\"Z\""), std::string::npos) << line;
  }
  EXPECT_EQ(enriched(0).str("/investmentGrade"), "A+");
  EXPECT_EQ(enriched(0).uint64("/market/comparables"), 3u);
  EXPECT_FALSE(enriched(0).has("/enrichWarnings"));  // the stale warning is gone
  EXPECT_EQ(enriched(3).size("/enrichWarnings"), 1u);
  EXPECT_EQ(enriched(3).str("/enrichWarnings/0/code"), "image_url_bad_scheme");
  // Everything else of the record is kept, _meta included.
  EXPECT_EQ(enriched(0).str("/_meta/source"), "test-dealer");
  EXPECT_EQ(enriched(0).number("/price"), 60000);
}

TEST_F(EnrichCli, RecordsWithoutMakeModelOrYearStillPass) {
  ws.write_input({R"({"title":"No car at all"})", R"({})", R"({"make":"Ford","year":"old"})",
                  R"({"make":["Ford"],"model":{"x":1},"year":1960})",
                  car("Ford", "F-100", 1956, 25000)});
  ASSERT_TRUE(ExitedWith(ws.run(), 0));
  ASSERT_EQ(enriched_lines().size(), 5u);
  EXPECT_FALSE(enriched(0).has("/market"));
  EXPECT_EQ(enriched(0).str("/investmentGrade"), "B+");
  EXPECT_EQ(enriched(1).str("/investmentGrade"), "B+");
  EXPECT_EQ(enriched(3).str("/investmentGrade"), "A-");
  EXPECT_FALSE(enriched(3).has("/market"));
  EXPECT_EQ(enriched(4).uint64("/market/comparables"), 0u);
  EXPECT_EQ(report().uint64("/market/listings"), 1u);
}

TEST_F(EnrichCli, ConservationOnBrokenInput) {
  const std::string big(3000, 'x');
  std::string text = car("Ford", "F-100", 1956, 25000) + "\n";
  text += "{\"make\": \"Ford\", \"model\":\n";                      // 2: malformed JSON
  text += "[1, 2, 3]\n";                                            // 3: not an object
  text += "{\"make\":\"Fo\xff\",\"model\":\"X\",\"year\":2000}\n";  // 4: invalid UTF-8
  text += "{\"make\":\"Ford\",\"notes\":\"" + big + "\"}\n";        // 5: over --max-record-bytes
  text += "\"just a string\"\n";                                    // 6: not an object
  text += car("Kia", "Rio", 2016, 8000) + "\n";                     // 7
  write_file(ws.input(), text);
  auto result = ws.run({"--max-record-bytes", "1024", "--json"});
  ASSERT_TRUE(ExitedWith(result, 0));
  const auto kept = enriched_lines();
  const auto errors = read_jsonl(ws.errors());
  EXPECT_EQ(kept.size(), 2u);
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_EQ(kept.size() + errors.size(), 7u);
  std::set<std::uint64_t> lines;
  for (const auto& e : errors) {
    lines.insert(e->uint64("/line").value_or(0));
    EXPECT_TRUE(e->str("/error/code")) << "an error without a code";
    EXPECT_TRUE(e->str("/error/message"));
  }
  EXPECT_EQ(lines, (std::set<std::uint64_t>{2, 3, 4, 5, 6}));
  EXPECT_EQ(errors[0]->str("/error/code"), "invalid_json");
  EXPECT_EQ(errors[1]->str("/error/code"), "not_an_object");
  EXPECT_EQ(errors[2]->str("/error/code"), "invalid_json");
  EXPECT_EQ(errors[3]->str("/error/code"), "too_large");
  const JsonDoc r = report();
  EXPECT_EQ(r.uint64("/records_in"), 7u);
  EXPECT_EQ(r.uint64("/enriched"), 2u);
  EXPECT_EQ(r.uint64("/rejected"), 5u);
}

TEST_F(EnrichCli, AHugeStringValuePassesThroughIntact) {
  std::string huge;
  for (int i = 0; huge.size() < 6'000'000; ++i) huge += "line " + std::to_string(i) + " \\u00e9 ";
  ws.write_input({car("Ford", "F-100", 1956, 25000, "\"description\":\"" + huge + "\"")});
  ASSERT_TRUE(ExitedWith(ws.run(), 0));
  const auto lines = enriched_lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find(huge), std::string::npos);  // byte for byte, escapes included
  EXPECT_EQ(JsonDoc(lines[0]).str("/investmentGrade"), "A-");
}

TEST_F(EnrichCli, EmptyInputGivesEmptyOutputsAndMissingInputExits66) {
  ASSERT_TRUE(ExitedWith(ws.run({"--type", "vehicles"}), 66));
  ws.write_input({});
  ASSERT_TRUE(ExitedWith(ws.run(), 0));
  for (const fs::path& path : ws.vehicle_outputs()) EXPECT_TRUE(fs::exists(path)) << path;
  EXPECT_TRUE(enriched_lines().empty());
  EXPECT_EQ(report().uint64("/records_in"), 0u);
  EXPECT_EQ(JsonDoc(read_file(ws.deals())).size("/deals"), 0u);
}

std::vector<std::string> many_cars(int n) {
  static const char* const kMakes[] = {"Ford", "Honda", "Toyota", "Chevrolet", "Kia", "BMW"};
  std::vector<std::string> lines;
  for (int i = 0; i < n; ++i) {
    lines.push_back(
        car(kMakes[i % 6], "Model " + std::to_string(i % 41), 1960 + (i * 7) % 60,
            i % 11 == 0 ? 0 : 3000 + (i * 7919) % 60000,
            i % 5 == 0 ? R"("imageUrl":"HTTP://Img.Example/)" + std::to_string(i) + "\"" : ""));
  }
  lines.push_back("{broken");
  return lines;
}

TEST_F(EnrichCli, OutputIsByteIdenticalWhateverTheThreadsAndSkippedWhenUpToDate) {
  ws.write_input(many_cars(30000));
  ASSERT_TRUE(ExitedWith(ws.run(), 0));
  const std::string enriched = read_file(ws.enriched()), errors = read_file(ws.errors()),
                    deals = read_file(ws.deals());
  EXPECT_EQ(JsonDoc(deals).size("/deals"), 10u);
  EXPECT_EQ(read_lines(ws.errors()).size(), 1u);

  auto skipped = ws.run();
  ASSERT_TRUE(ExitedWith(skipped, 0));
  EXPECT_NE(skipped.err.find("up to date"), std::string::npos) << skipped.err;

  for (const char* threads : {"1", "3"}) {
    fs::remove(ws.deals());
    auto forced = ws.run({"--force", "--threads", threads});
    ASSERT_TRUE(ExitedWith(forced, 0));
    EXPECT_EQ(forced.err.find("up to date"), std::string::npos) << forced.err;
    EXPECT_EQ(read_file(ws.enriched()), enriched) << threads << " threads";
    EXPECT_EQ(read_file(ws.errors()), errors) << threads << " threads";
    EXPECT_EQ(read_file(ws.deals()), deals) << threads << " threads";
  }
  // A missing output is redone even without --force.
  fs::remove(ws.deals());
  auto redone = ws.run();
  ASSERT_TRUE(ExitedWith(redone, 0));
  EXPECT_EQ(redone.err.find("up to date"), std::string::npos) << redone.err;
  EXPECT_EQ(read_file(ws.deals()), deals);
  EXPECT_TRUE(hidden_files_under(ws.root() / "processed").empty());
  EXPECT_TRUE(hidden_files_under(ws.root() / "failed").empty());
}

TEST_F(EnrichCli, AChangedConfigIsNotUpToDate) {
  ws.use_config(R"({"vehicles": {"grade": {"default": "C"}}})");
  ws.write_input({car("Toyota", "Camry", 2015, 15000)});
  ASSERT_TRUE(ExitedWith(ws.run(), 0));
  EXPECT_EQ(enriched(0).str("/investmentGrade"), "C");
  ws.use_config(R"({"vehicles": {"grade": {"default": "D"}}})");
  ASSERT_TRUE(ExitedWith(ws.run(), 0));
  EXPECT_EQ(enriched(0).str("/investmentGrade"), "D");
}

TEST_F(EnrichCli, DryRunWritesNothing) {
  ws.write_input({car("Ford", "F-100", 1956, 25000), "[1]"});
  auto result = ws.run({"--dry-run"});
  ASSERT_TRUE(ExitedWith(result, 0));
  for (const fs::path& path : ws.vehicle_outputs()) EXPECT_FALSE(fs::exists(path)) << path;
  EXPECT_NE(result.err.find("2 in, 1 enriched, 1 rejected"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace haul::testing
