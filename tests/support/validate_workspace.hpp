#pragma once
// A throw-away data root for running the real haul-validate executable:
// where its inputs go (raw/D/<type>/), where its outputs appear, and a
// run() that passes --data-dir, --config and the date for the test.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace haul::testing {

// Paths the tests run against, from the build's compile definitions.
std::filesystem::path haul_executable(std::string_view name);  // e.g. "haul-validate"
std::filesystem::path repo_config_dir();                       // <source>/config
std::filesystem::path validate_fixtures_dir();                 // tests/fixtures/validate
// ../shared/datasets next to the repository, or $HAUL_SHARED_DIR/datasets.
// Not part of the project: tests using it skip when it is absent.
std::filesystem::path shared_datasets_dir();

class ValidateWorkspace {
 public:
  static constexpr std::string_view kDate = "2026-11-23";

  // The data root is <temp>/<root_name>; tests may pick an awkward name.
  explicit ValidateWorkspace(std::string_view root_name = "data");

  const std::filesystem::path& root() const { return root_; }
  // The configuration run() passes; the repository's unless a test points
  // it at a doctored copy.
  std::filesystem::path config_dir = repo_config_dir();

  std::filesystem::path raw_dir(std::string_view type = "vehicles",
                                std::string_view date = kDate) const;
  std::filesystem::path processed_dir(std::string_view type = "vehicles",
                                      std::string_view date = kDate) const;
  std::filesystem::path failed_dir(std::string_view type = "vehicles",
                                   std::string_view date = kDate) const;
  std::filesystem::path validated(std::string_view type = "vehicles",
                                  std::string_view date = kDate) const {
    return processed_dir(type, date) / "validated.jsonl";
  }
  std::filesystem::path errors(std::string_view type = "vehicles",
                               std::string_view date = kDate) const {
    return failed_dir(type, date) / "validation_errors.jsonl";
  }
  std::filesystem::path report(std::string_view type = "vehicles",
                               std::string_view date = kDate) const {
    return processed_dir(type, date) / "validate_report.json";
  }
  std::filesystem::path ledger() const { return root_ / "state" / "runs.jsonl"; }
  std::filesystem::path lock_file(std::string_view type = "vehicles",
                                  std::string_view date = kDate) const;

  // Writes raw/D/<type>/<name>.
  void add_raw(std::string_view name, std::string_view contents, std::string_view type = "vehicles",
               std::string_view date = kDate) const;
  // Copies a file from tests/fixtures/validate/ to raw/D/<type>/<name>.
  void add_fixture(std::string_view fixture, std::string_view name,
                   std::string_view type = "vehicles", std::string_view date = kDate) const;

  // The command for haul-validate with --data-dir and --config, then `args`;
  // --date kDate is added unless `args` name the dates themselves.
  Command command(std::vector<std::string> args) const { return command_for("haul-validate", args); }
  ProcessResult run(std::vector<std::string> args = {}) const { return run_process(command(args)); }
  // The same for another stage's executable (e.g. "haul-dedup").
  Command command_for(std::string_view tool, std::vector<std::string> args) const;
  ProcessResult run_tool(std::string_view tool, std::vector<std::string> args = {}) const {
    return run_process(command_for(tool, args));
  }

 private:
  TempDir dir_;
  std::filesystem::path root_;
};

// For EXPECT_TRUE/ASSERT_TRUE: the process exited with `code`; otherwise the
// failure says how it ended and shows its stderr.
::testing::AssertionResult ExitedWith(const ProcessResult& result, int code);

// Files under `dir` (recursively) whose name starts with '.': leftover
// temporaries of atomic writes.
std::vector<std::filesystem::path> hidden_files_under(const std::filesystem::path& dir);

}  // namespace haul::testing
