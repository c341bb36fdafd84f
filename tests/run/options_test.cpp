#include "run/options.hpp"

#include <gtest/gtest.h>

namespace haul::run {
namespace {

struct Parsed {
  CommonOptions options;
  Status status;
};

Parsed parse(std::vector<std::string> args) {
  Parsed parsed;
  CLI::App app;
  add_common_options(app, parsed.options);
  std::vector<const char*> argv{"haul-test"};
  for (const auto& arg : args) argv.push_back(arg.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), const_cast<char**>(argv.data()));
  } catch (const CLI::ParseError& e) {
    parsed.status = Status::error(ExitCode::kUsage, e.what());
    return parsed;
  }
  parsed.status = resolve(parsed.options);
  return parsed;
}

TEST(Options, DateRangeIsInclusive) {
  auto parsed = parse({"--from", "2026-01-30", "--to", "2026-02-02"});
  ASSERT_TRUE(parsed.status.is_ok());
  ASSERT_EQ(parsed.options.dates.size(), 4u);
  EXPECT_EQ(parsed.options.dates.back().to_string(), "2026-02-02");
}

TEST(Options, SingleDateAndDefaults) {
  ::unsetenv("HAUL_DATA_DIR");
  auto parsed = parse({"--date", "2025-10-01", "-q", "--json", "--type", "events"});
  ASSERT_TRUE(parsed.status.is_ok());
  EXPECT_EQ(parsed.options.dates.size(), 1u);
  EXPECT_EQ(parsed.options.data_dir, "data");
  EXPECT_EQ(parsed.options.verbosity, Verbosity::kQuiet);
  EXPECT_TRUE(parsed.options.json);
  EXPECT_EQ(parsed.options.types, std::vector<std::string>{"events"});
}

TEST(Options, DataDirFromEnvironmentUnlessGiven) {
  ::setenv("HAUL_DATA_DIR", "/env/data", 1);
  EXPECT_EQ(parse({}).options.data_dir, "/env/data");
  EXPECT_EQ(parse({"--data-dir", "/cli"}).options.data_dir, "/cli");
  ::unsetenv("HAUL_DATA_DIR");
}

TEST(Options, UsageErrors) {
  for (std::vector<std::string> args :
       {std::vector<std::string>{"--date", "2025-02-30"},
        {"--from", "2026-01-02", "--to", "2026-01-01"},
        {"--from", "2026-01-02"},
        {"--date", "2026-01-01", "--from", "2026-01-01", "--to", "2026-01-02"},
        {"--type", "../etc"},
        {"--bogus"}}) {
    auto parsed = parse(args);
    EXPECT_EQ(parsed.status.code(), ExitCode::kUsage) << args[0];
  }
}

TEST(Options, SharedStageOptionsReadTheSameEverywhere) {
  CLI::App app;
  std::string db;
  std::size_t threads = 1;
  add_db_option(app, db, "for the market data");
  add_threads_option(app, threads, "Worker threads");
  const char* argv[] = {"haul-test", "--db", "postgresql:///haul", "--threads", "3"};
  app.parse(5, const_cast<char**>(argv));
  EXPECT_EQ(db, "postgresql:///haul");
  EXPECT_EQ(threads, 3u);
  const std::string help = app.help();
  EXPECT_NE(help.find("Connection string or URL for the market data (default: $DATABASE_URL"),
            std::string::npos)
      << help;
  EXPECT_NE(help.find("never put a password here"), std::string::npos) << help;
  const char* bad[] = {"haul-test", "--threads", "0"};
  EXPECT_THROW(app.parse(3, const_cast<char**>(bad)), CLI::ValidationError);
}

}  // namespace
}  // namespace haul::run
