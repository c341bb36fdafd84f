#pragma once
// A throw-away data root for running the real haul-enrich: the test writes
// processed/D/<type>/deduped.jsonl (and, when it wants, its own
// config/enrich.json), runs the executable and reads back enriched.jsonl,
// enrich_errors.jsonl, daily_deals.json and enrich_report.json.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "support/temp_dir.hpp"
#include "support/validate_workspace.hpp"

namespace haul::testing {

class EnrichWorkspace {
 public:
  EnrichWorkspace() = default;

  ValidateWorkspace& base() { return ws_; }
  const std::filesystem::path& root() const { return ws_.root(); }
  std::filesystem::path processed_dir(std::string_view type = "vehicles") const {
    return ws_.processed_dir(type);
  }
  std::filesystem::path failed_dir(std::string_view type = "vehicles") const {
    return ws_.failed_dir(type);
  }
  std::filesystem::path input(std::string_view type = "vehicles") const {
    return processed_dir(type) / "deduped.jsonl";
  }
  std::filesystem::path enriched(std::string_view type = "vehicles") const {
    return processed_dir(type) / "enriched.jsonl";
  }
  std::filesystem::path errors(std::string_view type = "vehicles") const {
    return failed_dir(type) / "enrich_errors.jsonl";
  }
  std::filesystem::path deals() const { return processed_dir() / "daily_deals.json"; }
  std::filesystem::path report(std::string_view type = "vehicles") const {
    return processed_dir(type) / "enrich_report.json";
  }
  // The files a complete vehicles run writes, the report last.
  std::vector<std::filesystem::path> vehicle_outputs() const {
    return {enriched(), errors(), deals(), report()};
  }

  // Writes `lines` (one record each, '\n'-terminated) as deduped.jsonl.
  void write_input(const std::vector<std::string>& lines, std::string_view type = "vehicles") const;
  // From now on runs use a config directory holding only this enrich.json.
  void use_config(std::string_view enrich_json);

  // haul-enrich with --data-dir, --config and --date, then `args`. Without
  // a --market-db in `args`, "--market-db off": the database is the
  // business of the tests that say so.
  Command command(std::vector<std::string> args = {}) const;
  ProcessResult run(std::vector<std::string> args = {}) const {
    return run_process(command(std::move(args)));
  }

 private:
  ValidateWorkspace ws_;
  TempDir config_;
};

// A canonical vehicle line as haul-validate writes it; `extra` is spliced in
// as further top-level fields, e.g. R"("imageUrl":"https://x/y.jpg")".
std::string car(std::string_view make, std::string_view model, int year, int price,
                std::string_view extra = "");

}  // namespace haul::testing
