// haul-validate as cron runs it: the real executable on real files in a
// throw-away data root, checked through what it leaves behind (outputs,
// report, ledger, exit code, --json) rather than through its internals.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "support/exit_codes.hpp"
#include "support/json_doc.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

constexpr const char* kArrayFile = "raw/2026-11-23/vehicles/kijiji-gta_001.json";
constexpr const char* kNdjsonFile = "raw/2026-11-23/vehicles/kijiji-gta_002.jsonl";

using FieldChanges = std::vector<std::pair<std::string, std::optional<std::string>>>;

// A valid record shaped like the kijiji-gta source: its field names, every
// value a scraped string. `changes` replace or add fields (values are JSON
// text) or, given nullopt, remove them.
std::string kijiji_record(const FieldChanges& changes = {}) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"brand", R"("Toyota")"},
      {"model", R"("Camry")"},
      {"model_year", R"("2015")"},
      {"list_price", R"("18990")"},
      {"mileage", R"("152444")"},
      {"carfax_link", R"("https://www.carproof.com/order?ref=kijiji&vin=null")"},
      {"vin_number", R"("null")"},
  };
  for (const auto& [name, value] : changes) {
    auto it = std::find_if(fields.begin(), fields.end(), [&, wanted = name](const auto& field) {
      return field.first == wanted;
    });
    if (!value) {
      if (it != fields.end()) fields.erase(it);
    } else if (it != fields.end()) {
      it->second = *value;
    } else {
      fields.emplace_back(name, *value);
    }
  }
  std::string json = "{";
  for (const auto& [name, value] : fields) {
    if (json.size() > 1) json += ", ";
    json += "\"" + name + "\": " + value;
  }
  return json + "}";
}

std::string ndjson(const std::vector<std::string>& records) {
  std::string text;
  for (const auto& record : records) text += record + "\n";
  return text;
}

// "price", "a/0/b", or "" for the record as a whole.
std::string path_text(simdjson::dom::element path) {
  std::string text;
  for (simdjson::dom::element item : simdjson::dom::array(path)) {
    if (!text.empty()) text += "/";
    std::string_view key;
    text += item.get(key) ? std::to_string(std::uint64_t(item)) : std::string(key);
  }
  return text;
}

