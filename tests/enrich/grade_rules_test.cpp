#include "enrich/grade_rules.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "enrich/enrich_config.hpp"
#include "support/temp_dir.hpp"

namespace haul::enrich {
namespace {

using testing::TempDir;
using testing::write_file;

// The grade `rules` give the record `json`, the same whether its fields are
// found by one walk (the first pass) or by a scan each.
std::string grade_of(const GradeRules& rules, const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::object record = parser.parse(json).get_object().value();
  FieldNames names;
  rules.add_fields(names);
  RecordFields walked;
  walked.read(names, record);
  const std::string grade(rules.grade(walked));
  EXPECT_EQ(grade, rules.grade(RecordFields(record))) << json;
  return grade;
}

// The vehicles config read from an enrich.json holding `json`.
GradeRules rules_from(const TempDir& dir, std::string_view json) {
  write_file(dir / "enrich.json", json);
  TypeConfig config;
  Status s = load_config(dir.path(), "vehicles", config);
  EXPECT_TRUE(s.is_ok()) << s.message();
  return config.grade;
}

// The original pipeline's examples. Expected grades were computed once by
// running the original TypeScript calculateInvestmentGrade (the seed's
// automotive batch pipeline: `${make} ${model}` tested with
// String.prototype.includes for the sports cars, then the muscle cars, then
// 1950 <= year <= 1970, else "B+") with Node.js 20 on these very records.
struct OriginalCase {
  const char* record;
  const char* grade;
};
const OriginalCase kOriginalCases[] = {
    // The examples of the issue, one per branch and in rule order.
    {R"({"make":"Chevrolet","model":"Corvette","year":1965})", "A+"},
    {R"({"make":"Chevrolet","model":"Camaro","year":1969})", "A"},
    {R"({"make":"Ford","model":"F-100","year":1956})", "A-"},
    {R"({"make":"Toyota","model":"Camry","year":2015})", "B+"},
    // Every sports and muscle car name, in the make or the model.
    {R"({"make":"Porsche","model":"911","year":1973})", "A+"},
    {R"({"make":"Ferrari","model":"308 GTS","year":1980})", "A+"},
    {R"({"make":"Jaguar","model":"E-Type","year":1962})", "A+"},
    {R"({"make":"Chevrolet","model":"Chevelle SS","year":1970})", "A"},
    {R"({"make":"Pontiac","model":"GTO","year":1967})", "A"},
    {R"({"make":"Dodge","model":"Challenger","year":2019})", "A"},
    {R"({"make":"Ford","model":"Mustang","year":2015})", "A"},
    // includes() is case-sensitive: lower or upper case misses the lists.
    {R"({"make":"ford","model":"mustang","year":2015})", "B+"},
    {R"({"make":"chevrolet","model":"corvette","year":1965})", "A-"},
    {R"({"make":"PORSCHE","model":"CAYENNE","year":2010})", "B+"},
    // Substrings count: GTO inside a longer model, even inside a word.
    {R"({"make":"Pontiac","model":"LeMans GTO Judge","year":1971})", "A"},
    {R"({"make":"Mitsubishi","model":"Eclipse GTOx","year":1995})", "A"},
    {R"({"make":"Chevy","model":"Camaros","year":2020})", "A"},
    // Order: the sports-car rule wins over the muscle-car and year rules.
    {R"({"make":"Ford","model":"Mustang Corvette","year":1990})", "A+"},
    {R"({"make":"Jaguar","model":"XJ","year":1949})", "A+"},
    // Year boundaries (inclusive 1950..1970).
    {R"({"make":"Buick","model":"Skylark","year":1949})", "B+"},
    {R"({"make":"Buick","model":"Skylark","year":1950})", "A-"},
    {R"({"make":"Buick","model":"Skylark","year":1970})", "A-"},
    {R"({"make":"Buick","model":"Skylark","year":1971})", "B+"},
    {R"({"make":"Ford","model":"F-150","year":1950})", "A-"},
    {R"({"make":"Ford","model":"Thunderbird","year":1957})", "A-"},
    // JavaScript compares a numeric string as a number; other strings fail.
    {R"({"make":"Buick","model":"Skylark","year":"1965"})", "A-"},
    {R"({"make":"Buick","model":"Skylark","year":" 1955 "})", "A-"},
    {R"({"make":"Buick","model":"Skylark","year":"nineteen"})", "B+"},
    {R"({"make":"Buick","model":"Skylark","year":1960.5})", "A-"},
    // Missing fields: no crash, the other tests still apply.
    {R"({"make":"Buick","model":"Skylark"})", "B+"},
    {R"({"model":"Corvette","year":1999})", "A+"},
    {R"({"make":"Corvette","year":2001})", "A+"},
    {R"({"make":"Honda","year":1955})", "A-"},
    {R"({"year":1980})", "B+"},
    {R"({})", "B+"},
    {R"({"make":"Chevrolet","model":"Corvette","year":null})", "A+"},
};

TEST(GradeRules, BuiltInRulesReproduceTheOriginalFunction) {
  const GradeRules rules = GradeRules::original_pipeline();
  ASSERT_TRUE(rules.enabled());
  EXPECT_EQ(rules.field(), "investmentGrade");
  for (const auto& c : kOriginalCases) {
    EXPECT_EQ(grade_of(rules, c.record), c.grade) << c.record;
  }
}

TEST(GradeRules, TheShippedConfigFileGradesLikeTheBuiltInRules) {
  TypeConfig config;
  ASSERT_TRUE(load_config(HAUL_SOURCE_DIR "/config", "vehicles", config).is_ok());
  for (const auto& c : kOriginalCases) {
    EXPECT_EQ(grade_of(config.grade, c.record), c.grade) << c.record;
  }
}

TEST(GradeRules, NoGradeSectionMeansTheDefaultsAndOtherTypesAreNotGraded) {
  TempDir dir;
  const GradeRules rules = rules_from(dir, R"({"vehicles": {"market": {"top_deals": 3}}})");
  EXPECT_EQ(grade_of(rules, R"({"make":"Pontiac","model":"GTO","year":1967})"), "A");
  TypeConfig events;
  ASSERT_TRUE(load_config(dir.path(), "events", events).is_ok());
  EXPECT_FALSE(events.grade.enabled());
  EXPECT_EQ(grade_of(events.grade, R"({"make":"Pontiac","model":"GTO"})"), "");
}

TEST(GradeRules, RulesFromConfigReplaceTheDefaults) {
  TempDir dir;
  const GradeRules rules = rules_from(dir, R"({"vehicles": {"grade": {"default": "C",
      "rules": [{"grade": "X", "when": [{"field": "make", "equals_any": ["Lada"]}]}]}}})");
  EXPECT_EQ(grade_of(rules, R"({"make":"Lada","model":"Niva","year":1980})"), "X");
  // The built-in rules are gone, not appended to.
  EXPECT_EQ(grade_of(rules, R"({"make":"Chevrolet","model":"Corvette","year":1965})"), "C");
  EXPECT_EQ(grade_of(rules, R"({"make":"Ford","model":"F-100","year":1956})"), "C");
}

