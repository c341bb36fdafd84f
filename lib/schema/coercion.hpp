#pragma once
// Declared coercions: how scraped text becomes the typed value a schema
// expects ("$25,998" -> 25998, "44,190 Miles" -> 44190, " Ford " -> "Ford").
// A value a coercion cannot read is left as it was, so the schema then
// reports it with the original value in the message.

#include <optional>
#include <string_view>

#include "schema/schema.hpp"

namespace haul::schema {

enum class CoerceStep {
  kTrim,           // strip leading/trailing whitespace (ASCII and no-break space)
  kEmptyToAbsent,  // "" -> field removed
  kNullToAbsent,   // null, or a string on the schema's x-haul-null-strings list -> removed
  kNumber,         // numeric text -> number
  kInteger,        // numeric text with an integral value -> integer
  kString,         // a number -> its text (stock numbers, postcodes)
};

std::optional<CoerceStep> parse_coerce_step(std::string_view name);

std::string_view trim_whitespace(std::string_view text);

// Reads numbers as listings write them: optional sign, optional currency
// ("$", "US$", "C$", "CA$", "€", "£", "USD", "CAD"), digits with ','
// thousands separators, an optional fraction, and an optional trailing unit
// word ("Miles", "km"). Integral values come back as Int; a value too large
// for a double (infinite) is not read.
std::optional<Coerced> parse_number_text(std::string_view text);

}  // namespace haul::schema
