#include "source/source_catalog.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>

#include "io/data_layout.hpp"
#include "source/fetch_spec_reader.hpp"

namespace haul::source {
namespace {

Status config_error(const std::filesystem::path& path, std::string message) {
  return Status::error(ExitCode::kConfig, fmt::format("{}: {}", path.string(), message));
}

Status read_string_map(const std::filesystem::path& path, simdjson::dom::element parent,
                       const char* key, const std::string& where,
                       std::vector<std::pair<std::string, std::string>>& out) {
  simdjson::dom::element member;
  if (parent[key].get(member)) return Status::ok();
  simdjson::dom::object object;
  if (member.get(object))
    return config_error(path, fmt::format("{}.{} must be an object", where, key));
  for (auto [name, value] : object) {
    std::string_view text;
    if (value.get(text)) {
      return config_error(path, fmt::format("{}.{}.{} must be a string", where, key, name));
    }
    out.emplace_back(name, text);
  }
  return Status::ok();
}

}  // namespace

std::string_view FieldMapping::canonical_name(std::string_view source_field) const {
  auto it = std::lower_bound(rename.begin(), rename.end(), source_field,
                             [](const auto& entry, std::string_view n) { return entry.first < n; });
  return it != rename.end() && it->first == source_field ? std::string_view(it->second)
                                                         : source_field;
}

Status SourceCatalog::load(const std::filesystem::path& path, SourceCatalog& out) {
  out = SourceCatalog();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::ok();
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.load(path.string()).get(root)) {
    return config_error(path, fmt::format("not valid JSON: {}", simdjson::error_message(error)));
  }
  simdjson::dom::array sources;
  if (root["sources"].get(sources)) {
    return config_error(path, "needs a \"sources\" array");
  }
  std::string settings_error;
  if (!read_scrape_settings(root, out.scrape_settings_, settings_error)) {
    return config_error(path, settings_error);
  }
  std::size_t index = 0;
  for (auto entry : sources) {
    std::string where = fmt::format("sources[{}]", index++);
    SourceSpec spec;
    std::string_view name, type;
    if (entry["name"].get(name) || !io::is_safe_name(name) ||
        name.find('_') != std::string_view::npos) {
      return config_error(path, where +
                                    ".name must be a plain name (letters, digits, '-', '.'; "
                                    "no '_', which separates the page number in raw files)");
    }
    if (entry["type"].get(type) || !io::is_record_type(type)) {
      return config_error(path, where + ".type must be vehicles, events or articles");
    }
    spec.name = name;
    spec.type = type;
    bool enabled = true;
    if (!entry["enabled"].get(enabled)) spec.enabled = enabled;
    simdjson::dom::element mapping;
    if (!entry["mapping"].get(mapping)) {
      std::string at = where + ".mapping";
      for (auto [key, target] :
           {std::pair{"rename", &spec.mapping.rename}, std::pair{"set", &spec.mapping.set},
            std::pair{"derive", &spec.mapping.derive}}) {
        if (Status s = read_string_map(path, mapping, key, at, *target); !s.is_ok()) return s;
      }
      std::sort(spec.mapping.rename.begin(), spec.mapping.rename.end());
      for (const auto& [from, to] : spec.mapping.rename) {
        if (spec.mapping.canonical_name(to) != to) {
          return config_error(
              path, fmt::format("{}.rename: \"{}\" -> \"{}\" chains into \"{}\" -> \"{}\"; "
                                "renames must not chain (scrape and validate both apply them)",
                                at, from, to, to, spec.mapping.canonical_name(to)));
        }
      }
    }
    std::string error;
    if (!read_fetch_spec(entry, where, spec.fetch, error)) return config_error(path, error);
    if (out.find(spec.name)) {
      return config_error(path, fmt::format("{}: source \"{}\" is declared twice", where, name));
    }
    out.sources_.push_back(std::move(spec));
  }
  return Status::ok();
}

std::vector<std::string> FieldMapping::map_keys(const std::vector<std::string_view>& keys) const {
  std::vector<std::string> names;
  std::vector<bool> renamed;
  for (std::string_view key : keys) {
    std::string_view name = canonical_name(key);
    names.emplace_back(name);
    renamed.push_back(name != key);
  }
  // Undo renames that collide, the way haul-validate resolves them: of two
  // fields with one name, a renamed one goes back to its source name (the
  // earlier one when both were renamed).
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!renamed[i]) continue;
    for (std::size_t j = 0; j < names.size(); ++j) {
      if (j == i || names[j] != names[i]) continue;
      if (!renamed[j] || i < j) {
        names[i] = std::string(keys[i]);
        renamed[i] = false;
        break;
      }
    }
  }
  return names;
}

const SourceSpec* SourceCatalog::find(std::string_view name) const {
  for (const auto& spec : sources_) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::string source_of_raw_file(std::string_view file_name) {
  std::string_view stem = file_name.substr(0, file_name.find('.'));
  std::size_t underscore = stem.rfind('_');
  if (underscore == std::string_view::npos || underscore + 1 == stem.size())
    return std::string(stem);
  std::string_view suffix = stem.substr(underscore + 1);
  bool digits =
      std::all_of(suffix.begin(), suffix.end(), [](char c) { return c >= '0' && c <= '9'; });
  return std::string(digits ? stem.substr(0, underscore) : stem);
}

}  // namespace haul::source
