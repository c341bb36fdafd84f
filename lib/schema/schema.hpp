#pragma once
// A JSON Schema (draft 2020-12 subset) compiled once into a check plan and run
// over simdjson DOM values. Supported keywords: type, required, properties,
// additionalProperties, enum, const, minimum, maximum, exclusiveMinimum,
// exclusiveMaximum, minLength, maxLength (code points), pattern (RE2: linear
// time, so no input can hang a cron job), items, format (uri, date, date-time,
// email). Boolean schemas (true/false) are supported.
//
// Compiling fails, naming the keyword and its location, on any other
// assertion keyword ($ref, prefixItems, ...): a keyword silently ignored would
// be a check silently skipped. Annotations ($schema, $id, title, description,
// default, examples, $comment, deprecated, readOnly, writeOnly) and keywords
// starting with "x-" (haul's coercions and business rules) are ignored here.
//
// Thread-safety: a compiled Schema is immutable and may be shared by threads.

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "schema/validation_error.hpp"

namespace haul::schema {

struct CompileOptions {
  // When false, `format` is an annotation only (the 2020-12 default, used by
  // the conformance suite's core files); haul's own schemas assert formats.
  bool format_assertion = true;
};

// The value of one top-level field of a record after coercion: either a value
// of the parsed document, or a scalar a coercion produced in its place.
struct Coerced {
  enum class Kind { Int, Double, String } kind;
  std::int64_t i = 0;
  double d = 0;
  std::string_view s;  // Kind::String; owned by the caller
};
using FieldValue = std::variant<simdjson::dom::element, Coerced>;

struct Field {
  std::string_view key;
  FieldValue value;
};

class Schema {
 public:
  // `schema_json` is the schema text. On failure returns nullopt and sets
  // `error` to a message naming the JSON pointer of the offending keyword.
  static std::optional<Schema> compile(std::string_view schema_json, const CompileOptions& options,
                                       std::string& error);

  Schema(Schema&&) noexcept;
  Schema& operator=(Schema&&) noexcept;
  ~Schema();

  // Appends every error of `value` to `errors`; returns true when it is valid.
  bool validate(simdjson::dom::element value, ValidationErrors& errors) const;

  // Validates a record given as its top-level fields (in document order, keys
  // unique), so coerced values need not be written back into the document.
  bool validate_record(std::span<const Field> fields, ValidationErrors& errors) const;

 private:
  struct Impl;
  explicit Schema(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace haul::schema
