#include "dedup/dedup_config.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace haul::dedup {
namespace {

using testing::TempDir;
using testing::write_file;

Status load(const TempDir& dir, std::string_view json, TypeConfig& out,
            const std::string& type = "vehicles") {
  write_file(dir / "dedup.json", json);
  return load_config(dir.path(), type, out);
}

TEST(DedupConfig, DefaultsWhenTheFileIsAbsent) {
  TempDir dir;
  TypeConfig config;
  ASSERT_TRUE(load_config(dir.path(), "vehicles", config).is_ok());
  EXPECT_EQ(config.identity.data_hash_fields,
            (std::vector<std::string>{"make", "model", "year", "stockNumber", "sourceName"}));
  EXPECT_EQ(config.near.decisive_field, "vin");
  EXPECT_FALSE(config.near.blocking.empty());
  EXPECT_GT(config.source_priority.at("demo-dealer"), config.source_priority.at("autolist-us"));
}

TEST(DedupConfig, ASectionOverridesOnlyTheKeysItNames) {
  TempDir dir;
  TypeConfig config;
  ASSERT_TRUE(load(dir, R"({"vehicles": {"source_priority": {"my-dealer": 7},
      "near": {"threshold": 0.9, "blocking": [{"keys": ["vin"], "max_block": 10}],
               "compare": [{"field": "model", "method": "levenshtein", "weight": 2}]}}})",
                   config)
                  .is_ok());
  EXPECT_EQ(config.source_priority.size(), 1u);
  EXPECT_EQ(config.source_priority.at("my-dealer"), 7);
  EXPECT_DOUBLE_EQ(config.near.threshold, 0.9);
  ASSERT_EQ(config.near.blocking.size(), 1u);
  EXPECT_EQ(config.near.blocking[0].name, "vin");
  EXPECT_EQ(config.near.blocking[0].max_block, 10u);
  EXPECT_EQ(config.near.decisive_field, "vin");  // not named: default kept
  EXPECT_EQ(config.identity.data_hash_fields.size(), 5u);
}

TEST(DedupConfig, ErrorsNameTheFileAndTheKey) {
  TempDir dir;
  TypeConfig config;
  struct Case {
    const char* json;
    const char* expected;
  } cases[] = {
      {R"({"vehicles": {"thresold": 1}})", "vehicles.thresold is not a known setting"},
      {R"({"vehicles": {"near": {"threshold": 3}}})", "vehicles.near.threshold must be a number"},
      {R"({"vehicles": {"near": {"compare": [{"field": "x", "method": "soundex"}]}}})",
       "vehicles.near.compare[0].method must be levenshtein"},
      {R"({"vehicles": {"near": {"url_id_patterns": ["(unclosed"]}}})", "invalid pattern"},
      {R"({"vehicles": {"near": {"url_id_patterns": ["no-group"]}}})", "needs a capture group"},
      {R"({"vehicles": {"near": {"blocking": []}}})", "must not be empty"},
      {R"({"vehicles": {"source_priority": {"a": "high"}}})", "values must be integers"},
      {R"({"lorries": {}})", "lorries is not a record type"},
      {R"({"vehicles": )", "not valid JSON"},
  };
  for (const auto& c : cases) {
    auto status = load(dir, c.json, config);
    ASSERT_FALSE(status.is_ok()) << c.json;
    EXPECT_EQ(status.code(), ExitCode::kConfig);
    EXPECT_NE(status.message().find("dedup.json"), std::string::npos) << status.message();
    EXPECT_NE(status.message().find(c.expected), std::string::npos) << status.message();
  }
}

}  // namespace
}  // namespace haul::dedup
