#include "run/config_section.hpp"

#include <fmt/format.h>

#include "io/data_layout.hpp"

namespace haul::run {

using simdjson::dom::element;

Status ConfigSection::error(std::string_view key, std::string_view what) const {
  return Status::error(ExitCode::kConfig,
                       fmt::format("{}: {}.{} {}", path_.string(), where_, key, what));
}

Status ConfigSection::unknown_keys(simdjson::dom::object section,
                                   std::initializer_list<std::string_view> known) const {
  for (auto [key, value] : section) {
    bool found = key == "$comment";
    for (auto k : known) found = found || k == key;
    if (!found) return error(key, "is not a known setting");
  }
  return Status::ok();
}

Status ConfigSection::strings(element value, std::string_view key,
                              std::vector<std::string>& out) const {
  simdjson::dom::array array;
  if (value.get(array)) return error(key, "must be an array of strings");
  out.clear();
  for (element item : array) {
    std::string_view text;
    if (item.get(text) || text.empty()) return error(key, "must be an array of non-empty strings");
    out.emplace_back(text);
  }
  return Status::ok();
}

Status ConfigSection::number_in(element value, std::string_view key, double low, double high,
                                double& out) const {
  double number;
  if (value.get(number) || number < low || number > high) {
    return error(key, fmt::format("must be a number from {} to {}", low, high));
  }
  out = number;
  return Status::ok();
}

Status ConfigSection::count(element value, std::string_view key, std::size_t& out) const {
  std::uint64_t number;
  if (value.get(number) || number > (1u << 30)) return error(key, "must be a non-negative integer");
  out = number;
  return Status::ok();
}

Status ConfigSection::text(element value, std::string_view key, std::string& out) const {
  std::string_view s;
  if (value.get(s)) return error(key, "must be a string");
  out = s;
  return Status::ok();
}

Status ConfigSection::flag(element value, std::string_view key, bool& out) const {
  if (value.get(out)) return error(key, "must be true or false");
  return Status::ok();
}

Status ConfigSection::object(element value, std::string_view key,
                             simdjson::dom::object& out) const {
  if (value.get(out)) return error(key, "must be an object");
  return Status::ok();
}

ConfigSection ConfigSection::nested(std::string_view key) const {
  return ConfigSection(path_, fmt::format("{}.{}", where_, key));
}

Status find_type_section(const std::filesystem::path& path, const std::string& type,
                         simdjson::dom::parser& parser, simdjson::dom::object& section,
                         bool& found) {
  found = false;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::ok();
  element root;
  if (auto error = parser.load(path.string()).get(root)) {
    return Status::error(ExitCode::kConfig, fmt::format("{}: not valid JSON: {}", path.string(),
                                                        simdjson::error_message(error)));
  }
  simdjson::dom::object top;
  if (root.get(top)) {
    return Status::error(ExitCode::kConfig, path.string() + ": must be a JSON object");
  }
  for (auto [key, value] : top) {
    bool known = key == "$comment";
    for (std::string_view t : io::kRecordTypes) known = known || key == t;
    if (!known) {
      return Status::error(ExitCode::kConfig,
                           fmt::format("{}: {} is not a record type", path.string(), key));
    }
  }
  element value;
  if (top[type].get(value)) return Status::ok();
  if (value.get(section)) {
    return Status::error(ExitCode::kConfig,
                         fmt::format("{}: {} must be an object", path.string(), type));
  }
  found = true;
  return Status::ok();
}

}  // namespace haul::run
