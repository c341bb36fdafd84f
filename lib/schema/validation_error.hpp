#pragma once
// One problem found in one record, shaped like a Zod issue so that people who
// know Zod read our failed files at once:
//   {"path":["price"],"code":"too_small","message":"...","expected":">= 1000"}
// A record collects every error it has, never just the first.

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

namespace haul::schema {

// A location inside a record: object keys and array indices, outermost first.
using PathItem = std::variant<std::string, std::size_t>;
using Path = std::vector<PathItem>;

struct ValidationError {
  Path path;
  std::string code;      // stable, machine-readable: "invalid_type", "required", ...
  std::string message;   // one sentence for a person
  std::string expected;  // what would have been accepted, e.g. "number", ">= 1000"
};

using ValidationErrors = std::vector<ValidationError>;

// Error codes used across the schema engine, coercions and the record reader.
// Kept in one place so failed files stay greppable and reports can group them.
namespace code {
inline constexpr const char* kInvalidType = "invalid_type";
inline constexpr const char* kRequired = "required";
inline constexpr const char* kTooSmall = "too_small";  // minimum, exclusiveMinimum, minLength
inline constexpr const char* kTooBig = "too_big";      // maximum, exclusiveMaximum, maxLength
inline constexpr const char* kInvalidEnumValue = "invalid_enum_value";
inline constexpr const char* kInvalidLiteral = "invalid_literal";      // const
inline constexpr const char* kInvalidString = "invalid_string";        // pattern
inline constexpr const char* kInvalidFormat = "invalid_format";        // format
inline constexpr const char* kUnrecognizedKeys = "unrecognized_keys";  // additionalProperties
inline constexpr const char* kNotAllowed = "not_allowed";              // the `false` schema
inline constexpr const char* kInvalidJson = "invalid_json";
inline constexpr const char* kInvalidUtf8 = "invalid_utf8";
inline constexpr const char* kTooDeep = "too_deep";
inline constexpr const char* kRecordTooLarge = "record_too_large";
inline constexpr const char* kNotAnObject = "not_an_object";
}  // namespace code

}  // namespace haul::schema
