#include "io/json_writer.hpp"

#include <gtest/gtest.h>

namespace haul::io {
namespace {

TEST(JsonWriter, WritesNestedStructuresWithCommas) {
  std::string out;
  JsonWriter json(out);
  json.begin_object();
  json.field("a", 1);
  json.key("b");
  json.begin_array();
  json.value("x");
  json.value(2.5);
  json.null();
  json.value(true);
  json.end_array();
  json.field("c", std::string_view("y"));
  json.end_object();
  EXPECT_EQ(out, R"({"a":1,"b":["x",2.5,null,true],"c":"y"})");
}

TEST(JsonWriter, EscapesStringsPerRfc8259) {
  std::string out;
  append_json_string(out, std::string_view("q\"b\\n\n\x01\x1f é", 11));
  EXPECT_EQ(out, "\"q\\\"b\\\\n\\n\\u0001\\u001f é\"");
}

TEST(JsonWriter, RoundTripsParsedDocuments) {
  simdjson::dom::parser parser;
  std::string text = R"({"k":[1,-2,18446744073709551615,0.1,1e+300,"s\"\n",{"n":null,"t":false}]})";
  simdjson::dom::element element = parser.parse(text);
  std::string out;
  JsonWriter json(out);
  json.value(element);
  EXPECT_EQ(out, text);
}

// Found by tests/fuzz/coercion_fuzz: "124991241299949914998" coerced to a
// double was written as the integer literal 124991241299949910000, which
// simdjson refuses, so haul-validate wrote a line no later stage could read.
TEST(JsonWriter, LargeDoublesStayParseable) {
  for (double d :
       {1.2499124129994991e20, -1.8446744073709552e19, 9.223372036854775808e18, 1e21, 1e300}) {
    std::string out;
    JsonWriter(out).value(d);
    simdjson::dom::parser parser;
    double back = 0;
    ASSERT_FALSE(parser.parse(out).get(back)) << out;
    EXPECT_EQ(back, d) << out;
  }
  std::string small;
  JsonWriter(small).value(25998.0);
  EXPECT_EQ(small, "25998");
}

// std::to_chars' shortest form writes 100000.0 as "1e+05" (shorter than
// the digits): valid JSON, but not what JavaScript, the files' readers or a
// person expect of a median or a price.
TEST(JsonWriter, DoublesAreWrittenAsJavaScriptWritesThem) {
  const std::pair<double, const char*> cases[] = {
      {100000.0, "100000"},         {1e6, "1000000"}, {-2500000.0, "-2500000"},
      {27798.5, "27798.5"},         {0.1, "0.1"},     {0.0001, "0.0001"},
      {0.000001, "0.000001"},       {1e-7, "1e-07"},  {0.0, "0"},
      {1e18, "1000000000000000000"}};
  for (const auto& [number, text] : cases) {
    std::string out;
    JsonWriter(out).value(number);
    EXPECT_EQ(out, text);
    simdjson::dom::parser parser;
    double back = 0;
    ASSERT_FALSE(parser.parse(out).get(back)) << out;
    EXPECT_EQ(back, number) << out;
  }
}

TEST(JsonWriter, NonFiniteNumbersBecomeNull) {
  std::string out;
  JsonWriter json(out);
  json.value(std::numeric_limits<double>::infinity());
  EXPECT_EQ(out, "null");
}

}  // namespace
}  // namespace haul::io
