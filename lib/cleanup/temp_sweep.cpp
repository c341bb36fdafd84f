#include "cleanup/temp_sweep.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "io/atomic_file.hpp"

namespace haul::cleanup {
namespace fs = std::filesystem;

Status remove_stale_temporaries(const io::DataLayout& layout, double max_age_hours,
                                std::chrono::system_clock::time_point now, ActionLog& log) {
  const auto cutoff = now - std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                std::chrono::duration<double, std::ratio<3600>>(max_age_hours));
  const std::time_t cutoff_s = std::chrono::system_clock::to_time_t(cutoff);
  std::vector<fs::path> stale;
  std::error_code ec;
  // Symbolic links are not followed: nothing outside the data root is touched.
  for (auto it = fs::recursive_directory_iterator(layout.root(), ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    const fs::path& path = it->path();
    if (io::temporary_writer_pid(path.filename().string()) == 0) continue;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (st.st_mtime < cutoff_s) stale.push_back(path);
  }
  if (ec) {
    return Status::error(ExitCode::kNoInput, fmt::format("cannot list {}: {}",
                                                         layout.root().string(), ec.message()));
  }
  std::sort(stale.begin(), stale.end());
  Status first;
  for (const fs::path& path : stale) {
    if (!log.dry_run() && ::unlink(path.c_str()) != 0 && errno != ENOENT) {
      const std::string why = std::strerror(errno);
      log.failed("remove_temp", layout.relative(path), why);
      if (first.is_ok()) {
        first = Status::error(ExitCode::kCantCreate,
                              fmt::format("cannot remove {}: {}", path.string(), why));
      }
      continue;
    }
    log.add("remove_temp", layout.relative(path),
            fmt::format("(unchanged for more than {} h)", max_age_hours));
  }
  return first;
}

}  // namespace haul::cleanup
