// Fuzzes the declared coercions (schema/coercion) and the date formats, one
// arbitrary text at a time:
// - trim_whitespace returns a sub-view with no whitespace at either end and
//   is idempotent;
// - parse_number_text accepts exactly the grammar in its header (checked
//   against an independent RE2 expression of it) and returns the value the
//   sign and digits spell; an integer result survives a round trip through
//   its plain and its "$1,234 Miles" spelling;
// - through the record checker (validate/record_checker) the same text in a
//   record comes out as valid JSON carrying exactly the coerced value, the
//   text unchanged when it is not a number, or the field absent;
// - Date::parse accepts exactly what the "date" format accepts, and prints
//   back the text it read; a valid date-time starts with a valid date.

#include <re2/re2.h>
#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "require.hpp"
#include "io/json_writer.hpp"
#include "schema/coercion.hpp"
#include "schema/format_checks.hpp"
#include "schema/record_policy.hpp"
#include "schema/schema.hpp"
#include "util/date.hpp"
#include "util/utf8.hpp"
#include "validate/record_checker.hpp"

namespace {

using haul::fuzz::require;

using haul::schema::Coerced;

bool is_space_at_front(std::string_view t) {
  if (t.empty()) return false;
  const char c = t.front();
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
         t.substr(0, 2) == "\xC2\xA0";
}
bool is_space_at_back(std::string_view t) {
  if (t.empty()) return false;
  const char c = t.back();
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
         (t.size() >= 2 && t.substr(t.size() - 2) == "\xC2\xA0");
}

// The number grammar of coercion.hpp, written independently: whitespace,
// at most one currency (before or after the sign), digits grouped by
// thousands or not at all, an optional fraction, an optional unit word.
const RE2& number_grammar() {
  static const RE2* re = [] {
    RE2::Options options;
    options.set_encoding(RE2::Options::EncodingLatin1);
    const std::string ws = R"((?:[ \t\n\r\f\v]|\xC2\xA0)*)";
    const std::string currency = R"((?:US\$|CA\$|C\$|\$|\xE2\x82\xAC|\xC2\xA3|USD|CAD))";
    const std::string pattern = "^" + ws + "(?:" + currency + ws + "([-+]?)|([-+]?)(?:" +
                                currency + ws + ")?)" +
                                R"(([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?)" + ws +
                                "[A-Za-z]*" + ws + "$";
    return new RE2(pattern, options);
  }();
  return *re;
}

std::string with_thousands(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -(value + 1) + 1ULL : value + 0ULL);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return (value < 0 ? "$-" : "$") + out + " Miles";
}

void check_trim(std::string_view text) {
  std::string_view trimmed = haul::schema::trim_whitespace(text);
  require(trimmed.data() >= text.data() &&
              trimmed.data() + trimmed.size() <= text.data() + text.size(),
          "trim returns a sub-view");
  require(!is_space_at_front(trimmed) && !is_space_at_back(trimmed), "trim leaves no whitespace");
  require(haul::schema::trim_whitespace(trimmed) == trimmed, "trim is idempotent");
}

void check_number(std::string_view text) {
  std::string sign_a, sign_b, integral, fraction;
  const bool grammatical = RE2::FullMatch(text, number_grammar(), &sign_a, &sign_b, &integral,
                                          &fraction);
  auto number = haul::schema::parse_number_text(text);
  std::string digits;
  for (char c : integral) {
    if (c != ',') digits.push_back(c);
  }
  const bool negative = sign_a == "-" || sign_b == "-";
  const bool integral_value = fraction.find_first_not_of('0') == std::string::npos;
  const std::string spelled =
      (negative ? "-" : "") + digits + (fraction.empty() ? "" : "." + fraction);
  const bool finite = std::isfinite(std::strtod(spelled.c_str(), nullptr));
  require(number.has_value() == (grammatical && finite),
          "number accepted <=> grammatical and within double range");
  if (!number) return;
  require(number->kind != Coerced::Kind::String, "a number is not a string");
  if (number->kind == Coerced::Kind::Int) {
    require(integral_value, "Int only for integral values");
    const std::string shown = std::to_string(number->i < 0 ? -number->i : number->i);
    require(digits.find_first_not_of('0') == std::string::npos
                ? number->i == 0
                : digits.substr(digits.find_first_not_of('0')) == shown,
            "Int value = the digits");
    require(number->i == 0 || (number->i < 0) == negative, "Int sign");
    for (const std::string& again : {std::to_string(number->i), with_thousands(number->i)}) {
      auto back = haul::schema::parse_number_text(again);
      require(back && back->kind == Coerced::Kind::Int && back->i == number->i, "Int round trip");
    }
  } else {
    require(!integral_value || digits.size() > 18, "Double only for fractions or huge values");
    require(number->d == std::strtod(spelled.c_str(), nullptr), "Double value = the text");
  }
}

