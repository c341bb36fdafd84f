#include "schema/coercion.hpp"

#include <gtest/gtest.h>

#include <string>

namespace haul::schema {
namespace {

std::optional<std::int64_t> as_int(std::string_view text) {
  auto value = parse_number_text(text);
  if (!value || value->kind != Coerced::Kind::Int) return std::nullopt;
  return value->i;
}

TEST(Coercion, ReadsPricesAndMileagesAsListingsWriteThem) {
  EXPECT_EQ(as_int("$25,998"), 25998);
  EXPECT_EQ(as_int("18990"), 18990);
  EXPECT_EQ(as_int("44,190 Miles"), 44190);
  EXPECT_EQ(as_int(" 1,234,567 km "), 1234567);
  EXPECT_EQ(as_int("US$ 5,000"), 5000);
  EXPECT_EQ(as_int("C$12,500"), 12500);
  EXPECT_EQ(as_int("\xE2\x82\xAC"
                   "9"),
            9);
  EXPECT_EQ(as_int("-$5"), -5);
  EXPECT_EQ(as_int("25998.00"), 25998);
  EXPECT_EQ(as_int("\xC2\xA0"
                   "42\xC2\xA0"),
            42);
  auto fraction = parse_number_text("$19.99");
  ASSERT_TRUE(fraction);
  EXPECT_EQ(fraction->kind, Coerced::Kind::Double);
  EXPECT_DOUBLE_EQ(fraction->d, 19.99);
}

TEST(Coercion, LeavesTextThatIsNotANumberAlone) {
  for (const char* text : {"", "call for price", "$", "1,23", "12,3456", "1.2.3", "12 3", "12-34",
                           "0x1F", "1e5", ",123", "12 km/h"}) {
    EXPECT_FALSE(parse_number_text(text)) << text;
  }
}

TEST(Coercion, HugeIntegersBecomeDoubles) {
  auto value = parse_number_text("123456789012345678901234567890");
  ASSERT_TRUE(value);
  EXPECT_EQ(value->kind, Coerced::Kind::Double);
  EXPECT_GT(value->d, 1e29);
}

// Found by tests/fuzz/coercion_fuzz: 400 nines became an infinite double,
// which the record checker wrote as null, so the price silently vanished.
TEST(Coercion, NumbersBeyondDoubleRangeAreNotRead) {
  EXPECT_FALSE(parse_number_text(std::string(400, '9')));
  EXPECT_FALSE(parse_number_text("-$" + std::string(310, '1') + ".5"));
  auto largest = parse_number_text("1" + std::string(308, '0'));
  ASSERT_TRUE(largest);
  EXPECT_EQ(largest->kind, Coerced::Kind::Double);
  EXPECT_EQ(largest->d, 1e308);
}

TEST(Coercion, TrimsAsciiAndNoBreakSpace) {
  EXPECT_EQ(trim_whitespace("  \t Ford \xC2\xA0\n"), "Ford");
  EXPECT_EQ(trim_whitespace(" \xC2\xA0 "), "");
  EXPECT_EQ(trim_whitespace("a b"), "a b");
}

TEST(Coercion, StepNames) {
  EXPECT_EQ(parse_coerce_step("number"), CoerceStep::kNumber);
  EXPECT_EQ(parse_coerce_step("null_to_absent"), CoerceStep::kNullToAbsent);
  EXPECT_FALSE(parse_coerce_step("Number"));
}

}  // namespace
}  // namespace haul::schema