TEST(GradeRules, AnAddedRuleWithTwoConditionsNeedsBoth) {
  TempDir dir;
  const GradeRules rules = rules_from(dir, R"({"vehicles": {"grade": {"rules": [
      {"grade": "S", "when": [{"field": "make", "equals_any": ["Ferrari"]},
                              {"field": "price", "at_least": 1000000}]},
      {"grade": "A+", "when": [{"fields": ["make", "model"], "contains_any": ["Ferrari"]}]}]}}})");
  EXPECT_EQ(grade_of(rules, R"({"make":"Ferrari","model":"250 GTO","price":1000000})"), "S");
  EXPECT_EQ(grade_of(rules, R"({"make":"Ferrari","model":"250 GTO","price":"2500000"})"), "S");
  EXPECT_EQ(grade_of(rules, R"({"make":"Ferrari","model":"Roma","price":999999})"), "A+");
  EXPECT_EQ(grade_of(rules, R"({"make":"Ferrari","model":"Roma"})"), "A+");
  // equals_any compares the whole value.
  EXPECT_EQ(grade_of(rules, R"({"make":"Ferrari SpA","model":"Roma","price":2000000})"), "A+");
  EXPECT_EQ(grade_of(rules, R"({"make":"Fiat","model":"Uno","price":2000000})"), "B+");
}

TEST(GradeRules, IgnoreCaseMatchesWhatTheOriginalMissed) {
  TempDir dir;
  const GradeRules rules = rules_from(dir, R"({"vehicles": {"grade": {"rules": [
      {"grade": "A", "when": [{"fields": ["make", "model"], "contains_any": ["Mustang"],
                               "ignore_case": true}]},
      {"grade": "E", "when": [{"field": "make", "equals_any": ["Citroën"], "ignore_case": true}]}]}}})");
  EXPECT_EQ(grade_of(rules, R"({"make":"ford","model":"mustang","year":2015})"), "A");
  EXPECT_EQ(grade_of(rules, R"({"make":"FORD","model":"MUSTANG GT"})"), "A");
  EXPECT_EQ(grade_of(rules, R"({"make":"CITROËN"})"), "E");
  EXPECT_EQ(grade_of(rules, R"({"make":"Ford","model":"Focus"})"), "B+");
  // Without ignore_case the same rule stays case-sensitive.
  const GradeRules strict = rules_from(dir, R"({"vehicles": {"grade": {"rules": [
      {"grade": "A", "when": [{"fields": ["make", "model"], "contains_any": ["Mustang"]}]}]}}})");
  EXPECT_EQ(grade_of(strict, R"({"make":"ford","model":"mustang"})"), "B+");
}

