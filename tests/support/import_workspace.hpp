#pragma once
// A throw-away data root for running the real haul-import: records go to
// processed/D/<type>/<input>.jsonl, run() passes --data-dir, --config, --date
// and --db, and the outputs are read back from where the stage writes them.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace haul::testing {

class ImportWorkspace {
 public:
  static constexpr std::string_view kDate = "2026-11-23";

  explicit ImportWorkspace(std::string conninfo) : conninfo_(std::move(conninfo)) {}

  const std::filesystem::path& root() const { return dir_.path(); }
  std::filesystem::path processed_dir(std::string_view type = "vehicles",
                                      std::string_view date = kDate) const;
  std::filesystem::path failed_dir(std::string_view type = "vehicles",
                                   std::string_view date = kDate) const;
  std::filesystem::path errors(std::string_view type = "vehicles") const {
    return failed_dir(type) / "import_errors.jsonl";
  }
  std::filesystem::path retry_queue(std::string_view type = "vehicles") const {
    return failed_dir(type) / "retry_queue.jsonl";
  }
  std::filesystem::path report(std::string_view type = "vehicles") const {
    return processed_dir(type) / "import_report.json";
  }

  // Writes `lines` (one record each) as processed/D/<type>/<file>.
  void write_input(const std::vector<std::string>& lines, std::string_view type = "vehicles",
                   std::string_view file = "validated.jsonl", std::string_view date = kDate) const;

  // haul-import with the workspace's options, then `args`; --date kDate unless
  // `args` name a date. The connection goes in --db unless `use_db_flag` is
  // false (then DATABASE_URL carries it).
  Command command(std::vector<std::string> args, bool use_db_flag = true) const;
  ProcessResult run(std::vector<std::string> args = {}) const {
    return run_process(command(std::move(args)));
  }
  const std::string& conninfo() const { return conninfo_; }
  void set_conninfo(std::string conninfo) { conninfo_ = std::move(conninfo); }

 private:
  TempDir dir_;
  std::string conninfo_;
};

// A vehicle record in canonical form (as haul-validate writes it); `extra`
// is spliced in as further top-level fields, e.g. R"("vin":"X")".
std::string vehicle_record(int n, int price = 20000, std::string_view extra = "");

}  // namespace haul::testing
