#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "source/source_catalog.hpp"
#include "source/source_presets.hpp"
#include "support/temp_dir.hpp"

namespace haul::source {
namespace {

using haul::testing::TempDir;
using haul::testing::write_file;

Status load(const std::string& text, SourceCatalog& catalog) {
  TempDir dir;
  write_file(dir / "sources.json", text);
  return SourceCatalog::load(dir / "sources.json", catalog);
}

TEST(FetchSpec, PresetsGiveDefaultsAndSourcesOverrideThem) {
  SourceCatalog catalog;
  Status s =
      load(R"({"scrape":{"user_agent":"acme-haul/2","contact":"ops@acme.test","concurrency":4},
    "sources":[{"name":"brave","type":"articles","preset":"brave-news","params":{"query":"cars"},
      "pagination":{"max_pages":3},"headers":{"accept":"application/json; v=2"}},
     {"name":"apify","type":"vehicles","preset":"apify-dataset","retry":{"max_retries":7}},
     {"name":"drop","type":"vehicles"}]})",
           catalog);
  ASSERT_TRUE(s.is_ok()) << s.message();
  const FetchSpec& brave = catalog.find("brave")->fetch;
  EXPECT_EQ(brave.records_pointer, "/results");
  EXPECT_EQ(brave.pagination.kind, PaginationKind::kPage);
  EXPECT_EQ(brave.pagination.first, 0);
  EXPECT_EQ(brave.pagination.max_pages, 3);
  EXPECT_EQ(brave.headers.size(), 2u) << "Accept was overridden, not doubled";
  EXPECT_EQ(brave.headers[1].second, "application/json; v=2");
  EXPECT_EQ(brave.headers[0].second, "${BRAVE_API_KEY}");
  const FetchSpec& apify = catalog.find("apify")->fetch;
  EXPECT_EQ(apify.pagination.kind, PaginationKind::kOffset);
  EXPECT_EQ(apify.pagination.total_header, "X-Apify-Pagination-Total");
  EXPECT_EQ(apify.retry.max_retries, 7);
  EXPECT_FALSE(catalog.find("drop")->fetch.fetchable());
  EXPECT_EQ(catalog.scrape_settings().full_user_agent(), "acme-haul/2 (+ops@acme.test)");
  EXPECT_EQ(catalog.scrape_settings().concurrency, 4);
  for (std::string_view name : preset_names()) {
    FetchSpec spec;
    EXPECT_TRUE(apply_preset(name, spec)) << name;
  }
}

TEST(FetchSpec, MistakesAreConfigErrorsNamingTheField) {
  struct Case {
    const char* source;
    const char* expected;
  };
  for (const Case& c : std::vector<Case>{
           {R"("preset":"bing")", "sources[0].preset"},
           {R"("url":"ftp://x")", "sources[0].url"},
           {R"("url":"http://x/{pge}")", "{pge}"},
           {R"("method":"DELETE")", "sources[0].method"},
           {R"("records":"data")", "sources[0].records"},
           {R"("pagination":{"type":"pages"})", "sources[0].pagination.type"},
           {R"("pagination":{"type":"cursor"})", "cursor_pointer"},
           {R"("pagination":{"type":"offset"})", "page_size"},
           {R"("pagination":{"max_pages":0})", "max_pages"},
           {R"("politeness":{"concurrency":1.5})", "politeness.concurrency"},
           {R"("retry":{"max_retries":"3"})", "retry.max_retries"},
           {R"("headers":{"X":1})", "headers"},
           {R"("mapping":{"rename":{"a":"b","b":"c"}})", "chains"},
       }) {
    SourceCatalog catalog;
    Status s = load(std::string(R"({"sources":[{"name":"s","type":"events",)") + c.source + "}]}",
                    catalog);
    EXPECT_EQ(s.code(), ExitCode::kConfig) << c.source;
    EXPECT_NE(s.message().find(c.expected), std::string::npos) << s.message();
  }
}

TEST(FieldMapping, MapKeysRenamesUnlessThatCollidesAndIsIdempotent) {
  FieldMapping mapping;
  mapping.rename = {{"brand", "make"}, {"x", "model"}, {"y", "model"}};
  std::vector<std::string_view> keys = {"brand", "make", "x", "y", "year"};
  std::vector<std::string> once = mapping.map_keys(keys);
  EXPECT_EQ(once, (std::vector<std::string>{"brand", "make", "x", "model", "year"}));
  std::vector<std::string_view> again_keys(once.begin(), once.end());
  EXPECT_EQ(mapping.map_keys(again_keys), once);
}

}  // namespace
}  // namespace haul::source

namespace haul::source {
namespace {

TEST(FetchSpec, TheExampleConfigLoadsAndUsesEveryPresetAndNoLiteralSecret) {
  std::filesystem::path example =
      std::filesystem::path(HAUL_SOURCE_DIR) / "config" / "sources.example.json";
  SourceCatalog catalog;
  Status s = SourceCatalog::load(example, catalog);
  ASSERT_TRUE(s.is_ok()) << s.message();
  std::set<std::string> presets;
  for (const SourceSpec& spec : catalog.sources()) {
    presets.insert(spec.fetch.preset);
    for (const auto& [name, value] : spec.fetch.headers) {
      if (name == "Authorization" || name.find("Key") != std::string::npos ||
          name.find("Token") != std::string::npos) {
        EXPECT_NE(value.find("${"), std::string::npos) << spec.name << " " << name;
      }
    }
  }
  for (std::string_view name : preset_names())
    EXPECT_TRUE(presets.count(std::string(name))) << name;
}

}  // namespace
}  // namespace haul::source
