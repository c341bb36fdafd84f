#pragma once
// haul-cleanup's settings (config/cleanup.json): how long each area of the
// data root keeps its dates before they are archived, how long archives,
// temporaries and "running" ledger entries live, and the database upkeep.
// Every setting has a default in code, so the file and each section are
// optional; a section replaces only the keys it names. Mistakes are config
// errors (exit 78) naming the file and the setting ("retention.raw_days").

#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/status.hpp"

namespace haul::cleanup {

// The dated areas retention applies to, in the order they are handled.
inline constexpr std::array<const char*, 3> kAreas = {"raw", "processed", "failed"};

struct RetentionConfig {
  // Per area: dates more than this many days before the logical date are
  // archived; nullopt keeps them in place forever.
  std::map<std::string, std::optional<long>> area_days = {
      {"raw", 30}, {"processed", 30}, {"failed", 90}};
  std::optional<long> archive_days = 365;  // archives older than this are deleted
};

struct TableUpkeep {
  std::optional<long> inactive_after_days;  // active rows last seen longer ago -> inactive
  // Inactive rows missing any of these columns are deleted.
  std::vector<std::string> incomplete_if_missing;
  // vehicles only: rows whose lower-cased make is not listed are deleted
  // (empty: no whitelist).
  std::vector<std::string> make_whitelist;
};

struct VacuumConfig {
  std::uint64_t min_deleted_rows = 10000;
  double min_deleted_fraction = 0.1;  // of the table's rows before the deletions
};

struct DeadLinkConfig {
  bool enabled = false;
  std::size_t max_checks = 500;  // listings checked per run
  long recheck_days = 7;         // a listing checked this recently is skipped
  std::string user_agent = "haul-cleanup/" HAUL_VERSION;
  std::string contact;  // appended as "(+contact)", as haul-scrape does
  int concurrency = 8;  // requests in flight overall
  int per_host_concurrency = 1;
  double min_delay_s = 1.0;  // between requests to one host
  double jitter_s = 0.5;
  double requests_per_second = 5;
  double timeout_s = 15;
  bool robots = true;
  std::string ca_bundle;

  std::string full_user_agent() const {
    return contact.empty() ? user_agent : user_agent + " (+" + contact + ")";
  }
};

struct DatabaseConfig {
  bool enabled = true;  // upkeep runs when a database is configured
  std::map<std::string, TableUpkeep> tables;  // by record type
  VacuumConfig vacuum;
  DeadLinkConfig dead_links;
};

struct CleanupConfig {
  RetentionConfig retention;
  double temp_max_age_hours = 24;     // older temporaries are removed
  double running_max_age_hours = 24;  // older "running" runs are abandoned
  DatabaseConfig database;
};

// The defaults, then `path` over them when it exists.
Status load_cleanup_config(const std::filesystem::path& path, CleanupConfig& config);

}  // namespace haul::cleanup
