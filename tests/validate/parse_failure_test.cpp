// Why a record's bytes were refused: the field is named wherever one value
// is to blame, so an operator can find it in the raw file.

#include "validate/parse_failure.hpp"

#include <gtest/gtest.h>

#include <string>

#include "validate/nul_characters.hpp"

namespace haul::validate {
namespace {

schema::ValidationError explain(const std::string& bytes) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(bytes);
  simdjson::dom::element element;
  auto error = parser.parse(padded).get(element);
  EXPECT_TRUE(error) << bytes;
  return describe_parse_failure(error, bytes);
}

std::string field_of(const schema::ValidationError& error) {
  if (error.path.empty()) return "";
  return std::get<std::string>(error.path.front());
}

TEST(ParseFailure, NamesTheTopLevelFieldWhoseValueDoesNotParse) {
  EXPECT_EQ(field_of(explain(R"({"make":"Ford","price":1e400})")), "price");
  EXPECT_EQ(field_of(explain(R"({"make":"Ford","year":18446744073709551616,"x":1})")), "year");
  EXPECT_EQ(field_of(explain(R"({"a":{"b":[1,2]},"model":"GT\ud800"})")), "model");
  const char raw_nul[] = "{\"model\":\"Mus\0tang\"}";
  EXPECT_EQ(field_of(explain(std::string(raw_nul, sizeof raw_nul - 1))), "model");
  EXPECT_EQ(field_of(explain(R"({"we\"ird":-})")), "we\"ird");
  auto deep = explain(R"({"ok":1,"nest":)" + std::string(5000, '[') + std::string(5000, ']') + "}");
  EXPECT_EQ(deep.code, schema::code::kTooDeep);
  EXPECT_EQ(field_of(deep), "nest");
  EXPECT_NE(deep.message.find("\"nest\""), std::string::npos) << deep.message;
  // A record broken between fields names none.
  EXPECT_EQ(field_of(explain(R"({"make":"Ford","mod)")), "");
  EXPECT_EQ(field_of(explain(R"({"make" "Ford"})")), "");
  EXPECT_EQ(explain(R"({"make":"Ford","mod)").code, schema::code::kInvalidJson);
}

TEST(NulCharacters, EveryKeyAndValueHoldingOneIsNamed) {
  const std::string bytes = R"({"a":"x\u0000y","b":["ok","\u0000"],"c\u0000":1,"d":"\\u0000"})";
  ASSERT_TRUE(may_contain_nul(bytes));
  EXPECT_FALSE(may_contain_nul(R"({"a":"x"})"));
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  ASSERT_FALSE(parser.parse(bytes).get(element));
  schema::ValidationErrors errors;
  find_nul_characters(element, errors);
  ASSERT_EQ(errors.size(), 3u);  // "\\u0000" is a backslash and text, not a NUL
  EXPECT_EQ(errors[0].code, kNulCharacterCode);
  EXPECT_EQ(field_of(errors[0]), "a");
  EXPECT_EQ(errors[1].path.size(), 2u);
  EXPECT_EQ(field_of(errors[1]), "b");
  EXPECT_EQ(field_of(errors[2]), std::string("c\0", 2));
}

}  // namespace
}  // namespace haul::validate
