#include "util/process_liveness.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <string>

namespace haul {

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

bool process_alive(pid_t pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

namespace {

std::optional<long long> boot_time_s() {
  std::ifstream stat("/proc/stat");
  std::string key;
  long long value = 0;
  while (stat >> key) {
    if (key == "btime" && stat >> value) return value;
    stat.ignore(1 << 20, '\n');
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> process_start_time(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream file(fmt::format("/proc/{}/stat", pid));
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  // The command name (field 2) may hold spaces and parentheses: fields are
  // counted from the last ')'.
  const auto paren = text.rfind(')');
  if (paren == std::string::npos) return std::nullopt;
  std::istringstream rest(text.substr(paren + 2));
  std::string field;
  // Field 22 (starttime) is the 20th after the command name.
  for (int i = 3; i < 22 && rest >> field; ++i) {
  }
  unsigned long long ticks = 0;
  if (!(rest >> ticks)) return std::nullopt;
  auto boot = boot_time_s();
  const long hz = ::sysconf(_SC_CLK_TCK);
  if (!boot || hz <= 0) return std::nullopt;
  const double seconds = static_cast<double>(*boot) + static_cast<double>(ticks) / hz;
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::duration<double>(seconds)));
}

}  // namespace haul
