#include "scrape/page_records.hpp"

#include <gtest/gtest.h>

#include "support/json_doc.hpp"

namespace haul::scrape {
namespace {

using haul::testing::JsonDoc;

struct Fixture {
  source::FetchSpec fetch;
  source::FieldMapping mapping;
  PageContext context() {
    return PageContext{"src",  "https://x.test/?k=${K}",
                       3,      "2026-11-23T00:00:00.000Z",
                       &fetch, mapping.rename.empty() ? nullptr : &mapping};
  }
};

TEST(PageRecords, RecordsKeepTheirValuesAndGainMeta) {
  Fixture f;
  f.fetch.records_pointer = "/data/items";
  f.mapping.rename = {{"brand", "make"}};
  std::string body =
      R"({"data":{"items":[{"brand":"VW","price":1.50,"big":18446744073709551615,"e":1.0E+300,)"
      R"("nested":{"a":[1, 2]},"_meta":{"from":"source"},"s":"\u00e9\"q"}, 7]}})";
  PageRecords page = extract_page(body, f.context());
  ASSERT_TRUE(page.error.empty()) << page.error;
  EXPECT_EQ(page.records, 2u);
  EXPECT_NE(page.file_text.find(R"("price":1.50,"big":18446744073709551615,"e":1.0E+300,)"),
            std::string::npos)
      << page.file_text;
  EXPECT_NE(page.file_text.find(R"("nested":{"a":[1, 2]})"), std::string::npos);
  JsonDoc doc(page.file_text);
  EXPECT_EQ(doc.str("/0/make"), "VW");
  EXPECT_EQ(doc.str("/0/s"), "\u00e9\"q");
  EXPECT_EQ(doc.str("/0/_source_meta/from"), "source");
  EXPECT_EQ(doc.str("/0/_meta/request_url"), "https://x.test/?k=${K}");
  EXPECT_EQ(doc.int64("/0/_meta/page"), 3);
  EXPECT_EQ(doc.int64("/0/_meta/index"), 0);
  EXPECT_EQ(doc.int64("/1"), 7) << "a record that is not an object passes as it is";
}

TEST(PageRecords, UnusableBodiesSayWhy) {
  Fixture f;
  f.fetch.records_pointer = "/items";
  EXPECT_NE(extract_page("<html>", f.context()).error.find("not JSON"), std::string::npos);
  EXPECT_NE(extract_page(R"({"items":[{"a":1})", f.context()).error.find("not JSON"),
            std::string::npos);
  EXPECT_NE(extract_page("", f.context()).error.find("not JSON"), std::string::npos);
  EXPECT_NE(extract_page(R"({"item":[]})", f.context()).error.find("no records at \"/items\""),
            std::string::npos);
  EXPECT_NE(extract_page(R"({"items":null})", f.context()).error.find("null"), std::string::npos);
  EXPECT_NE(extract_page("{\"items\":[\"\xff\"]}", f.context()).error.find("not JSON"),
            std::string::npos);
  PageRecords empty = extract_page(R"({"items":[]})", f.context());
  EXPECT_TRUE(empty.error.empty());
  EXPECT_EQ(empty.records, 0u);
}

TEST(PageRecords, AnObjectIsOneRecordAndHintsAreRead) {
  Fixture f;
  f.fetch.records_pointer = "/data";
  f.fetch.pagination.total_pointer = "/meta/total";
  f.fetch.pagination.cursor_pointer = "/meta/next";
  f.fetch.incremental_field = "updated";
  PageRecords page = extract_page(
      R"({"data":{"title":"t","updated":"2026-01-02"},"meta":{"total":"41","next":17}})",
      f.context());
  ASSERT_TRUE(page.error.empty()) << page.error;
  EXPECT_EQ(page.records, 1u);
  EXPECT_EQ(page.total, 41);
  EXPECT_EQ(page.cursor, "17");
  EXPECT_EQ(page.max_incremental, "2026-01-02");
  EXPECT_TRUE(bookmark_after("10", "9"));
  EXPECT_TRUE(bookmark_after("2026-02-01", "2026-01-31T23:00:00Z"));
  EXPECT_FALSE(bookmark_after("2026-01-01", "2026-01-01"));
}

}  // namespace
}  // namespace haul::scrape
