#include "validate/nul_characters.hpp"

#include <fmt/format.h>

#include "schema/error_json.hpp"

namespace haul::validate {
namespace {

bool has_nul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

void add_error(const schema::Path& path, const char* what, schema::ValidationErrors& errors) {
  errors.push_back(schema::ValidationError{
      path, kNulCharacterCode,
      fmt::format("{} {} holds a NUL character (U+0000), which PostgreSQL cannot store", what,
                  schema::path_to_string(path)),
      "text without U+0000"});
}

void walk(simdjson::dom::element element, schema::Path& path, schema::ValidationErrors& errors) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::STRING:
      if (has_nul(std::string_view(element))) add_error(path, "the value at", errors);
      return;
    case element_type::OBJECT:
      for (auto [key, value] : simdjson::dom::object(element)) {
        path.emplace_back(std::string(key));
        if (has_nul(key)) add_error(path, "the key", errors);
        walk(value, path, errors);
        path.pop_back();
      }
      return;
    case element_type::ARRAY: {
      std::size_t index = 0;
      for (auto item : simdjson::dom::array(element)) {
        path.emplace_back(index++);
        walk(item, path, errors);
        path.pop_back();
      }
      return;
    }
    default:
      return;
  }
}

}  // namespace

bool may_contain_nul(std::string_view bytes) {
  // "\u0000" in any case of hex digits ("\u0000" has none but zeros).
  return bytes.find("\\u0000") != std::string_view::npos;
}

void find_nul_characters(simdjson::dom::element record, schema::ValidationErrors& errors) {
  schema::Path path;
  walk(record, path, errors);
}

}  // namespace haul::validate
