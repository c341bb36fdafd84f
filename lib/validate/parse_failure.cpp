#include "validate/parse_failure.hpp"

#include <fmt/format.h>

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
  if (error == simdjson::DEPTH_ERROR) {
    return schema::ValidationError{{},
                                   schema::code::kTooDeep,
                                   "the record nests arrays/objects deeper than 1024 levels",
                                   "at most 1024 levels of nesting"};
  }
  return schema::ValidationError{{},
                                 schema::code::kInvalidJson,
                                 fmt::format("invalid JSON: {}", simdjson::error_message(error)),
                                 "a JSON object"};
}

}  // namespace haul::validate
