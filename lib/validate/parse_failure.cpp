#include "validate/parse_failure.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>

#include "schema/error_json.hpp"
#include "util/utf8.hpp"

namespace haul::validate {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Depth-first search for the first key or string value holding U+FFFD.
bool find_replacement(simdjson::dom::element element, schema::Path& path) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::STRING:
      return std::string_view(element).find(kReplacement) != std::string_view::npos;
    case element_type::OBJECT:
      for (auto [key, value] : simdjson::dom::object(element)) {
        path.emplace_back(std::string(key));
        if (key.find(kReplacement) != std::string_view::npos || find_replacement(value, path)) {
          return true;
        }
        path.pop_back();
      }
      return false;
    case element_type::ARRAY: {
      std::size_t index = 0;
      for (auto item : simdjson::dom::array(element)) {
        path.emplace_back(index++);
        if (find_replacement(item, path)) return true;
        path.pop_back();
      }
      return false;
    }
    default:
      return false;
  }
}

std::size_t skip_space(std::string_view text, std::size_t at) {
  while (at < text.size() &&
         (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' || text[at] == '\r')) {
    ++at;
  }
  return at;
}

// The end of the string starting at the quote `at`, past its closing quote;
// npos when it does not end.
std::size_t skip_string(std::string_view text, std::size_t at) {
  for (++at; at < text.size(); ++at) {
    if (text[at] == '\\') {
      ++at;
    } else if (text[at] == '"') {
      return at + 1;
    }
  }
  return std::string_view::npos;
}

// The end of the value starting at `at`: the ',' or '}' closing it at the
// record's top level, counting brackets (no recursion: a hostile record may
// nest 10^5 levels); npos when the record ends first.
std::size_t skip_value(std::string_view text, std::size_t at) {
  std::size_t depth = 0;
  while (at < text.size()) {
    char c = text[at];
    if (c == '"') {
      at = skip_string(text, at);
      continue;
    }
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') {
      if (depth == 0) return at;
      --depth;
    }
    if (c == ',' && depth == 0) return at;
    ++at;
  }
  return std::string_view::npos;
}

// For an object whose bytes do not parse: the top-level field whose value
// does not parse on its own (a number out of range, a bad escape, a raw
// control character, nesting too deep). Nothing when the object itself is
// malformed or every value parses alone.
std::optional<std::string> failing_field(std::string_view bytes) {
  std::size_t at = skip_space(bytes, 0);
  if (at >= bytes.size() || bytes[at] != '{') return std::nullopt;
  simdjson::dom::parser parser;
  ++at;
  while (true) {
    at = skip_space(bytes, at);
    if (at >= bytes.size() || bytes[at] != '"') return std::nullopt;
    std::size_t key_end = skip_string(bytes, at);
    if (key_end == std::string_view::npos) return std::nullopt;
    std::string_view key = bytes.substr(at, key_end - at);
    at = skip_space(bytes, key_end);
    if (at >= bytes.size() || bytes[at] != ':') return std::nullopt;
    std::size_t value_begin = skip_space(bytes, at + 1);
    std::size_t value_end = skip_value(bytes, value_begin);
    if (value_end == std::string_view::npos) return std::nullopt;
    simdjson::padded_string value(bytes.substr(value_begin, value_end - value_begin));
    simdjson::dom::element element;
    if (parser.parse(value).error()) {
      // The key as text; a key that does not parse itself is named as written.
      simdjson::padded_string key_json(key);
      std::string_view name;
      if (parser.parse(key_json).get(name)) name = key.substr(1, key.size() - 2);
      return utf8::sanitize(name);
    }
    at = value_end;
    if (bytes[at] == '}') return std::nullopt;
    ++at;
  }
}

}  // namespace

schema::ValidationError describe_parse_failure(simdjson::error_code error, std::string_view bytes) {
  if (error == simdjson::UTF8_ERROR) {
    auto offset = utf8::first_invalid_offset(bytes).value_or(0);
    schema::Path path;
    std::string sanitized = utf8::sanitize(bytes);
    simdjson::dom::parser parser;
    simdjson::dom::element element;
    if (!parser.parse(sanitized).get(element)) find_replacement(element, path);
    std::string where = path.empty() ? "" : " in " + schema::path_to_string(path);
    return schema::ValidationError{
        std::move(path), schema::code::kInvalidUtf8,
        fmt::format("invalid UTF-8 at byte {} of the record{}", offset, where), "valid UTF-8 text"};
  }
  schema::Path path;
  std::string where;
  if (auto field = failing_field(bytes)) {
    where = fmt::format(" in field \"{}\"", *field);
    path.emplace_back(std::move(*field));
  }
  if (error == simdjson::DEPTH_ERROR) {
    return schema::ValidationError{
        std::move(path), schema::code::kTooDeep,
        fmt::format("the record nests arrays/objects deeper than 1024 levels{}", where),
        "at most 1024 levels of nesting"};
  }
  return schema::ValidationError{
      std::move(path), schema::code::kInvalidJson,
      fmt::format("invalid JSON{}: {}", where, simdjson::error_message(error)), "a JSON object"};
}

}  // namespace haul::validate
