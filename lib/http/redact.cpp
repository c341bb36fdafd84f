#include "http/redact.hpp"

namespace haul::http {

std::string scrub_secrets(std::string text,
                          const std::vector<std::pair<std::string, std::string>>& secrets) {
  for (const auto& [value, name] : secrets) {
    if (value.empty()) continue;
    std::string replacement = "${" + name + "}";
    for (std::size_t at = text.find(value); at != std::string::npos;
         at = text.find(value, at + replacement.size())) {
      text.replace(at, value.size(), replacement);
    }
  }
  return text;
}

}  // namespace haul::http
