#include "schema/coercion.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace haul::schema {
namespace {

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool consume(std::string_view& text, std::string_view prefix) {
  if (text.substr(0, prefix.size()) != prefix) return false;
  text.remove_prefix(prefix.size());
  return true;
}

bool consume_currency(std::string_view& text) {
  static constexpr std::array<std::string_view, 8> kCurrencies = {
      "US$", "CA$", "C$", "$", "\xE2\x82\xAC" /* € */, "\xC2\xA3" /* £ */, "USD", "CAD"};
  for (auto currency : kCurrencies) {
    if (consume(text, currency)) {
      text = trim_whitespace(text);
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<CoerceStep> parse_coerce_step(std::string_view name) {
  if (name == "trim") return CoerceStep::kTrim;
  if (name == "empty_to_absent") return CoerceStep::kEmptyToAbsent;
  if (name == "null_to_absent") return CoerceStep::kNullToAbsent;
  if (name == "number") return CoerceStep::kNumber;
  if (name == "integer") return CoerceStep::kInteger;
  if (name == "string") return CoerceStep::kString;
  return std::nullopt;
}

std::string_view trim_whitespace(std::string_view text) {
  for (;;) {
    if (!text.empty() && is_ascii_space(text.front())) {
      text.remove_prefix(1);
    } else if (text.substr(0, 2) == "\xC2\xA0") {
      text.remove_prefix(2);
    } else {
      break;
    }
  }
  for (;;) {
    if (!text.empty() && is_ascii_space(text.back())) {
      text.remove_suffix(1);
    } else if (text.size() >= 2 && text.substr(text.size() - 2) == "\xC2\xA0") {
      text.remove_suffix(2);
    } else {
      break;
    }
  }
  return text;
}

std::optional<Coerced> parse_number_text(std::string_view text) {
  text = trim_whitespace(text);
  bool negative = false;
  bool currency = consume_currency(text);
  if (consume(text, "-")) {
    negative = true;
  } else {
    consume(text, "+");
  }
  if (!currency) consume_currency(text);

  // Digits with optional thousands separators, which must group by three.
  std::string digits;
  std::size_t group = 0;
  bool grouped = false;
  std::size_t i = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (is_digit(c)) {
      digits.push_back(c);
      ++group;
    } else if (c == ',' && !digits.empty() && (!grouped || group == 3) && group <= 3) {
      grouped = true;
      group = 0;
    } else {
      break;
    }
  }
  if (digits.empty() || (grouped && group != 3)) return std::nullopt;
  std::string fraction;
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && is_digit(text[i]); ++i) fraction.push_back(text[i]);
    if (fraction.empty()) return std::nullopt;
  }
  // An optional unit word, e.g. "Miles", "km", "CAD".
  std::string_view rest = trim_whitespace(text.substr(i));
  for (char c : rest) {
    if (!is_letter(c)) return std::nullopt;
  }

  bool integral = fraction.find_first_not_of('0') == std::string::npos;
  if (integral && digits.size() <= 18) {
    std::int64_t value = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return Coerced{Coerced::Kind::Int, negative ? -value : value, 0, {}};
  }
  std::string number = (negative ? "-" : "") + digits + (fraction.empty() ? "" : "." + fraction);
  double value = std::strtod(number.c_str(), nullptr);
  // Over ~309 digits the value is infinite, which JSON cannot hold (it would
  // be written as null): such text is not a number we can carry.
  if (!std::isfinite(value)) return std::nullopt;
  return Coerced{Coerced::Kind::Double, 0, value, {}};
}

}  // namespace haul::schema
