// Fuzzes the schema engine (schema/schema) on both of its inputs at once: the
// input is a schema document and an instance separated by the first NUL byte.
// Whatever the schema, compiling either succeeds or names the problem; and a
// compiled schema
// - is deterministic (the same instance twice: the same verdict and errors),
// - returns true exactly when it reported no error,
// - judges an object the same way through validate() on the document and
//   validate_record() on its top-level fields (the path haul-validate takes
//   after coercions),
// - only adds errors when `format` becomes an assertion (anything valid with
//   format_assertion on is valid with it off).
// Inputs are capped at 4 KiB; the engine's own depth limit keeps recursion
// bounded.

#include <simdjson.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "require.hpp"
#include "schema/schema.hpp"

namespace {

using haul::fuzz::require;

using haul::schema::Schema;
using haul::schema::ValidationErrors;

std::vector<std::string> codes(const ValidationErrors& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) {
    require(!e.code.empty() && !e.message.empty(), "an error has a code and a message");
    out.push_back(e.code);
  }
  return out;
}

bool validate(const Schema& schema, simdjson::dom::element value, ValidationErrors& errors) {
  const bool valid = schema.validate(value, errors);
  require(valid == errors.empty(), "valid <=> no errors");
  return valid;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = input.find('\0');
  const std::string_view schema_text = input.substr(0, cut);
  const std::string_view instance_text =
      cut == std::string_view::npos ? std::string_view("{}") : input.substr(cut + 1);

  std::string error;
  std::optional<Schema> asserting = Schema::compile(schema_text, {true}, error);
  if (!asserting) {
    require(!error.empty(), "a schema that does not compile says why");
    std::string again;
    require(!Schema::compile(schema_text, {true}, again) && again == error,
            "compile errors are deterministic");
    return 0;
  }
  std::string lenient_error;
  std::optional<Schema> lenient = Schema::compile(schema_text, {false}, lenient_error);
  require(lenient.has_value(), "a schema compiles whether or not formats assert");

  simdjson::dom::parser parser;
  simdjson::dom::element instance;
  if (parser.parse(instance_text.data(), instance_text.size()).get(instance)) return 0;

  ValidationErrors first, second, relaxed;
  const bool valid = validate(*asserting, instance, first);
  require(validate(*asserting, instance, second) == valid, "deterministic verdict");
  require(codes(first) == codes(second), "deterministic errors");
  const bool valid_relaxed = validate(*lenient, instance, relaxed);
  require(!valid || valid_relaxed, "format assertions only add errors");

  simdjson::dom::object object;
  if (instance.get(object)) return 0;
  std::vector<haul::schema::Field> fields;
  std::set<std::string_view> keys;
  for (auto field : object) {
    if (!keys.insert(field.key).second) return 0;  // validate_record wants unique keys
    fields.push_back({field.key, field.value});
  }
  ValidationErrors by_fields;
  const bool valid_fields = asserting->validate_record(fields, by_fields);
  require(valid_fields == by_fields.empty(), "validate_record: valid <=> no errors");
  require(valid_fields == valid, "document and field list agree on validity");
  require(codes(by_fields) == codes(first), "document and field list report the same errors");
  return 0;
}
