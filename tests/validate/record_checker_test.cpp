#include "validate/record_checker.hpp"

#include <gtest/gtest.h>

namespace haul::validate {
namespace {

constexpr std::string_view kSchema = R"({
  "type": "object",
  "x-haul-null-strings": ["null"],
  "required": ["make", "year", "sourceUrl"],
  "properties": {
    "make": {"type": "string", "minLength": 1, "x-haul-coerce": ["trim"]},
    "year": {"type": "integer", "x-haul-coerce": ["integer"]},
    "price": {"type": "number", "x-haul-coerce": ["null_to_absent", "number"]},
    "vin": {"type": "string", "x-haul-coerce": ["null_to_absent", "empty_to_absent"]},
    "stockNumber": {"type": "string", "x-haul-coerce": ["string"]},
    "sourceUrl": {"type": "string", "format": "uri"}
  },
  "x-haul-rules": [{"rule": "range", "code": "price_out_of_range", "field": "price",
                    "min": 1000, "max": 10000000}]})";

class RecordCheckerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    auto compiled = schema::Schema::compile(kSchema, {}, error);
    ASSERT_TRUE(compiled) << error;
    schema_ = std::make_unique<schema::Schema>(std::move(*compiled));
    ASSERT_TRUE(schema::RecordPolicy::compile(kSchema, policy_).is_ok());
    mapping_.rename = {{"brand", "make"}, {"model_year", "year"}};
    std::sort(mapping_.rename.begin(), mapping_.rename.end());
    mapping_.set = {{"sourceName", "Kijiji"}};
    mapping_.derive = {{"sourceUrl", "https://cars.invalid/{vin}"}};
  }

  // Checks `json`; returns the output line or the error codes joined by ','.
  std::string check(std::string_view json, const source::FieldMapping* mapping) {
    simdjson::dom::element record = parser_.parse(json.data(), json.size());
    RecordChecker checker(*schema_, policy_, *Date::parse("2026-01-01"));
    Provenance provenance{
        "kijiji-gta", "vehicles", "raw/2026-01-01/vehicles/k_001.json", 4, 120, 5, {}};
    std::string out;
    schema::ValidationErrors errors;
    if (checker.check(record, mapping, provenance, out, errors)) return out;
    std::string codes;
    for (const auto& e : errors) codes += (codes.empty() ? "" : ",") + e.code;
    return "errors:" + codes;
  }

  simdjson::dom::parser parser_;
  std::unique_ptr<schema::Schema> schema_;
  schema::RecordPolicy policy_;
  source::FieldMapping mapping_;
};

TEST_F(RecordCheckerTest, MapsCoercesDerivesAndAddsProvenance) {
  std::string out = check(
      R"({"brand":"  Ford ","model_year":"1967","price":"$25,998","vin":"ABC","stockNumber":123,"color":"red"})",
      &mapping_);
  EXPECT_EQ(
      out,
      R"({"make":"Ford","year":1967,"price":25998,"vin":"ABC","stockNumber":"123","color":"red",)"
      R"("sourceName":"Kijiji","sourceUrl":"https://cars.invalid/ABC",)"
      R"("_meta":{"source":"kijiji-gta","type":"vehicles","raw_file":"raw/2026-01-01/vehicles/k_001.json",)"
      R"("raw_index":4,"raw_offset":120,"raw_line":5}})");
}

TEST_F(RecordCheckerTest, NullStringsBecomeAbsentAndDerivationThenGivesUp) {
  // "null" VIN is removed, so sourceUrl cannot be derived and is missing.
  EXPECT_EQ(check(R"({"brand":"Ford","model_year":1967,"vin":"null"})", &mapping_),
            "errors:required");
}

TEST_F(RecordCheckerTest, CollectsEveryErrorOfARecord) {
  EXPECT_EQ(check(R"({"make":"","year":"nineteen","price":"12","sourceUrl":"not a url"})", nullptr),
            "errors:too_small,invalid_type,invalid_format,price_out_of_range");
}

TEST_F(RecordCheckerTest, CanonicalFieldWinsOverARenameAndDuplicatesAreErrors) {
  std::string out =
      check(R"({"make":"Ford","brand":"Mercury","year":1967,"sourceUrl":"https://a.invalid/1"})",
            &mapping_);
  EXPECT_NE(out.find(R"("make":"Ford","brand":"Mercury")"), std::string::npos) << out;
  EXPECT_EQ(check(R"({"make":"Ford","make":"GM","year":1967,"sourceUrl":"https://a.invalid/1"})",
                  nullptr),
            "errors:duplicate_key");
}

TEST_F(RecordCheckerTest, KeepsTheScrapersMetaAndOverridesProvenance) {
  std::string out = check(
      R"({"make":"Ford","year":1967,"sourceUrl":"https://a.invalid/1","_meta":{"scraped_at":"2026-01-01T02:00:00Z","raw_index":99}})",
      nullptr);
  EXPECT_NE(
      out.find(
          R"("raw_index":4,"raw_offset":120,"raw_line":5,"scraped_at":"2026-01-01T02:00:00Z"})"),
      std::string::npos)
      << out;
}

TEST_F(RecordCheckerTest, NonObjectsAreRejected) {
  EXPECT_EQ(check("[1,2]", nullptr), "errors:not_an_object");
  EXPECT_EQ(check("\"text\"", nullptr), "errors:not_an_object");
}

}  // namespace
}  // namespace haul::validate
