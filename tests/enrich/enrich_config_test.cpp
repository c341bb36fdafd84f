#include "enrich/enrich_config.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace haul::enrich {
namespace {

using testing::TempDir;
using testing::write_file;

Status load(const TempDir& dir, std::string_view json, TypeConfig& out,
            const std::string& type = "vehicles") {
  write_file(dir / "enrich.json", json);
  return load_config(dir.path(), type, out);
}

TEST(EnrichConfig, DefaultsWhenTheFileIsAbsent) {
  TempDir dir;
  TypeConfig vehicles, events, articles;
  ASSERT_TRUE(load_config(dir.path(), "vehicles", vehicles).is_ok());
  ASSERT_TRUE(load_config(dir.path(), "events", events).is_ok());
  ASSERT_TRUE(load_config(dir.path(), "articles", articles).is_ok());
  EXPECT_TRUE(vehicles.grade.enabled());
  EXPECT_TRUE(vehicles.market.enabled);
  EXPECT_EQ(vehicles.market.year_window, 1);
  EXPECT_EQ(vehicles.market.min_comparables, 3u);
  EXPECT_EQ(vehicles.market.top_deals, 10u);
  EXPECT_DOUBLE_EQ(vehicles.market.max_discount_percent, 60);
  EXPECT_EQ(vehicles.images.fields, std::vector<std::string>{"imageUrl"});
  EXPECT_FALSE(events.market.enabled);
  EXPECT_FALSE(events.grade.enabled());
  EXPECT_FALSE(articles.market.enabled);
  EXPECT_EQ(articles.images.fields, std::vector<std::string>{"imageUrl"});
}

TEST(EnrichConfig, ASectionOverridesOnlyTheKeysItNames) {
  TempDir dir;
  TypeConfig config;
  ASSERT_TRUE(load(dir, R"({"vehicles": {"market": {"min_comparables": 5, "year_window": 2},
                              "images": {"fields": ["imageUrl", "gallery"]}}})",
                   config)
                  .is_ok());
  EXPECT_EQ(config.market.min_comparables, 5u);
  EXPECT_EQ(config.market.year_window, 2);
  EXPECT_EQ(config.market.top_deals, 10u);  // not named: default kept
  EXPECT_TRUE(config.market.enabled);
  EXPECT_TRUE(config.grade.enabled());
  EXPECT_EQ(config.images.fields, (std::vector<std::string>{"imageUrl", "gallery"}));
  ASSERT_TRUE(load(dir, R"({"vehicles": {"images": {"fields": []}}})", config).is_ok());
  EXPECT_TRUE(config.images.fields.empty());
}

TEST(EnrichConfig, ErrorsExit78AndNameTheFileAndTheSetting) {
  TempDir dir;
  struct Case {
    const char* json;
    const char* type;
    const char* expected;
  } cases[] = {
      {R"({"vehicles": {"grades": {}}})", "vehicles", "vehicles.grades is not a known setting"},
      {R"({"events": {"market": {"enabled": true}}})", "events",
       "events.market is only for vehicles"},
      {R"({"vehicles": {"market": {"min_comparables": 0}}})", "vehicles",
       "vehicles.market.min_comparables must be at least 1"},
      {R"({"vehicles": {"market": {"year_window": -1}}})", "vehicles",
       "vehicles.market.year_window"},
      {R"({"vehicles": {"market": {"year_window": 51}}})", "vehicles",
       "vehicles.market.year_window must be at most 50"},
      {R"({"vehicles": {"market": {"max_discount_percent": 120}}})", "vehicles",
       "vehicles.market.max_discount_percent must be a number from 0 to 100"},
      {R"({"vehicles": {"market": {"top_deal": 3}}})", "vehicles",
       "vehicles.market.top_deal is not a known setting"},
      {R"({"vehicles": {"images": {"fields": "imageUrl"}}})", "vehicles",
       "vehicles.images.fields must be an array"},
      {R"({"vehicles": {"location": {"enabled": "yes"}}})", "vehicles",
       "vehicles.location.enabled must be true or false"},
      {R"({"vehicles": {"grade": []}})", "vehicles", "vehicles.grade must be an object"},
      {R"({"trucks": {}})", "vehicles", "trucks is not a record type"},
      {R"({"vehicles": )", "vehicles", "not valid JSON"},
  };
  for (const auto& c : cases) {
    TypeConfig config;
    Status s = load(dir, c.json, config, c.type);
    EXPECT_EQ(s.code(), ExitCode::kConfig) << c.json;
    EXPECT_NE(s.message().find(c.expected), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("enrich.json"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace haul::enrich
