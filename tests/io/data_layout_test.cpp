#include "io/data_layout.hpp"

#include <gtest/gtest.h>

namespace haul::io {
namespace {

TEST(DataLayout, BuildsDatedPartitionPaths) {
  DataLayout layout("/srv/haul/data");
  Date date = *Date::parse("2025-10-01");
  EXPECT_EQ(layout.raw_dir(date, "vehicles"), "/srv/haul/data/raw/2025-10-01/vehicles");
  EXPECT_EQ(layout.processed_dir(date, "events"), "/srv/haul/data/processed/2025-10-01/events");
  EXPECT_EQ(layout.failed_dir(date, "articles"), "/srv/haul/data/failed/2025-10-01/articles");
  EXPECT_EQ(layout.ledger_path(), "/srv/haul/data/state/runs.jsonl");
  EXPECT_EQ(layout.relative("/srv/haul/data/raw/2025-10-01/vehicles/a_001.json"),
            "raw/2025-10-01/vehicles/a_001.json");
  EXPECT_EQ(layout.relative("/elsewhere/x.json"), "/elsewhere/x.json");
}

TEST(DataLayout, RelativeRootsBecomeAbsolute) {
  DataLayout layout("data");
  EXPECT_TRUE(layout.root().is_absolute());
}

TEST(DataLayout, OnlyPlainNamesAreSafe) {
  for (const char* good : {"kijiji-gta_001.json", "a", "A.B-c_d"}) EXPECT_TRUE(is_safe_name(good));
  for (const char* bad : {"", ".hidden", "..", "../x", "a/b", "a\\b", "a b", "é", "x\n"}) {
    EXPECT_FALSE(is_safe_name(bad)) << bad;
  }
  EXPECT_FALSE(is_safe_name(std::string(129, 'a')));
  EXPECT_TRUE(is_record_type("vehicles"));
  EXPECT_FALSE(is_record_type("../vehicles"));
}

}  // namespace
}  // namespace haul::io
