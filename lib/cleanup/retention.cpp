#include "cleanup/retention.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>

#include "cleanup/archive_file.hpp"
#include "io/atomic_file.hpp"
#include "run/instance_lock.hpp"
#include "util/process_liveness.hpp"

namespace haul::cleanup {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kArchiveSuffix = ".tar.gz";

// A file to archive as it was when listed, to tell later whether it changed.
struct Listed {
  FileToArchive file;
  std::uint64_t size = 0;
  struct timespec mtime {};
};

struct DatePlan {
  std::vector<Listed> files;
  std::vector<fs::path> dirs;  // the due area/D directories and everything below
  std::vector<fs::path> dead_temporaries;
};

// The dates under `area_dir` more than `days` before `logical`.
std::vector<Date> due_dates(const fs::path& area_dir, const Date& logical, long days) {
  std::vector<Date> dates;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(area_dir, ec)) {
    if (!entry.is_directory(ec) || entry.is_symlink(ec)) continue;
    auto date = Date::parse(entry.path().filename().string());
    if (date && days_between(*date, logical) > days) dates.push_back(*date);
  }
  return dates;
}

// Lists the files of one area/D tree. False (with `why`) when the date must
// be left alone.
bool list_tree(const io::DataLayout& layout, const fs::path& top, DatePlan& plan, std::string& why) {
  std::error_code ec;
  plan.dirs.push_back(top);
  for (auto it = fs::recursive_directory_iterator(top, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    const fs::path& path = it->path();
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) continue;  // vanished meanwhile
    if (S_ISDIR(st.st_mode)) {
      plan.dirs.push_back(path);
      continue;
    }
    if (!S_ISREG(st.st_mode)) {
      why = fmt::format("{} is not a regular file", layout.relative(path));
      return false;
    }
    if (long pid = io::temporary_writer_pid(path.filename().string()); pid > 0) {
      if (process_alive(static_cast<pid_t>(pid))) {
        why = fmt::format("{} is being written by pid {}", layout.relative(path), pid);
        return false;
      }
      plan.dead_temporaries.push_back(path);
      continue;
    }
    Listed listed;
    listed.file.name = fs::path(layout.relative(path)).generic_string();
    listed.file.path = path;
    listed.size = static_cast<std::uint64_t>(st.st_size);
    listed.mtime = st.st_mtim;
    plan.files.push_back(std::move(listed));
  }
  if (ec) {
    why = fmt::format("cannot list {}: {}", layout.relative(top), ec.message());
    return false;
  }
  return true;
}

