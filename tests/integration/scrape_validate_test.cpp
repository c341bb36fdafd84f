// Scrape, then validate: scrape applies the source's renames, validate
// applies the whole mapping again (renames are then a no-op) and keeps what
// scrape put into _meta. Every field arrives where the schema expects it.

#include <gtest/gtest.h>

#include "support/http_server.hpp"
#include "support/json_doc.hpp"
#include "support/scrape_sources.hpp"
#include "support/scrape_workspace.hpp"
#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace {

TEST(ScrapeThenValidate, MappedRecordsValidateWithTheirProvenance) {
  HttpServer server;
  server.route("/cars", HttpReply::json(R"({"data":{"listings":[
    {"title_make":"Honda","title_model":"Civic","year":2005,"asking":"$16,657","odometer":"19,988 mi",
     "stock":"DD-1","link":"https://dealer.example.com/1","make":"ignored-canonical-wins"},
    {"title_make":"Ford","title_model":"Mustang","year":1967,"asking":"45000",
     "stock":"DD-2","link":"https://dealer.example.com/2"},
    {"title_make":"Ford","title_model":"T","year":1890,"asking":"5000",
     "stock":"DD-3","link":"https://dealer.example.com/3"}]}})"));
  ScrapeWorkspace ws;
  TestSource source;
  source.name = "dealer";
  source.url = server.url("/cars");
  source.records = "/data/listings";
  source.extra = R"("mapping":{"rename":{"title_make":"make","title_model":"model","asking":"price",
    "odometer":"mileage","stock":"stockNumber","link":"sourceUrl"},"set":{"sourceName":"Dealer"}})";
  ws.write_sources({source.json()});
  ASSERT_EQ(ws.run().exit_code, 0);

  JsonDoc raw(read_file(ws.raw_file("dealer", 1)));
  EXPECT_EQ(raw.str("/0/make"), "ignored-canonical-wins");
  EXPECT_EQ(raw.str("/0/title_make"), "Honda") << "a colliding rename keeps the source name";
  EXPECT_EQ(raw.str("/1/make"), "Ford");
  EXPECT_FALSE(raw.has("/1/sourceName")) << "scrape applies renames only";

  ProcessResult validated = ws.run_tool("haul-validate", {});
  ASSERT_EQ(validated.exit_code, 0) << validated.err;
  auto lines = read_jsonl(ws.root() / "processed" / "2026-11-23" / "vehicles" / "validated.jsonl");
  ASSERT_EQ(lines.size(), 2u);
  const JsonDoc& mustang = *lines[1];
  EXPECT_EQ(mustang.str("/make"), "Ford");
  EXPECT_EQ(mustang.str("/model"), "Mustang");
  EXPECT_EQ(mustang.number("/price"), 45000);
  EXPECT_EQ(mustang.str("/stockNumber"), "DD-2");
  EXPECT_EQ(mustang.str("/sourceUrl"), "https://dealer.example.com/2");
  EXPECT_EQ(mustang.str("/sourceName"), "Dealer");
  EXPECT_EQ(mustang.str("/_meta/source"), "dealer");
  EXPECT_EQ(mustang.str("/_meta/raw_file"), "raw/2026-11-23/vehicles/dealer_001.json");
  EXPECT_EQ(mustang.str("/_meta/request_url"), server.url("/cars"));
  EXPECT_EQ(mustang.int64("/_meta/page"), 1);
  EXPECT_TRUE(mustang.str("/_meta/scraped_at"));
  const JsonDoc& civic = *lines[0];
  EXPECT_EQ(civic.str("/make"), "ignored-canonical-wins");
  EXPECT_EQ(civic.str("/title_make"), "Honda");
  EXPECT_EQ(civic.number("/mileage"), 19988);
  // The 1890 Ford is rejected by validate's year rule: conservation holds.
  auto rejected =
      read_jsonl(ws.root() / "failed" / "2026-11-23" / "vehicles" / "validation_errors.jsonl");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]->str("/_meta/request_url"), server.url("/cars"));
}

}  // namespace
}  // namespace haul::testing

namespace haul::testing {
namespace {

// The bundled sample source set (config/sources.json + data/samples/api/),
// as scripts/demo scrapes it: every record of every sample page arrives.
TEST(ScrapeThenValidate, TheBundledSampleSourcesScrapeCompletely) {
  namespace fs = std::filesystem;
  fs::path api = fs::path(HAUL_SOURCE_DIR) / "data" / "samples" / "api";
  HttpServer server;
  for (const auto& entry : fs::recursive_directory_iterator(api)) {
    if (!entry.is_regular_file()) continue;
    std::string path = "/" + fs::relative(entry.path(), api).generic_string();
    server.route(path, HttpReply::json(read_file(entry.path())));
  }
  ScrapeWorkspace ws;
  Command command;
  command.program = haul_executable("haul-scrape");
  command.args = {"--data-dir", ws.root().string(),
                  "--config",   (fs::path(HAUL_SOURCE_DIR) / "config").string(),
                  "--date",     "2026-11-23"};
  command.env = {{"HAUL_SAMPLE_API", server.url()}};
  ProcessResult result = run_process(command);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(ws.meta("vehicles").uint64("/sources/demo-dealer/records"), 40u);
  EXPECT_EQ(ws.meta("vehicles").uint64("/sources/demo-dealer/pages"), 2u);
  EXPECT_EQ(ws.meta("events").uint64("/sources/demo-events/records"), 12u);
  EXPECT_EQ(ws.meta("articles").uint64("/sources/demo-news/records"), 10u);
  EXPECT_EQ(server.requests("/news/search.json").at(0).query, "q=classic%20cars&date=2026-11-23");
  EXPECT_EQ(ws.meta("vehicles").size("/sources/demo-dealer/errors"), 0u);
  // Sources without a url (file drops) are not fetched.
  EXPECT_FALSE(ws.meta("vehicles").has("/sources/kijiji-gta"));
}

}  // namespace
}  // namespace haul::testing
