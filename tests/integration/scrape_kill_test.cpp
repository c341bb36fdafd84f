// A scrape killed at any moment leaves only complete raw files, and its
// bookmark does not move; the rerun completes the partition.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "support/http_server.hpp"
#include "support/json_doc.hpp"
#include "support/scrape_sources.hpp"
#include "support/scrape_workspace.hpp"
#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;

std::size_t raw_pages(const ScrapeWorkspace& ws) {
  std::size_t pages = 0;
  if (!fs::exists(ws.raw_dir())) return 0;
  for (const auto& entry : fs::directory_iterator(ws.raw_dir())) {
    std::string name = entry.path().filename().string();
    if (name.rfind("src_", 0) == 0) ++pages;
  }
  return pages;
}

TEST(ScrapeKill, AKilledRunLeavesNoTornFileAndTheRerunCompletes) {
  HttpServer server;
  server.route("/items", [](const ReceivedRequest& request) {
    int page = std::stoi(query_param(request.query, "page"));
    // Large pages, each a little slow, so the kill lands mid-transfer or mid-write.
    HttpReply reply = HttpReply::json(items_page(
        page * 2000, page <= 40 ? 2000 : 0, R"("updated":")" + std::to_string(1000 + page) + "\""));
    reply.delay = std::chrono::milliseconds(40);
    return reply;
  });
  ScrapeWorkspace ws;
  TestSource source;
  source.url = server.url("/items?page={page}&since={since}");
  source.pagination = R"({"type":"page","first":1})";
  source.politeness = R"({"robots":false,"concurrency":2})";
  source.extra = R"("incremental":{"field":"id","start":"0"})";
  ws.write_sources({source.json()});

  Command command;
  command.program = haul_executable("haul-scrape");
  command.args = {"--data-dir", ws.root().string(),
                  "--config",   ws.config_dir().string(),
                  "--date",     std::string(ScrapeWorkspace::kDate),
                  "-q"};
  BackgroundProcess child(command);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (raw_pages(ws) < 5 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  child.kill(SIGKILL);
  ProcessResult killed = child.wait();
  ASSERT_EQ(killed.term_signal, SIGKILL) << "finished before the kill; make the pages slower";

  // Every visible raw file is complete; temporaries are hidden dot-files.
  for (const auto& entry : fs::directory_iterator(ws.raw_dir())) {
    std::string name = entry.path().filename().string();
    if (name[0] == '.') continue;
    EXPECT_NO_THROW(JsonDoc(read_file(entry.path()))) << name << " is torn";
  }
  EXPECT_FALSE(fs::exists(ws.root() / "state" / "scrape" / "src.json"))
      << "the bookmark moved although the run did not finish";

  ProcessResult rerun = ws.run();
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_EQ(ws.meta().uint64("/sources/src/records"), 80000u);
  EXPECT_EQ(raw_pages(ws), 40u);
  for (int page = 1; page <= 40; ++page) {
    EXPECT_EQ(JsonDoc(read_file(ws.raw_file("src", page))).size(""), 2000u) << page;
  }
  // The bookmark holds the largest id seen and feeds {since} next time.
  JsonDoc bookmark(read_file(ws.root() / "state" / "scrape" / "src.json"));
  EXPECT_EQ(bookmark.str("/bookmarks/src/value"), "81999");
  EXPECT_EQ(bookmark.str("/bookmarks/src/since"), "0");
  // A rerun of the same date rewrites its raw files: it starts where the date began.
  ASSERT_EQ(ws.run().exit_code, 0);
  EXPECT_NE(server.requests("/items").back().query.find("since=0"), std::string::npos);
  // The next date starts from the bookmark.
  Command next_day = command;
  next_day.args[5] = "2026-11-24";
  ASSERT_EQ(run_process(next_day).exit_code, 0);
  EXPECT_NE(server.requests("/items").back().query.find("since=81999"), std::string::npos);
}

}  // namespace
}  // namespace haul::testing
