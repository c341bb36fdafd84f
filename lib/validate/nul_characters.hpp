#pragma once
// PostgreSQL's text and jsonb cannot hold U+0000, so a record carrying one
// (written "\u0000" in JSON) could never be stored verbatim: validation
// rejects it, naming every key or value that holds one, rather than leaving
// haul-import to fail on it without saying which field. Cheap: only records
// whose bytes contain "\u0000" are walked.

#include <simdjson.h>

#include <string_view>

#include "schema/validation_error.hpp"

namespace haul::validate {

// The error code, beside schema::code's.
inline constexpr const char* kNulCharacterCode = "nul_character";

// False when the record's bytes cannot hold an escaped NUL.
bool may_contain_nul(std::string_view bytes);

// Appends one nul_character error per key or string value holding U+0000.
void find_nul_characters(simdjson::dom::element record, schema::ValidationErrors& errors);

}  // namespace haul::validate
