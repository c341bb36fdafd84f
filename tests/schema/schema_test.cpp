#include "schema/schema.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace haul::schema {
namespace {

// Validates JSON texts against a schema compiled from JSON text.
class Checker {
 public:
  explicit Checker(std::string_view schema_json, CompileOptions options = {}) {
    std::string error;
    schema_ = Schema::compile(schema_json, options, error);
    EXPECT_TRUE(schema_) << "compile failed: " << error;
  }

  ValidationErrors errors(std::string_view instance_json) {
    ValidationErrors errors;
    simdjson::dom::element instance;
    EXPECT_EQ(parser_.parse(simdjson::padded_string(instance_json)).get(instance),
              simdjson::SUCCESS)
        << instance_json;
    if (!schema_) return errors;
    const bool valid = schema_->validate(instance, errors);
    EXPECT_EQ(valid, errors.empty());
    return errors;
  }

  bool valid(std::string_view instance_json) { return errors(instance_json).empty(); }

  const Schema& schema() const { return *schema_; }

 private:
  std::optional<Schema> schema_;
  simdjson::dom::parser parser_;
};

std::string compile_error(std::string_view schema_json, CompileOptions options = {}) {
  std::string error;
  const std::optional<Schema> schema = Schema::compile(schema_json, options, error);
  EXPECT_FALSE(schema) << schema_json;
  return error;
}

// A path as a JSON-pointer-like string, for readable assertions: "/a/0".
std::string pointer(const Path& path) {
  std::string out;
  for (const PathItem& item : path) {
    out += '/';
    if (const auto* key = std::get_if<std::string>(&item)) {
      out += *key;
    } else {
      out += std::to_string(std::get<std::size_t>(item));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// type

TEST(SchemaType, AcceptsMatchingTypes) {
  EXPECT_TRUE(Checker(R"({"type": "null"})").valid("null"));
  EXPECT_TRUE(Checker(R"({"type": "boolean"})").valid("false"));
  EXPECT_TRUE(Checker(R"({"type": "string"})").valid(R"("")"));
  EXPECT_TRUE(Checker(R"({"type": "array"})").valid("[]"));
  EXPECT_TRUE(Checker(R"({"type": "object"})").valid("{}"));
  Checker number(R"({"type": "number"})");
  EXPECT_TRUE(number.valid("1"));
  EXPECT_TRUE(number.valid("1.5"));
  EXPECT_TRUE(number.valid("18446744073709551615"));
}

TEST(SchemaType, IntegerAcceptsIntegralFloats) {
  Checker integer(R"({"type": "integer"})");
  EXPECT_TRUE(integer.valid("1"));
  EXPECT_TRUE(integer.valid("1.0"));
  EXPECT_TRUE(integer.valid("-0.0"));
  EXPECT_TRUE(integer.valid("1e3"));
  EXPECT_TRUE(integer.valid("18446744073709551615"));
  EXPECT_FALSE(integer.valid("1.5"));
  EXPECT_FALSE(integer.valid("\"1\""));
}

TEST(SchemaType, ReportsExpectedAndActualType) {
  const ValidationErrors errors = Checker(R"({"type": "number"})").errors(R"("abc")");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(pointer(errors[0].path), "");
  EXPECT_EQ(errors[0].code, "invalid_type");
  EXPECT_EQ(errors[0].message, R"(expected number, got string "abc")");
  EXPECT_EQ(errors[0].expected, "number");
}

TEST(SchemaType, DescribesEveryKindOfValue) {
  Checker checker(R"({"type": "string"})");
  EXPECT_EQ(checker.errors("12").at(0).message, "expected string, got integer 12");
  EXPECT_EQ(checker.errors("1.5").at(0).message, "expected string, got number 1.5");
  EXPECT_EQ(checker.errors("true").at(0).message, "expected string, got boolean true");
  EXPECT_EQ(checker.errors("null").at(0).message, "expected string, got null");
  EXPECT_EQ(checker.errors("[1]").at(0).message, "expected string, got array");
  EXPECT_EQ(checker.errors("{}").at(0).message, "expected string, got object");
}

TEST(SchemaType, AcceptsAListOfTypes) {
  Checker checker(R"({"type": ["integer", "string"]})");
  EXPECT_TRUE(checker.valid("1"));
  EXPECT_TRUE(checker.valid(R"("x")"));
  const ValidationErrors errors = checker.errors("1.5");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "expected integer or string, got number 1.5");
  EXPECT_EQ(errors[0].expected, "integer or string");
}

TEST(SchemaType, SkipsOtherChecksOnceTheTypeIsWrong) {
  const ValidationErrors errors =
      Checker(R"({"type": "string", "minimum": 5, "enum": ["a"]})").errors("3");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "invalid_type");
}

// ---------------------------------------------------------------------------
// properties, required, additionalProperties

TEST(SchemaObject, ReportsMissingRequiredFieldsAtTheirPath) {
  Checker checker(R"({
    "type": "object",
    "properties": {"make": {"type": "string"}, "year": {}},
    "required": ["make", "model", "year"]
  })");
  EXPECT_TRUE(checker.valid(R"({"make": "Audi", "model": "A4", "year": 2019})"));
  const ValidationErrors errors = checker.errors(R"({"year": 2019})");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(pointer(errors[0].path), "/make");
  EXPECT_EQ(errors[0].code, "required");
  EXPECT_EQ(errors[0].message, R"(missing required field "make")");
  EXPECT_EQ(errors[0].expected, "string");
  EXPECT_EQ(pointer(errors[1].path), "/model");
  EXPECT_EQ(errors[1].expected, "a value");
}

TEST(SchemaObject, ReportsMissingFieldsInTheOrderTheSchemaListsThem) {
  const ValidationErrors errors = Checker(R"({"required": ["zeta", "a", "mid"]})").errors("{}");
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(pointer(errors[0].path), "/zeta");
  EXPECT_EQ(pointer(errors[1].path), "/a");
  EXPECT_EQ(pointer(errors[2].path), "/mid");
}

TEST(SchemaObject, CountsADuplicatedKeyOnce) {
  const ValidationErrors errors =
      Checker(R"({"required": ["a", "b"]})").errors(R"({"a": 1, "a": 2})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(pointer(errors[0].path), "/b");
}

TEST(SchemaObject, HandlesMoreRequiredFieldsThanFitOnTheStack) {
  std::string schema = R"({"required": [)";
  std::string instance = "{";
  for (int i = 0; i < 300; ++i) {
    schema += (i ? ",\"f" : "\"f") + std::to_string(i) + "\"";
    if (i != 123) instance += (instance.size() > 1 ? ",\"f" : "\"f") + std::to_string(i) + "\": 0";
  }
  schema += "]}";
  instance += "}";
  const ValidationErrors errors = Checker(schema).errors(instance);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(pointer(errors[0].path), "/f123");
}

TEST(SchemaObject, ValidatesPropertiesAndCollectsEveryError) {
  Checker checker(R"({
    "properties": {
      "price": {"type": "integer", "minimum": 1000},
      "title": {"type": "string", "maxLength": 5},
      "tags": {"items": {"type": "string"}}
    }
  })");
  const ValidationErrors errors =
      checker.errors(R"({"price": 0, "title": "too long", "tags": ["a", 1, "b", false]})");
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(pointer(errors[0].path), "/price");
  EXPECT_EQ(errors[0].code, "too_small");
  EXPECT_EQ(pointer(errors[1].path), "/title");
  EXPECT_EQ(errors[1].code, "too_big");
  EXPECT_EQ(pointer(errors[2].path), "/tags/1");
  EXPECT_EQ(pointer(errors[3].path), "/tags/3");
  EXPECT_EQ(errors[3].message, "expected string, got boolean false");
}

TEST(SchemaObject, ForbidsUnrecognizedFields) {
  Checker checker(R"({"properties": {"make": {}, "model": {}}, "additionalProperties": false})");
  EXPECT_TRUE(checker.valid(R"({"make": "Audi"})"));
  const ValidationErrors errors = checker.errors(R"({"make": "Audi", "colour": "red", "x": 1})");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(pointer(errors[0].path), "/colour");
  EXPECT_EQ(errors[0].code, "unrecognized_keys");
  EXPECT_EQ(errors[0].message, R"(unrecognized field "colour")");
  EXPECT_EQ(errors[0].expected, R"(one of "make", "model")");
  EXPECT_EQ(pointer(errors[1].path), "/x");
}

TEST(SchemaObject, RequiredDoesNotDeclareAField) {
  // additionalProperties looks at `properties` only, as 2020-12 specifies.
  Checker checker(R"({"required": ["a"], "additionalProperties": false})");
  const ValidationErrors errors = checker.errors(R"({"a": 1})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "unrecognized_keys");
  EXPECT_EQ(errors[0].expected, "no fields");
}

TEST(SchemaObject, AppliesAdditionalPropertiesSchemaToUndeclaredFields) {
  Checker checker(R"({"properties": {"id": {"type": "string"}},
                      "additionalProperties": {"type": "number"}})");
  EXPECT_TRUE(checker.valid(R"({"id": "x", "a": 1, "b": 2.5})"));
  const ValidationErrors errors = checker.errors(R"({"id": "x", "a": "1"})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(pointer(errors[0].path), "/a");
  EXPECT_EQ(errors[0].code, "invalid_type");
}

TEST(SchemaObject, FindsPropertiesWithEscapedAndSimilarNames) {
  Checker checker(R"({"properties": {
    "a": {"type": "integer"}, "b": {"type": "integer"}, "ab": {"type": "integer"},
    "a\nb": {"type": "integer"}, "": {"type": "integer"}, "\u00e9": {"type": "integer"}
  }})");
  const ValidationErrors errors = checker.errors(
      R"({"a": "x", "b": 1, "ab": "x", "a\nb": "x", "": "x", "\u00e9": "x", "c": "x"})");
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_EQ(pointer(errors[0].path), "/a");
  EXPECT_EQ(pointer(errors[1].path), "/ab");
  EXPECT_EQ(pointer(errors[2].path), "/a\nb");
  EXPECT_EQ(pointer(errors[3].path), "/");
  EXPECT_EQ(pointer(errors[4].path), "/\u00e9");
}

