// The whole pipeline under SIGKILL: haul-run scrapes two live HTTP sources,
// validates, dedups, enriches and imports into PostgreSQL; each test kills
// one stage (haul-run's current child) at seeded random moments of its
// work, then reruns haul-run. After every kill and rerun: the files (raw,
// processed, failed, reports without their timings) and the tables equal an
// undisturbed run's, so every raw record is imported or rejected exactly
// once; no temporary is left; no lock is held; --status says complete.
//
// Knobs: HAUL_KILL_TEST_SEED (default 8), HAUL_KILL_TEST_PIPELINE_KILLS
// (kills per stage; default 11, so 55 over the pipeline of which a few may
// land after the stage ended; 4 under a sanitizer).

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "support/http_server.hpp"
#include "support/json_doc.hpp"
#include "support/kill_series.hpp"
#include "support/scrape_sources.hpp"
#include "support/scrape_workspace.hpp"
#include "support/test_database.hpp"
#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kPages = 3;          // per source
constexpr int kPerPage = 60;       // records per page
const char* const kStages[] = {"scrape", "validate", "dedup", "enrich", "import"};

// Listing n as a source gives it: keys already canonical, values raw. The
// dealer lists 0..179, the market 90..269 (the same cars, VINs and all, under
// its own stock numbers: near duplicates for dedup); a few listings are
// invalid (price 0, no make) and the dealer gives one twice.
std::string listing(int n, bool market) {
  static const char* const kModels[][2] = {{"Ford", "Mustang"}, {"Chevrolet", "Corvette"},
                                            {"Porsche", "911"},   {"Dodge", "Charger"},
                                            {"Toyota", "Supra"},  {"Jaguar", "E-Type"}};
  const auto& model = kModels[n % 6];
  const int price = n % 29 == 7 ? 0 : 15000 + 250 * n + (market ? 100 : 0);
  std::string make = n % 31 == 11 ? "" : fmt::format(R"("make":"{}",)", model[0]);
  return fmt::format(
      R"({{{}"model":"{}","year":"{}","price":"${}","mileage":"{} Miles","stockNumber":"{}-{:04d}","vin":"1PK{:08d}X","sourceUrl":"https://{}.example/cars/{}","locationCity":"Toronto","locationState":"ON"}})",
      make, model[1], 1960 + n % 40, price, 10000 + 37 * n, market ? "MK" : "GD", n, n,
      market ? "market" : "dealer", n);
}

std::string page_of(int page, bool market) {
  std::string items;
  if (page <= kPages) {
    for (int i = 0; i < kPerPage; ++i) {
      const int n = (page - 1) * kPerPage + i + (market ? 90 : 0);
      if (!items.empty()) items += ",";
      items += listing(n, market);
    }
    if (!market && page == 1) items += "," + listing(3, false);  // the same listing twice
  }
  return "{\"items\":[" + items + "]}";
}

// The pid of `parent`'s child whose command name is `comm`, or 0.
pid_t child_named(pid_t parent, const std::string& comm) {
  std::ifstream children(fmt::format("/proc/{}/task/{}/children", parent, parent));
  pid_t pid = 0;
  while (children >> pid) {
    std::ifstream name(fmt::format("/proc/{}/comm", pid));
    std::string line;
    if (std::getline(name, line) && line == comm) return pid;
  }
  return 0;
}

// What a rerun legitimately changes: times, durations, input fingerprints
// (input mtimes) and rows enrich read back from the database.
std::string without_timings(const std::string& text) {
  static const std::regex kVolatile(
      R"re("(fingerprint|seconds|duration_s|request_seconds|started_at|ended_at|scraped_at|database_rows|database_rows_in_batch)":("([^"\\]|\\.)*"|[-+0-9.eE]+))re");
  return std::regex_replace(text, kVolatile, "\"$1\":-");
}

// How an import's rows split between inserted and unchanged depends on what
// the killed run committed before it died; the tables and the sum may not.
std::string without_import_split(const std::string& text) {
  static const std::regex kSplit(R"re("(inserted|updated|unchanged|superseded|chunks)":[0-9]+)re");
  return std::regex_replace(text, kSplit, "\"$1\":-");
}

// Every file under raw/, processed/ and failed/, timings removed.
std::map<std::string, std::string> digest(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const char* top : {"raw", "processed", "failed"}) {
    if (!fs::exists(root / top)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      if (!entry.is_regular_file()) continue;
      std::string text = without_timings(read_file(entry.path()));
      if (entry.path().filename() == "import_report.json") text = without_import_split(text);
      files[fs::relative(entry.path(), root).string()] = std::move(text);
    }
  }
  return files;
}

// "" when equal, else both texts around where they first differ.
std::string first_difference(const std::string& expected, const std::string& actual) {
  if (expected == actual) return "";
  std::size_t at = 0;
  while (at < expected.size() && at < actual.size() && expected[at] == actual[at]) ++at;
  const std::size_t from = at < 80 ? 0 : at - 80;
  return fmt::format("at byte {}:\n  expected ...{}\n  actual   ...{}", at, expected.substr(from, 200),
                     actual.substr(from, 200));
}

