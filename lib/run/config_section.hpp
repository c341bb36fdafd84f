#pragma once
// Reading one stage's JSON configuration file (config/<stage>.json), whose
// top level has one optional section per record type. Every setting has a
// built-in default, so the file and each section are optional; a section
// replaces only the keys it names. Every mistake is a config error (exit 78)
// that names the file and the setting's dotted path ("vehicles.market.min"),
// so an operator can fix it without reading code.

#include <simdjson.h>

#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "io/data_layout.hpp"
#include "util/status.hpp"

namespace haul::run {

// Checks the values of one JSON object, reporting errors under its path.
class ConfigSection {
 public:
  ConfigSection(const std::filesystem::path& path, std::string where)
      : path_(path), where_(std::move(where)) {}

  // "<file>: <where>.<key> <what>", exit code 78.
  Status error(std::string_view key, std::string_view what) const;
  // A key not in `known` is an error (a typo must not be silently ignored).
  // "$comment" is always allowed.
  Status unknown_keys(simdjson::dom::object section,
                      std::initializer_list<std::string_view> known) const;
  Status strings(simdjson::dom::element value, std::string_view key,
                 std::vector<std::string>& out) const;
  Status number_in(simdjson::dom::element value, std::string_view key, double low, double high,
                   double& out) const;
  Status count(simdjson::dom::element value, std::string_view key, std::size_t& out) const;
  Status text(simdjson::dom::element value, std::string_view key, std::string& out) const;
  Status flag(simdjson::dom::element value, std::string_view key, bool& out) const;
  Status object(simdjson::dom::element value, std::string_view key,
                simdjson::dom::object& out) const;

  ConfigSection nested(std::string_view key) const;
  const std::filesystem::path& path() const { return path_; }

 private:
  const std::filesystem::path& path_;
  std::string where_;
};

// Opens <config_dir>/<file_name> with `parser` and finds the section for
// `type`. Sets `found` to false (and returns ok) when the file or the
// section is absent. Top-level keys must be record types (or "$comment").
Status find_type_section(const std::filesystem::path& path, const std::string& type,
                         simdjson::dom::parser& parser, simdjson::dom::object& section,
                         bool& found);

// Loads every record type's config with load(type, config), in the order of
// io::kRecordTypes, stopping at the first error.
template <typename Config, typename Load>
Status load_type_configs(Load load, std::map<std::string, Config>& out) {
  for (std::string_view type : io::kRecordTypes) {
    Config config;
    if (Status s = load(std::string(type), config); !s.is_ok()) return s;
    out.emplace(std::string(type), std::move(config));
  }
  return Status::ok();
}

}  // namespace haul::run