// A record's joined text is made once for the conditions that read the same
// fields the same way, and never reused for other fields or another case.
TEST(GradeRules, ConditionsShareAJoinedTextOnlyWhenFieldsAndCaseAgree) {
  TempDir dir;
  const GradeRules rules = rules_from(dir, R"({"vehicles": {"grade": {"default": null, "rules": [
      {"grade": "1", "when": [{"fields": ["make", "model"], "contains_any": ["zzz"],
                               "ignore_case": true}]},
      {"grade": "2", "when": [{"fields": ["make", "model"], "contains_any": ["Mustang"]}]},
      {"grade": "3", "when": [{"fields": ["make", "model"], "matches": "^ford mus"}]},
      {"grade": "4", "when": [{"field": "model", "equals_any": ["mustang"]}]},
      {"grade": "5", "when": [{"fields": ["make", "model"], "equals_any": ["ford mustang"],
                               "ignore_case": true}]}]}}})");
  EXPECT_EQ(grade_of(rules, R"({"make":"Ford","model":"Mustang"})"), "2");
  EXPECT_EQ(grade_of(rules, R"({"make":"ford","model":"mustang"})"), "3");
  EXPECT_EQ(grade_of(rules, R"({"make":"Ford","model":"mustang"})"), "4");
  EXPECT_EQ(grade_of(rules, R"({"make":"FORD","model":"MUSTANG"})"), "5");
  // Record after record: nothing of the one before is reused.
  EXPECT_EQ(grade_of(rules, R"({"make":"Kia","model":"Rio"})"), "");
}

TEST(GradeRules, MatchesIsAnRe2PartialMatch) {
  TempDir dir;
  const GradeRules rules = rules_from(dir, R"({"vehicles": {"grade": {"default": null, "rules": [
      {"grade": "T", "when": [{"field": "model", "matches": "^F-[0-9]{3}$"}]},
      {"grade": "t", "when": [{"field": "model", "matches": "shelby", "ignore_case": true}]}]}}})");
  EXPECT_EQ(grade_of(rules, R"({"model":"F-100"})"), "T");
  EXPECT_EQ(grade_of(rules, R"({"model":"F-1000"})"), "");
  EXPECT_EQ(grade_of(rules, R"({"model":"Mustang SHELBY GT500"})"), "t");
  EXPECT_EQ(grade_of(rules, R"({"make":"Shelby"})"), "");  // another field
}

TEST(GradeRules, NumericTestsReadNumbersAndNumericStrings) {
  TempDir dir;
  const GradeRules rules = rules_from(dir, R"({"vehicles": {"grade": {"default": "none", "rules": [
      {"grade": "mid", "when": [{"field": "mileage", "between": [1000, 2000]}]},
      {"grade": "cheap", "when": [{"field": "price", "at_most": 500}]}]}}})");
  EXPECT_EQ(grade_of(rules, R"({"mileage":1000})"), "mid");
  EXPECT_EQ(grade_of(rules, R"({"mileage":2000})"), "mid");
  EXPECT_EQ(grade_of(rules, R"({"mileage":"1500"})"), "mid");
  EXPECT_EQ(grade_of(rules, R"({"mileage":"1500.5"})"), "mid");
  EXPECT_EQ(grade_of(rules, R"({"mileage":2000.01})"), "none");
  EXPECT_EQ(grade_of(rules, R"({"mileage":999})"), "none");
  EXPECT_EQ(grade_of(rules, R"({"mileage":"1500 km"})"), "none");
  EXPECT_EQ(grade_of(rules, R"({"mileage":""})"), "none");
  EXPECT_EQ(grade_of(rules, R"({"mileage":true})"), "none");
  EXPECT_EQ(grade_of(rules, R"({"mileage":null})"), "none");
  EXPECT_EQ(grade_of(rules, R"({"price":500})"), "cheap");
  EXPECT_EQ(grade_of(rules, R"({"price":501})"), "none");
  EXPECT_EQ(grade_of(rules, R"({})"), "none");
}