std::vector<std::string> temporaries(const fs::path& root) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().filename().string().find(".tmp-") != std::string::npos) {
      found.push_back(entry.path().string());
    }
  }
  return found;
}

// Lock files under state/locks that someone still holds.
std::vector<std::string> held_locks(const fs::path& root) {
  std::vector<std::string> held;
  if (!fs::exists(root / "state" / "locks")) return held;
  for (const auto& entry : fs::directory_iterator(root / "state" / "locks")) {
    int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) held.push_back(entry.path().filename().string());
    ::close(fd);
  }
  return held;
}

class PipelineKill : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (!test_database_url()) GTEST_SKIP() << "skipped: HAUL_TEST_DATABASE is not set";
    db_ = std::make_unique<TestDatabase>();
    for (bool market : {false, true}) {
      server_.route(market ? "/market" : "/dealer", [market](const ReceivedRequest& request) {
        HttpReply reply = HttpReply::json(page_of(std::stoi(query_param(request.query, "page")), market));
        reply.delay = std::chrono::milliseconds(15);  // so that a kill can land mid-scrape
        return reply;
      });
    }
    fs::copy(repo_config_dir(), ws_.config_dir(),
             fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    std::vector<std::string> sources;
    for (const char* name : {"dealer", "market"}) {
      TestSource source;
      source.name = name;
      source.url = server_.url(fmt::format("/{}?page={{page}}", name));
      source.pagination = R"({"type":"page","first":1})";
      source.extra = fmt::format(R"("mapping":{{"set":{{"sourceName":"{}"}}}})",
                                 name == std::string("dealer") ? "Gen Dealer" : "Gen Market");
      sources.push_back(source.json());
    }
    ws_.write_sources(sources);
    run_.program = fs::path(HAUL_SOURCE_DIR) / "scripts" / "haul-run";
    run_.args = {"--date", std::string(ScrapeWorkspace::kDate), "-q"};
    run_.env = {{"HAUL_BIN", haul_executable("haul-scrape").parent_path().string()},
                {"HAUL_DATA_DIR", ws_.root().string()},
                {"HAUL_CONFIG_DIR", ws_.config_dir().string()},
                {"DATABASE_URL", db_->conninfo()},
                {"NO_COLOR", "1"}};
    // The tables exist from the start, as in production: enrich reads its
    // market prices from them in the reference run and in every rerun.
    Command migrate = run_;
    migrate.program = haul_executable("haul-import");
    migrate.args = {"--migrate-only", "-q"};
    ProcessResult migrated = run_process(migrate);
    ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
  }

  void reset() {
    for (const auto& entry : fs::directory_iterator(ws_.root())) fs::remove_all(entry.path());
    db_->scalar("TRUNCATE vehicles, vehicle_prices, pipeline_runs RESTART IDENTITY CASCADE");
  }

  std::string tables() const {
    return db_->scalar(
               "SELECT count(*) || E'\\n' || coalesce(string_agg((to_jsonb(v) - 'id' - 'search' "
               "#- '{record,_meta,scraped_at}')::text, E'\\n' ORDER BY listing_key), '') FROM vehicles v") +
           "\n" +
           db_->scalar(
               "SELECT coalesce(string_agg(v.listing_key || ' ' || coalesce(p.old_price::text, '-') || ' ' "
               "|| coalesce(p.new_price::text, '-') || ' ' || p.changed_at::text, E'\\n' "
               "ORDER BY v.listing_key, p.changed_at), '') "
               "FROM vehicle_prices p JOIN vehicles v ON v.id = p.vehicle_id");
  }

  // Runs haul-run undisturbed and returns how long each stage's process lived.
  std::map<std::string, std::chrono::duration<double>> reference_run() {
    std::map<std::string, std::pair<Clock::time_point, Clock::time_point>> seen;
    BackgroundProcess run(run_);
    for (;;) {
      const auto now = Clock::now();
      bool any = false;
      for (const char* stage : kStages) {
        if (child_named(run.pid(), std::string("haul-") + stage)) {
          seen.try_emplace(stage, now, now).first->second.second = now;
          any = true;
        }
      }
      std::ifstream state(fmt::format("/proc/{}/stat", run.pid()));
      std::string stat;
      std::getline(state, stat);
      const auto close = stat.rfind(')');
      if (!any && (close == std::string::npos || stat.substr(close + 2, 1) == "Z")) break;
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    ProcessResult result = run.wait();
    EXPECT_EQ(result.exit_code, 0) << result.err;
    std::map<std::string, std::chrono::duration<double>> lived;
    for (const auto& [stage, span] : seen) {
      lived[stage] = span.second - span.first + std::chrono::milliseconds(1);
    }
    return lived;
  }

  HttpServer server_;
  ScrapeWorkspace ws_;
  std::unique_ptr<TestDatabase> db_;
  Command run_;
};