void check_dates(std::string_view text) {
  auto date = haul::Date::parse(text);
  require(date.has_value() == haul::schema::is_valid_date(text), "Date::parse <=> format date");
  if (date) require(date->to_string() == text, "a date prints as it was read");
  if (haul::schema::is_valid_date_time(text)) {
    require(haul::schema::is_valid_date(text.substr(0, 10)), "date-time starts with a date");
  }
}

constexpr std::string_view kSchema = R"({
  "type": "object",
  "x-haul-null-strings": ["null", "N/A"],
  "properties": {
    "price": {"x-haul-coerce": ["trim", "number"]},
    "year": {"x-haul-coerce": ["integer"]},
    "note": {"x-haul-coerce": ["trim", "null_to_absent", "empty_to_absent"]}
  }})";

struct Checker {
  std::unique_ptr<haul::schema::Schema> schema;
  haul::schema::RecordPolicy policy;
  Checker() {
    std::string error;
    auto compiled = haul::schema::Schema::compile(kSchema, {}, error);
    require(compiled.has_value(), "the fuzz schema compiles");
    schema = std::make_unique<haul::schema::Schema>(std::move(*compiled));
    require(haul::schema::RecordPolicy::compile(kSchema, policy).is_ok(), "the policy compiles");
  }
};

// `field` of the output must be the coerced form of `text`.
void check_field(simdjson::dom::object out, std::string_view key, std::string_view text,
                 std::optional<Coerced> number) {
  simdjson::dom::element value;
  require(!out[key].get(value), "a coerced field stays present");
  if (!number) {
    std::string_view s;
    require(!value.get(s) && s == text, "a non-number is left as it was");
    return;
  }
  if (number->kind == Coerced::Kind::Int) {
    std::int64_t i;
    require(!value.get(i) && i == number->i, "the output holds the Int");
  } else {
    double d;
    require(!value.get(d) && d == number->d, "the output holds the Double");
  }
}

void check_record(std::string_view raw_text) {
  static Checker checker;
  const std::string text = haul::utf8::sanitize(raw_text);
  std::string record = "{\"price\":";
  haul::io::append_json_string(record, text);
  record += ",\"year\":";
  haul::io::append_json_string(record, text);
  record += ",\"note\":";
  haul::io::append_json_string(record, text);
  record += "}";
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  require(!parser.parse(record).get(element), "the fuzz record is JSON");
  haul::validate::RecordChecker record_checker(*checker.schema, checker.policy,
                                               *haul::Date::parse("2026-01-01"));
  haul::validate::Provenance provenance{"fuzz", "vehicles", "raw/fuzz.json", 0, 0, 1, {}};
  std::string out;
  haul::schema::ValidationErrors errors;
  require(record_checker.check(element, nullptr, provenance, out, errors),
          "a record with untyped fields is valid");
  simdjson::dom::parser out_parser;
  simdjson::dom::object object;
  require(!out_parser.parse(out).get(object), "the output line is a JSON object");

  auto price = haul::schema::parse_number_text(haul::schema::trim_whitespace(text));
  check_field(object, "price", price ? text : haul::schema::trim_whitespace(text), price);
  auto year = haul::schema::parse_number_text(text);
  if (year && year->kind != Coerced::Kind::Int) year.reset();
  check_field(object, "year", text, year);

  const std::string_view trimmed = haul::schema::trim_whitespace(text);
  simdjson::dom::element note;
  // Null strings match without regard to ASCII case ("NULL", "n/a").
  std::string lower(trimmed);
  for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  const bool absent = trimmed.empty() || lower == "null" || lower == "n/a";
  require(bool(object["note"].get(note)) == absent, "note absent <=> empty or a null string");
  std::string_view note_text;
  if (!absent) require(!note.get(note_text) && note_text == trimmed, "note is trimmed");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_trim(text);
  check_number(text);
  check_dates(text);
  check_record(text);
  return 0;
}
