#include "support/validate_workspace.hpp"

#include <algorithm>
#include <cstdlib>

namespace haul::testing {
namespace fs = std::filesystem;

fs::path haul_executable(std::string_view name) { return fs::path(HAUL_BINARY_DIR) / name; }

fs::path shared_datasets_dir() {
  if (const char* shared = std::getenv("HAUL_SHARED_DIR"); shared && *shared) {
    return fs::path(shared) / "datasets";
  }
  return fs::path(HAUL_SOURCE_DIR) / ".." / "shared" / "datasets";
}
fs::path repo_config_dir() { return fs::path(HAUL_SOURCE_DIR) / "config"; }
fs::path validate_fixtures_dir() {
  return fs::path(HAUL_SOURCE_DIR) / "tests" / "fixtures" / "validate";
}

ValidateWorkspace::ValidateWorkspace(std::string_view root_name) : root_(dir_ / root_name) {
  fs::create_directories(root_);
}

fs::path ValidateWorkspace::raw_dir(std::string_view type, std::string_view date) const {
  return root_ / "raw" / date / type;
}
fs::path ValidateWorkspace::processed_dir(std::string_view type, std::string_view date) const {
  return root_ / "processed" / date / type;
}
fs::path ValidateWorkspace::failed_dir(std::string_view type, std::string_view date) const {
  return root_ / "failed" / date / type;
}
fs::path ValidateWorkspace::lock_file(std::string_view type, std::string_view date) const {
  return root_ / "state" / "locks" /
         ("validate." + std::string(date) + "." + std::string(type) + ".lock");
}

void ValidateWorkspace::add_raw(std::string_view name, std::string_view contents,
                                std::string_view type, std::string_view date) const {
  write_file(raw_dir(type, date) / name, contents);
}

void ValidateWorkspace::add_fixture(std::string_view fixture, std::string_view name,
                                    std::string_view type, std::string_view date) const {
  add_raw(name, read_file(validate_fixtures_dir() / fixture), type, date);
}

Command ValidateWorkspace::command_for(std::string_view tool, std::vector<std::string> args) const {
  bool has_dates = std::any_of(args.begin(), args.end(), [](const std::string& arg) {
    return arg == "--date" || arg == "--from" || arg == "--to";
  });
  Command command;
  command.program = haul_executable(tool);
  command.args = {"--data-dir", root_.string(), "--config", config_dir.string()};
  if (!has_dates) {
    command.args.push_back("--date");
    command.args.emplace_back(kDate);
  }
  command.args.insert(command.args.end(), args.begin(), args.end());
  // The defaults must come from the command line, never from the caller's
  // environment; NO_COLOR keeps stderr free of escape codes.
  command.env = {
      {"HAUL_DATA_DIR", std::nullopt}, {"HAUL_CONFIG_DIR", std::nullopt}, {"NO_COLOR", "1"}};
  return command;
}

::testing::AssertionResult ExitedWith(const ProcessResult& result, int code) {
  if (result.exited() && result.exit_code == code) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure() << "expected exit code " << code << ", but ";
  if (result.timed_out) failure << "it timed out and ";
  if (result.term_signal != 0) {
    failure << "it was killed by signal " << result.term_signal;
  } else {
    failure << "it exited with " << result.exit_code;
  }
  return failure << "\n--- stderr ---\n"
                 << result.err.substr(0, 4000) << "\n--- stdout ---\n"
                 << result.out.substr(0, 4000);
}

std::vector<fs::path> hidden_files_under(const fs::path& dir) {
  std::vector<fs::path> hidden;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->path().filename().string().front() == '.') hidden.push_back(it->path());
  }
  return hidden;
}

}  // namespace haul::testing