TEST(SchemaObject, IgnoresNonObjects) {
  Checker checker(
      R"({"required": ["a"], "properties": {"a": false}, "additionalProperties": false})");
  EXPECT_TRUE(checker.valid("[]"));
  EXPECT_TRUE(checker.valid("\"a\""));
}

// ---------------------------------------------------------------------------
// enum, const

TEST(SchemaEnum, ListsTheAllowedValues) {
  Checker checker(R"({"enum": ["Excellent", "Very Good", "Good"]})");
  EXPECT_TRUE(checker.valid(R"("Good")"));
  const ValidationErrors errors = checker.errors(R"("Used")");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "invalid_enum_value");
  EXPECT_EQ(errors[0].message, R"("Used" is not one of "Excellent", "Very Good", "Good")");
  EXPECT_EQ(errors[0].expected, R"(one of "Excellent", "Very Good", "Good")");
}

TEST(SchemaEnum, CapsLongLists) {
  const ValidationErrors errors =
      Checker(R"({"enum": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]})").errors("13");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "13 is not one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …");
}

TEST(SchemaEnum, ComparesAsJson) {
  Checker checker(R"({"enum": [1, null, [1, "a"], {"a": {"b": [true]}}]})");
  EXPECT_TRUE(checker.valid("1.0"));
  EXPECT_TRUE(checker.valid("null"));
  EXPECT_TRUE(checker.valid(R"([1.0, "a"])"));
  EXPECT_TRUE(checker.valid(R"({"a": {"b": [true]}})"));
  EXPECT_FALSE(checker.valid("true"));
  EXPECT_FALSE(checker.valid(R"(["a", 1])"));
  EXPECT_FALSE(checker.valid(R"([1, "a", 2])"));
  EXPECT_FALSE(checker.valid(R"({"a": {"b": [1]}})"));
  EXPECT_FALSE(checker.valid(R"({"a": {"b": [true]}, "c": 1})"));
  EXPECT_EQ(checker.errors("[2]").at(0).message,
            R"(array is not one of 1, null, [1,"a"], {"a":{"b":[true]}})");
}

