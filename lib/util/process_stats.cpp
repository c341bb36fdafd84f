#include "util/process_stats.hpp"

#include <fstream>
#include <string>

namespace haul {

std::optional<long> peak_rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return std::nullopt;
}

}  // namespace haul
