#pragma once
// A throw-away data root and config dir for running the real haul-cleanup:
// files are planted under the root (with chosen modification times), the
// config is written per test, run() passes --data-dir, --config and the
// logical date, and snapshot() records the whole tree so a test can prove a
// dry run changed nothing.

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace haul::testing {

class CleanupWorkspace {
 public:
  static constexpr std::string_view kDate = "2026-03-31";

  CleanupWorkspace();

  const std::filesystem::path& root() const { return root_; }
  const std::filesystem::path& config_dir() const { return config_; }
  void write_config(std::string_view cleanup_json) const;

  // Writes root/<relative>; returns its path.
  std::filesystem::path add(std::string_view relative, std::string_view contents) const;
  // Sets a file's modification time to `age` before now.
  static void age(const std::filesystem::path& path, std::chrono::seconds age);

  // haul-cleanup with --data-dir, --config, --date kDate (unless `args` name
  // a date); without a --db in `args` no database variable is passed on, so
  // the database part is skipped.
  Command command(std::vector<std::string> args = {}) const;
  ProcessResult run(std::vector<std::string> args = {}) const { return run_process(command(std::move(args))); }

  // Every file and directory under the root: path -> "type size mtime sha256".
  std::map<std::string, std::string> snapshot() const;

 private:
  TempDir dir_;
  std::filesystem::path root_, config_;
};

// Every member of a tar.gz and its bytes, read with libarchive (independently
// of lib/cleanup's reader).
std::map<std::string, std::string> archive_members(const std::filesystem::path& archive_path);

}  // namespace haul::testing