TEST(GradeRules, PresentFalseHoldsForAMissingOrNullField) {
  TempDir dir;
  const GradeRules rules = rules_from(dir, R"({"vehicles": {"grade": {"rules": [
      {"grade": "?", "when": [{"field": "vin", "present": false}]},
      {"grade": "V", "when": [{"field": "vin", "present": true}]}]}}})");
  EXPECT_EQ(grade_of(rules, R"({"make":"Ford"})"), "?");
  EXPECT_EQ(grade_of(rules, R"({"vin":null})"), "?");
  EXPECT_EQ(grade_of(rules, R"({"vin":"1FTEX1"})"), "V");
  EXPECT_EQ(grade_of(rules, R"({"vin":""})"), "V");  // there, though empty
}

TEST(GradeRules, ANullDefaultGradesNothingWhenNoRuleHolds) {
  TempDir dir;
  const GradeRules rules = rules_from(dir, R"({"vehicles": {"grade": {"default": null}}})");
  EXPECT_EQ(grade_of(rules, R"({"make":"Toyota","model":"Camry","year":2015})"), "");
  EXPECT_EQ(grade_of(rules, R"({"make":"Chevrolet","model":"Corvette"})"), "A+");  // rules kept
}

TEST(GradeRules, DisabledGradesNothing) {
  TempDir dir;
  const GradeRules rules = rules_from(dir, R"({"vehicles": {"grade": {"enabled": false}}})");
  EXPECT_FALSE(rules.enabled());
}

TEST(GradeRules, ConfigErrorsExit78AndNameTheSetting) {
  TempDir dir;
  struct Case {
    const char* json;
    const char* names;  // in the message
  } cases[] = {
      {R"({"vehicles": {"grade": {"colour": 1}}})", "vehicles.grade.colour is not a known setting"},
      {R"({"vehicles": {"grade": {"rules": [{"grade": "A", "when": [
          {"field": "make", "equals_any": ["Ford"], "contains_any": ["F"]}]}]}}})",
       "vehicles.grade.rules[0].when[0]"},
      {R"({"vehicles": {"grade": {"rules": [{"grade": "A", "when": [{"field": "make"}]}]}}})",
       "vehicles.grade.rules[0].when[0]"},
      {R"({"vehicles": {"grade": {"rules": [{"grade": "A", "when": [
          {"field": "model", "matches": "(unclosed"}]}]}}})",
       "vehicles.grade.rules[0].when[0].matches is not a valid RE2 pattern"},
      {R"({"vehicles": {"grade": {"rules": [{"grade": "A", "when": [{"field": "make", "present": true}]},
          {"grade": "B", "when": [{"field": "year", "between": [1970, 1950]}]}]}}})",
       "vehicles.grade.rules[1].when[0].between must be [low, high] with low <= high"},
      {R"({"vehicles": {"grade": {"rules": [{"grade": "A", "when": [
          {"field": "year", "between": [1950]}]}]}}})",
       "vehicles.grade.rules[0].when[0].between"},
      {R"({"vehicles": {"grade": {"rules": [{"grade": "A", "when": [
          {"field": "make", "equal_any": ["Ford"]}]}]}}})",
       "vehicles.grade.rules[0].when[0].equal_any is not a known setting"},
      {R"({"vehicles": {"grade": {"rules": [{"grade": "A", "when": []}]}}})",
       "vehicles.grade.rules[0].when must be a non-empty array"},
      {R"({"vehicles": {"grade": {"rules": [{"when": [{"field": "make", "present": true}]}]}}})",
       "vehicles.grade.rules[0].grade is required"},
      {R"({"vehicles": {"grade": {"rules": [{"grade": "A", "when": [
          {"fields": ["make", "model"], "at_least": 3}]}]}}})",
       "vehicles.grade.rules[0].when[0].fields must name one field"},
      {R"({"vehicles": {"grade": {"rules": [{"grade": "A", "when": [
          {"field": "price", "at_least": "lots"}]}]}}})",
       "vehicles.grade.rules[0].when[0].at_least must be a number"},
      {R"({"vehicles": {"grade": {"field": "_grade"}}})", "vehicles.grade.field"},
      {R"({"vehicles": {"grade": {"rules": {}}}})", "vehicles.grade.rules must be an array"},
  };
  for (const auto& c : cases) {
    write_file(dir / "enrich.json", c.json);
    TypeConfig config;
    Status s = load_config(dir.path(), "vehicles", config);
    EXPECT_EQ(s.code(), ExitCode::kConfig) << c.json;
    EXPECT_NE(s.message().find(c.names), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("enrich.json"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace haul::enrich
