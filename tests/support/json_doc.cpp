#include "support/json_doc.hpp"

#include <stdexcept>

#include "support/temp_dir.hpp"

namespace haul::testing {

JsonDoc::JsonDoc(std::string_view text) : parser_(std::make_unique<simdjson::dom::parser>()) {
  if (auto error = parser_->parse(simdjson::padded_string(text)).get(root_)) {
    throw std::runtime_error(std::string("not JSON (") + simdjson::error_message(error) +
                             "): " + std::string(text.substr(0, 200)));
  }
}

std::optional<simdjson::dom::element> JsonDoc::at(std::string_view pointer) const {
  simdjson::dom::element element;
  if (root_.at_pointer(pointer).get(element)) return std::nullopt;
  return element;
}

bool JsonDoc::has(std::string_view pointer) const { return at(pointer).has_value(); }

std::optional<std::string> JsonDoc::str(std::string_view pointer) const {
  std::string_view text;
  auto element = at(pointer);
  if (!element || element->get(text)) return std::nullopt;
  return std::string(text);
}

std::optional<std::int64_t> JsonDoc::int64(std::string_view pointer) const {
  std::int64_t value;
  auto element = at(pointer);
  if (!element || element->get(value)) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> JsonDoc::uint64(std::string_view pointer) const {
  std::uint64_t value;
  auto element = at(pointer);
  if (!element || element->get(value)) return std::nullopt;
  return value;
}

std::optional<double> JsonDoc::number(std::string_view pointer) const {
  double value;  // get_double() also converts integers
  auto element = at(pointer);
  if (!element || element->get(value)) return std::nullopt;
  return value;
}

std::optional<bool> JsonDoc::boolean(std::string_view pointer) const {
  bool value;
  auto element = at(pointer);
  if (!element || element->get(value)) return std::nullopt;
  return value;
}

std::optional<std::size_t> JsonDoc::size(std::string_view pointer) const {
  auto element = at(pointer);
  if (!element) return std::nullopt;
  simdjson::dom::array array;
  if (!element->get(array)) return array.size();
  simdjson::dom::object object;
  if (!element->get(object)) return object.size();
  return std::nullopt;
}

std::vector<std::string> read_lines(const std::filesystem::path& path) {
  std::string text = read_file(path);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::vector<std::unique_ptr<JsonDoc>> read_jsonl(const std::filesystem::path& path) {
  std::vector<std::unique_ptr<JsonDoc>> docs;
  for (const std::string& line : read_lines(path)) docs.push_back(std::make_unique<JsonDoc>(line));
  return docs;
}

}  // namespace haul::testing
