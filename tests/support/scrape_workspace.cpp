#include "support/scrape_workspace.hpp"

#include <fmt/format.h>

#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace fs = std::filesystem;

ScrapeWorkspace::ScrapeWorkspace() : root_(dir_ / "data"), config_(dir_ / "config") {
  fs::create_directories(root_);
  fs::create_directories(config_ / "schemas");
  for (const auto& entry : fs::directory_iterator(repo_config_dir() / "schemas")) {
    fs::copy_file(entry.path(), config_ / "schemas" / entry.path().filename());
  }
}

void ScrapeWorkspace::write_sources(const std::vector<std::string>& sources,
                                    const std::string& settings) const {
  write_file(config_ / "sources.json", fmt::format("{{\"scrape\": {},\n\"sources\": [\n{}\n]}}\n",
                                                   settings, fmt::join(sources, ",\n")));
}

fs::path ScrapeWorkspace::raw_dir(std::string_view type) const {
  return root_ / "raw" / kDate / type;
}
fs::path ScrapeWorkspace::failed_dir(std::string_view type) const {
  return root_ / "failed" / kDate / type;
}
fs::path ScrapeWorkspace::raw_file(std::string_view source, int page, std::string_view type) const {
  return raw_dir(type) / fmt::format("{}_{:03d}.json", source, page);
}

JsonDoc ScrapeWorkspace::meta(std::string_view type) const {
  return JsonDoc(read_file(raw_dir(type) / "meta.json"));
}

ProcessResult ScrapeWorkspace::run(
    std::vector<std::string> args,
    std::vector<std::pair<std::string, std::optional<std::string>>> env) const {
  Command command;
  command.program = haul_executable("haul-scrape");
  command.args = {"--data-dir",     root_.string(), "--config",
                  config_.string(), "--date",       std::string(kDate)};
  command.args.insert(command.args.end(), args.begin(), args.end());
  command.env = std::move(env);
  command.env.emplace_back("NO_COLOR", "1");
  return run_process(command);
}

ProcessResult ScrapeWorkspace::run_tool(const std::string& tool,
                                        std::vector<std::string> args) const {
  Command command;
  command.program = haul_executable(tool);
  command.args = {"--data-dir",     root_.string(), "--config",
                  config_.string(), "--date",       std::string(kDate)};
  command.args.insert(command.args.end(), args.begin(), args.end());
  return run_process(command);
}

std::vector<fs::path> ScrapeWorkspace::all_files() const {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir_.path())) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  return files;
}

}  // namespace haul::testing
