#pragma once
// Reading what the executables wrote: JSON documents (parsed with simdjson,
// independently of lib/'s writers) and NDJSON files as lines.

#include <simdjson.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace haul::testing {

// One parsed JSON document, queried by JSON Pointer ("/_meta/raw_file").
// Accessors return nullopt when the pointer is missing or of another type,
// so a test can assert on the value and on its presence in one expression.
class JsonDoc {
 public:
  // Throws std::runtime_error when `text` is not JSON.
  explicit JsonDoc(std::string_view text);

  simdjson::dom::element root() const { return root_; }
  bool has(std::string_view pointer) const;
  std::optional<simdjson::dom::element> at(std::string_view pointer) const;
  std::optional<std::string> str(std::string_view pointer) const;
  std::optional<std::int64_t> int64(std::string_view pointer) const;
  std::optional<std::uint64_t> uint64(std::string_view pointer) const;
  std::optional<double> number(std::string_view pointer) const;  // any JSON number
  std::optional<bool> boolean(std::string_view pointer) const;
  // Size of an array or object; nullopt for other types.
  std::optional<std::size_t> size(std::string_view pointer) const;

 private:
  // Held by pointer: an element points into its parser's document.
  std::unique_ptr<simdjson::dom::parser> parser_;
  simdjson::dom::element root_;
};

// The lines of a text file, without their '\n' (a final line without one is
// still a line). Throws when the file cannot be read.
std::vector<std::string> read_lines(const std::filesystem::path& path);

// Every line of an NDJSON file, parsed.
std::vector<std::unique_ptr<JsonDoc>> read_jsonl(const std::filesystem::path& path);

}  // namespace haul::testing