TEST(SchemaConst, ComparesNumbersByValueAndObjectsUnordered) {
  Checker number(R"({"const": 1})");
  EXPECT_TRUE(number.valid("1.0"));
  EXPECT_FALSE(number.valid("true"));
  Checker object(R"({"const": {"a": 1, "b": [1, 2]}})");
  EXPECT_TRUE(object.valid(R"({"b": [1, 2.0], "a": 1})"));
  EXPECT_FALSE(object.valid(R"({"b": [2, 1], "a": 1})"));
  EXPECT_FALSE(object.valid(R"({"a": 1})"));
}

TEST(SchemaConst, ReportsTheLiteral) {
  const ValidationErrors errors = Checker(R"({"const": "x"})").errors(R"("y")");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "invalid_literal");
  EXPECT_EQ(errors[0].message, R"(must be "x", got string "y")");
  EXPECT_EQ(errors[0].expected, R"("x")");
}

// ---------------------------------------------------------------------------
// minimum, maximum, exclusiveMinimum, exclusiveMaximum

TEST(SchemaBounds, ReportsBoundAndValue) {
  Checker checker(R"({"minimum": 1000, "maximum": 5000})");
  EXPECT_TRUE(checker.valid("1000"));
  EXPECT_TRUE(checker.valid("5000.0"));
  ValidationErrors errors = checker.errors("0");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "too_small");
  EXPECT_EQ(errors[0].message, "must be >= 1000, got 0");
  EXPECT_EQ(errors[0].expected, ">= 1000");
  errors = checker.errors("5000.5");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "too_big");
  EXPECT_EQ(errors[0].message, "must be <= 5000, got 5000.5");
  EXPECT_EQ(errors[0].expected, "<= 5000");
}

