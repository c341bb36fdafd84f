#include "schema/record_policy.hpp"

#include <gtest/gtest.h>

namespace haul::schema {
namespace {

constexpr std::string_view kSchema = R"({
  "x-haul-null-strings": ["null", "N/A"],
  "properties": {"price": {"x-haul-coerce": ["trim", "number"]}, "make": {}},
  "x-haul-rules": [
    {"rule": "range", "code": "price_out_of_range", "field": "price", "min": 1000, "max": 10000000},
    {"rule": "year_window", "code": "year_out_of_window", "field": "year", "min": 1920,
     "max_years_after_run": 2}]})";

Field int_field(std::string_view key, std::int64_t value) {
  return Field{key, Coerced{Coerced::Kind::Int, value, 0, {}}};
}

TEST(RecordPolicy, ReadsCoercionsAndNullStrings) {
  RecordPolicy policy;
  ASSERT_TRUE(RecordPolicy::compile(kSchema, policy).is_ok());
  ASSERT_TRUE(policy.field("price"));
  EXPECT_EQ(policy.field("price")->steps,
            (std::vector<CoerceStep>{CoerceStep::kTrim, CoerceStep::kNumber}));
  EXPECT_FALSE(policy.field("make"));
  EXPECT_TRUE(policy.is_null_string("NULL"));
  EXPECT_TRUE(policy.is_null_string("n/a"));
  EXPECT_FALSE(policy.is_null_string("nul"));
}

TEST(RecordPolicy, PriceRangeIsInclusive) {
  RecordPolicy policy;
  ASSERT_TRUE(RecordPolicy::compile(kSchema, policy).is_ok());
  Date run = *Date::parse("2026-06-01");
  for (auto [price, ok] :
       {std::pair{999, false}, {1000, true}, {10000000, true}, {10000001, false}, {0, false}}) {
    ValidationErrors errors;
    std::vector<Field> fields{int_field("price", price)};
    policy.check_rules(fields, run, errors);
    EXPECT_EQ(errors.empty(), ok) << price;
    if (!ok) {
      ASSERT_EQ(errors.size(), 1u);
      EXPECT_EQ(errors[0].code, "price_out_of_range");
      EXPECT_EQ(errors[0].path, Path{std::string("price")});
      EXPECT_EQ(errors[0].expected, "1000 to 10000000");
    }
  }
}

TEST(RecordPolicy, YearWindowFollowsTheRunDateNotTheClock) {
  RecordPolicy policy;
  ASSERT_TRUE(RecordPolicy::compile(kSchema, policy).is_ok());
  auto errors_for = [&](int year, const char* run_date) {
    ValidationErrors errors;
    std::vector<Field> fields{int_field("year", year)};
    policy.check_rules(fields, *Date::parse(run_date), errors);
    return errors.size();
  };
  EXPECT_EQ(errors_for(1919, "2026-06-01"), 1u);
  EXPECT_EQ(errors_for(1920, "2026-06-01"), 0u);
  EXPECT_EQ(errors_for(2028, "2026-06-01"), 0u);  // next year + 1
  EXPECT_EQ(errors_for(2029, "2026-06-01"), 1u);
  EXPECT_EQ(errors_for(2028, "2020-06-01"), 1u);  // a backfill judges by its own date
}

TEST(RecordPolicy, RulesSkipFieldsOfTheWrongType) {
  RecordPolicy policy;
  ASSERT_TRUE(RecordPolicy::compile(kSchema, policy).is_ok());
  ValidationErrors errors;
  std::vector<Field> fields{Field{"price", Coerced{Coerced::Kind::String, 0, 0, "cheap"}}};
  policy.check_rules(fields, *Date::parse("2026-01-01"), errors);
  EXPECT_TRUE(errors.empty());
}

TEST(RecordPolicy, AFieldTheSchemaRejectedIsNotReportedAgain) {
  RecordPolicy policy;
  ASSERT_TRUE(RecordPolicy::compile(kSchema, policy).is_ok());
  ValidationErrors errors{
      ValidationError{{std::string("year")}, "too_small", "below 1900", ">= 1900"}};
  std::vector<Field> fields{int_field("year", 1899), int_field("price", 5)};
  policy.check_rules(fields, *Date::parse("2026-01-01"), errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[1].code, "price_out_of_range");
}

TEST(RecordPolicy, ConfigErrorsNameTheRule) {
  RecordPolicy policy;
  Status bad_kind = RecordPolicy::compile(
      R"({"x-haul-rules":[{"rule":"between","code":"c","field":"f"}]})", policy);
  EXPECT_EQ(bad_kind.code(), ExitCode::kConfig);
  EXPECT_NE(bad_kind.message().find("x-haul-rules[0]"), std::string::npos);
  Status bad_range = RecordPolicy::compile(
      R"({"x-haul-rules":[{"rule":"range","code":"c","field":"f","min":5,"max":1}]})", policy);
  EXPECT_EQ(bad_range.code(), ExitCode::kConfig);
  Status bad_step = RecordPolicy::compile(
      R"({"properties":{"p":{"x-haul-coerce":["trim","uppercase"]}}})", policy);
  EXPECT_EQ(bad_step.code(), ExitCode::kConfig);
  EXPECT_NE(bad_step.message().find("uppercase"), std::string::npos);
  EXPECT_EQ(RecordPolicy::compile("{not json", policy).code(), ExitCode::kConfig);
}

}  // namespace
}  // namespace haul::schema