bool unchanged(const Listed& listed, const ArchiveMember& member) {
  struct stat st {};
  return ::lstat(listed.file.path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         static_cast<std::uint64_t>(st.st_size) == listed.size && member.size == listed.size &&
         st.st_mtim.tv_sec == listed.mtime.tv_sec && st.st_mtim.tv_nsec == listed.mtime.tv_nsec;
}

// Removes the emptied directories, deepest first; a directory that still
// holds something (a kept file) stays.
void remove_empty_dirs(std::vector<fs::path> dirs) {
  std::sort(dirs.begin(), dirs.end(), [](const fs::path& a, const fs::path& b) {
    return a.native().size() > b.native().size();
  });
  for (const fs::path& dir : dirs) ::rmdir(dir.c_str());
}

Status archive_date(const io::DataLayout& layout, const Date& date,
                    const std::vector<std::string>& areas, ActionLog& log) {
  const std::string day = date.to_string();
  const fs::path archive = archive_path(layout, date);
  const std::string archive_name = layout.relative(archive);
  if (date_locked(layout, date)) {
    log.kept("archive", day, "a haul run holds a lock for this date");
    return Status::ok();
  }
  DatePlan plan;
  for (const std::string& area : areas) {
    std::string why;
    if (!list_tree(layout, layout.root() / area / day, plan, why)) {
      log.kept("archive", area + "/" + day, why);
      return Status::ok();
    }
  }
  std::sort(plan.files.begin(), plan.files.end(),
            [](const Listed& a, const Listed& b) { return a.file.name < b.file.name; });
  const std::string detail = "-> " + archive_name;
  for (const fs::path& temp : plan.dead_temporaries) {
    if (!log.dry_run() && ::unlink(temp.c_str()) != 0) continue;
    log.add("remove_temp", layout.relative(temp), "(its writer is gone)");
  }
  if (log.dry_run()) {
    for (const Listed& listed : plan.files) log.add("archive", listed.file.name, detail);
    return Status::ok();
  }
  std::vector<FileToArchive> files;
  for (const Listed& listed : plan.files) files.push_back(listed.file);
  PackResult packed;
  if (!files.empty()) {
    if (Status s = pack_archive(archive, files, packed); !s.is_ok()) {
      log.failed("archive", archive_name, s.message());
      return s;
    }
  }
  Status status;
  for (std::size_t i = 0; i < plan.files.size(); ++i) {
    const Listed& listed = plan.files[i];
    if (!unchanged(listed, packed.added[i])) {
      log.kept("remove", listed.file.name, "changed after it was archived; archived again next run");
      continue;
    }
    if (::unlink(listed.file.path.c_str()) != 0) {
      const std::string why = std::strerror(errno);
      log.failed("remove", listed.file.name, why);
      if (status.is_ok()) {
        status = Status::error(ExitCode::kCantCreate,
                               fmt::format("cannot remove {} (archived in {}): {}",
                                           listed.file.path.string(), archive_name, why));
      }
      continue;
    }
    log.add("archive", listed.file.name, detail);
  }
  if (packed.replaced > 0) {
    log.add_many("replace_archived", packed.replaced, {archive_name},
                 "(members replaced by newer files of the same name)");
  }
  remove_empty_dirs(plan.dirs);
  return status;
}

}  // namespace

fs::path archive_path(const io::DataLayout& layout, const Date& date) {
  return layout.root() / "archive" / (date.to_string() + std::string(kArchiveSuffix));
}

bool date_locked(const io::DataLayout& layout, const Date& date) {
  const std::string marker = "." + date.to_string() + ".";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(layout.locks_dir(), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find(marker) == std::string::npos || name.size() < 5 ||
        name.compare(name.size() - 5, 5, ".lock") != 0) {
      continue;
    }
    if (run::InstanceLock::held(entry.path())) return true;
  }
  return false;
}

Status archive_due_dates(const io::DataLayout& layout, const Date& logical,
                         const RetentionConfig& config, ActionLog& log) {
  std::map<Date, std::vector<std::string>> due;  // date -> its due areas, in kAreas order
  for (const char* area : kAreas) {
    auto days = config.area_days.find(area);
    if (days == config.area_days.end() || !days->second) continue;
    for (const Date& date : due_dates(layout.root() / area, logical, *days->second)) {
      due[date].push_back(area);
    }
  }
  Status first;
  for (const auto& [date, areas] : due) {
    Status s = archive_date(layout, date, areas, log);
    if (!s.is_ok() && first.is_ok()) first = s;
  }
  return first;
}

Status expire_archives(const io::DataLayout& layout, const Date& logical,
                       const RetentionConfig& config, ActionLog& log) {
  if (!config.archive_days) return Status::ok();
  std::vector<fs::path> expired;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(layout.root() / "archive", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() <= kArchiveSuffix.size() || !name.ends_with(kArchiveSuffix)) continue;
    auto date = Date::parse(name.substr(0, name.size() - kArchiveSuffix.size()));
    if (!date || !entry.is_regular_file(ec)) continue;
    if (days_between(*date, logical) > *config.archive_days) expired.push_back(entry.path());
  }
  std::sort(expired.begin(), expired.end());
  Status first;
  for (const fs::path& path : expired) {
    if (!log.dry_run() && !fs::remove(path, ec) && ec) {
      log.failed("delete_archive", layout.relative(path), ec.message());
      if (first.is_ok()) {
        first = Status::error(ExitCode::kCantCreate,
                              fmt::format("cannot delete {}: {}", path.string(), ec.message()));
      }
      continue;
    }
    log.add("delete_archive", layout.relative(path));
  }
  return first;
}

}  // namespace haul::cleanup