TEST(SchemaBounds, ExclusiveBoundsExcludeTheBoundary) {
  Checker checker(R"({"exclusiveMinimum": 0, "exclusiveMaximum": 1.5})");
  EXPECT_TRUE(checker.valid("1"));
  ValidationErrors errors = checker.errors("0");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "too_small");
  EXPECT_EQ(errors[0].message, "must be > 0, got 0");
  errors = checker.errors("1.5");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "too_big");
  EXPECT_EQ(errors[0].message, "must be < 1.5, got 1.5");
}

TEST(SchemaBounds, ComparesBigIntegersExactly) {
  // 2^53 + 1 is not a double: a comparison through double would pass it.
  Checker max_int(R"({"maximum": 9007199254740992})");
  EXPECT_TRUE(max_int.valid("9007199254740992"));
  EXPECT_FALSE(max_int.valid("9007199254740993"));
  Checker max_double(R"({"maximum": 9007199254740992.0})");
  EXPECT_FALSE(max_double.valid("9007199254740993"));
  EXPECT_TRUE(max_double.valid("9007199254740991"));

  Checker uint(R"({"minimum": 18446744073709551615})");
  EXPECT_TRUE(uint.valid("18446744073709551615"));
  EXPECT_FALSE(uint.valid("18446744073709551614"));
  EXPECT_FALSE(uint.valid("-1"));
  EXPECT_FALSE(uint.valid("1.8446744073709550e19"));

  // 2^64 as a double is above every uint64.
  Checker two_to_64(R"({"exclusiveMaximum": 1.8446744073709552e19})");
  EXPECT_TRUE(two_to_64.valid("18446744073709551615"));
  EXPECT_FALSE(two_to_64.valid("1.8446744073709552e19"));

  Checker int_min(R"({"maximum": -9223372036854775808})");
  EXPECT_TRUE(int_min.valid("-9223372036854775808"));
  EXPECT_TRUE(int_min.valid("-1e19"));
  EXPECT_FALSE(int_min.valid("-9223372036854775807"));
  EXPECT_FALSE(int_min.valid("9223372036854775808"));

  Checker half(R"({"minimum": 0.5})");
  EXPECT_FALSE(half.valid("0"));
  EXPECT_TRUE(half.valid("1"));
  EXPECT_TRUE(half.valid("18446744073709551615"));
}

TEST(SchemaBounds, ConstComparesBigIntegersExactly) {
  Checker checker(R"({"const": 9007199254740993})");
  EXPECT_TRUE(checker.valid("9007199254740993"));
  EXPECT_FALSE(checker.valid("9007199254740992"));
  EXPECT_FALSE(checker.valid("9007199254740992.0"));
}

TEST(SchemaBounds, IgnoresNonNumbers) { EXPECT_TRUE(Checker(R"({"minimum": 5})").valid(R"("1")")); }

// ---------------------------------------------------------------------------
// minLength, maxLength

TEST(SchemaLength, CountsCodePoints) {
  Checker max_one(R"({"maxLength": 1})");
  EXPECT_TRUE(max_one.valid(R"("💩")"));
  EXPECT_TRUE(max_one.valid(R"("\ud83d\udca9")"));
  EXPECT_FALSE(max_one.valid(R"("💩💩")"));
  Checker min_two(R"({"minLength": 2})");
  const ValidationErrors errors = min_two.errors(R"("💩")");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "too_small");
  EXPECT_EQ(errors[0].message, "must have at least 2 characters, got 1");
  EXPECT_EQ(errors[0].expected, "at least 2 characters");
  EXPECT_TRUE(min_two.valid(R"("é💩")"));
}

TEST(SchemaLength, ReportsTheLength) {
  const ValidationErrors errors =
      Checker(R"({"maxLength": 100})").errors("\"" + std::string(143, 'x') + "\"");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "too_big");
  EXPECT_EQ(errors[0].message, "must have at most 100 characters, got 143");
  EXPECT_EQ(errors[0].expected, "at most 100 characters");
  EXPECT_EQ(Checker(R"({"minLength": 1})").errors(R"("")").at(0).message,
            "must have at least 1 character, got 0");
}

TEST(SchemaLength, AcceptsIntegralDecimals) {
  EXPECT_FALSE(Checker(R"({"maxLength": 2.0})").valid(R"("abc")"));
}

// ---------------------------------------------------------------------------
// pattern

TEST(SchemaPattern, SearchesUnanchored) {
  Checker checker(R"({"pattern": "a+"})");
  EXPECT_TRUE(checker.valid(R"("xxaayy")"));
  const ValidationErrors errors = Checker(R"({"pattern": "^[0-9]+$"})").errors(R"("12a")");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "invalid_string");
  EXPECT_EQ(errors[0].message, R"("12a" does not match the pattern ^[0-9]+$)");
  EXPECT_EQ(errors[0].expected, "pattern ^[0-9]+$");
}

