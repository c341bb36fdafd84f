#pragma once
// haul-cleanup: keeps an unattended installation tidy for months. For its
// logical date (--date, default today) it
//   1. closes ledger runs whose process is gone ("abandoned") and releases
//      their locks (abandoned_runs.hpp),
//   2. removes stale temporaries of atomic writes (temp_sweep.hpp),
//   3. archives the dates retention says are due into data/archive/D.tar.gz,
//      verified before the originals go, and deletes expired archives
//      (retention.hpp),
//   4. keeps the database in shape when one is configured: stale listings
//      inactive, incomplete inactive ones and non-whitelisted makes deleted,
//      VACUUM (ANALYZE) after large deletions, dead source links marked sold
//      (database_upkeep.hpp, dead_links.hpp),
// and writes data/state/cleanup/D.json with what it did. --dry-run changes
// nothing and prints every action it would take.
//
// Cleanup is not per record type: it runs as the single partition "all".

#include <filesystem>
#include <string>

#include "cleanup/cleanup_config.hpp"
#include "run/stage.hpp"

namespace haul::cleanup {

inline constexpr const char* kPartition = "all";

class CleanupStage : public run::Stage {
 public:
  std::string name() const override { return "cleanup"; }
  std::string description() const override;
  void add_options(CLI::App& app) override;
  Status prepare(const run::StageContext& context) override;
  std::vector<std::string> types_with_input(const run::StageContext& context,
                                            const Date& date) const override;
  std::string input_location(const run::StageContext& context, const Date& date) const override;
  run::PartitionResult run(const run::StageContext& context, const Date& date,
                           const std::string& type) override;

 private:
  std::string db_option_;
  bool skip_database_ = false;
  bool check_links_ = false;
  std::filesystem::path config_path_;
  CleanupConfig config_;
};

}  // namespace haul::cleanup
