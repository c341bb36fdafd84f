#include "cleanup/cleanup_config.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "support/validate_workspace.hpp"

namespace haul::cleanup {
namespace {

using haul::testing::TempDir;
using haul::testing::write_file;

Status load(const std::string& json, CleanupConfig& config) {
  TempDir dir;
  write_file(dir / "cleanup.json", json);
  return load_cleanup_config(dir / "cleanup.json", config);
}

TEST(CleanupConfig, DefaultsWithoutAFile) {
  TempDir dir;
  CleanupConfig config;
  ASSERT_TRUE(load_cleanup_config(dir / "missing.json", config).is_ok());
  EXPECT_EQ(config.retention.area_days.at("raw"), 30);
  EXPECT_EQ(config.retention.area_days.at("failed"), 90);
  EXPECT_EQ(config.retention.archive_days, 365);
  EXPECT_EQ(config.temp_max_age_hours, 24);
  EXPECT_EQ(config.running_max_age_hours, 24);
  EXPECT_EQ(config.database.tables.at("vehicles").inactive_after_days, 30);
  EXPECT_FALSE(config.database.dead_links.enabled);
}

TEST(CleanupConfig, ASectionReplacesOnlyTheKeysItNames) {
  CleanupConfig config;
  ASSERT_TRUE(load(R"({"retention":{"raw_days":7,"processed_days":null},
                       "temp_files":{"max_age_hours":6},
                       "database":{"vehicles":{"make_whitelist":["Ford","  Toyota"]},
                                   "dead_links":{"enabled":true,"contact":"ops@example.com"}}})",
                   config)
                  .is_ok());
  EXPECT_EQ(config.retention.area_days.at("raw"), 7);
  EXPECT_FALSE(config.retention.area_days.at("processed").has_value());
  EXPECT_EQ(config.retention.area_days.at("failed"), 90);
  EXPECT_EQ(config.temp_max_age_hours, 6);
  const TableUpkeep& vehicles = config.database.tables.at("vehicles");
  EXPECT_EQ(vehicles.inactive_after_days, 30);  // untouched default
  EXPECT_EQ(vehicles.make_whitelist, (std::vector<std::string>{"ford", "toyota"}));
  EXPECT_TRUE(config.database.dead_links.enabled);
  EXPECT_EQ(config.database.dead_links.full_user_agent(),
            "haul-cleanup/" HAUL_VERSION " (+ops@example.com)");
}

TEST(CleanupConfig, MistakesNameTheFileAndTheSetting) {
  CleanupConfig config;
  struct Case {
    const char* json;
    const char* names;
  };
  for (const Case& c : {
           Case{R"({"retention":{"raw_day":3}})", "cleanup.retention.raw_day"},
           Case{R"({"retention":{"raw_days":-1}})", "cleanup.retention.raw_days"},
           Case{R"({"database":{"events":{"make_whitelist":["x"]}}})",
                "cleanup.database.events.make_whitelist"},
           Case{R"({"database":{"vehicles":{"incomplete_if_missing":["price; DROP TABLE x"]}}})",
                "cleanup.database.vehicles.incomplete_if_missing"},
           Case{R"({"database":{"dead_links":{"concurrency":0}}})",
                "cleanup.database.dead_links.concurrency"},
           Case{R"({"runs":{"max_running_hours":"a day"}})", "cleanup.runs.max_running_hours"},
           Case{R"([1])", "must be a JSON object"},
           Case{R"({"retention":)", "not valid JSON"},
       }) {
    Status s = load(c.json, config);
    ASSERT_FALSE(s.is_ok()) << c.json;
    EXPECT_EQ(s.code(), ExitCode::kConfig);
    EXPECT_NE(s.message().find(c.names), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("cleanup.json"), std::string::npos) << s.message();
  }
}

TEST(CleanupConfig, TheShippedFileLoads) {
  CleanupConfig config;
  ASSERT_TRUE(load_cleanup_config(haul::testing::repo_config_dir() / "cleanup.json", config).is_ok());
  EXPECT_FALSE(config.database.tables.at("vehicles").make_whitelist.empty());
}

}  // namespace
}  // namespace haul::cleanup
