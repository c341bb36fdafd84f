#include "schema/error_json.hpp"

#include <fmt/format.h>

namespace haul::schema {

void write_errors(io::JsonWriter& json, const ValidationErrors& errors) {
  json.begin_array();
  for (const ValidationError& error : errors) {
    json.begin_object();
    json.key("path");
    json.begin_array();
    for (const PathItem& item : error.path) {
      if (const auto* key = std::get_if<std::string>(&item)) {
        json.value(*key);
      } else {
        json.value(static_cast<std::uint64_t>(std::get<std::size_t>(item)));
      }
    }
    json.end_array();
    json.key("code");
    json.value(error.code);
    json.key("message");
    json.value(error.message);
    json.key("expected");
    json.value(error.expected);
    json.end_object();
  }
  json.end_array();
}

std::string path_to_string(const Path& path) {
  std::string out;
  for (const PathItem& item : path) {
    if (const auto* key = std::get_if<std::string>(&item)) {
      if (!out.empty()) out.push_back('.');
      out += *key;
    } else {
      out += fmt::format("[{}]", std::get<std::size_t>(item));
    }
  }
  return out.empty() ? "(record)" : out;
}

}  // namespace haul::schema
