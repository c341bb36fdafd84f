#pragma once
// Secrets never leave the process: any text that might echo one (a network
// error, a failed body) passes through scrub_secrets() before it is logged
// or written.

#include <string>
#include <utility>
#include <vector>

namespace haul::http {

// Replaces every occurrence of each secret value (first) in `text` by
// "${NAME}" (second is NAME).
std::string scrub_secrets(std::string text,
                          const std::vector<std::pair<std::string, std::string>>& secrets);

}  // namespace haul::http
