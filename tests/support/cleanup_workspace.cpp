#include "support/cleanup_workspace.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <algorithm>
#include <stdexcept>

#include "support/validate_workspace.hpp"
#include "util/sha256.hpp"

namespace haul::testing {
namespace fs = std::filesystem;

CleanupWorkspace::CleanupWorkspace() : root_(dir_ / "data"), config_(dir_ / "config") {
  fs::create_directories(root_);
  fs::create_directories(config_);
}

void CleanupWorkspace::write_config(std::string_view cleanup_json) const {
  write_file(config_ / "cleanup.json", cleanup_json);
}

fs::path CleanupWorkspace::add(std::string_view relative, std::string_view contents) const {
  fs::path path = root_ / relative;
  write_file(path, contents);
  return path;
}

void CleanupWorkspace::age(const fs::path& path, std::chrono::seconds age) {
  const auto when = std::chrono::system_clock::now() - age;
  struct timeval times[2];
  times[0].tv_sec = times[1].tv_sec = std::chrono::system_clock::to_time_t(when);
  times[0].tv_usec = times[1].tv_usec = 0;
  if (::utimes(path.c_str(), times) != 0) throw std::runtime_error("utimes " + path.string());
}

Command CleanupWorkspace::command(std::vector<std::string> args) const {
  const bool has_date = std::any_of(args.begin(), args.end(), [](const std::string& arg) {
    return arg == "--date" || arg == "--from" || arg == "--to";
  });
  const bool has_db = std::find(args.begin(), args.end(), "--db") != args.end();
  Command command;
  command.program = haul_executable("haul-cleanup");
  command.args = {"--data-dir", root_.string(), "--config", config_.string()};
  if (!has_date) {
    command.args.emplace_back("--date");
    command.args.emplace_back(kDate);
  }
  command.args.insert(command.args.end(), args.begin(), args.end());
  if (!has_db) {
    for (const char* name : {"DATABASE_URL", "PGHOST", "PGDATABASE", "PGSERVICE"}) {
      command.env.emplace_back(name, std::nullopt);
    }
  }
  return command;
}

std::map<std::string, std::string> CleanupWorkspace::snapshot() const {
  std::map<std::string, std::string> out;
  Sha256 sha;
  for (auto it = fs::recursive_directory_iterator(root_); it != fs::end(it); ++it) {
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0) continue;
    const std::string name = it->path().lexically_relative(root_).generic_string();
    const bool dir = S_ISDIR(st.st_mode);
    out[name] = fmt::format("{} {} {}.{:09d} {}", dir ? "dir" : "file", dir ? 0 : st.st_size,
                            st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                            dir ? "" : sha.hex(read_file(it->path())));
  }
  return out;
}

std::map<std::string, std::string> archive_members(const fs::path& archive_path) {
  std::map<std::string, std::string> members;
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_all(a);
  if (archive_read_open_filename(a, archive_path.c_str(), 1 << 16) != ARCHIVE_OK) {
    archive_read_free(a);
    throw std::runtime_error("cannot open archive " + archive_path.string());
  }
  archive_entry* entry = nullptr;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    std::string bytes(static_cast<std::size_t>(archive_entry_size(entry)), '\0');
    if (archive_read_data(a, bytes.data(), bytes.size()) != static_cast<la_ssize_t>(bytes.size())) {
      archive_read_free(a);
      throw std::runtime_error("cannot read " + std::string(archive_entry_pathname(entry)));
    }
    members[archive_entry_pathname(entry)] = bytes;
  }
  archive_read_free(a);
  return members;
}

}  // namespace haul::testing
