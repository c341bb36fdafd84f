#pragma once
// Template definitions for source_catalog.hpp.

#include <optional>

namespace haul::source {

template <typename Lookup>
std::optional<std::string> expand_template(std::string_view pattern, Lookup lookup) {
  std::string out;
  std::size_t i = 0;
  while (i < pattern.size()) {
    std::size_t open = pattern.find('{', i);
    if (open == std::string_view::npos) break;
    std::size_t close = pattern.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(pattern.substr(i, open - i));
    std::optional<std::string> value = lookup(pattern.substr(open + 1, close - open - 1));
    if (!value) return std::nullopt;
    out.append(*value);
    i = close + 1;
  }
  out.append(pattern.substr(i));
  return out;
}

}  // namespace haul::source