TEST(SchemaPattern, TranslatesUnicodePropertyNames) {
  Checker letters(R"({"pattern": "^\\p{Letter}+$"})");
  EXPECT_TRUE(letters.valid(R"("Hello\u03c0")"));
  EXPECT_FALSE(letters.valid(R"("123")"));
  Checker upper(R"({"pattern": "^\\p{General_Category=Uppercase_Letter}\\P{Lu}*$"})");
  EXPECT_TRUE(upper.valid(R"("Hello")"));
  EXPECT_FALSE(upper.valid(R"("HEllo")"));
  Checker greek(R"({"pattern": "^\\p{Script=Greek}+$"})");
  EXPECT_TRUE(greek.valid(R"("\u03c0\u03b1")"));
  EXPECT_FALSE(greek.valid(R"("pa")"));
}

TEST(SchemaPattern, TranslatesUnicodeEscapes) {
  EXPECT_TRUE(Checker(R"({"pattern": "^\\u00e9$"})").valid(R"("é")"));
  EXPECT_TRUE(Checker(R"({"pattern": "^\\u{1F4A9}$"})").valid(R"("💩")"));
  EXPECT_TRUE(Checker(R"({"pattern": "^\\uD83D\\uDCA9$"})").valid(R"("💩")"));
}

TEST(SchemaPattern, FollowsEcmaWhiteSpaceAndDot) {
  Checker space(R"({"pattern": "^a\\sb$"})");
  EXPECT_TRUE(space.valid(R"("a\u00a0b")"));
  EXPECT_TRUE(space.valid(R"("a\u000bb")"));
  EXPECT_FALSE(space.valid(R"("a_b")"));
  Checker non_space(R"({"pattern": "^\\S+$"})");
  EXPECT_FALSE(non_space.valid(R"("a\u3000b")"));
  Checker in_class(R"({"pattern": "^[\\s,]+$"})");
  EXPECT_TRUE(in_class.valid(R"(", \u2028")"));
  Checker dot(R"({"pattern": "^a.b$"})");
  EXPECT_TRUE(dot.valid(R"("a💩b")"));
  EXPECT_FALSE(dot.valid(R"("a\nb")"));
  EXPECT_FALSE(dot.valid(R"("a\u2028b")"));
  EXPECT_TRUE(Checker(R"({"pattern": "^[.]$"})").valid(R"(".")"));
  EXPECT_FALSE(Checker(R"({"pattern": "^[.]$"})").valid(R"("x")"));
}

TEST(SchemaPattern, AcceptsNamedGroups) {
  EXPECT_TRUE(Checker(R"({"pattern": "^(?<year>\\d{4})-\\d{2}$"})").valid(R"("2024-01")"));
}

TEST(SchemaPattern, RefusesPatternsRe2CannotRun) {
  const std::string lookahead =
      compile_error(R"j({"properties": {"zip": {"pattern": "^(?=\\d)"}}})j");
  EXPECT_NE(lookahead.find("/properties/zip/pattern"), std::string::npos) << lookahead;
  EXPECT_NE(lookahead.find("invalid pattern"), std::string::npos) << lookahead;
  EXPECT_NE(compile_error(R"({"pattern": "(a"})").find("missing )"), std::string::npos);
  EXPECT_NE(compile_error(R"({"pattern": "(a)\\1"})").find("/pattern"), std::string::npos);
}

// ---------------------------------------------------------------------------
// format

TEST(SchemaFormat, AssertsKnownFormats) {
  Checker checker(R"({"format": "date"})");
  EXPECT_TRUE(checker.valid(R"("2024-02-29")"));
  EXPECT_TRUE(checker.valid("12"));
  const ValidationErrors errors = checker.errors(R"("2023-02-29")");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "invalid_format");
  EXPECT_EQ(errors[0].message, R"("2023-02-29" is not a valid date (YYYY-MM-DD))");
  EXPECT_EQ(errors[0].expected, "date");
  EXPECT_FALSE(Checker(R"({"format": "date-time"})").valid(R"("2024-01-15")"));
  EXPECT_FALSE(Checker(R"({"format": "email"})").valid(R"("nobody")"));
  EXPECT_FALSE(Checker(R"({"format": "uri"})").valid(R"("/relative")"));
}

TEST(SchemaFormat, IsAnAnnotationWhenAssertionIsOff) {
  const CompileOptions annotation{.format_assertion = false};
  EXPECT_TRUE(Checker(R"({"format": "date"})", annotation).valid(R"("yesterday")"));
  EXPECT_TRUE(Checker(R"({"format": "ipv4"})", annotation).valid(R"("x")"));
}

