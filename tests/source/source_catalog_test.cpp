#include "source/source_catalog.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace haul::source {
namespace {

using haul::testing::TempDir;
using haul::testing::write_file;

TEST(SourceCatalog, LoadsSourcesAndMappings) {
  TempDir dir;
  write_file(dir / "sources.json", R"({"sources":[
    {"name":"kijiji-gta","type":"vehicles","mapping":{"rename":{"brand":"make","model_year":"year"},
     "set":{"sourceName":"Kijiji"},"derive":{"sourceUrl":"https://x.invalid/{vin}"}}},
    {"name":"news","type":"articles","enabled":false}]})");
  SourceCatalog catalog;
  ASSERT_TRUE(SourceCatalog::load(dir / "sources.json", catalog).is_ok());
  const SourceSpec* kijiji = catalog.find("kijiji-gta");
  ASSERT_TRUE(kijiji);
  EXPECT_EQ(kijiji->type, "vehicles");
  EXPECT_EQ(kijiji->mapping.canonical_name("brand"), "make");
  EXPECT_EQ(kijiji->mapping.canonical_name("model_year"), "year");
  EXPECT_EQ(kijiji->mapping.canonical_name("color"), "color");
  EXPECT_EQ(kijiji->mapping.set.size(), 1u);
  EXPECT_FALSE(catalog.find("news")->enabled);
  EXPECT_FALSE(catalog.find("missing"));
}

TEST(SourceCatalog, MissingFileIsEmptyAndBadFilesAreConfigErrors) {
  TempDir dir;
  SourceCatalog catalog;
  EXPECT_TRUE(SourceCatalog::load(dir / "absent.json", catalog).is_ok());
  EXPECT_TRUE(catalog.sources().empty());
  for (const char* bad :
       {"{", R"({"sources":{}})", R"({"sources":[{"name":"../x","type":"vehicles"}]})",
        R"({"sources":[{"name":"a_b","type":"vehicles"}]})",
        R"({"sources":[{"name":"a","type":"boats"}]})",
        R"({"sources":[{"name":"a","type":"events"},{"name":"a","type":"events"}]})",
        R"({"sources":[{"name":"a","type":"events","mapping":{"rename":{"x":1}}}]})"}) {
    write_file(dir / "sources.json", bad);
    EXPECT_EQ(SourceCatalog::load(dir / "sources.json", catalog).code(), ExitCode::kConfig) << bad;
  }
}

TEST(SourceCatalog, SourceOfARawFileIsTheNameBeforeThePageNumber) {
  EXPECT_EQ(source_of_raw_file("kijiji-gta_001.json"), "kijiji-gta");
  EXPECT_EQ(source_of_raw_file("autolist-us_12.jsonl"), "autolist-us");
  EXPECT_EQ(source_of_raw_file("manual.json"), "manual");
  EXPECT_EQ(source_of_raw_file("my_source.json"), "my_source");
}

TEST(SourceCatalog, TemplatesExpandFieldsOrGiveUp) {
  auto lookup = [](std::string_view field) -> std::optional<std::string> {
    if (field == "vin") return "ABC123";
    return std::nullopt;
  };
  EXPECT_EQ(expand_template("https://x.invalid/vin/{vin}?s=1", lookup),
            "https://x.invalid/vin/ABC123?s=1");
  EXPECT_FALSE(expand_template("https://x.invalid/{stock}", lookup));
  EXPECT_EQ(expand_template("no placeholders", lookup), "no placeholders");
}

}  // namespace
}  // namespace haul::source
