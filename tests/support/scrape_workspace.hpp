#pragma once
// A throw-away data root and config dir for running the real haul-scrape
// against the in-process test HTTP server: sources are declared as JSON
// objects (URLs point at the server's port), run() passes --data-dir,
// --config and the date, and helpers read what the run left behind.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/json_doc.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace haul::testing {

class ScrapeWorkspace {
 public:
  static constexpr std::string_view kDate = "2026-11-23";
  ScrapeWorkspace();

  const std::filesystem::path& root() const { return root_; }
  const std::filesystem::path& config_dir() const { return config_; }
  // Writes config/sources.json: {"scrape": {...settings}, "sources": [sources...]}.
  // Robots are off and retries fast unless a source says otherwise.
  void write_sources(const std::vector<std::string>& sources,
                     const std::string& settings = R"({"contact":"ops@example.com"})") const;

  std::filesystem::path raw_dir(std::string_view type = "vehicles") const;
  std::filesystem::path failed_dir(std::string_view type = "vehicles") const;
  std::filesystem::path raw_file(std::string_view source, int page,
                                 std::string_view type = "vehicles") const;
  // raw/D/<type>/meta.json, parsed.
  JsonDoc meta(std::string_view type = "vehicles") const;

  ProcessResult run(std::vector<std::string> args = {},
                    std::vector<std::pair<std::string, std::optional<std::string>>> env = {}) const;
  ProcessResult run_tool(const std::string& tool, std::vector<std::string> args) const;

  // Every regular file under the data root.
  std::vector<std::filesystem::path> all_files() const;

 private:
  TempDir dir_;
  std::filesystem::path root_, config_;
};

}  // namespace haul::testing