TEST(SchemaFormat, RefusesToAssertUnknownFormats) {
  const std::string error = compile_error(R"({"format": "ipv4"})");
  EXPECT_NE(error.find("/format"), std::string::npos) << error;
  EXPECT_NE(error.find("unsupported format \"ipv4\""), std::string::npos) << error;
}

// ---------------------------------------------------------------------------
// items

TEST(SchemaItems, ChecksEveryElementAtItsIndex) {
  Checker checker(R"({"items": {"type": "integer"}})");
  EXPECT_TRUE(checker.valid("[1, 2.0, 3]"));
  EXPECT_TRUE(checker.valid(R"({"0": "x"})"));
  const ValidationErrors errors = checker.errors(R"([1, "x", 2, 3.5])");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(pointer(errors[0].path), "/1");
  EXPECT_EQ(pointer(errors[1].path), "/3");
}

TEST(SchemaItems, BuildsPathsThroughNestedArraysAndObjects) {
  Checker checker(
      R"({"properties": {"rows": {"items": {"items": {"properties": {"v": {"type": "null"}}}}}}})");
  const ValidationErrors errors = checker.errors(R"({"rows": [[], [{"v": null}, {"v": 1}]]})");
  ASSERT_EQ(errors.size(), 1u);
  ASSERT_EQ(errors[0].path.size(), 4u);
  EXPECT_EQ(std::get<std::string>(errors[0].path[0]), "rows");
  EXPECT_EQ(std::get<std::size_t>(errors[0].path[1]), 1u);
  EXPECT_EQ(std::get<std::size_t>(errors[0].path[2]), 1u);
  EXPECT_EQ(std::get<std::string>(errors[0].path[3]), "v");
}

TEST(SchemaItems, RefusesTheTupleForm) {
  EXPECT_NE(compile_error(R"({"items": [{}, {}]})").find("prefixItems"), std::string::npos);
}

// ---------------------------------------------------------------------------
// Boolean schemas

TEST(SchemaBoolean, TrueAcceptsAndFalseRejectsEverything) {
  Checker yes("true");
  Checker no("false");
  for (const char* value : {"null", "1", R"("x")", "[]", "{}"}) {
    EXPECT_TRUE(yes.valid(value)) << value;
    const ValidationErrors errors = no.errors(value);
    ASSERT_EQ(errors.size(), 1u) << value;
    EXPECT_EQ(errors[0].code, "not_allowed");
    EXPECT_EQ(errors[0].expected, "nothing");
  }
}

TEST(SchemaBoolean, WorksWhereverASchemaMay) {
  Checker checker(R"({"properties": {"ok": true, "gone": false}, "additionalProperties": false,
                      "items": false})");
  EXPECT_TRUE(checker.valid(R"({"ok": 1})"));
  EXPECT_TRUE(checker.valid("[]"));
  const ValidationErrors errors = checker.errors(R"({"gone": 1})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(pointer(errors[0].path), "/gone");
  EXPECT_EQ(errors[0].code, "not_allowed");
  EXPECT_EQ(Checker(R"({"items": false})").errors("[1, 2]").size(), 2u);
}

// ---------------------------------------------------------------------------
// Compilation

TEST(SchemaCompile, RefusesUnsupportedKeywordsNamingTheirPointer) {
  std::string error = compile_error(R"({"properties": {"a": {"$ref": "#/$defs/a"}}})");
  EXPECT_EQ(error, R"(/properties/a/$ref: unsupported keyword "$ref")");
  error = compile_error(R"({"properties": {"a/b~c": {"minItems": 1}}})");
  EXPECT_EQ(error, R"(/properties/a~1b~0c/minItems: unsupported keyword "minItems")");
  EXPECT_NE(compile_error(R"({"prefixItems": []})").find("prefixItems"), std::string::npos);
  EXPECT_NE(compile_error(R"({"items": {"allOf": []}})").find("/items/allOf"), std::string::npos);
  EXPECT_NE(compile_error(R"({"unevaluatedProperties": false})").find("unevaluatedProperties"),
            std::string::npos);
}

TEST(SchemaCompile, IgnoresAnnotationsAndExtensions) {
  Checker checker(R"({
    "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://haul/x",
    "title": "t", "description": "d", "default": 1, "examples": [1], "$comment": "c",
    "deprecated": false, "readOnly": false, "writeOnly": false,
    "contentMediaType": "text/plain", "contentEncoding": "base64",
    "x-coerce": ["trim"], "x-rules": {"anything": [1, 2]},
    "properties": {"a": {"x-note": "fine", "type": "string"}}
  })");
  EXPECT_TRUE(checker.valid(R"({"a": "x"})"));
}