TEST_P(PipelineKill, EveryKillOfTheStageEndsLikeAnUndisturbedRun) {
  const std::string stage = GetParam();
  const auto lived = reference_run();
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(lived.count(stage)) << "haul-" << stage << " never ran";
  const auto reference_files = digest(ws_.root());
  const std::string reference_tables = tables();

  // The reference itself conserves records: each raw one is imported or
  // rejected, in exactly one place, with nothing left to a temporary.
  const int raw = 2 * kPages * kPerPage + 1;
  const int imported = std::stoi(db_->scalar("SELECT count(*) FROM vehicles"));
  auto lines = [&](const char* file) {
    auto at = reference_files.find(fmt::format("failed/{}/vehicles/{}", ScrapeWorkspace::kDate, file));
    return at == reference_files.end() ? 0 : static_cast<int>(std::count(at->second.begin(), at->second.end(), '\n'));
  };
  const int rejected = lines("validation_errors.jsonl") + lines("duplicates.jsonl") +
                       lines("dedup_errors.jsonl") + lines("enrich_errors.jsonl") +
                       lines("import_errors.jsonl") + lines("retry_queue.jsonl");
  EXPECT_GT(lines("validation_errors.jsonl"), 0);
  EXPECT_GT(lines("duplicates.jsonl"), 0);
  EXPECT_EQ(raw, imported + rejected) << imported << " imported, " << rejected << " rejected";
  EXPECT_TRUE(temporaries(ws_.root()).empty());

#ifdef HAUL_TEST_SANITIZED
  constexpr std::uint64_t kDefaultKills = 4;
#else
  constexpr std::uint64_t kDefaultKills = 11;
#endif
  const int kills = static_cast<int>(env_number("HAUL_KILL_TEST_PIPELINE_KILLS", kDefaultKills));
  const auto seed = static_cast<std::uint32_t>(env_number("HAUL_KILL_TEST_SEED", 8)) +
                    static_cast<std::uint32_t>(std::find(std::begin(kStages), std::end(kStages), stage) -
                                               std::begin(kStages));
  std::cout << "[ pipeline ] haul-" << stage << " lived " << lived.at(stage).count() * 1000
            << " ms; " << kills << " kills, seed " << seed << "\n";
  // The series spreads kills over [0, 1.3 × duration): 0.6 × the stage's life
  // puts them in its first 78 %, so few miss when this run is quicker.
  const auto strike = [&](BackgroundProcess& run, std::chrono::microseconds delay) {
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    pid_t pid = 0;
    while (!(pid = child_named(run.pid(), "haul-" + stage)) && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    if (pid == 0) return;
    // The delay is the experiment, not a wait for a condition.
    std::this_thread::sleep_for(delay);
    ::kill(pid, SIGKILL);
  };
  const auto series = run_kill_series(
      run_, lived.at(stage) * 0.6, kills, seed, [&] { reset(); },
      [&](int, const ProcessResult& killed, const std::string& where) {
        EXPECT_TRUE(killed.exit_code == 128 + SIGKILL || killed.exit_code == 0)
            << where << ": " << killed.exit_code << " " << killed.err;
        EXPECT_EQ(held_locks(ws_.root()), std::vector<std::string>{}) << where;
        ProcessResult rerun = run_process(run_);
        EXPECT_EQ(rerun.exit_code, 0) << where << ": " << rerun.err;
        const auto files = digest(ws_.root());
        for (const auto& entry : reference_files) {
          auto at = files.find(entry.first);
          EXPECT_TRUE(at != files.end()) << where << ": " << entry.first << " is missing";
          if (at != files.end()) {
            EXPECT_EQ(first_difference(entry.second, at->second), "") << where << ": " << entry.first;
          }
        }
        EXPECT_EQ(files.size(), reference_files.size()) << where;
        JsonDoc report(read_file(ws_.root() / "processed" / std::string(ScrapeWorkspace::kDate) /
                                 "vehicles" / "import_report.json"));
        std::uint64_t landed = 0;
        for (const char* field : {"/inserted", "/updated", "/unchanged", "/superseded", "/rejected",
                                  "/queued_for_retry"}) {
          landed += report.uint64(field).value_or(0);
        }
        EXPECT_EQ(report.uint64("/records_read"), landed) << where;
        EXPECT_EQ(tables(), reference_tables) << where;
        EXPECT_EQ(temporaries(ws_.root()), std::vector<std::string>{}) << where;
        EXPECT_EQ(held_locks(ws_.root()), std::vector<std::string>{}) << where;
        Command status = run_;
        status.args.push_back("--status");
        EXPECT_EQ(run_process(status).out, fmt::format("{} complete\n", ScrapeWorkspace::kDate)) << where;
        return !HasFailure();
      },
      strike);
  std::cout << "[ pipeline ] haul-" << stage << ": " << series.killed << " killed, "
            << series.finished << " finished before the kill\n";
  // Most kills land inside the stage; the rest are misses, not failures.
  EXPECT_GE(series.killed * 2, kills) << series.finished << " finished first";
}

INSTANTIATE_TEST_SUITE_P(Stages, PipelineKill, ::testing::ValuesIn(kStages),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace haul::testing
