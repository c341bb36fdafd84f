#pragma once
// Explains why a record's bytes did not parse, as a validation error with a
// path where one can be found: for invalid UTF-8 the field holding the bad
// bytes and their offset, so an operator can find them in the raw file.

#include <simdjson.h>

#include <string_view>

#include "schema/validation_error.hpp"

namespace haul::validate {

schema::ValidationError describe_parse_failure(simdjson::error_code error, std::string_view bytes);

}  // namespace haul::validate