TEST(SchemaCompile, RefusesMalformedKeywordValues) {
  EXPECT_EQ(compile_error(R"({"type": "text"})"), R"(/type: unknown type "text")");
  EXPECT_EQ(compile_error(R"({"type": []})"), "/type: type must name at least one type");
  EXPECT_EQ(compile_error(R"({"minimum": "5"})"), "/minimum: must be a number");
  EXPECT_EQ(compile_error(R"({"maxLength": -1})"), "/maxLength: must be a non-negative integer");
  EXPECT_EQ(compile_error(R"({"minLength": 1.5})"), "/minLength: must be a non-negative integer");
  EXPECT_EQ(compile_error(R"({"required": [1]})"), "/required: required must list strings");
  EXPECT_EQ(compile_error(R"({"enum": 1})"), "/enum: enum must be an array");
  EXPECT_EQ(compile_error(R"({"properties": {"a": 1}})"),
            "/properties/a: a schema must be an object or a boolean");
  EXPECT_EQ(compile_error("1"), "/: a schema must be an object or a boolean");
}

TEST(SchemaCompile, RefusesInvalidJson) {
  EXPECT_NE(compile_error(R"({"type": )").find("schema is not valid JSON"), std::string::npos);
}

std::string nested_items(int depth) {
  std::string schema;
  for (int i = 0; i < depth; ++i) schema += R"({"items": )";
  schema += "true";
  for (int i = 0; i < depth; ++i) schema += "}";
  return schema;
}

TEST(SchemaCompile, RefusesSchemasNestedDeeperThan64) {
  std::string error;
  EXPECT_TRUE(Schema::compile(nested_items(64), {}, error)) << error;
  error = compile_error(nested_items(65));
  EXPECT_NE(error.find("nested deeper than 64"), std::string::npos) << error;
}

TEST(SchemaCompile, RefusesLiteralsNestedDeeperThan64) {
  const std::string deep = std::string(66, '[') + std::string(66, ']');
  const std::string error = compile_error(R"({"enum": [1, )" + deep + "]}");
  EXPECT_NE(error.find("/enum/1: value is nested deeper than 64"), std::string::npos) << error;
}

TEST(SchemaCompile, ValidatesDeepInputOnlyAsDeepAsTheSchema) {
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "[";
  for (int i = 0; i < 1000; ++i) deep += "]";
  EXPECT_TRUE(Checker(R"({"items": {"type": "array"}})").valid(deep));
}

TEST(SchemaCompile, MovedSchemaStillValidates) {
  std::string error;
  std::optional<Schema> schema = Schema::compile(R"({"type": "integer"})", {}, error);
  ASSERT_TRUE(schema);
  Schema moved = std::move(*schema);
  simdjson::dom::parser parser;
  ValidationErrors errors;
  EXPECT_FALSE(
      moved.validate(parser.parse(simdjson::padded_string(std::string("\"x\""))).value(), errors));
  EXPECT_EQ(errors.size(), 1u);
}

// ---------------------------------------------------------------------------
// Messages

TEST(SchemaMessages, CapQuotedValuesAt80CodePoints) {
  std::string long_value;
  for (int i = 0; i < 200; ++i) long_value += "\u00e9";
  const ValidationErrors errors = Checker(R"({"type": "number"})").errors("\"" + long_value + "\"");
  ASSERT_EQ(errors.size(), 1u);
  std::string expected_quote;
  for (int i = 0; i < 80; ++i) expected_quote += "\u00e9";
  EXPECT_EQ(errors[0].message, "expected number, got string \"" + expected_quote + "…\"");
}

TEST(SchemaMessages, CapLongLiterals) {
  std::string items;
  for (int i = 0; i < 1000; ++i) items += (i ? ",\"" : "\"") + std::string(50, 'a' + i % 26) + "\"";
  const ValidationErrors errors = Checker(R"({"const": [)" + items + "]}").errors("1");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_LT(errors[0].expected.size(), 300u);
  EXPECT_EQ(errors[0].expected.substr(0, 5), "[\"aaa");
  EXPECT_EQ(errors[0].expected.substr(errors[0].expected.size() - 3), "…");
}

TEST(SchemaMessages, EscapeControlCharacters) {
  const ValidationErrors errors = Checker(R"({"type": "number"})").errors(R"("a\"b\n\u0001")");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, R"(expected number, got string "a\"b\n\u0001")");
}

// ---------------------------------------------------------------------------
// validate_record