// A failed line's errors as sorted "path:code" strings.
std::vector<std::string> error_keys(const JsonDoc& line) {
  std::vector<std::string> keys;
  auto errors = line.at("/errors");
  if (!errors || !errors->is_array()) return keys;
  for (simdjson::dom::element error : simdjson::dom::array(*errors)) {
    std::string_view code;
    if (error["code"].get(code)) code = "?";
    keys.push_back(path_text(error["path"]) + ":" + std::string(code));
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::map<std::string, std::uint64_t> counts_by_code(const JsonDoc& doc, std::string_view pointer) {
  std::map<std::string, std::uint64_t> counts;
  auto object = doc.at(pointer);
  if (!object || !object->is_object()) return counts;
  for (auto [code, count] : simdjson::dom::object(*object))
    counts[std::string(code)] = std::uint64_t(count);
  return counts;
}

// The failed file, keyed by (raw_file, raw_index).
std::map<std::pair<std::string, std::uint64_t>, std::unique_ptr<JsonDoc>> failed_by_record(
    const fs::path& path) {
  std::map<std::pair<std::string, std::uint64_t>, std::unique_ptr<JsonDoc>> out;
  for (auto& line : read_jsonl(path)) {
    auto key = std::make_pair(line->str("/_meta/raw_file").value_or("?"),
                              line->uint64("/_meta/raw_index").value_or(~0ull));
    out[key] = std::move(line);
  }
  return out;
}

std::set<std::pair<std::string, std::uint64_t>> valid_records(const fs::path& path) {
  std::set<std::pair<std::string, std::uint64_t>> out;
  for (const auto& line : read_jsonl(path)) {
    out.emplace(line->str("/_meta/raw_file").value_or("?"),
                line->uint64("/_meta/raw_index").value_or(~0ull));
  }
  return out;
}

std::vector<std::string> nonempty_lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    auto end = std::min(text.find('\n'), text.size());
    if (end > 0) lines.emplace_back(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return lines;
}

// The single JSON document haul-validate --json printed on stdout.
JsonDoc json_summary(const ProcessResult& result) { return JsonDoc(result.out); }

class ValidateCli : public ::testing::Test {
 protected:
  void add_mixed_fixtures() const {
    ws.add_fixture("kijiji_mixed.json", "kijiji-gta_001.json");
    ws.add_fixture("kijiji_mixed.jsonl", "kijiji-gta_002.jsonl");
  }
  // Runs validate on what the test put under raw/ and returns the failed
  // file's lines (the run must succeed).
  std::vector<std::unique_ptr<JsonDoc>> rejected_lines(std::vector<std::string> args = {}) const {
    auto result = ws.run(std::move(args));
    EXPECT_TRUE(ExitedWith(result, kOk));
    return read_jsonl(ws.errors());
  }

  ValidateWorkspace ws;
};

using Keys = std::vector<std::string>;

// --- records and conservation ---------------------------------------------

TEST_F(ValidateCli, MixedArrayAndNdjsonFilesAreSplitWithEveryReason) {
  add_mixed_fixtures();
  auto result = ws.run({"--json"});
  ASSERT_TRUE(ExitedWith(result, kOk));

  // The report: 5 array records (3 valid) + 6 NDJSON records (3 valid).
  JsonDoc report(read_file(ws.report()));
  EXPECT_EQ(report.uint64("/records_in"), 11u);
  EXPECT_EQ(report.uint64("/valid"), 6u);
  EXPECT_EQ(report.uint64("/rejected"), 5u);
  EXPECT_EQ(report.uint64("/files_rejected"), 0u);
  EXPECT_EQ(counts_by_code(report, "/errors_by_code"),
            (std::map<std::string, std::uint64_t>{{"invalid_format", 1},
                                                  {"invalid_json", 1},
                                                  {"invalid_type", 3},
                                                  {"price_out_of_range", 1},
                                                  {"required", 1}}));

  // Conservation, counted independently of the report: one line per record.
  auto valid_lines = read_lines(ws.validated());
  auto failed_lines = read_lines(ws.errors());
  EXPECT_EQ(valid_lines.size(), 6u);
  EXPECT_EQ(failed_lines.size(), 5u);
  EXPECT_EQ(valid_lines.size() + failed_lines.size(), *report.uint64("/records_in"));

  // Which records went where, by provenance.
  EXPECT_EQ(valid_records(ws.validated()),
            (std::set<std::pair<std::string, std::uint64_t>>{{kArrayFile, 0},
                                                             {kArrayFile, 2},
                                                             {kArrayFile, 4},
                                                             {kNdjsonFile, 0},
                                                             {kNdjsonFile, 3},
                                                             {kNdjsonFile, 5}}));
  auto failed = failed_by_record(ws.errors());
  ASSERT_EQ(failed.size(), 5u);
  auto failed_line = [&](const char* raw_file, std::uint64_t index) -> const JsonDoc& {
    auto it = failed.find({raw_file, index});
    if (it == failed.end()) throw std::runtime_error("no failed line for that record");
    return *it->second;
  };
  // The record with three problems reports all three.
  EXPECT_EQ(error_keys(failed_line(kArrayFile, 1)),
            (Keys{"model:required", "price:price_out_of_range", "sourceUrl:invalid_format"}));
  EXPECT_EQ(error_keys(failed_line(kArrayFile, 3)), (Keys{"price:invalid_type"}));
  EXPECT_EQ(error_keys(failed_line(kNdjsonFile, 1)), (Keys{"year:invalid_type"}));
  EXPECT_EQ(error_keys(failed_line(kNdjsonFile, 2)), (Keys{":invalid_json"}));
  EXPECT_EQ(error_keys(failed_line(kNdjsonFile, 4)), (Keys{"price:invalid_type"}));

  // Every failed line traces back to its raw bytes and explains itself fully.
  for (const auto& [key, line] : failed) {
    SCOPED_TRACE(key.first + " #" + std::to_string(key.second));
    EXPECT_EQ(line->str("/_meta/source"), "kijiji-gta");
    EXPECT_EQ(line->str("/_meta/type"), "vehicles");
    EXPECT_TRUE(line->uint64("/_meta/raw_offset"));
    EXPECT_TRUE(line->uint64("/_meta/raw_line"));
    ASSERT_GT(line->size("/errors").value_or(0), 0u);
    for (simdjson::dom::element error : simdjson::dom::array(*line->at("/errors"))) {
      EXPECT_TRUE(error["path"].is_array());
      std::string_view code, message, expected;
      EXPECT_FALSE(error["code"].get(code));
      EXPECT_FALSE(error["message"].get(message));
      EXPECT_FALSE(error["expected"].get(expected));
      EXPECT_FALSE(code.empty());
      EXPECT_FALSE(message.empty());
    }
  }
  // Lines are counted from 1, in the array file too.
  EXPECT_EQ(failed_line(kArrayFile, 1).uint64("/_meta/raw_line"), 3u);
  EXPECT_EQ(failed_line(kNdjsonFile, 2).uint64("/_meta/raw_line"), 3u);
  // A parsed record is kept as it was scraped; an unparseable one as text.
  EXPECT_EQ(failed_line(kArrayFile, 1).str("/record/brand"), "Ram");
  EXPECT_EQ(failed_line(kNdjsonFile, 2).str("/raw"),
            R"({"brand": "Nissan", "model": "Rogue", "model_year": "2016", "list_price": "14)");
  // The blank line after it is skipped, not a record, but still counted as a line.
  auto valid = read_jsonl(ws.validated());
  EXPECT_EQ(valid[4]->uint64("/_meta/raw_index"), 3u);
  EXPECT_EQ(valid[4]->uint64("/_meta/raw_line"), 5u);
  EXPECT_EQ(valid[4]->str("/make"), "Subaru");

  // --json says the same.
  JsonDoc summary = json_summary(result);
  EXPECT_EQ(summary.str("/stage"), "validate");
  EXPECT_EQ(summary.int64("/exit_code"), 0);
  EXPECT_EQ(summary.size("/partitions"), 1u);
  EXPECT_EQ(summary.str("/partitions/0/status"), "completed");
  EXPECT_EQ(summary.uint64("/partitions/0/records_in"), 11u);
  EXPECT_EQ(summary.uint64("/partitions/0/records_out"), 6u);
  EXPECT_EQ(summary.uint64("/partitions/0/rejected"), 5u);
  EXPECT_EQ(summary.uint64("/partitions/0/details/errors_by_code/invalid_type"), 3u);
}

TEST_F(ValidateCli, MalformedNdjsonLineRejectsOnlyThatLine) {
  ws.add_raw("kijiji-gta_001.jsonl",
             ndjson({kijiji_record(), R"({"brand": "Honda", "model": })", kijiji_record()}));
  auto failed = rejected_lines();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(error_keys(*failed[0]), (std::vector<std::string>{"model:invalid_json"}));
  EXPECT_EQ(failed[0]->uint64("/_meta/raw_index"), 1u);
  EXPECT_EQ(failed[0]->uint64("/_meta/raw_line"), 2u);
  EXPECT_EQ(failed[0]->str("/raw"), R"({"brand": "Honda", "model": })");
  EXPECT_EQ(read_lines(ws.validated()).size(), 2u);
}

TEST_F(ValidateCli, BrokenFilesAreRejectedWholeWhileTheDatesOtherFilesAreProcessed) {
  ws.add_raw("kijiji-gta_001.json", "[" + kijiji_record() + ",\n" + kijiji_record() + "]\n");
  ws.add_fixture("truncated_array.json", "kijiji-gta_002.json");  // 1 whole record, then cut
  ws.add_fixture("not_json.html", "kijiji-gta_003.json");         // an error page saved as JSON
  ws.add_raw("kijiji-gta_004.json", "");
  ws.add_raw("kijiji-gta_005.json", "[]");
  ws.add_raw("kijiji-gta_006.jsonl", ndjson({kijiji_record()}));
  // Not inputs: the scraper's metadata and a dotfile (e.g. a partial download).
  ws.add_raw("meta.json", "not records");
  ws.add_raw(".kijiji-gta_007.json.part", "[{");
  ws.add_raw(".kijiji-gta_008.json", "[{");
  auto result = ws.run({"--json"});
  ASSERT_TRUE(ExitedWith(result, kOk));

  // A broken file counts as one record in and one rejected.
  JsonDoc report(read_file(ws.report()));
  EXPECT_EQ(report.uint64("/records_in"), 5u);  // 2 + 1 + 1 + 0 + 0 + 1
  EXPECT_EQ(report.uint64("/valid"), 3u);
  EXPECT_EQ(report.uint64("/rejected"), 2u);
  EXPECT_EQ(report.uint64("/files_rejected"), 2u);
  EXPECT_EQ(report.size("/inputs"), 6u);  // meta.json and dotfiles ignored
  EXPECT_EQ(counts_by_code(report, "/errors_by_code"),
            (std::map<std::string, std::uint64_t>{{"not_json", 1}, {"truncated", 1}}));

  // The truncated file's complete first record must not slip through.
  EXPECT_EQ(valid_records(ws.validated()),
            (std::set<std::pair<std::string, std::uint64_t>>{
                {"raw/2026-11-23/vehicles/kijiji-gta_001.json", 0},
                {"raw/2026-11-23/vehicles/kijiji-gta_001.json", 1},
                {"raw/2026-11-23/vehicles/kijiji-gta_006.jsonl", 0}}));

  auto failed = read_jsonl(ws.errors());
  ASSERT_EQ(failed.size(), 2u);
  const JsonDoc& truncated = *failed[0];
  EXPECT_EQ(truncated.str("/file"), "raw/2026-11-23/vehicles/kijiji-gta_002.json");
  EXPECT_EQ(truncated.str("/_meta/raw_file"), "raw/2026-11-23/vehicles/kijiji-gta_002.json");
  EXPECT_EQ(error_keys(truncated), (std::vector<std::string>{":truncated"}));
  EXPECT_EQ(truncated.uint64("/records_withdrawn"), 1u);
  // The array is found incomplete where the file ends.
  EXPECT_EQ(truncated.uint64("/_meta/raw_offset"),
            fs::file_size(ws.raw_dir() / "kijiji-gta_002.json"));
  const JsonDoc& html = *failed[1];
  EXPECT_EQ(html.str("/file"), "raw/2026-11-23/vehicles/kijiji-gta_003.json");
  EXPECT_EQ(error_keys(html), (std::vector<std::string>{":not_json"}));
  EXPECT_EQ(html.uint64("/_meta/raw_offset"), 0u);

  EXPECT_EQ(json_summary(result).uint64("/partitions/0/details/files_rejected"), 2u);
}

TEST_F(ValidateCli, EmptyFileAndEmptyArrayHaveNoRecords) {
  ws.add_raw("kijiji-gta_001.json", "");
  ws.add_raw("kijiji-gta_002.json", " [ ]\n");
  auto result = ws.run({"--json"});
  ASSERT_TRUE(ExitedWith(result, kOk));
  JsonDoc report(read_file(ws.report()));
  EXPECT_EQ(report.uint64("/records_in"), 0u);
  EXPECT_EQ(report.uint64("/valid"), 0u);
  EXPECT_EQ(report.uint64("/rejected"), 0u);
  // Both outputs exist (empty), so the next stage sees "no records", not
  // "not run".
  EXPECT_EQ(fs::file_size(ws.validated()), 0u);
  EXPECT_EQ(fs::file_size(ws.errors()), 0u);
  EXPECT_EQ(json_summary(result).str("/partitions/0/status"), "completed");
}

TEST_F(ValidateCli, WrongTypesAreInvalidTypeOnEachField) {
  ws.add_raw("kijiji-gta_001.jsonl",
             ndjson({kijiji_record({{"model_year", R"({"value": 2015})"},
                                    {"list_price", R"(["18990", "17990"])"}})}));
  auto failed = rejected_lines();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(error_keys(*failed[0]),
            (std::vector<std::string>{"price:invalid_type", "year:invalid_type"}));
  // The record is kept as scraped, under its source's field names.
  EXPECT_EQ(failed[0]->uint64("/record/model_year/value"), 2015u);
}

TEST_F(ValidateCli, InvalidUtf8IsReportedOnTheFieldHoldingIt) {
  ws.add_raw("kijiji-gta_001.jsonl",
             ndjson({kijiji_record(), kijiji_record({{"model", "\"Ca\xFF\xFEmry\""}})}));
  auto failed = rejected_lines();  // read_jsonl also proves the failed file is valid UTF-8
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(error_keys(*failed[0]), (std::vector<std::string>{"model:invalid_utf8"}));
  EXPECT_EQ(failed[0]->uint64("/_meta/raw_index"), 1u);
  EXPECT_TRUE(failed[0]->str("/raw"));
  EXPECT_EQ(read_lines(ws.validated()).size(), 1u);
}

TEST_F(ValidateCli, HugeStringIsTooBigNotACrash) {
  const std::string description(20u << 20, 'x');
  ws.add_raw(
      "kijiji-gta_001.jsonl",
      ndjson({kijiji_record({{"description", "\"" + description + "\""}}), kijiji_record()}));
  auto failed = rejected_lines();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(error_keys(*failed[0]), (std::vector<std::string>{"description:too_big"}));
  EXPECT_EQ(failed[0]->str("/record/description").value_or("").size(), description.size());
  EXPECT_EQ(read_lines(ws.validated()).size(), 1u);
}

TEST_F(ValidateCli, RecordOverMaxRecordBytesIsRejectedUnread) {
  const std::string big = kijiji_record({{"notes", "\"" + std::string(8000, 'n') + "\""}});
  ws.add_raw("kijiji-gta_001.jsonl", ndjson({big, kijiji_record()}));
  // Appended piecewise: GCC 12 -O3 reports a false -Wrestrict on "[" + ... (PR 105329).
  std::string array = "[";
  array += kijiji_record();
  array += ", ";
  array += big;
  array += "]";
  ws.add_raw("kijiji-gta_002.json", array);
  auto failed = rejected_lines({"--max-record-bytes", "4096"});
  ASSERT_EQ(failed.size(), 2u);
  for (const auto& line : failed) {
    EXPECT_EQ(error_keys(*line), (std::vector<std::string>{":record_too_large"}));
    EXPECT_EQ(line->uint64("/raw_bytes"), big.size());
    EXPECT_EQ(line->boolean("/raw_truncated"), true);
  }
  EXPECT_EQ(failed[0]->uint64("/_meta/raw_index"), 0u);
  EXPECT_EQ(failed[1]->uint64("/_meta/raw_index"), 1u);
  EXPECT_EQ(read_lines(ws.validated()).size(), 2u);
}

TEST_F(ValidateCli, DeepNestingIsTooDeepNotACrash) {
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  const std::string record = kijiji_record({{"options", deep}});
  ws.add_raw("kijiji-gta_001.jsonl", ndjson({record, kijiji_record()}));
  ws.add_raw("kijiji-gta_002.json", "[" + kijiji_record() + ",\n" + record + "]");
  auto failed = rejected_lines();
  ASSERT_EQ(failed.size(), 2u);
  for (const auto& line : failed) {
    EXPECT_EQ(error_keys(*line), (std::vector<std::string>{"options:too_deep"}));
  }
  EXPECT_EQ(read_lines(ws.validated()).size(), 2u);
}

TEST_F(ValidateCli, DuplicateKeysAreRejectedButARenameCollisionIsNot) {
  ws.add_raw(
      "kijiji-gta_001.jsonl",
      ndjson({// The input itself repeats a key: which one is meant is unknowable.
              R"({"brand": "Toyota", "model": "Camry", "model": "Corolla", "model_year": "2015",)"
              R"( "list_price": "18990", "carfax_link": "https://www.carproof.com/x"})",
              // Both the source name and the canonical name: the canonical wins.
              kijiji_record({{"make", R"("Lexus")"}})}));
  auto failed = rejected_lines();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(error_keys(*failed[0]), (std::vector<std::string>{"model:duplicate_key"}));
  auto valid = read_jsonl(ws.validated());
  ASSERT_EQ(valid.size(), 1u);
  EXPECT_EQ(valid[0]->str("/make"), "Lexus");
  EXPECT_EQ(valid[0]->str("/brand"), "Toyota");
}

TEST_F(ValidateCli, KijijiMappingRenamesAndCoercesScrapedStrings) {
  ws.add_fixture("kijiji_coercions.json", "kijiji-gta_001.json");
  auto result = ws.run();
  ASSERT_TRUE(ExitedWith(result, kOk));
  EXPECT_EQ(fs::file_size(ws.errors()), 0u) << read_file(ws.errors());
  auto valid = read_jsonl(ws.validated());
  ASSERT_EQ(valid.size(), 2u);

  const JsonDoc& lexus = *valid[0];
  EXPECT_EQ(lexus.str("/make"), "Lexus");     // brand -> make, trimmed
  EXPECT_EQ(lexus.str("/model"), "RX 350");   // trimmed, tab included
  EXPECT_EQ(lexus.int64("/year"), 2015);      // " 2015 " -> integer
  EXPECT_EQ(lexus.int64("/price"), 25998);    // "$25,998"
  EXPECT_EQ(lexus.int64("/mileage"), 44190);  // "44,190 Miles"
  EXPECT_FALSE(lexus.has("/vin"));            // "null" means absent
  EXPECT_EQ(lexus.str("/sourceUrl"), "https://www.carproof.com/order?ref=kijiji&vin=null");
  EXPECT_EQ(lexus.str("/sourceName"), "Kijiji");  // the mapping's constant
  EXPECT_EQ(lexus.str("/color"), " Black ");      // not in the schema: passed on untouched
  for (const char* source_name :
       {"/brand", "/model_year", "/list_price", "/vin_number", "/carfax_link"}) {
    EXPECT_FALSE(lexus.has(source_name)) << source_name << " should have been renamed";
  }
  EXPECT_EQ(lexus.str("/_meta/source"), "kijiji-gta");
  EXPECT_EQ(lexus.uint64("/_meta/raw_index"), 0u);

  const JsonDoc& acura = *valid[1];
  EXPECT_EQ(acura.number("/price"), 18990.5);
  EXPECT_EQ(acura.str("/vin"), "5FRYD4H44GB033681");
  EXPECT_EQ(acura.int64("/mileage"), 26888);
}

// --- exit codes --------------------------------------------------------------

TEST_F(ValidateCli, RejectRateAboveTheGateExits65ButStillWritesOutputs) {
  ws.add_raw("kijiji-gta_001.jsonl",
             ndjson({kijiji_record(), kijiji_record({{"list_price", R"("0")"}}), kijiji_record(),
                     kijiji_record({{"model", std::nullopt}})}));
  auto gated = ws.run({"--max-reject-rate", "0.1"});
  EXPECT_TRUE(ExitedWith(gated, kDataError));
  EXPECT_EQ(read_lines(ws.validated()).size(), 2u);
  EXPECT_EQ(read_lines(ws.errors()).size(), 2u);
  EXPECT_TRUE(fs::exists(ws.report()));
  // The gate is "more than": exactly 50% passes a 0.5 gate.
  EXPECT_TRUE(ExitedWith(ws.run({"--max-reject-rate", "0.5", "--force"}), kOk));
  // A skipped (up-to-date) partition is still gated on its recorded counts.
  EXPECT_TRUE(ExitedWith(ws.run({"--max-reject-rate", "0.1"}), kDataError));
}

TEST_F(ValidateCli, NoInputExits66) {
  EXPECT_TRUE(ExitedWith(ws.run(), kNoInput));
  // A date with a raw directory but nothing to read is no input either.
  ws.add_raw("meta.json", "{}");
  EXPECT_TRUE(ExitedWith(ws.run({"--type", "vehicles"}), kNoInput));
  EXPECT_FALSE(fs::exists(ws.validated()));
}

TEST_F(ValidateCli, BadArgumentsExit64) {
  ws.add_raw("kijiji-gta_001.jsonl", ndjson({kijiji_record()}));
  EXPECT_TRUE(ExitedWith(ws.run({"--date", "2026-13-01"}), kUsage));
  EXPECT_TRUE(ExitedWith(ws.run({"--date", "yesterday"}), kUsage));
  EXPECT_TRUE(ExitedWith(ws.run({"--from", "2026-11-23", "--to", "2026-11-21"}), kUsage));
  EXPECT_TRUE(ExitedWith(ws.run({"--from", "2026-11-23"}), kUsage));
  EXPECT_TRUE(ExitedWith(ws.run({"--max-reject-rate", "1.5"}), kUsage));
  EXPECT_TRUE(ExitedWith(ws.run({"--type", "boats"}), kUsage));
  EXPECT_TRUE(ExitedWith(ws.run({"--no-such-flag"}), kUsage));
  EXPECT_FALSE(fs::exists(ws.processed_dir()));
}

TEST_F(ValidateCli, BrokenSchemaExits78) {
  TempDir config;
  fs::copy(repo_config_dir(), config.path(), fs::copy_options::recursive);
  write_file(config / "schemas" / "vehicles.schema.json", R"({"type": "object", "properties": )");
  ws.config_dir = config.path();
  ws.add_raw("kijiji-gta_001.jsonl", ndjson({kijiji_record()}));
  auto result = ws.run();
  EXPECT_TRUE(ExitedWith(result, kConfig));
  EXPECT_NE(result.err.find("vehicles.schema.json"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(ws.validated()));
}

TEST_F(ValidateCli, UnwritableOutputExits73) {
  ws.add_raw("kijiji-gta_001.jsonl", ndjson({kijiji_record()}));
  write_file(ws.root() / "processed", "a file where a directory belongs");
  auto result = ws.run();
  EXPECT_TRUE(ExitedWith(result, kCantCreate));
  EXPECT_FALSE(fs::exists(ws.errors()));  // nothing half-written on the other side
  // The ledger records the failure.
  auto ledger = read_jsonl(ws.ledger());
  ASSERT_EQ(ledger.size(), 2u);
  EXPECT_EQ(ledger[1]->str("/status"), "failed");
  EXPECT_EQ(ledger[1]->int64("/exit_code"), kCantCreate);
  EXPECT_TRUE(ledger[1]->str("/error"));
}

TEST_F(ValidateCli, HeldLockExits75QuicklyWithOneClearLine) {
  ws.add_raw("kijiji-gta_001.jsonl", ndjson({kijiji_record()}));
  fs::create_directories(ws.lock_file().parent_path());
  // Hold the lock the way a running haul-validate would.
  int fd = ::open(ws.lock_file().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  std::string pid = std::to_string(::getpid()) + "\n";
  ASSERT_EQ(::write(fd, pid.data(), pid.size()), static_cast<ssize_t>(pid.size()));

  auto blocked = ws.run();
  ::close(fd);  // releases the lock
  EXPECT_TRUE(ExitedWith(blocked, kTempFail));
  EXPECT_LT(blocked.elapsed, seconds(10)) << "must not wait for the lock";
  auto lines = nonempty_lines(blocked.err);
  ASSERT_EQ(lines.size(), 1u) << blocked.err;
  EXPECT_NE(lines[0].find("another"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find(std::to_string(::getpid())), std::string::npos) << lines[0];
  EXPECT_FALSE(fs::exists(ws.validated()));

  EXPECT_TRUE(ExitedWith(ws.run(), kOk));  // free again
}

// --- reruns, dry runs, ranges ------------------------------------------------

TEST_F(ValidateCli, ForcedRerunsAreByteIdentical) {
  add_mixed_fixtures();
  ASSERT_TRUE(ExitedWith(ws.run(), kOk));
  std::string valid = read_file(ws.validated());
  std::string failed = read_file(ws.errors());
  std::string report = read_file(ws.report());
  ASSERT_FALSE(valid.empty());
  ASSERT_FALSE(failed.empty());

  auto again = ws.run({"--force", "--json"});
  ASSERT_TRUE(ExitedWith(again, kOk));
  EXPECT_EQ(json_summary(again).str("/partitions/0/status"), "completed");
  EXPECT_EQ(read_file(ws.validated()), valid);
  EXPECT_EQ(read_file(ws.errors()), failed);
  EXPECT_EQ(read_file(ws.report()), report);
}

TEST_F(ValidateCli, UnchangedInputsAreSkippedAndATouchedInputIsRedone) {
  add_mixed_fixtures();
  ASSERT_TRUE(ExitedWith(ws.run(), kOk));
  auto valid_mtime = fs::last_write_time(ws.validated());

  auto skipped = ws.run({"--json"});
  ASSERT_TRUE(ExitedWith(skipped, kOk));
  JsonDoc summary = json_summary(skipped);
  EXPECT_EQ(summary.str("/partitions/0/status"), "skipped");
  // A skip still reports what the outputs hold.
  EXPECT_EQ(summary.uint64("/partitions/0/records_in"), 11u);
  EXPECT_EQ(summary.uint64("/partitions/0/rejected"), 5u);
  EXPECT_EQ(fs::last_write_time(ws.validated()), valid_mtime);
  auto ledger = read_jsonl(ws.ledger());
  ASSERT_EQ(ledger.size(), 4u);
  EXPECT_EQ(ledger[3]->boolean("/skipped"), true);

  // A new modification time is a new input version (set explicitly: the
  // clock may not have ticked since the file was written).
  fs::path input = ws.raw_dir() / "kijiji-gta_002.jsonl";
  fs::last_write_time(input, fs::last_write_time(input) + seconds(2));
  auto redone = ws.run({"--json"});
  ASSERT_TRUE(ExitedWith(redone, kOk));
  EXPECT_EQ(json_summary(redone).str("/partitions/0/status"), "completed");
}

TEST_F(ValidateCli, ChangedSchemaIsRedone) {
  TempDir config;
  fs::copy(repo_config_dir(), config.path(), fs::copy_options::recursive);
  ws.config_dir = config.path();
  add_mixed_fixtures();
  ASSERT_TRUE(ExitedWith(ws.run(), kOk));
  fs::path schema = config / "schemas" / "vehicles.schema.json";
  fs::last_write_time(schema, fs::last_write_time(schema) + seconds(2));
  auto redone = ws.run({"--json"});
  ASSERT_TRUE(ExitedWith(redone, kOk));
  EXPECT_EQ(json_summary(redone).str("/partitions/0/status"), "completed");
}

TEST_F(ValidateCli, DryRunWritesNoOutputs) {
  add_mixed_fixtures();
  auto result = ws.run({"--dry-run", "--json"});
  ASSERT_TRUE(ExitedWith(result, kOk));
  JsonDoc summary = json_summary(result);
  EXPECT_EQ(summary.boolean("/dry_run"), true);
  EXPECT_EQ(summary.uint64("/partitions/0/records_in"), 11u);
  EXPECT_EQ(summary.uint64("/partitions/0/records_out"), 6u);
  EXPECT_FALSE(fs::exists(ws.root() / "processed"));
  EXPECT_FALSE(fs::exists(ws.root() / "failed"));
  EXPECT_FALSE(fs::exists(ws.ledger()));
}

TEST_F(ValidateCli, DateRangeProcessesEachDateAndJsonTotalsAddUp) {
  const std::vector<std::string> dates = {"2026-11-21", "2026-11-22", "2026-11-23"};
  for (std::size_t i = 0; i < dates.size(); ++i) {
    // Date i gets i + 1 valid records and one rejected.
    std::vector<std::string> records(i + 1, kijiji_record());
    records.push_back(kijiji_record({{"list_price", R"("0")"}}));
    ws.add_raw("kijiji-gta_001.jsonl", ndjson(records), "vehicles", dates[i]);
  }
  auto result = ws.run({"--from", dates.front(), "--to", dates.back(), "--json"});
  ASSERT_TRUE(ExitedWith(result, kOk));

  JsonDoc summary = json_summary(result);
  ASSERT_EQ(summary.size("/partitions"), 3u);
  std::uint64_t in = 0, out = 0, rejected = 0;
  for (std::size_t i = 0; i < dates.size(); ++i) {
    std::string p = "/partitions/" + std::to_string(i);
    EXPECT_EQ(summary.str(p + "/date"), dates[i]);
    EXPECT_EQ(summary.str(p + "/type"), "vehicles");
    EXPECT_EQ(summary.str(p + "/status"), "completed");
    EXPECT_EQ(summary.uint64(p + "/records_in"), i + 2);
    EXPECT_EQ(summary.uint64(p + "/records_out"), i + 1);
    in += summary.uint64(p + "/records_in").value_or(0);
    out += summary.uint64(p + "/records_out").value_or(0);
    rejected += summary.uint64(p + "/rejected").value_or(0);
    EXPECT_EQ(read_lines(ws.validated("vehicles", dates[i])).size(), i + 1);
  }
  EXPECT_EQ(summary.uint64("/totals/records_in"), in);
  EXPECT_EQ(summary.uint64("/totals/records_out"), out);
  EXPECT_EQ(summary.uint64("/totals/rejected"), rejected);
  EXPECT_EQ(in, 9u);

  std::vector<std::string> completed_dates;
  for (const auto& entry : read_jsonl(ws.ledger())) {
    if (entry->str("/status") == "completed") completed_dates.push_back(*entry->str("/date"));
  }
  EXPECT_EQ(completed_dates, dates);
}

TEST_F(ValidateCli, EveryTypeWithInputIsAPartition) {
  add_mixed_fixtures();
  ws.add_raw(
      "demo-events_001.jsonl",
      ndjson(
          {R"({"name": "Cars & Coffee", "date": "2026-12-05", "link": "https://events.example.com/1"})",
           R"({"name": "Swap meet", "date": "next Saturday", "link": "https://events.example.com/2"})"}),
      "events");
  auto result = ws.run({"--json"});
  ASSERT_TRUE(ExitedWith(result, kOk));
  JsonDoc summary = json_summary(result);
  ASSERT_EQ(summary.size("/partitions"), 2u);
  EXPECT_EQ(summary.str("/partitions/0/type"), "vehicles");
  EXPECT_EQ(summary.str("/partitions/1/type"), "events");
  EXPECT_EQ(summary.uint64("/partitions/1/records_out"), 1u);
  EXPECT_EQ(summary.uint64("/totals/records_in"), 13u);
  EXPECT_EQ(summary.uint64("/totals/records_out"), 7u);
  EXPECT_EQ(summary.uint64("/totals/rejected"), 6u);
  auto events = read_jsonl(ws.validated("events"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]->str("/title"), "Cars & Coffee");
  EXPECT_EQ(events[0]->str("/sourceName"), "Demo Events");
}

// --- ledger, temporaries, paths ----------------------------------------------

TEST_F(ValidateCli, LedgerHasRunningThenCompletedForTheSameRun) {
  add_mixed_fixtures();
  BackgroundProcess process(ws.command({}));
  pid_t pid = process.pid();
  ASSERT_TRUE(ExitedWith(process.wait(), kOk));

  auto ledger = read_jsonl(ws.ledger());
  ASSERT_EQ(ledger.size(), 2u);
  const JsonDoc& running = *ledger[0];
  const JsonDoc& completed = *ledger[1];
  EXPECT_EQ(running.str("/status"), "running");
  EXPECT_EQ(completed.str("/status"), "completed");
  ASSERT_TRUE(running.str("/run_id"));
  EXPECT_EQ(running.str("/run_id"), completed.str("/run_id"));
  EXPECT_EQ(running.int64("/pid"), pid);
  EXPECT_EQ(completed.int64("/pid"), pid);
  EXPECT_FALSE(running.str("/host").value_or("").empty());
  EXPECT_EQ(running.str("/started_at"), completed.str("/started_at"));
  EXPECT_FALSE(running.has("/ended_at"));  // a run killed now would show no end
  EXPECT_TRUE(completed.str("/ended_at"));
  EXPECT_EQ(completed.str("/stage"), "validate");
  EXPECT_EQ(completed.str("/date"), "2026-11-23");
  EXPECT_EQ(completed.str("/type"), "vehicles");
  EXPECT_EQ(completed.uint64("/counts/in"), 11u);
  EXPECT_EQ(completed.uint64("/counts/out"), 6u);
  EXPECT_EQ(completed.uint64("/counts/rejected"), 5u);
  EXPECT_EQ(completed.int64("/exit_code"), 0);
}

TEST_F(ValidateCli, NormalRunLeavesNoTemporaryFiles) {
  add_mixed_fixtures();
  ws.add_fixture("truncated_array.json", "kijiji-gta_003.json");  // exercises the rollback
  ASSERT_TRUE(ExitedWith(ws.run(), kOk));
  ASSERT_TRUE(ExitedWith(ws.run({"--force"}), kOk));
  EXPECT_EQ(hidden_files_under(ws.root() / "processed"), std::vector<fs::path>{});
  EXPECT_EQ(hidden_files_under(ws.root() / "failed"), std::vector<fs::path>{});
  EXPECT_EQ(hidden_files_under(ws.root() / "state"), std::vector<fs::path>{});
}

TEST_F(ValidateCli, QuietRunPrintsNothing) {
  add_mixed_fixtures();
  ws.add_fixture("truncated_array.json", "kijiji-gta_003.json");  // a warning, normally
  auto result = ws.run({"-q"});
  ASSERT_TRUE(ExitedWith(result, kOk));
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "");
  // ... while the log keeps the detail.
  EXPECT_NE(read_file(ws.root() / "logs" / "validate.log").find("kijiji-gta_003.json"),
            std::string::npos);
}

TEST_F(ValidateCli, DataDirWithSpacesAndQuotesIsPassedVerbatim) {
  ValidateWorkspace odd("data dir with 'quotes' and $HOME");
  odd.add_raw("kijiji-gta_001.jsonl", ndjson({kijiji_record()}));
  ASSERT_TRUE(ExitedWith(odd.run(), kOk));
  EXPECT_EQ(read_lines(odd.validated()).size(), 1u);
}

}  // namespace
}  // namespace haul::testing