constexpr std::string_view kListingSchema = R"({
  "type": "object",
  "properties": {
    "make": {"type": "string", "minLength": 2},
    "price": {"type": "integer", "minimum": 1000},
    "mileage": {"type": "number", "maximum": 1000000},
    "condition": {"enum": ["Excellent", "Very Good", "Good"]},
    "tags": {"items": {"type": "string"}}
  },
  "required": ["make", "price"],
  "additionalProperties": false
})";

Coerced coerced_int(std::int64_t i) { return Coerced{Coerced::Kind::Int, i, 0, {}}; }
Coerced coerced_double(double d) { return Coerced{Coerced::Kind::Double, 0, d, {}}; }
Coerced coerced_string(std::string_view s) { return Coerced{Coerced::Kind::String, 0, 0, s}; }

TEST(SchemaRecord, ValidatesCoercedValues) {
  Checker checker(kListingSchema);
  const std::vector<Field> fields = {
      {"make", coerced_string("Audi")},
      {"price", coerced_int(25000)},
      {"mileage", coerced_double(12345.5)},
  };
  ValidationErrors errors;
  EXPECT_TRUE(checker.schema().validate_record(fields, errors));
  EXPECT_TRUE(errors.empty());
}

TEST(SchemaRecord, ReportsTheSameErrorsAsTheEquivalentObject) {
  Checker checker(kListingSchema);
  simdjson::dom::parser parser;
  const simdjson::padded_string json(std::string(R"({"tags": ["a", 1], "colour": "red"})"));
  const simdjson::dom::element document = parser.parse(json).value();
  const std::vector<Field> fields = {
      {"make", coerced_string("A")},      {"price", coerced_double(999.5)},
      {"mileage", coerced_double(2e6)},   {"condition", coerced_string("Used")},
      {"tags", document["tags"].value()}, {"colour", document["colour"].value()},
  };
  ValidationErrors from_record;
  EXPECT_FALSE(checker.schema().validate_record(fields, from_record));

  const ValidationErrors from_object = checker.errors(
      R"({"make": "A", "price": 999.5, "mileage": 2e6, "condition": "Used",
          "tags": ["a", 1], "colour": "red"})");
  ASSERT_EQ(from_record.size(), 6u);
  ASSERT_EQ(from_object.size(), from_record.size());
  for (std::size_t i = 0; i < from_record.size(); ++i) {
    EXPECT_EQ(from_record[i].path, from_object[i].path) << i;
    EXPECT_EQ(from_record[i].code, from_object[i].code) << i;
    EXPECT_EQ(from_record[i].message, from_object[i].message) << i;
    EXPECT_EQ(from_record[i].expected, from_object[i].expected) << i;
  }
  EXPECT_EQ(from_record[1].message, "expected integer, got number 999.5");
  EXPECT_EQ(from_record[3].message, R"("Used" is not one of "Excellent", "Very Good", "Good")");
  EXPECT_EQ(pointer(from_record[4].path), "/tags/1");
  EXPECT_EQ(from_record[5].code, "unrecognized_keys");
}

TEST(SchemaRecord, ReportsMissingRequiredFields) {
  Checker checker(kListingSchema);
  const std::vector<Field> fields = {{"mileage", coerced_int(5)}};
  ValidationErrors errors;
  EXPECT_FALSE(checker.schema().validate_record(fields, errors));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].message, R"(missing required field "make")");
  EXPECT_EQ(errors[1].message, R"(missing required field "price")");
  EXPECT_EQ(errors[1].expected, "integer");
}

TEST(SchemaRecord, CountsCoercedStringLengthsInCodePoints) {
  Checker checker(R"({"properties": {"s": {"maxLength": 1}}})");
  ValidationErrors errors;
  const std::vector<Field> emoji = {{"s", coerced_string("💩")}};
  EXPECT_TRUE(checker.schema().validate_record(emoji, errors));
  const std::vector<Field> two = {{"s", coerced_string("ab")}};
  EXPECT_FALSE(checker.schema().validate_record(two, errors));
}

TEST(SchemaRecord, NanFailsEveryBound) {
  Checker checker(R"({"properties": {"x": {"minimum": 0}}})");
  const std::vector<Field> fields = {{"x", coerced_double(std::nan(""))}};
  ValidationErrors errors;
  EXPECT_FALSE(checker.schema().validate_record(fields, errors));
}

TEST(SchemaRecord, AppliesRootChecksToTheRecordAsAnObject) {
  Checker checker(R"({"type": "array"})");
  ValidationErrors errors;
  EXPECT_FALSE(checker.schema().validate_record({}, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "expected array, got object");
  Checker constant(R"({"const": {"a": 1, "b": "x"}})");
  const std::vector<Field> fields = {{"b", coerced_string("x")}, {"a", coerced_double(1.0)}};
  EXPECT_TRUE(constant.schema().validate_record(fields, errors));
}

}  // namespace
}  // namespace haul::schema
